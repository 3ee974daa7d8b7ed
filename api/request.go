package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// request is one request on its way through the pipeline.
type request struct {
	h     *Handler
	w     http.ResponseWriter
	r     *http.Request
	start time.Time

	driver, provider string
	base             string // {B}: scheme://host/api
	// segs are the path's clean segments (see cleanPath), split once the
	// request got that far; segBuf holds them for the usual short paths.
	segs   []string
	split  bool
	segBuf [6]string
	// runtimeHeader holds the X-Backend-Runtime value.
	runtimeHeader [1]string
	params        url.Values
	query         url.Values // the URL's query, parsed once
	format        format
	op            *operation
	id            string
	// sub is the second id of the route (a blob's or a rule's), if any.
	sub string
	// streaming is set when the request body was left unread for the
	// operation to stream (blob uploads); params hold the query only.
	streaming bool

	creds deltacloud.Credentials
	// hasCreds: the request may act on the cloud — it carried non-empty
	// credentials, or the operator supplied them or allowed the host's.
	hasCreds bool
	// credsRead: credentials() has run; the header is parsed once.
	credsRead bool
	prov      *deltacloud.Provider
	memo      *renderMemo // of prov's cache entry; nil without one
	lease     lease       // the hold on prov, given back when the request ends
	wrote     bool
}

// cleanPath is the request's path without matrix parameters, for logs and
// error documents; empty before the path was split.
func (q *request) cleanPath() string {
	if !q.split {
		return ""
	}
	return "/" + strings.Join(q.segs, "/")
}

func (q *request) serve() {
	if q.r.Host == "" {
		q.plain(http.StatusBadRequest, "Unable to find HTTP Host header")
		return
	}
	if err := q.h.crossOrigin.Check(q.r); err != nil {
		q.driver, q.format = q.h.opts.Driver, formatXML
		q.fail(&deltacloud.Error{Code: deltacloud.Forbidden, Message: "cross-site request refused: " + err.Error()})
		return
	}
	segs, matrix, ok := splitMatrix(q.r.URL.EscapedPath(), q.segBuf[:0])
	q.segs, q.split = segs, ok
	prefix := q.h.prefixSegs // nil when the API is served at the root
	if !ok || len(segs) < len(prefix) || !slices.Equal(segs[:len(prefix)], prefix) {
		q.driver = q.h.opts.Driver
		q.format = formatXML
		q.fail(&deltacloud.Error{Code: deltacloud.NotFound, Message: "Not Found"})
		return
	}
	apiSeg := "" // at the root, matrix parameters go on the empty first segment: /;driver=ec2/…
	if len(prefix) > 0 {
		apiSeg = prefix[len(prefix)-1]
	}
	q.selectDriver(matrix[apiSeg])
	q.base = q.h.baseURL(q.r)
	rest := segs[len(prefix):]
	if len(prefix) == 0 && len(rest) > 0 && rest[0] == "" {
		rest = rest[1:] // "/;driver=ec2/instances" at the root
	}
	if len(rest) > 0 && strings.HasSuffix(q.r.URL.EscapedPath(), "/") {
		// "/api/instances/" names an empty id, not the collection: the
		// original answers 404, for every collection.
		q.format = formatXML
		q.fail(&deltacloud.Error{Code: deltacloud.NotFound, Message: "Not Found"})
		return
	}
	q.streaming = streamedUpload(q.r, rest)
	if err := q.parseParams(); err != nil {
		q.format = formatXML
		q.fail(err)
		return
	}
	method := q.r.Method
	if method == http.MethodPost {
		switch strings.ToUpper(q.params.Get("_method")) {
		case http.MethodDelete:
			method = http.MethodDelete
		case http.MethodPut:
			method = http.MethodPut
		}
	}
	q.route(method, rest)
}

// streamedUpload reports whether the request is a blob upload whose body
// its handler streams to the driver, so that it must be neither parsed
// nor capped by MaxBodyBytes: PUT {B}/buckets/:id/:blob_id (the raw
// content) and a multipart/form-data POST {B}/buckets/:id (the form with
// the file). A blob never has to fit in memory.
func streamedUpload(r *http.Request, rest []string) bool {
	if len(rest) == 0 || rest[0] != string(deltacloud.CollectionBuckets) {
		return false
	}
	switch {
	case r.Method == http.MethodPut && len(rest) == 3:
		return true
	case r.Method == http.MethodPost && len(rest) == 2:
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		return mt == "multipart/form-data"
	}
	return false
}

