package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// startServer runs the server with args on a free port until the test ends
// and returns its address.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var logs bytes.Buffer
	args = append([]string{"-r", "127.0.0.1", "-p", "0", "-storage", t.TempDir()}, args...)
	go func() { done <- run(ctx, args, &logs, ready) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case addr := <-ready:
		return addr
	case code := <-done:
		t.Fatalf("server exited with %d before listening:\n%s", code, logs.String())
	}
	return ""
}

// upload sends a raw blob PUT announcing size bytes, writes send of them,
// chunk bytes every gap, and returns the response's status, or an error
// when the server hung up.
func upload(t *testing.T, addr string, size, send, chunk int, gap time.Duration) (int, error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT /api/buckets/bucket1/trickle HTTP/1.1\r\nHost: %s\r\nAuthorization: Basic bW9ja3VzZXI6bW9ja3Bhc3N3b3Jk\r\n"+
		"Content-Type: text/plain\r\nContent-Length: %d\r\nAccept: application/xml\r\n\r\n", addr, size)
	for sent := 0; sent < send; sent += chunk {
		if _, err := conn.Write(bytes.Repeat([]byte("x"), min(chunk, send-sent))); err != nil {
			break // the server hung up
		}
		time.Sleep(gap)
	}
	// Whatever happens, the test ends: nothing here waits without bound.
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// TestBodyIdleTimeout: an upload that stalls longer than -body-idle-timeout
// loses its connection instead of holding it (and a temporary file) for
// ever, while a slow upload that keeps sending, for longer in all than the
// idle bound, completes.
func TestBodyIdleTimeout(t *testing.T) {
	// The bound is fifty times the slow upload's gap, so a busy machine's
	// scheduling delays cannot make a live upload look stalled.
	addr := startServer(t, "-body-idle-timeout", "5s")

	// 70 bytes, 1 per 100 ms: 7 s in all, longer than the bound, but never
	// idle for long.
	if status, err := upload(t, addr, 70, 70, 1, 100*time.Millisecond); err != nil || status != http.StatusOK {
		t.Errorf("slow upload: status %d, err %v; want 200", status, err)
	}
	// 2 of 100 bytes, then silence: the server must hang up, with no 2xx.
	status, err := upload(t, addr, 100, 2, 2, 0)
	if err == nil && status < 300 {
		t.Errorf("stalled upload answered %d; want the connection dropped", status)
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Errorf("the server held a stalled upload for 30 s: %v", err)
	}
}

// TestRootSendsAPIClientsToAPI: an XML or JSON client pointed at the server
// root is redirected to /api instead of getting the HTML front page.
func TestRootSendsAPIClientsToAPI(t *testing.T) {
	addr := startServer(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		accept, query string
		redirect      bool
	}{
		{"application/xml", "", true},
		{"application/json", "", true},
		{"", "?format=xml", true},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "", false},
		{"*/*", "", false},
		{"", "", false},
	} {
		req, _ := http.NewRequest("GET", "http://"+addr+"/"+c.query, nil)
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.StatusCode == http.StatusMovedPermanently && resp.Header.Get("Location") == "/api"
		if got != c.redirect {
			t.Errorf("GET /%s Accept %q: %d Location %q; redirect to /api wanted: %v",
				c.query, c.accept, resp.StatusCode, resp.Header.Get("Location"), c.redirect)
		}
	}
}

// TestDriverOptionFlag: -o sets a driver option, so the mock's firewalls
// can be served over REST.
func TestDriverOptionFlag(t *testing.T) {
	for _, c := range []struct {
		args   []string
		status int
	}{
		{nil, http.StatusPreconditionFailed},
		{[]string{"-o", "firewalls=true"}, http.StatusOK},
		{[]string{"-o", "mock.firewalls=true"}, http.StatusOK},
	} {
		addr := startServer(t, c.args...)
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/firewalls?format=xml", nil)
		req.SetBasicAuth("mockuser", "mockpassword")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%q: GET firewalls = %d, want %d", c.args, resp.StatusCode, c.status)
		}
	}
	var out bytes.Buffer
	if code := run(t.Context(), []string{"-o", "nonsense"}, &out, nil); code != 2 {
		t.Errorf("-o nonsense exit %d, want 2", code)
	}
}
