package main

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/all" // every driver, chosen by name
)

// env is the outside world of one run, so tests can give their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// terminal is whether stderr is a terminal: progress is redrawn in
	// place there and printed a line per change elsewhere.
	terminal bool
}

// cli is one run's flags and world.
type cli struct {
	env
	flags      settings
	options    []string
	profile    string
	configPath string
	output     string
	timeout    time.Duration
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, e env) int {
	c := &cli{env: e}
	root := c.rootCommand()
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.ExecuteContext(ctx)
	if err != nil && (strings.HasPrefix(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "required flag")) {
		err = &usageError{err.Error()}
	}
	if err != nil {
		report(e.stderr, err)
	}
	return exitCode(err)
}

// exactArgs is cobra.ExactArgs with names, answering a usage error.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usagef("%s takes %s (%d given)", cmd.CommandPath(), strings.Join(names, " "), len(args))
		}
		return nil
	}
}

func (c *cli) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "deltacloud",
		Short:         "Work with any cloud deltacloud-go can open",
		Long:          "deltacloud lists and drives realms, hardware profiles, images, instances and the optional\ncollections of any cloud deltacloud-go can open, in-process or through a Deltacloud REST server.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err.Error()} })
	f := root.PersistentFlags()
	f.StringVar(&c.flags.Driver, "driver", "", "driver name (env DELTACLOUD_DRIVER; default mock)")
	f.StringVar(&c.flags.Provider, "provider", "", "the driver's provider (env DELTACLOUD_PROVIDER)")
	f.StringVar(&c.flags.URL, "url", "", "a Deltacloud REST server's API root, e.g. http://host:3001/api (env DELTACLOUD_URL)")
	f.StringVar(&c.flags.User, "user", "", "user or key id (env DELTACLOUD_USER)")
	f.StringVar(&c.flags.Password, "password", "", "password or secret (env DELTACLOUD_PASSWORD; preferred: flags show in ps)")
	f.StringArrayVarP(&c.options, "option", "O", nil, "driver option key=value (repeatable)")
	f.StringVar(&c.profile, "profile", "", "profile of the config file (default: its \"default\")")
	f.StringVar(&c.configPath, "config", defaultConfigPath(), "config file")
	f.StringVarP(&c.output, "output", "o", "table", "output format: table, json or yaml")
	f.DurationVar(&c.timeout, "timeout", 10*time.Minute, "give up after this long (0: never)")
	root.AddCommand(
		c.driversCommand(), c.featuresCommand(), c.statesCommand(),
		c.realmsCommand(), c.profilesCommand(), c.imagesCommand(), c.instancesCommand(),
		c.keysCommand(), c.firewallsCommand(), c.addressesCommand(), c.volumesCommand(), c.snapshotsCommand(),
		c.bucketsCommand(), c.blobsCommand(), c.metricsCommand(),
	)
	return root
}

// settings are the flags over the environment over the profile.
func (c *cli) settings() (settings, error) {
	opts, err := parseOptions(c.options)
	if err != nil {
		return settings{}, err
	}
	flags := c.flags
	flags.Options = opts
	fromEnv := settings{
		Driver: c.getenv("DELTACLOUD_DRIVER"), Provider: c.getenv("DELTACLOUD_PROVIDER"),
		URL: c.getenv("DELTACLOUD_URL"), User: c.getenv("DELTACLOUD_USER"),
		Password: c.getenv("DELTACLOUD_PASSWORD"),
	}
	profile, err := loadProfile(c.configPath, c.profile)
	if err != nil {
		return settings{}, err
	}
	return flags.merge(fromEnv.merge(profile)), nil
}

// context bounds a command by --timeout.
func (c *cli) context(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	if c.timeout <= 0 {
		return context.WithCancel(cmd.Context())
	}
	return context.WithTimeout(cmd.Context(), c.timeout)
}

// open opens the chosen cloud; the caller closes it.
func (c *cli) open(ctx context.Context) (*deltacloud.Provider, error) {
	s, err := c.settings()
	if err != nil {
		return nil, err
	}
	driver, cfg := s.config()
	return deltacloud.Open(ctx, driver, cfg)
}

// withProvider runs fn with an open provider and a bounded context.
func (c *cli) withProvider(cmd *cobra.Command, fn func(ctx context.Context, p *deltacloud.Provider) error) error {
	if _, err := c.printer(); err != nil {
		return err
	}
	ctx, cancel := c.context(cmd)
	defer cancel()
	p, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer p.Close()
	return fn(ctx, p)
}
