package main

import (
	"context"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// driversCommand lists the drivers compiled in.
func (c *cli) driversCommand() *cobra.Command {
	return &cobra.Command{
		Use: "drivers", Short: "The drivers compiled into this command, with their providers",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pr, err := c.printer()
			if err != nil {
				return err
			}
			t := table{header: []string{"DRIVER", "NAME", "PROVIDERS"}}
			infos := deltacloud.Drivers()
			for _, d := range infos {
				ids := make([]string, len(d.Providers))
				for i, p := range d.Providers {
					ids[i] = p.ID
				}
				t.add(d.Name, d.Description, strings.Join(ids, ","))
			}
			return pr.print(t, wire.NewDriversJSON("", infos))
		},
	}
}

// featureJSON is a feature in -o json: the REST names of what it adds.
type featureJSON struct {
	Name        string            `json:"name"`
	Collection  string            `json:"collection"`
	Operation   string            `json:"operation"`
	Params      []string          `json:"params"`
	Constraints map[string]string `json:"constraints,omitempty"`
}

// featuresCommand shows what the cloud can do: its collections and the
// features each operation has.
func (c *cli) featuresCommand() *cobra.Command {
	return &cobra.Command{
		Use: "features", Short: "The collections and features the cloud serves",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				pr, _ := c.printer()
				t := table{header: []string{"COLLECTION", "FEATURE", "OPERATION", "PARAMS"}}
				doc := struct {
					Driver      string        `json:"driver"`
					Collections []string      `json:"collections"`
					Features    []featureJSON `json:"features"`
				}{Driver: p.Driver(), Collections: []string{}, Features: []featureJSON{}}
				for _, col := range p.Collections() {
					doc.Collections = append(doc.Collections, string(col))
				}
				for _, f := range p.Features() {
					t.add(string(f.Collection), string(f.Name), string(f.Operation), strings.Join(f.Params, ","))
					doc.Features = append(doc.Features, featureJSON{Name: string(f.Name), Collection: string(f.Collection),
						Operation: string(f.Operation), Params: slices.Clone(f.Params), Constraints: f.Constraints})
				}
				for _, col := range doc.Collections {
					if !slices.ContainsFunc(t.rows, func(r []string) bool { return r[0] == col }) {
						t.add(col, "", "", "")
					}
				}
				return pr.print(t, doc)
			})
		},
	}
}

// statesCommand shows the cloud's instance lifecycle, as a table, the REST
// API's instance_states document, or Graphviz with --dot.
func (c *cli) statesCommand() *cobra.Command {
	var dot bool
	cmd := &cobra.Command{
		Use: "states", Short: "The instance lifecycle: states, and the actions or cloud moves between them",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				m := p.Lifecycle()
				if dot {
					_, err := io.WriteString(c.stdout, wire.Graphviz(m))
					return err
				}
				pr, _ := c.printer()
				t := table{header: []string{"FROM", "TO", "BY"}}
				for _, tr := range m.Transitions() {
					by := string(tr.Action)
					if tr.Auto {
						by = "(cloud)"
					}
					t.add(tr.From.MachineName(), tr.To.MachineName(), by)
				}
				return pr.print(t, wire.NewStates(m).JSON())
			})
		},
	}
	cmd.Flags().BoolVar(&dot, "dot", false, "print a Graphviz digraph (dot -Tsvg)")
	return cmd
}
