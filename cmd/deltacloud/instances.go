package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// maxUserData bounds --user-data files (EC2's limit; others are smaller).
const maxUserData = 16 << 10

func (c *cli) instancesCommand() *cobra.Command {
	var f deltacloud.InstanceFilter
	var state string
	list := &cobra.Command{
		Use: "list", Short: "List your instances", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.State = deltacloud.State("")
			if state != "" {
				f.State = deltacloud.ParseState(state)
			}
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				ins, err := p.Instances(ctx, f)
				if err != nil {
					return err
				}
				return c.printInstances(p, ins, false)
			})
		},
	}
	list.Flags().StringVar(&state, "state", "", "only instances in this state (running, stopped, …)")
	list.Flags().StringVar(&f.Realm, "realm", "", "only instances in this realm")
	list.Flags().StringVar(&f.Owner, "owner", "", "only instances of this owner")
	show := &cobra.Command{
		Use: "show INSTANCE", Short: "Show one instance and the actions it allows now", Args: exactArgs("INSTANCE"),
		ValidArgsFunction: c.completeInstances,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				in, err := p.Instance(ctx, args[0])
				if err != nil {
					return err
				}
				return c.printInstances(p, []deltacloud.Instance{*in}, true)
			})
		},
	}
	cmd := collectionCommand("instances", "Instances: virtual machines", []string{"instance"}, list, show, c.createCommand())
	for _, a := range []struct {
		action deltacloud.Action
		target deltacloud.State
		short  string
	}{
		{deltacloud.ActionStart, deltacloud.StateRunning, "Start a stopped instance"},
		{deltacloud.ActionStop, deltacloud.StateStopped, "Stop a running instance"},
		{deltacloud.ActionReboot, deltacloud.StateRunning, "Reboot a running instance"},
		{deltacloud.ActionSuspend, "", "Suspend or pause a running instance (where the cloud's lifecycle has it)"},
		{deltacloud.ActionResume, deltacloud.StateRunning, "Resume a suspended or paused instance"},
		{deltacloud.ActionDestroy, deltacloud.StateFinish, "Destroy an instance"},
	} {
		cmd.AddCommand(c.actionCommand(a.action, a.target, a.short))
	}
	return cmd
}

// actionCommand performs one action; with --wait it waits for the state
// the action leads to (target, or the lifecycle's answer when empty).
func (c *cli) actionCommand(a deltacloud.Action, target deltacloud.State, short string) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use: string(a) + " INSTANCE", Short: short, Args: exactArgs("INSTANCE"),
		ValidArgsFunction: c.completeInstances,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				before, err := p.Instance(ctx, args[0])
				if err != nil {
					return err
				}
				in, err := p.Do(ctx, args[0], a)
				if err != nil {
					return err
				}
				if wait {
					goal := target
					if next, ok := p.Lifecycle().Next(before.State, a); goal == "" && ok {
						goal = settled(p.Lifecycle(), next)
					}
					if goal != "" {
						if in, err = c.wait(ctx, p, args[0], goal); err != nil {
							return err
						}
					}
				}
				if in == nil || a == deltacloud.ActionDestroy {
					fmt.Fprintf(c.stdout, "%s destroyed\n", args[0])
					return nil
				}
				return c.printInstances(p, []deltacloud.Instance{*in}, true)
			})
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the instance reaches the state the action leads to")
	return cmd
}

// settled follows the cloud's own moves from s (STOPPING → STOPPED) to the
// state an action finally leads to.
func settled(m *deltacloud.StateMachine, s deltacloud.State) deltacloud.State {
	for range 8 {
		ts := m.TransitionsFrom(s)
		if len(ts) != 1 || !ts[0].Auto {
			return s
		}
		s = ts[0].To
	}
	return s
}

// wait waits for target, showing each state on stderr: redrawn in place on
// a terminal, a line per change otherwise.
func (c *cli) wait(ctx context.Context, p *deltacloud.Provider, id string, target deltacloud.State) (*deltacloud.Instance, error) {
	start := time.Now()
	var last deltacloud.State
	progress := func(in *deltacloud.Instance) {
		switch {
		case c.terminal:
			fmt.Fprintf(c.stderr, "\r\033[K%s: %s, waiting for %s (%s)", id, in.State, target, time.Since(start).Round(time.Second))
		case in.State != last:
			fmt.Fprintf(c.stderr, "%s: %s\n", id, in.State)
		}
		last = in.State
	}
	in, err := p.WaitFor(ctx, id, target, deltacloud.WaitOptions{Progress: progress})
	if c.terminal {
		fmt.Fprint(c.stderr, "\r\033[K")
	}
	if err == nil && !c.terminal && last != target {
		fmt.Fprintf(c.stderr, "%s: %s\n", id, target)
	}
	return in, err
}

