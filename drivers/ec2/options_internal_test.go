package ec2

import (
	"strings"
	"testing"
)

// TestOptionDocsAreTheOptions: every documented option is one Open knows,
// and an undocumented one is refused with the documented list.
func TestOptionDocsAreTheOptions(t *testing.T) {
	for _, o := range OptionDocs() {
		_, err := parseOptions(map[string]string{o.Name: ""})
		if err != nil && strings.Contains(err.Error(), "unknown option") {
			t.Errorf("documented option %s: %v", o.Name, err)
		}
		if o.Usage == "" {
			t.Errorf("option %s has no usage", o.Name)
		}
	}
	_, err := parseOptions(map[string]string{"endpont": "x"})
	if err == nil || !strings.Contains(err.Error(), optionNames()) {
		t.Errorf("unknown option: %v, want the documented list", err)
	}
}
