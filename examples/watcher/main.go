// Command watcher is the Go version of Deltacloud's classic "instance
// watcher" example: it opens a provider, prints how many instances it found
// in which states, then polls the instance list and prints one line for
// every instance that is created, changes state or is destroyed, until
// Ctrl-C or until -duration has passed.
//
// With no flags it watches the mock driver as mockuser/mockpassword, with
// simulated activity switched on, so changes show up within seconds:
//
//	go run ./examples/watcher
//	go run ./examples/watcher -duration 10s
//	go run ./examples/watcher -interval 500ms -activity 200ms -seed 42
//
// Given three arguments, as the original Ruby example was called, it
// watches a Deltacloud REST server through the "deltacloud" driver: the
// server's base URL, the user and the password (flags go first):
//
//	go run ./examples/watcher http://localhost:3001/api mockuser mockpassword
//	go run ./examples/watcher -interval 5s http://localhost:3001/api mockuser mockpassword
//
// The output looks like this:
//
//	Found 4 instances in the following states:
//	  RUNNING: 4
//	inst2 changed from RUNNING to STOPPED
//	inst4 was created and is now RUNNING
//	inst2 was destroyed
//
// With -cloud flags it watches several clouds together (through the fleet
// package), each output line starting with the cloud's name in brackets.
// A cloud's credentials come from the environment variables
// DELTACLOUD_<NAME>_USER and DELTACLOUD_<NAME>_PASSWORD (the mock needs
// none); a cloud that fails is reported and watched again:
//
//	go run ./examples/watcher -cloud east=mock -cloud west=mock
//	DELTACLOUD_AWS_USER=AKIA… DELTACLOUD_AWS_PASSWORD=… go run ./examples/watcher -cloud aws=ec2@eu-west-1 -cloud lab=mock
//
// Flags:
//
//	-driver NAME      driver to open (default "mock")
//	-provider NAME    provider within the driver: region, endpoint, … (default: the driver's)
//	-user USER        user name or access key; for the mock, empty means mockuser
//	-password PASS    password or secret key; for the mock, empty means mockpassword
//	-interval D       how often to list instances (default 1s)
//	-duration D       stop after this long; 0 means until Ctrl-C (default 0)
//	-activity D       mock only: simulate other users every D; 0 disables (default 500ms)
//	-seed N           mock only: seed of the simulated activity; 0 is time-based (default 0)
//	-cloud N=D[@P]    watch cloud N of driver D (provider P) too; repeatable
//
// The three arguments URL USER PASSWORD stand for -driver deltacloud
// -provider URL -user USER -password PASSWORD and cannot be combined with
// those flags.
//
// For drivers other than the mock, empty -user and -password are passed on
// as empty credentials, which asks the driver to use its SDK's default chain
// (environment, config files, instance roles).
//
// Errors while listing are printed to standard error as "error: …". The
// watch retries after temporary ones (rate limiting, an unavailable cloud)
// and ends after any other, e.g. rejected credentials.
//
// Exit status: 0 when stopped by Ctrl-C (or SIGTERM) or when -duration has
// passed, 1 when the provider cannot be opened or the watch ends with an
// error, 2 for bad flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// mockDriver is the mock driver's registered name; remoteDriver is the
// Deltacloud REST client's, which the URL USER PASSWORD arguments select.
const (
	mockDriver   = "mock"
	remoteDriver = "deltacloud"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the command line asks for.
type config struct {
	driver   string
	provider string
	user     string
	password string
	interval time.Duration
	duration time.Duration
	activity time.Duration
	seed     uint64
	// clouds are the -cloud flags: several clouds watched together.
	clouds []cloudSpec
}

// run is the whole program: it parses args, watches until ctx ends, an
// interrupt or SIGTERM arrives, -duration passes or the watch fails, and
// returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}

	if len(cfg.clouds) > 0 {
		return watchClouds(ctx, cfg, stdout, stderr)
	}
	p, err := deltacloud.Open(ctx, cfg.driver, providerConfig(cfg))
	if err != nil {
		if ctx.Err() != nil {
			// Interrupted (or out of time) while opening: a normal stop.
			return 0
		}
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	defer p.Close()

	return watch(ctx, p, cfg.interval, stdout, stderr)
}

// parseFlags reads the command line. Problems are reported on stderr, and
// returned as an error: flag.ErrHelp for -h, anything else for bad flags.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("watcher", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: watcher [flags] [URL USER PASSWORD]\n\n"+
			"Print the instances' states, then every instance created, changed or destroyed.\n"+
			"URL USER PASSWORD watch a Deltacloud REST server (driver %q).\n\n", remoteDriver)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.driver, "driver", mockDriver, "driver to open")
	fs.StringVar(&cfg.provider, "provider", "", "provider within the driver: region, endpoint, … (empty: the driver's default)")
	fs.StringVar(&cfg.user, "user", "", "user name or access key (mock: empty means "+mock.User+"; other drivers: empty uses the SDK's default chain)")
	fs.StringVar(&cfg.password, "password", "", "password or secret key (mock: empty means "+mock.Password+")")
	fs.DurationVar(&cfg.interval, "interval", time.Second, "how often to list instances")
	fs.DurationVar(&cfg.duration, "duration", 0, "stop after this long (0: run until Ctrl-C)")
	fs.DurationVar(&cfg.activity, "activity", 500*time.Millisecond, "mock only: simulate other users every interval (0: no activity)")
	fs.Uint64Var(&cfg.seed, "seed", 0, "mock only: seed of the simulated activity, to replay a sequence (0: time-based)")
	var problems []string
	names := map[string]bool{}
	fs.Func("cloud", "watch this cloud too: NAME=DRIVER or NAME=DRIVER@PROVIDER (repeatable; credentials from DELTACLOUD_<NAME>_USER and _PASSWORD)", func(s string) error {
		c, err := parseCloud(s)
		if err != nil {
			return err
		}
		if names[c.name] {
			return fmt.Errorf("-cloud %q: the name %s is taken", s, c.name)
		}
		names[c.name] = true
		cfg.clouds = append(cfg.clouds, c)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}

	switch fs.NArg() {
	case 0:
	case 3:
		// The original example's calling convention: URL USER PASSWORD.
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "driver", "provider", "user", "password":
				problems = append(problems, fmt.Sprintf("-%s cannot be combined with the URL USER PASSWORD arguments", f.Name))
			}
		})
		cfg.driver, cfg.provider, cfg.user, cfg.password = remoteDriver, fs.Arg(0), fs.Arg(1), fs.Arg(2)
	default:
		problems = append(problems, fmt.Sprintf("unexpected arguments %q; give none, or URL USER PASSWORD", fs.Args()))
	}
	if cfg.interval <= 0 {
		problems = append(problems, "-interval must be positive")
	}
	if cfg.duration < 0 {
		problems = append(problems, "-duration must not be negative")
	}
	if cfg.activity < 0 {
		problems = append(problems, "-activity must not be negative")
	}
	if len(cfg.clouds) > 0 {
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "driver", "provider", "user", "password":
				problems = append(problems, fmt.Sprintf("-%s cannot be combined with -cloud", f.Name))
			}
		})
		if fs.NArg() > 0 {
			problems = append(problems, "the URL USER PASSWORD arguments cannot be combined with -cloud")
		}
	} else if cfg.driver != mockDriver {
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "activity" || f.Name == "seed" {
				problems = append(problems, fmt.Sprintf("-%s is only for the %s driver", f.Name, mockDriver))
			}
		})
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "watcher: %s\n", p)
		}
		fs.Usage()
		return cfg, errors.New(problems[0])
	}
	return cfg, nil
}

