package deltacloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// ResponseError is the HTTP answer behind an error the server returned. It
// is the Err of the *deltacloud.Error the driver returns, for callers who
// need the raw status.
type ResponseError struct {
	// Method and URL are the request's; the URL carries no credentials.
	Method, URL string
	// StatusCode is the HTTP status the server answered.
	StatusCode int
	// Expect is the capability a 412 answer says the server's driver lacks
	// (its Expect header), e.g. "firewalls".
	Expect string
}

// Error reads "GET http://…/api/instances/x: 404 Not Found".
func (e *ResponseError) Error() string {
	var b strings.Builder
	if e.Method != "" || e.URL != "" {
		b.WriteString(strings.TrimSpace(e.Method + " " + e.URL))
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.Expect != "" {
		b.WriteString(" (missing capability " + e.Expect + ")")
	}
	return b.String()
}

// maxMessage caps a message taken from a plain-text answer.
const maxMessage = 512

// responseError turns an unsuccessful answer into the root package's
// error: the code from the status, the
// server's message from its error document (XML or JSON) or its plain-text
// body (the 400 of a missing parameter and the 412 of a missing capability
// are plain text), and RetryAfter from a Retry-After header. It never fails:
// a body it cannot read gives the status's standard message.
func responseError(method, url string, status int, header http.Header, body []byte) *deltacloud.Error {
	re := &ResponseError{Method: method, URL: url, StatusCode: status, Expect: strings.TrimSpace(header.Get("Expect"))}
	e := &deltacloud.Error{Code: wire.CodeForStatus(status), Message: serverMessage(body), Err: re}
	switch {
	case status == http.StatusInternalServerError:
		e.Code = deltacloud.Backend
	case e.Code == deltacloud.CodeUnknown:
		// A 1xx, 2xx or 3xx where another answer was due.
		e.Code = deltacloud.Backend
		if e.Message == "" {
			e.Message = fmt.Sprintf("unexpected answer %d from the Deltacloud server", status)
		}
	}
	if e.Message == "" {
		e.Message = wire.StatusMessage(status)
	}
	if e.Message == "" {
		e.Message = e.Code.String()
	}
	if d, ok := retryAfter(header, time.Now()); ok && (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) {
		e.RetryAfter = d
	}
	return e
}

// serverMessage is the message of an error body: an XML error document's,
// a JSON error's, or plain text (which the original sends for 400 and 412,
// with a text/html content type). Markup that is no error document, such
// as a proxy's or Sinatra's HTML page, gives no message.
func serverMessage(body []byte) string {
	b := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	switch {
	case len(b) == 0:
		return ""
	case b[0] == '<':
		if doc, err := wire.DecodeError(b); err == nil {
			return cleanMessage(doc.Message.Text)
		}
		return ""
	case b[0] == '{':
		var j wire.ErrorJSON
		if json.Unmarshal(b, &j) == nil {
			return cleanMessage(j.Message)
		}
		return ""
	}
	return cleanMessage(string(b))
}

// cleanMessage makes server text safe to show: valid UTF-8, no control
// characters, runs of white space collapsed, at most maxMessage bytes.
func cleanMessage(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if len(s) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseUint(v, 10, 31); err == nil {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// decodeError is the error of a successful answer whose document cannot be
// read.
func decodeError(what string, err error) *deltacloud.Error {
	return &deltacloud.Error{Code: deltacloud.Backend,
		Message: fmt.Sprintf("the server's %s document cannot be read", what), Err: err}
}
