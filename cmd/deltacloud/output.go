package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"go.yaml.in/yaml/v3"
)

// printer writes one result: a table for people, the REST API's JSON
// document (or the same as YAML) for scripts.
type printer struct {
	format string
	w      io.Writer
}

// printer is the printer of --output, or a usage error.
func (c *cli) printer() (*printer, error) {
	switch c.output {
	case "table", "json", "yaml":
		return &printer{format: c.output, w: c.stdout}, nil
	}
	return nil, usagef("--output %q: want table, json or yaml", c.output)
}

// table is rows under a header.
type table struct {
	header []string
	rows   [][]string
}

// add appends a row.
func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// print writes t in table format and doc (a JSON-encodable document) in
// the others.
func (p *printer) print(t table, doc any) error {
	switch p.format {
	case "json":
		enc := json.NewEncoder(p.w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(doc)
	case "yaml":
		return writeYAML(p.w, doc)
	}
	tw := tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.header, "\t"))
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(clean(r), "\t"))
	}
	return tw.Flush()
}

// clean keeps a cloud's strings from breaking the table: tabs and line
// breaks become spaces, and an empty cell shows as "-".
func clean(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		c = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return ' '
			}
			return r
		}, c)
		if c == "" {
			c = "-"
		}
		out[i] = c
	}
	return out
}

// writeYAML writes doc's JSON form as block YAML, keeping the JSON's field
// order and its types (a string that looks like a number stays quoted).
func writeYAML(w io.Writer, doc any) error {
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return err
	}
	blockStyle(&n)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// blockStyle turns the flow style JSON parses into YAML's block style.
func blockStyle(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle | yaml.DoubleQuotedStyle
	for _, c := range n.Content {
		blockStyle(c)
	}
}
