package digitalocean

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// errNoToken is why a provider without a token sends nothing.
var errNoToken = errors.New("digitalocean: no API token given, and this provider may not use the host's (Config.NoAmbientCredentials)")

// Bounds on what the API may send back.
const (
	maxErrorBody    = 64 << 10
	maxResponseBody = 64 << 20
)

// errorIDHeader carries the "id" of an error body to the driver's error
// mapping, since godo keeps only the message.
const errorIDHeader = "X-Deltacloud-Error-Id"

// tokenTransport adds the API token to every request as a bearer token, or
// refuses to send anything when there is none. It bounds response bodies
// and reads the error id of error answers.
type tokenTransport struct {
	token string
	next  http.RoundTripper
}

func (t *tokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.token == "" {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, errNoToken
	}
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+t.token)
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
		var e struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(body, &e) == nil && plainName(e.ID, 64) {
			resp.Header.Set(errorIDHeader, e.ID)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	}
	resp.Body = &limitedBody{r: io.LimitReader(resp.Body, maxResponseBody+1), c: resp.Body}
	return resp, nil
}

// String hides the token.
func (t *tokenTransport) String() string { return "digitalocean token transport (token hidden)" }

// limitedBody fails a response body longer than maxResponseBody.
type limitedBody struct {
	r io.Reader
	c io.Closer
	n int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > maxResponseBody {
		return 0, fmt.Errorf("digitalocean: response body exceeds %d MiB", maxResponseBody>>20)
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.c.Close() }
