// Package golden is test support shared by the packages that compare their
// documents with the original Apache Deltacloud server's recorded responses:
// it reads a recorded response and reduces XML documents to trees that
// compare structurally (attribute order, quoting and whitespace do not
// matter; names, nesting, order and values do).
package golden

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// original holds the original server's recorded responses: one copy for
// every package that compares with them.
//
//go:embed original/*.txt
var original embed.FS

// Original reads the original server's recorded response name (its file
// name without .txt).
func Original(name string) (Response, error) {
	raw, err := original.ReadFile("original/" + name + ".txt")
	if err != nil {
		return Response{}, err
	}
	return parse(name, raw)
}

// OriginalNames lists the recorded responses, sorted.
func OriginalNames() []string {
	files, _ := fs.Glob(original, "original/*.txt") // the pattern is valid
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(strings.TrimPrefix(f, "original/"), ".txt")
	}
	return names
}

// Response is one recorded response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Read reads dir/name.txt, a raw HTTP response as curl -i saved it (status
// line, CRLF-separated headers, blank line, body).
func Read(dir, name string) (Response, error) {
	raw, err := os.ReadFile(filepath.Join(dir, name+".txt"))
	if err != nil {
		return Response{}, err
	}
	return parse(name, raw)
}

// parse reads a raw HTTP response.
func parse(name string, raw []byte) (Response, error) {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		return Response{}, fmt.Errorf("golden %s: %w", name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, fmt.Errorf("golden %s: %w", name, err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}
