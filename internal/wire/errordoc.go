package wire

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/deltacloud-go/deltacloud"
)

// ErrorDoc is the error document. It is a document, not a Go
// error; Model converts it into a *deltacloud.Error.
//
//	<error status='404' url='/api/instances/foo'>
//	  <backend driver='mock' provider='default'></backend>
//	  <code>404</code>
//	  <message><![CDATA[Not Found]]></message>
//	  <backtrace><![CDATA[]]></backtrace>
//	  <request><param name='id'><![CDATA["foo"]]></param></request>
//	</error>
type ErrorDoc struct {
	XMLName   struct{}   `xml:"error"`
	Status    int        `xml:"status,attr"`
	URL       string     `xml:"url,attr"`
	Backend   ErrBackend `xml:"backend"`
	Code      int        `xml:"code"`
	Message   CDATA      `xml:"message"`
	Backtrace Section    `xml:"backtrace"`
	Request   ErrRequest `xml:"request"`
}

// Declared reports that the error document has an XML declaration.
func (ErrorDoc) Declared() bool { return true }

// ErrBackend names the driver and provider that served the failed request.
type ErrBackend struct {
	Driver   string `xml:"driver,attr"`
	Provider string `xml:"provider,attr"`
}

// ErrRequest lists the failed request's parameters.
type ErrRequest struct {
	Params []ErrParam `xml:"param"`
}

// ErrParam is one request parameter, its value as a Ruby inspect string
// (`"foo"`), as the original shows it.
type ErrParam struct {
	Name  string `xml:"name,attr"`
	Value string `xml:",cdata"`
}

// RequestParam is a request parameter as the handler received it.
type RequestParam struct {
	Name, Value string
}

// ErrorInfo is what an error document reports.
type ErrorInfo struct {
	// Status is the HTTP status (deltacloud.Code.HTTPStatus).
	Status int
	// URL is the request path without matrix parameters or query string.
	URL string
	// Driver and Provider served the request; an empty provider is shown as
	// "default".
	Driver, Provider string
	// Message is shown as given; it must not hold credentials.
	Message string
	// Backtrace is the server-side stack, if the server chooses to show one.
	Backtrace string
	// Params are the request parameters. Values of sensitive parameters
	// (see Sensitive) are replaced by "[FILTERED]".
	Params []RequestParam
}

// Filtered replaces the value of a sensitive request parameter in an error
// document.
const Filtered = "[FILTERED]"

// Sensitive reports whether a request parameter may hold a secret or user
// data, so that an error document must not echo its value: passwords,
// secrets, private keys, tokens and the user_data/user_files/user_iso
// payloads. Basic-auth credentials never reach the parameters at all.
func Sensitive(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"password", "secret", "private_key", "token", "credential"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	switch n {
	case "user_data", "user_files", "user_iso":
		return true
	}
	return false
}

// NewErrorDoc builds the error document; the code element repeats the
// status.
func NewErrorDoc(info ErrorInfo) ErrorDoc {
	d := ErrorDoc{
		Status:    info.Status,
		URL:       info.URL,
		Backend:   ErrBackend{Driver: info.Driver, Provider: info.Provider},
		Code:      info.Status,
		Message:   CDATA{Text: info.Message},
		Backtrace: Section{Text: info.Backtrace},
	}
	if d.Backend.Provider == "" {
		d.Backend.Provider = DefaultProvider
	}
	for _, p := range info.Params {
		v := p.Value
		if Sensitive(p.Name) {
			v = Filtered
		}
		d.Request.Params = append(d.Request.Params, ErrParam{Name: p.Name, Value: RubyInspect(v)})
	}
	return d
}

// DecodeError reads an error document.
func DecodeError(data []byte) (*ErrorDoc, error) { return decode[ErrorDoc](data) }

// StatusCode is the document's HTTP status: the status attribute, or the
// code element when the attribute is missing.
func (d *ErrorDoc) StatusCode() int {
	if d.Status != 0 {
		return d.Status
	}
	return d.Code
}

// Model converts the document into the model's error: the code from the
// status (CodeForStatus) and the message as sent.
func (d *ErrorDoc) Model() *deltacloud.Error {
	return &deltacloud.Error{Code: CodeForStatus(d.StatusCode()), Message: text(d.Message.Text)}
}