// selectDriver applies the server default, then matrix parameters, then
// headers; values are lower-cased.
func (q *request) selectDriver(matrix map[string]string) {
	q.driver, q.provider = q.h.opts.Driver, q.h.opts.Provider
	if v := matrix["driver"]; v != "" {
		q.driver = v
	}
	if v := matrix["provider"]; v != "" {
		q.provider = v
	}
	if v := q.r.Header.Get("X-Deltacloud-Driver"); v != "" {
		q.driver = v
	}
	if v := q.r.Header.Get("X-Deltacloud-Provider"); v != "" {
		q.provider = v
	}
	q.driver, q.provider = strings.ToLower(q.driver), normalizeProvider(q.provider)
	if q.provider == "default" {
		q.provider = ""
	}
}

// parseParams merges the query string and the form body, form values
// winning, with the body capped. A streamed upload's body is left alone:
// its parameters are the query's until the handler reads the form.
func (q *request) parseParams() error {
	query, qerr := url.ParseQuery(q.r.URL.RawQuery)
	q.query = query
	if q.streaming {
		q.params = q.query
		return nil
	}
	if (q.r.Method == http.MethodGet || q.r.Method == http.MethodHead) && (q.r.Body == nil || q.r.Body == http.NoBody) {
		// No form body: the parameters are the query's, and a malformed
		// query is refused as ParseForm would refuse it.
		if qerr != nil {
			return &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "malformed parameters"}
		}
		q.params = q.query
		return nil
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, q.h.opts.MaxBodyBytes)
	var err error
	ct := q.r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "multipart/form-data") {
		err = q.r.ParseMultipartForm(q.h.opts.MaxBodyBytes)
	} else {
		err = q.r.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit)}
		}
		return &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "malformed parameters"}
	}
	q.params = url.Values{}
	for k, vs := range q.query {
		q.params[k] = vs
	}
	if q.r.PostForm != nil {
		for k, vs := range q.r.PostForm {
			q.params[k] = vs
		}
	}
	if q.r.MultipartForm != nil {
		for k, vs := range q.r.MultipartForm.Value {
			q.params[k] = vs
		}
	}
	return nil
}

// negotiate sets the response format among offered; false means 406 was
// answered.
func (q *request) negotiate(offered []format) bool {
	if q.query == nil {
		q.query = q.r.URL.Query()
	}
	_, has := q.query["format"]
	f, ok := negotiate(q.query.Get("format"), has, q.r.Header.Get("Accept"), offered)
	if !ok {
		q.setCommonHeaders()
		q.w.WriteHeader(http.StatusNotAcceptable)
		q.wrote = true
		return false
	}
	q.format = f
	return true
}

// credentials reads HTTP Basic credentials (or the operator's defaults).
// Empty ones ("curl -u :") count as none: they would ask a driver for the
// host's own identity, which only the operator may allow.
func (q *request) credentials() {
	if q.credsRead {
		return
	}
	q.credsRead = true
	if c := q.h.opts.DefaultCredentials; c != nil {
		q.creds, q.hasCreds = *c, true
		return
	}
	u, p, _ := q.r.BasicAuth()
	q.creds = deltacloud.Credentials{User: u, Password: p}
	q.hasCreds = !q.creds.IsZero() || q.h.opts.AllowAmbientCredentials
}

// open returns the selected provider for the operation. Operations that
// need credentials answer 401 with a challenge when none were sent.
func (q *request) open() (*deltacloud.Provider, error) {
	if q.prov == nil {
		q.credentials()
	}
	if q.op != nil && q.op.Auth && !q.hasCreds {
		return nil, &deltacloud.Error{Code: deltacloud.AuthFailure, Message: "Unauthorized"}
	}
	return q.openAny()
}

// openAny opens the selected provider once per request, with whatever
// credentials came (the capability check needs it before credentials are
// demanded).
func (q *request) openAny() (*deltacloud.Provider, error) {
	if q.prov != nil {
		return q.prov, nil
	}
	q.credentials()
	p, memo, l, err := q.h.openProvider(q.r.Context(), q.driver, q.provider, q.creds)
	if err != nil {
		var unknown *deltacloud.UnknownDriverError
		if errors.As(err, &unknown) {
			// The original answers an unknown driver with 500.
			return nil, &deltacloud.Error{Code: deltacloud.CodeUnknown,
				Message: fmt.Sprintf("Driver '%s' is not available: %v", q.driver, err)}
		}
		return nil, err
	}
	q.prov, q.memo, q.lease = p, memo, l
	return p, nil
}

func (q *request) releaseProvider() {
	q.lease.release()
}