func (c *cli) createCommand() *cobra.Command {
	var (
		spec                       deltacloud.InstanceSpec
		cpu, memory, storage, arch string
		userData                   string
		tags                       []string
		wait                       bool
	)
	cmd := &cobra.Command{
		Use: "create", Short: "Launch one or more instances", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec.NameSet = cmd.Flags().Changed("name")
			spec.Properties = map[string]string{}
			for k, v := range map[string]string{deltacloud.PropertyCPU: cpu, deltacloud.PropertyMemory: memory,
				deltacloud.PropertyStorage: storage, deltacloud.PropertyArchitecture: arch} {
				if v != "" {
					spec.Properties[k] = v
				}
			}
			t, err := parseOptions(tags)
			if err != nil {
				return err
			}
			if len(t) > 0 {
				spec.Tags = t
			}
			if userData != "" {
				if spec.UserData, err = readBounded(c.stdin, userData, maxUserData); err != nil {
					return err
				}
			}
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				ins, err := p.CreateInstances(ctx, spec)
				if err != nil {
					return err
				}
				if wait {
					for i := range ins {
						in, err := c.wait(ctx, p, ins[i].ID, deltacloud.StateRunning)
						if err != nil {
							return err
						}
						ins[i] = *in
					}
				}
				return c.printInstances(p, ins, len(ins) == 1)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&spec.ImageID, "image", "", "image id (required)")
	fl.StringVar(&spec.ProfileID, "profile", "", "hardware profile id")
	fl.StringVar(&spec.RealmID, "realm", "", "realm id")
	fl.StringVar(&spec.Name, "name", "", "instance name")
	fl.StringVar(&cpu, "cpu", "", "cpu count, where the profile has a range or choice")
	fl.StringVar(&memory, "memory", "", "memory in MiB, where the profile has a range or choice")
	fl.StringVar(&storage, "storage", "", "storage in GB, where the profile has a range or choice")
	fl.StringVar(&arch, "architecture", "", "architecture, where the profile offers several")
	fl.StringVar(&spec.KeyName, "key", "", "key name to log in with")
	fl.StringVar(&userData, "user-data", "", "file with user data (- for standard input; at most 16 KiB)")
	fl.StringSliceVar(&spec.Firewalls, "firewall", nil, "firewall id (repeatable)")
	fl.IntVar(&spec.Count, "count", 0, "how many instances (where the cloud allows several)")
	fl.StringArrayVar(&tags, "tag", nil, "tag key=value (repeatable)")
	fl.StringVar(&spec.ClientToken, "client-token", "", "idempotency token: a retried create with it makes nothing twice")
	fl.BoolVar(&wait, "wait", false, "wait until the instances run")
	_ = cmd.MarkFlagRequired("image")
	return cmd
}

// readBounded reads path (or in for "-"), refusing more than limit bytes.
func readBounded(in io.Reader, path string, limit int64) ([]byte, error) {
	r := in
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usagef("%v", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, usagef("%s is larger than %d bytes", path, limit)
	}
	return data, nil
}

func (c *cli) printInstances(p *deltacloud.Provider, ins []deltacloud.Instance, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "NAME", "STATE", "IMAGE", "PROFILE", "REALM", "PUBLIC", "ACTIONS"}}
	for _, in := range ins {
		addrs := make([]string, len(in.PublicAddresses))
		for i, a := range in.PublicAddresses {
			addrs[i] = a.Value
		}
		acts := make([]string, len(in.Actions))
		for i, a := range in.Actions {
			acts[i] = string(a)
		}
		profile := in.Profile.ID
		for _, k := range slices.Sorted(maps.Keys(in.Profile.Overrides)) {
			profile += " " + k + "=" + in.Profile.Overrides[k]
		}
		t.add(in.ID, in.Name, string(in.State), in.ImageID, profile, in.RealmID, strings.Join(addrs, ","), strings.Join(acts, ","))
	}
	opts := wire.InstanceOptions{CreateImage: p.Supports(deltacloud.CapabilityCreateImage)}
	if one {
		return pr.print(t, wire.NewInstance("", ins[0], opts).ShowJSON())
	}
	return pr.print(t, wire.NewInstances("", ins, opts).JSON())
}

// completeInstances offers the cloud's instance ids for shell completion.
func (c *cli) completeInstances(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), 10*time.Second)
	defer cancel()
	p, err := c.open(ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
	}
	defer p.Close()
	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
	}
	var out []string
	for _, in := range ins {
		if strings.HasPrefix(in.ID, prefix) {
			out = append(out, in.ID+"\t"+string(in.State)+" "+in.Name)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
