// Package golden is test support shared by the packages that compare their
// documents with the original Apache Deltacloud server's recorded responses:
// it reads a recorded response and reduces XML documents to trees that
// compare structurally (attribute order, quoting and whitespace do not
// matter; names, nesting, order and values do).
package golden

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

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
