package main

import (
	"io"
	"net/http"
	"time"
)

// idleBodies bounds how long a request body may go without a byte: before
// each read of the body the connection's read deadline moves idle ahead.
// A whole-request ReadTimeout would cut off long blob uploads; this cuts off
// only stalled ones, such as a client trickling a byte every few seconds to
// hold a socket and a temporary file.
func idleBodies(next http.Handler, idle time.Duration) http.Handler {
	if idle <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == http.NoBody {
			// Nothing to wait for: a request without a body (most GETs)
			// costs no deadline.
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		// Headers are read; the body gets its first idle period now.
		if rc.SetReadDeadline(time.Now().Add(idle)) == nil {
			r.Body = &idleBody{ReadCloser: r.Body, rc: rc, idle: idle}
		}
		next.ServeHTTP(w, r)
	})
}

// idleBody renews the read deadline before every read.
type idleBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	idle time.Duration
}

func (b *idleBody) Read(p []byte) (int, error) {
	b.rc.SetReadDeadline(time.Now().Add(b.idle))
	return b.ReadCloser.Read(p)
}
