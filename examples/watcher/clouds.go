package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/fleet"
)

// cloudSpec is one -cloud flag: NAME=DRIVER or NAME=DRIVER@PROVIDER.
type cloudSpec struct {
	name, driver, provider string
}

// parseCloud reads a -cloud value.
func parseCloud(s string) (cloudSpec, error) {
	name, rest, ok := strings.Cut(s, "=")
	driver, provider, _ := strings.Cut(rest, "@")
	if !ok || name == "" || driver == "" {
		return cloudSpec{}, fmt.Errorf("-cloud %q: want NAME=DRIVER or NAME=DRIVER@PROVIDER", s)
	}
	if strings.IndexFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' }) >= 0 {
		return cloudSpec{}, fmt.Errorf("-cloud %q: a name has only letters, digits, - and _", s)
	}
	return cloudSpec{name: name, driver: driver, provider: provider}, nil
}

// credentialVars are the environment variables holding a cloud's user and
// password: DELTACLOUD_<NAME>_USER and DELTACLOUD_<NAME>_PASSWORD, the name
// upper-cased with - as _. Credentials stay off the command line, where
// every user of the machine could read them.
func credentialVars(name string) (user, password string) {
	n := strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	return "DELTACLOUD_" + n + "_USER", "DELTACLOUD_" + n + "_PASSWORD"
}

// cloudConfig is the deltacloud.Config of one -cloud: credentials from the
// environment, and for the mock its defaults and activity options.
func cloudConfig(cfg config, c cloudSpec, getenv func(string) string) deltacloud.Config {
	u, p := credentialVars(c.name)
	one := cfg
	one.driver, one.provider, one.user, one.password = c.driver, c.provider, getenv(u), getenv(p)
	return providerConfig(one)
}

// watchClouds opens every -cloud into a fleet and prints all their changes
// together, each line starting with the cloud's name in brackets. A cloud
// that fails is reported on stderr and watched again; only the end of ctx
// stops the watch (status 0). A cloud that cannot be opened is status 1.
func watchClouds(ctx context.Context, cfg config, stdout, stderr io.Writer) int {
	f := fleet.New(fleet.Options{Timeout: max(cfg.interval, 30*time.Second)})
	defer f.Close()
	for _, c := range cfg.clouds {
		if err := f.Open(ctx, c.name, c.driver, cloudConfig(cfg, c, os.Getenv)); err != nil {
			if ctx.Err() != nil {
				return 0
			}
			fmt.Fprintf(stderr, "error: %v\n", err)
			return 1
		}
	}
	for ev := range f.Watch(ctx, deltacloud.WatchOptions{Interval: cfg.interval}) {
		prefix := "[" + ev.Provider + "] "
		switch ev.Kind {
		case deltacloud.EventSnapshot:
			for _, line := range formatSnapshot(ev.Instances) {
				fmt.Fprintln(stdout, prefix+line)
			}
		case deltacloud.EventError:
			fmt.Fprintln(stderr, prefix+formatEvent(ev.Event))
		default:
			fmt.Fprintln(stdout, prefix+formatEvent(ev.Event))
		}
	}
	return 0
}
