package wire

import (
	"fmt"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// Graphviz renders a state machine in the dot language, as the REST API's
// instance_states answers ?format=gv and the command-line tool's
// `states --dot` prints it: automatic transitions dashed, actions as edge
// labels.
func Graphviz(m *deltacloud.StateMachine) string {
	var b strings.Builder
	b.WriteString("digraph instance_states {\n  rankdir=LR;\n")
	for _, s := range m.States() {
		fmt.Fprintf(&b, "  %q;\n", s.MachineName())
	}
	for _, t := range m.Transitions() {
		if t.Auto {
			fmt.Fprintf(&b, "  %q -> %q [style=dashed, label=\"auto\"];\n", t.From.MachineName(), t.To.MachineName())
		} else {
			fmt.Fprintf(&b, "  %q -> %q [label=%q];\n", t.From.MachineName(), t.To.MachineName(), string(t.Action))
		}
	}
	b.WriteString("}\n")
	return b.String()
}