// setCommonHeaders adds the headers of every response. The fixed values
// are shared, ready-made header slices (net/http only reads them), so a
// response does not allocate them anew.
func (q *request) setCommonHeaders() {
	h := q.w.Header()
	for _, kv := range commonHeaders {
		h[kv.key] = kv.value
	}
	if q.driver == q.h.opts.Driver {
		h[hdrDriver] = q.h.driverHeader
	} else {
		h[hdrDriver] = []string{q.driver}
	}
	if q.provider != "" {
		if q.provider == q.h.opts.Provider {
			h[hdrProvider] = q.h.providerHeader
		} else {
			h[hdrProvider] = []string{shownProvider(q.provider)}
		}
	}
}

// headerValue is a canonical header key with its shared value.
type headerValue struct {
	key   string
	value []string
}

// shared makes a header value for sharing: full capacity, so an Add
// elsewhere copies instead of writing into it.
func shared(v string) []string { return []string{v}[:1:1] }

// commonHeaders are the fixed headers of every response: the server's
// name, and what the original's rack-protection sent with every response,
// and a policy that lets the HTML UI load nothing but its own inline
// stylesheet and images, post forms only to itself, and be framed by no
// other site.
var commonHeaders = []headerValue{
	{http.CanonicalHeaderKey("Server"), shared(serverHeader)},
	{http.CanonicalHeaderKey("X-Content-Type-Options"), shared("nosniff")},
	{http.CanonicalHeaderKey("X-Frame-Options"), shared("SAMEORIGIN")},
	{http.CanonicalHeaderKey("X-XSS-Protection"), shared("1; mode=block")},
	{http.CanonicalHeaderKey("Content-Security-Policy"), shared(contentSecurityPolicy)},
	{http.CanonicalHeaderKey("Referrer-Policy"), shared("same-origin")},
}

// Canonical keys of the headers set per response.
var (
	hdrDriver        = http.CanonicalHeaderKey("X-Deltacloud-Driver")
	hdrProvider      = http.CanonicalHeaderKey("X-Deltacloud-Provider")
	hdrContentType   = http.CanonicalHeaderKey("Content-Type")
	hdrContentLength = http.CanonicalHeaderKey("Content-Length")
	hdrETag          = http.CanonicalHeaderKey("ETag")
	hdrCacheControl  = http.CanonicalHeaderKey("Cache-Control")
	hdrRuntime       = http.CanonicalHeaderKey("X-Backend-Runtime")
)

// contentTypeHeader holds contentType's values ready to share.
var contentTypeHeader = func() map[format][]string {
	m := map[format][]string{}
	for f, ct := range contentType {
		m[f] = shared(ct)
	}
	return m
}()

var cacheControlHeader = shared("max-age=0, private, must-revalidate")

// contentSecurityPolicy is the policy of every response (see
// setCommonHeaders); the pages have no scripts at all.
const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'self'; base-uri 'none'"

// plain answers with a plain-text body (the original's Rabbit answers: 400
// for a missing parameter, 412 for a missing capability).
func (q *request) plain(status int, msg string) {
	q.setCommonHeaders()
	q.w.Header().Set("Content-Type", "text/plain")
	q.w.WriteHeader(status)
	q.w.Write([]byte(msg))
	q.wrote = true
}

// write sends a body with the headers of a successful response: ETag and
// Cache-Control on 200/201 with a body, X-Backend-Runtime where the original
// sends it.
func (q *request) write(status int, f format, body []byte) {
	var etag []string
	if (status == http.StatusOK || status == http.StatusCreated) && len(body) > 0 {
		etag = []string{etagOf(body)}
	}
	q.writeTagged(status, f, body, etag, nil)
}

// writeTagged is write with the ETag (nil for none) and, when known, the
// Content-Length header value given.
func (q *request) writeTagged(status int, f format, body []byte, etag, length []string) {
	q.setCommonHeaders()
	h := q.w.Header()
	if ct, ok := contentTypeHeader[f]; ok {
		h[hdrContentType] = ct
	} else {
		h[hdrContentType] = []string{contentType[f]}
	}
	if etag != nil && (status == http.StatusOK || status == http.StatusCreated) && len(body) > 0 {
		h[hdrETag] = etag
		h[hdrCacheControl] = cacheControlHeader
	}
	if q.op.timed() {
		q.runtimeHeader[0] = q.runtime()
		h[hdrRuntime] = q.runtimeHeader[:]
	}
	if length == nil {
		length = []string{strconv.Itoa(len(body))}
	}
	h[hdrContentLength] = length
	q.w.WriteHeader(status)
	if q.r.Method != http.MethodHead {
		q.w.Write(body)
	}
	q.wrote = true
}

