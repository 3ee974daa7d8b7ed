package vsphere

import (
	"errors"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

func FuzzParseOptions(f *testing.F) {
	for _, kv := range [][2]string{{"stop", "guest"}, {"shutdown_timeout", "30s"}, {"max_user_data", "100"},
		{"profiles", "a=1:4"}, {"insecure", "true"}, {"owner", "x"}, {"colour", "blue"}} {
		f.Add(kv[0], kv[1])
	}
	f.Fuzz(func(t *testing.T, k, v string) {
		o, err := parseOptions(map[string]string{k: v})
		if err != nil {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Fatalf("parseOptions(%q=%q) = %v, want ErrInvalidArgument", k, v, err)
			}
			return
		}
		if o.owner == "" || o.shutdownTimeout < 0 || o.maxUserData < 0 || o.maxUserData > maxUserDataLimit {
			t.Fatalf("parseOptions(%q=%q) = %+v", k, v, o)
		}
	})
}
