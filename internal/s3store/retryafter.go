package s3store

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter bounds what ParseRetryAfter accepts, so a hostile or broken
// header cannot make a caller wait for days.
const maxRetryAfter = time.Hour

// ParseRetryAfter reads a Retry-After header value (RFC 9110 §10.2.3):
// delay-seconds or an HTTP date, relative to now. It reports false for an
// empty, malformed or negative value, or one over an hour.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || time.Duration(n)*time.Second > maxRetryAfter {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	if d > maxRetryAfter {
		return 0, false
	}
	return d, true
}
