// Command bare is the baseline of the load tests: a plain net/http server
// that answers every request with one recorded response (status, headers
// and body, read from a file in HTTP/1.1 wire form), doing nothing else.
// What a handler costs beyond writing its bytes is the difference between
// it and this server under the same load.
//
//	bare -addr 127.0.0.1:0 -response resp.http
//
// It prints "listening <addr>" on stdout once it accepts connections and
// serves until killed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
)

// maxResponse bounds the recorded response: the load tests serve listings
// of a few kilobytes.
const maxResponse = 16 << 20

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	file := flag.String("response", "", "file holding the response to serve, in HTTP/1.1 wire form")
	flag.Parse()
	if err := run(*addr, *file); err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
}

func run(addr, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	resp, err := http.ReadResponse(bufio.NewReader(io.LimitReader(f, maxResponse)), nil)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	body, err := io.ReadAll(resp.Body)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	header := resp.Header.Clone()
	header.Del("Date") // net/http writes its own, as for any server
	header.Set("Content-Length", strconv.Itoa(len(body)))
	status := resp.StatusCode
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dst := w.Header()
		for k, v := range header {
			dst[k] = v
		}
		w.WriteHeader(status)
		w.Write(body)
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening %s\n", ln.Addr())
	return http.Serve(ln, h)
}