// CodeForStatus classifies an HTTP status of a Deltacloud server:
// the inverse of deltacloud.Code.HTTPStatus, plus the statuses only the
// original uses (406 → InvalidArgument, 412 missing capability →
// NotSupported, 500 → Backend). Other 4xx are InvalidArgument, other 5xx
// Backend, anything else CodeUnknown.
func CodeForStatus(status int) deltacloud.Code {
	switch status {
	case http.StatusBadRequest, http.StatusNotAcceptable:
		return deltacloud.InvalidArgument
	case http.StatusUnauthorized:
		return deltacloud.AuthFailure
	case http.StatusForbidden:
		return deltacloud.Forbidden
	case http.StatusNotFound:
		return deltacloud.NotFound
	case http.StatusMethodNotAllowed:
		return deltacloud.InvalidState
	case http.StatusConflict:
		return deltacloud.Conflict
	case http.StatusPreconditionFailed, http.StatusNotImplemented:
		return deltacloud.NotSupported
	case http.StatusTooManyRequests:
		return deltacloud.RateLimited
	case http.StatusServiceUnavailable:
		return deltacloud.Unavailable
	case http.StatusGatewayTimeout:
		return deltacloud.Timeout
	}
	switch {
	case status >= 400 && status < 500:
		return deltacloud.InvalidArgument
	case status >= 500 && status < 600:
		return deltacloud.Backend
	}
	return deltacloud.CodeUnknown
}

// StatusMessage is the original's default message for a status
// (translate_error_code), e.g. "Not Found", for errors that carry none.
func StatusMessage(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Bad Request"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusForbidden:
		return "Forbidden"
	case http.StatusNotFound:
		return "Not Found"
	case http.StatusMethodNotAllowed:
		return "Method Not Allowed"
	case http.StatusNotAcceptable:
		return "Not Acceptable"
	case http.StatusConflict:
		return "Resource Conflict"
	case http.StatusInternalServerError:
		return "Internal Server Error"
	case http.StatusNotImplemented:
		return "Not Supported"
	case http.StatusBadGateway:
		return "Backend Server Error"
	case http.StatusGatewayTimeout:
		return "Gateway Timeout"
	}
	return http.StatusText(status)
}

// ExceptionClass is the Ruby exception class the original names in the JSON
// error for a status, e.g. "Deltacloud::Exceptions::ObjectNotFound".
// Statuses the original never produces (429, 503, …) get BackendError, its
// class for anything unmapped.
func ExceptionClass(status int) string {
	name := "BackendError"
	switch status {
	case http.StatusAccepted:
		name = "AcceptedButNotCompletedError"
	case http.StatusBadRequest:
		name = "ValidationFailure"
	case http.StatusUnauthorized:
		name = "AuthenticationFailure"
	case http.StatusForbidden:
		name = "ForbiddenError"
	case http.StatusNotFound:
		name = "ObjectNotFound"
	case http.StatusMethodNotAllowed:
		name = "MethodNotAllowed"
	case http.StatusNotAcceptable:
		name = "UnknownMediaTypeError"
	case http.StatusConflict:
		name = "Conflict"
	case http.StatusNotImplemented:
		name = "NotSupported"
	case http.StatusBadGateway:
		name = "ProviderError"
	case http.StatusGatewayTimeout:
		name = "ProviderTimeout"
	}
	return "Deltacloud::Exceptions::" + name
}

// ErrorJSON is the error's JSON form:
// {"code":404,"message":"Not Found","error":"Deltacloud::Exceptions::ObjectNotFound"}.
type ErrorJSON struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Error   string `json:"error"`
}

// JSON returns the error's JSON form.
func (d ErrorDoc) JSON() ErrorJSON {
	status := d.StatusCode()
	return ErrorJSON{Code: status, Message: d.Message.Text, Error: ExceptionClass(status)}
}

// Model converts the JSON form into the model's error.
func (j ErrorJSON) Model() *deltacloud.Error {
	return &deltacloud.Error{Code: CodeForStatus(j.Code), Message: text(j.Message)}
}

// RubyInspect quotes s as Ruby's String#inspect does, which is how the
// original shows request parameters: `"foo"`, with \", \\, \n, \e, \#{ and
// \uXXXX escapes.
func RubyInspect(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, "\\x%02X", s[i])
			i++
			continue
		}
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\f':
			b.WriteString(`\f`)
		case '\v':
			b.WriteString(`\v`)
		case '\b':
			b.WriteString(`\b`)
		case '\a':
			b.WriteString(`\a`)
		case 0x1b:
			b.WriteString(`\e`)
		case '#':
			if n := s[i+size:]; strings.HasPrefix(n, "{") || strings.HasPrefix(n, "$") || strings.HasPrefix(n, "@") {
				b.WriteByte('\\')
			}
			b.WriteByte('#')
		default:
			switch {
			case unicode.IsPrint(r):
				b.WriteRune(r)
			case r > 0xFFFF:
				fmt.Fprintf(&b, "\\u{%X}", r)
			default:
				fmt.Fprintf(&b, "\\u%04X", r)
			}
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}