// runtime is the request's time so far in seconds, for X-Backend-Runtime.
func (q *request) runtime() string {
	return strconv.FormatFloat(time.Since(q.start).Seconds(), 'f', -1, 64)
}

// render answers with a document in the negotiated format: the XML document,
// the JSON value (built only when JSON was asked for), or the HTML page.
func (q *request) render(status int, doc wire.Document, jsonValue func() any, page string, data any) error {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := q.encode(buf, doc, jsonValue, page, data); err != nil {
		return err
	}
	q.write(status, q.format, buf.Bytes())
	return nil
}

// encode writes the document in the negotiated format to buf.
func (q *request) encode(buf *bytes.Buffer, doc wire.Document, jsonValue func() any, page string, data any) error {
	switch q.format {
	case formatXML:
		return wire.Encode(buf, doc)
	case formatJSON:
		if jsonValue == nil {
			return &deltacloud.Error{Code: deltacloud.NotSupported, Message: "no JSON form here"}
		}
		// As an Encoder with SetEscapeHTML(false) writes it, without the
		// trailing newline (as the original).
		return wire.EncodeJSON(buf, jsonValue())
	case formatHTML:
		return q.h.renderHTML(buf, page, q.pageData(data))
	}
	return &deltacloud.Error{Code: deltacloud.NotSupported, Message: "format not supported here"}
}

// fail answers with the error document in the negotiated format (XML when
// none was negotiated), with the status of the error's code.
func (q *request) fail(err error) {
	if q.wrote {
		return
	}
	code := deltacloud.CodeOf(err)
	status := code.HTTPStatus()
	var e *deltacloud.Error
	msg := wire.StatusMessage(status)
	if errors.As(err, &e) && e.Message != "" {
		msg = e.Message
	}
	if q.op != nil && status < 500 && (q.op.Name == "index" || (q.op.shows() && status == http.StatusNotFound)) {
		// Index routes report only the status' generic text, wrong
		// credentials included ("Unauthorized", as the original), and a show of an
		// unknown id, a blob's too, answers the original's plain "Not
		// Found".
		msg = wire.StatusMessage(status)
	}
	if q.op.timed() && status != http.StatusUnauthorized {
		// The backend answered (a failed authentication never reached it).
		q.w.Header().Set("X-Backend-Runtime", q.runtime())
	}
	if errors.As(err, &e) && e.Code == deltacloud.RateLimited && e.RetryAfter > 0 {
		q.w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
	}
	if status == http.StatusUnauthorized && !q.hasCreds {
		q.w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Basic realm="%s-deltacloud@%s"`, q.driver, q.h.opts.Hostname))
	}
	if status >= 500 {
		q.h.log.Warn("deltacloud api: request failed", "url", q.cleanPath(), "driver", q.driver, "status", status, "err", err)
	}
	doc := wire.NewErrorDoc(wire.ErrorInfo{
		Status: status, URL: q.cleanPath(), Driver: q.driver, Provider: shownProvider(q.provider),
		Message: msg, Params: q.requestParams(),
	})
	f := q.format
	if f == "" || f == formatGV || f == formatPNG {
		f = formatXML
	}
	var buf bytes.Buffer
	switch f {
	case formatJSON:
		b, _ := json.Marshal(doc.JSON())
		buf.Write(b)
	case formatHTML:
		if q.h.renderHTML(&buf, "error", q.pageData(errorPage{Status: status, Message: msg})) != nil {
			buf.Reset()
			f = formatXML
			wire.Encode(&buf, doc)
		}
	default:
		wire.Encode(&buf, doc)
	}
	q.setCommonHeaders()
	q.w.Header().Set("Content-Type", contentType[f])
	q.w.WriteHeader(status)
	if q.r.Method != http.MethodHead {
		q.w.Write(buf.Bytes())
	}
	q.wrote = true
}

// requestParams lists the request's parameters for the error document,
// sorted; wire filters the sensitive ones.
func (q *request) requestParams() []wire.RequestParam {
	var ps []wire.RequestParam
	keys := make([]string, 0, len(q.params))
	for k := range q.params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ps = append(ps, wire.RequestParam{Name: k, Value: q.params.Get(k)})
	}
	if q.id != "" && q.params.Get("id") == "" {
		ps = append(ps, wire.RequestParam{Name: "id", Value: q.id})
	}
	if q.sub != "" && q.op != nil && q.op.Sub != "" && q.params.Get(q.op.Sub) == "" {
		ps = append(ps, wire.RequestParam{Name: q.op.Sub, Value: q.sub})
	}
	return ps
}

type errorPage struct {
	Status  int
	Message string
}
