// Command loadgen is the client of the load tests: it sends one GET over a
// few keep-alive HTTP/1.1 connections as fast as the server answers, one
// request in flight per connection, and prints what it measured as one
// JSON object on stdout. It speaks HTTP on the raw connection (a request
// written once, responses read by Content-Length) so that the client's own
// cost stays small beside the server's, as with wrk.
//
//	loadgen -addr 127.0.0.1:3001 -path '/api/instances?format=xml' -user mockuser -password mockpassword -conns 4 -n 40000
//
// Every response must be 200 with the same body length as the first;
// anything else stops the run with an error (exit status 1).
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what loadgen prints.
type Result struct {
	Requests int64   `json:"requests"`
	Seconds  float64 `json:"seconds"`
	Bytes    int64   `json:"bytes"` // body bytes read
	BodyLen  int64   `json:"body_len"`
}

// maxHeader bounds a response's header block.
const maxHeader = 64 << 10

func main() {
	addr := flag.String("addr", "", "server address host:port")
	path := flag.String("path", "/", "request path with query")
	user := flag.String("user", "", "HTTP Basic user")
	password := flag.String("password", "", "HTTP Basic password")
	conns := flag.Int("conns", 4, "keep-alive connections (1-64)")
	n := flag.Int64("n", 10000, "requests in all")
	flag.Parse()
	if *addr == "" || *conns < 1 || *conns > 64 || *n < 1 {
		fmt.Fprintln(os.Stderr, "loadgen: need -addr, -conns 1..64 and -n ≥ 1")
		os.Exit(2)
	}
	var req bytes.Buffer
	fmt.Fprintf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: loadgen\r\n", *path, *addr)
	if *user != "" || *password != "" {
		fmt.Fprintf(&req, "Authorization: Basic %s\r\n", base64.StdEncoding.EncodeToString([]byte(*user+":"+*password)))
	}
	req.WriteString("\r\n")
	res, err := run(*addr, req.Bytes(), *conns, *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(res)
}

// run opens conns connections and shares n requests among them.
func run(addr string, req []byte, conns int, n int64) (Result, error) {
	cs := make([]net.Conn, conns)
	for i := range cs {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return Result{}, err
		}
		defer c.Close()
		cs[i] = c
	}
	var (
		left     atomic.Int64
		bodyLen  atomic.Int64
		bytesIn  atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	left.Store(n)
	bodyLen.Store(-1)
	start := time.Now()
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			br := bufio.NewReaderSize(c, 32<<10)
			for left.Add(-1) >= 0 {
				if _, err := c.Write(req); err != nil {
					errOnce.Do(func() { firstErr = err })
					left.Store(0)
					return
				}
				size, err := readResponse(br)
				if err == nil && !bodyLen.CompareAndSwap(-1, size) && bodyLen.Load() != size {
					err = fmt.Errorf("body of %d bytes, the first was %d", size, bodyLen.Load())
				}
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					left.Store(0)
					return
				}
				bytesIn.Add(size)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return Result{}, firstErr
	}
	return Result{Requests: n, Seconds: elapsed.Seconds(), Bytes: bytesIn.Load(), BodyLen: bodyLen.Load()}, nil
}

// readResponse reads one response, which must be 200 with a Content-Length
// (the servers under test never chunk a listing), and returns its body
// length.
func readResponse(br *bufio.Reader) (int64, error) {
	status, err := br.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if !bytes.HasPrefix(status, []byte("HTTP/1.1 200 ")) {
		return 0, fmt.Errorf("status line %q, want 200", bytes.TrimSpace(status))
	}
	length, read := int64(-1), len(status)
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if read += len(line); read > maxHeader {
			return 0, errors.New("response header too large")
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && bytes.EqualFold(k, []byte("Content-Length")) {
			if length, err = strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64); err != nil || length < 0 {
				return 0, fmt.Errorf("Content-Length %q", v)
			}
		}
	}
	if length < 0 {
		return 0, errors.New("response without Content-Length")
	}
	if _, err := br.Discard(int(length)); err != nil {
		return 0, fmt.Errorf("body: %w", err)
	}
	return length, nil
}
