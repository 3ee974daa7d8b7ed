package wire_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// base is the base URL the goldens were captured under.
const base = "http://127.0.0.1:3001/api"

// goldenFile reads a captured response (testdata/golden, copied from
// /work/shared/spec/golden) and returns its body: everything after the
// CRLF-terminated headers.
func goldenFile(tb testing.TB, name string) []byte {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "golden", name+".txt"))
	if err != nil {
		tb.Fatal(err)
	}
	_, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		tb.Fatalf("%s: no header/body separator", name)
	}
	return body
}

// node is an XML element reduced to what the comparison cares about: name,
// attributes (sorted, so quoting and order do not matter), trimmed text and
// children in order.
type node struct {
	Name     string
	Attrs    []string
	Text     string
	Children []*node
}

// xmlTree parses data into a node tree.
func xmlTree(tb testing.TB, data []byte) *node {
	tb.Helper()
	n, err := parseTree(data)
	if err != nil {
		tb.Fatalf("parsing XML: %v\n%s", err, data)
	}
	return n
}

func parseTree(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []*node
	var root *node
	var texts []*strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{Name: t.Name.Local}
			for _, a := range t.Attr {
				n.Attrs = append(n.Attrs, a.Name.Local+"="+a.Value)
			}
			slices.Sort(n.Attrs)
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
			texts = append(texts, &strings.Builder{})
		case xml.CharData:
			if len(texts) > 0 {
				texts[len(texts)-1].Write(t)
			}
		case xml.EndElement:
			n := stack[len(stack)-1]
			n.Text = strings.TrimSpace(texts[len(texts)-1].String())
			stack, texts = stack[:len(stack)-1], texts[:len(texts)-1]
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
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
