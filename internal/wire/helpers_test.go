package wire_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/internal/golden"
)

// base is the base URL the goldens were captured under.
const base = "http://127.0.0.1:3001/api"

// goldenFile reads the original server's recorded response name and
// returns its body.
func goldenFile(tb testing.TB, name string) []byte {
	tb.Helper()
	g, err := golden.Original(name)
	if err != nil {
		tb.Fatal(err)
	}
	return g.Body
}

// node is an XML element reduced for structural comparison.
type node = golden.Node

// xmlTree parses data into a node tree.
func xmlTree(tb testing.TB, data []byte) *node {
	tb.Helper()
	n, err := golden.ParseXML(data)
	if err != nil {
		tb.Fatalf("parsing XML: %v\n%s", err, data)
	}
	return n
}

// jsonValue decodes data into a generic value.
func jsonValue(tb testing.TB, data []byte) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatalf("parsing JSON: %v\n%s", err, data)
	}
	return v
}

// openMock opens a fresh mock cloud (each Open is isolated).
func openMock(tb testing.TB) *deltacloud.Provider {
	tb.Helper()
	p, err := deltacloud.Open(context.Background(), "mock", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password},
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

// must(f())(t) returns f's value, failing the test on f's error.
func must[T any](v T, err error) func(testing.TB) T {
	return func(tb testing.TB) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

// newOf returns a pointer to a new zero value of v's type.
func newOf(v any) any { return reflect.New(reflect.TypeOf(v)).Interface() }

// deref returns the value p points to.
func deref(p any) any { return reflect.ValueOf(p).Elem().Interface() }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// encodeConcurrently encodes every named value from 8 goroutines, 20 times
// each, and checks the output against want, so the race detector sees the
// pooled writers shared between goroutines.
func encodeConcurrently(t *testing.T, want map[string][]byte, encode func(name string, buf *bytes.Buffer) error) {
	t.Helper()
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 20 {
				for name := range want {
					var buf bytes.Buffer
					if err := encode(name, &buf); err != nil || !bytes.Equal(buf.Bytes(), want[name]) {
						errs <- fmt.Errorf("%s: %v, output differs", name, err)
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
