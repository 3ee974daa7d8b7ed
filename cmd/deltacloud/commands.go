package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/deltacloud-go/deltacloud"
)

// collectionCommand is a collection's parent command ("realms", "images",
// …) with its subcommands.
func collectionCommand(use, short string, aliases []string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short, Aliases: aliases, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() }}
	cmd.AddCommand(subs...)
	return cmd
}

// idCommand is a subcommand taking one id, run with an open provider.
func (c *cli) idCommand(use, short string, fn func(ctx context.Context, p *deltacloud.Provider, id string) error) *cobra.Command {
	return &cobra.Command{
		Use: use, Short: short, Args: exactArgs(use[len(firstWord(use))+1:]),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error { return fn(ctx, p, args[0]) })
		},
	}
}

// listCommand is a collection's "list" subcommand.
func (c *cli) listCommand(short string, fn func(ctx context.Context, p *deltacloud.Provider) error) *cobra.Command {
	return &cobra.Command{
		Use: "list", Short: short, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return c.withProvider(cmd, fn) },
	}
}

func firstWord(s string) string {
	for i, r := range s {
		if r == ' ' {
			return s[:i]
		}
	}
	return s
}

// destroyed says what a destroy did.
func (c *cli) destroyed(kind, id string) error {
	_, err := c.stdout.Write([]byte(kind + " " + id + " destroyed\n"))
	return err
}

// lister is a collection's "list": fetch with list (a Provider method
// expression such as (*deltacloud.Provider).Keys) and print.
func lister[T any](c *cli, short string, list func(*deltacloud.Provider, context.Context) ([]T, error), print func([]T, bool) error) *cobra.Command {
	return c.listCommand(short, func(ctx context.Context, p *deltacloud.Provider) error {
		xs, err := list(p, ctx)
		if err != nil {
			return err
		}
		return print(xs, false)
	})
}

// shower is a collection's "show ID": get and print one.
func shower[T any](c *cli, use, short string, get func(*deltacloud.Provider, context.Context, string) (*T, error), print func([]T, bool) error) *cobra.Command {
	return c.idCommand(use, short, func(ctx context.Context, p *deltacloud.Provider, id string) error {
		x, err := get(p, ctx, id)
		if err != nil {
			return err
		}
		return print([]T{*x}, true)
	})
}

// destroyer is a collection's "destroy ID".
func (c *cli) destroyer(kind, use, short string, destroy func(*deltacloud.Provider, context.Context, string) error) *cobra.Command {
	return c.idCommand(use, short, func(ctx context.Context, p *deltacloud.Provider, id string) error {
		if err := destroy(p, ctx, id); err != nil {
			return err
		}
		return c.destroyed(kind, id)
	})
}
