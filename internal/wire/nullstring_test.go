package wire_test

import (
	"encoding/json"
	"testing"

	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// TestNullString: the members the original writes as null when unset
// (a key's username/password, a volume's description/device/kind, an
// image's description) encode empty as null and read null back as empty, so a
// Ruby client never sees a present "" where it tests for nil.
func TestNullString(t *testing.T) {
	for _, tt := range []struct {
		in   wire.NullString
		want string
	}{{"", "null"}, {"x", `"x"`}} {
		b, err := json.Marshal(tt.in)
		if err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%q) = %s, %v; want %s", tt.in, b, err, tt.want)
		}
	}
	var k wire.KeyJSON
	if err := json.Unmarshal([]byte(`{"id":"k","username":null,"password":"p","state":null}`), &k); err != nil {
		t.Fatal(err)
	}
	if k.Username != "" || k.Password != "p" || k.State != "" {
		t.Errorf("decoded %+v", k)
	}
	if err := json.Unmarshal([]byte(`{"username":1}`), &k); err == nil {
		t.Error("a number as username decoded")
	}
	b, err := json.Marshal(wire.KeyJSON{ID: "k", CredentialType: "key"})
	if want := `{"id":"k","href":"","credential_type":"key","username":null,"password":null,"state":null}`; err != nil || string(b) != want {
		t.Errorf("key JSON %s, %v; want %s", b, err, want)
	}
}