// providerConfig turns the command line into the deltacloud.Config to open.
// The mock gets its credentials by default and its activity options.
func providerConfig(cfg config) deltacloud.Config {
	c := deltacloud.Config{
		Provider:    cfg.provider,
		Credentials: deltacloud.Credentials{User: cfg.user, Password: cfg.password},
	}
	if cfg.driver == mockDriver {
		if c.Credentials.User == "" {
			c.Credentials.User = mock.User
		}
		if c.Credentials.Password == "" {
			c.Credentials.Password = mock.Password
		}
		c.Options = map[string]string{}
		if cfg.activity > 0 {
			c.Options["activity"] = cfg.activity.String()
		}
		if cfg.seed != 0 {
			c.Options["seed"] = strconv.FormatUint(cfg.seed, 10)
		}
	}
	return c
}

// watch prints p's instances and their changes until ctx ends (status 0) or
// the watch ends with an error (status 1). Errors go to stderr; the watch
// itself decides whether to go on after one: it retries temporary errors and
// stops after any other.
func watch(ctx context.Context, p *deltacloud.Provider, interval time.Duration, stdout, stderr io.Writer) int {
	fatal := false
	for ev := range p.Watch(ctx, deltacloud.WatchOptions{Interval: interval}) {
		switch ev.Kind {
		case deltacloud.EventSnapshot:
			for _, line := range formatSnapshot(ev.Instances) {
				fmt.Fprintln(stdout, line)
			}
		case deltacloud.EventError:
			fmt.Fprintln(stderr, formatEvent(ev))
			// Watch ends after exactly the errors that are not temporary.
			fatal = !deltacloud.CodeOf(ev.Err).Temporary()
		default:
			fmt.Fprintln(stdout, formatEvent(ev))
		}
	}
	if fatal {
		return 1
	}
	return 0
}
