package openstacktest

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The fake Swift serves the demo project's account under
// /swift/v1/AUTH_<project>: containers and objects with their metadata,
// JSON listings paged by marker and limit, and static large objects
// (multipart-manifest=put|get|delete). Its answers follow the Object
// Storage API reference: 201/202 for a new or existing container, 204 for
// HEAD, DELETE and container POST, 202 for object POST, 409 for deleting a
// container that holds objects, the plain-text HTML bodies of Swift's
// errors, and Swift's bulk-delete report (status 200) for a manifest's
// delete. An object's body is stored only when read to its end: an upload
// cut off keeps nothing, as Swift discards it.

// swiftContainer is a Swift container.
type swiftContainer struct {
	meta    map[string]string
	objects map[string]*swiftObject
	created time.Time
}

// swiftObject is an object, or a static large object's manifest (segs).
type swiftObject struct {
	data        []byte
	segs        []sloSegment
	manifestMD5 string // of the stored manifest, a large object's listed hash
	contentType string
	etag        string
	meta        map[string]string
	modified    time.Time
}

// sloSegment is a manifest entry in the form Swift stores and returns
// with multipart-manifest=get.
type sloSegment struct {
	Name         string `json:"name"`
	Hash         string `json:"hash"`
	Bytes        int64  `json:"bytes"`
	ContentType  string `json:"content_type"`
	LastModified string `json:"last_modified"`
}

// maxObjectSize is Swift's max_file_size (5 GiB); maxManifestSegments its
// max_manifest_segments.
const (
	maxObjectSize       = 5 << 30
	maxManifestSegments = 1000
)

// SetSwift sets whether tokens issued later list Swift (object-store) in
// their catalog (default true), as a cloud without Swift.
func (c *Cloud) SetSwift(on bool) { c.mu.Lock(); c.noSwift = !on; c.mu.Unlock() }

// SwiftObjects lists every object of the account as "container/object",
// sorted: what a test checks to see nothing of a failed upload was kept.
func (c *Cloud) SwiftObjects() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for cn, ct := range c.containers {
		for on := range ct.objects {
			out = append(out, cn+"/"+on)
		}
	}
	sort.Strings(out)
	return out
}

// SwiftContainers lists the account's containers, sorted.
func (c *Cloud) SwiftContainers() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for cn := range c.containers {
		out = append(out, cn)
	}
	sort.Strings(out)
	return out
}

// swiftError answers one of Swift's plain-text HTML error bodies.
func swiftError(w http.ResponseWriter, status int) {
	msgs := map[int]string{
		http.StatusBadRequest:            "",
		http.StatusUnauthorized:          "This server could not verify that you are authorized to access the document you requested.",
		http.StatusNotFound:              "The resource could not be found.",
		http.StatusConflict:              "There was a conflict when trying to complete your request.",
		http.StatusRequestEntityTooLarge: "The body of your request was too large for this server.",
		http.StatusUnprocessableEntity:   "Unable to process the contained instructions",
		499:                              "The client disconnected during request.",
	}
	text := http.StatusText(status)
	if status == 499 {
		text = "Client Disconnect"
	}
	body := "<html><h1>" + text + "</h1><p>" + msgs[status] + "</p></html>"
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// swiftText answers a plain-text body (names too long).
func swiftText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(status)
	io.WriteString(w, text)
}

// swiftTime is the listings' last_modified (microseconds, no zone).
func swiftTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

// serveSwift routes /swift/v1/AUTH_<project>[/container[/object]].
func (c *Cloud) serveSwift(w http.ResponseWriter, r *http.Request, path string) {
	w.Header().Set("X-Trans-Id", "tx"+strings.ReplaceAll(newID(), "-", "")[:21])
	account, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if account != "AUTH_"+ProjectID {
		swiftError(w, http.StatusUnauthorized)
		return
	}
	container, object, _ := strings.Cut(rest, "/")
	switch {
	case container == "":
		c.swiftAccount(w, r)
	case object == "":
		c.swiftContainer(w, r, container)
	default:
		c.swiftObject(w, r, container, object)
	}
}

// listing cuts a sorted name listing by prefix, marker and limit.
func (c *Cloud) listing(names []string, q url.Values) []string {
	sort.Strings(names)
	limit := 10000
	if c.pageSize < 1000 {
		limit = c.pageSize
	}
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 && l < limit {
		limit = l
	}
	var out []string
	for _, n := range names {
		if !strings.HasPrefix(n, q.Get("prefix")) || (q.Get("marker") != "" && n <= q.Get("marker")) {
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, n)
	}
	return out
}

// wantsJSON reports whether a listing is asked for as JSON (format=json
// or an Accept of application/json), not plain text.
func wantsJSON(r *http.Request) bool {
	f := r.URL.Query().Get("format")
	return f == "json" || f == "" && strings.Contains(r.Header.Get("Accept"), "application/json")
}

// writeListing answers a listing: JSON (200, "[]" when empty) or plain
// names (204 when empty).
func writeListing(w http.ResponseWriter, r *http.Request, names []string, entry func(string) map[string]any) {
	if !wantsJSON(r) {
		if len(names) == 0 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, strings.Join(names, "\n")+"\n")
		return
	}
	list := make([]map[string]any, 0, len(names))
	for _, n := range names {
		list = append(list, entry(n))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	json.NewEncoder(w).Encode(list)
}

// swiftAccount is GET and HEAD of the account.
func (c *Cloud) swiftAccount(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var objs, bytes int64
	names := make([]string, 0, len(c.containers))
	for n, ct := range c.containers {
		names = append(names, n)
		objs += int64(len(ct.objects))
		bytes += ct.bytes()
	}
	h := w.Header()
	h.Set("X-Account-Container-Count", strconv.Itoa(len(c.containers)))
	h.Set("X-Account-Object-Count", strconv.FormatInt(objs, 10))
	h.Set("X-Account-Bytes-Used", strconv.FormatInt(bytes, 10))
	switch r.Method {
	case http.MethodHead:
		w.WriteHeader(http.StatusNoContent)
	case http.MethodGet:
		writeListing(w, r, c.listing(names, r.URL.Query()), func(n string) map[string]any {
			ct := c.containers[n]
			return map[string]any{"name": n, "count": len(ct.objects), "bytes": ct.bytes(), "last_modified": swiftTime(ct.created)}
		})
	default:
		swiftError(w, http.StatusMethodNotAllowed)
	}
}

// bytes is the container's bytes used (a manifest counts as its own
// small size, as in Swift).
func (ct *swiftContainer) bytes() int64 {
	var n int64
	for _, o := range ct.objects {
		n += int64(len(o.data))
	}
	return n
}

// swiftContainer is PUT, HEAD, GET, POST and DELETE of a container.
func (c *Cloud) swiftContainer(w http.ResponseWriter, r *http.Request, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(name) > 256 {
		swiftText(w, http.StatusBadRequest, fmt.Sprintf("Container name length of %d longer than 256", len(name)))
		return
	}
	ct := c.containers[name]
	switch r.Method {
	case http.MethodPut:
		status := http.StatusAccepted
		if ct == nil {
			ct = &swiftContainer{meta: map[string]string{}, objects: map[string]*swiftObject{}, created: time.Now()}
			c.containers[name] = ct
			status = http.StatusCreated
		}
		setMeta(ct.meta, r.Header, "X-Container-Meta-", false)
		if status == http.StatusAccepted {
			swiftAccepted(w)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(status)
		return
	}
	if ct == nil {
		swiftError(w, http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("X-Container-Object-Count", strconv.Itoa(len(ct.objects)))
	h.Set("X-Container-Bytes-Used", strconv.FormatInt(ct.bytes(), 10))
	h.Set("X-Storage-Policy", "Policy-0")
	h.Set("X-Timestamp", fmt.Sprintf("%.5f", float64(ct.created.UnixMicro())/1e6))
	for k, v := range ct.meta {
		h.Set("X-Container-Meta-"+k, v)
	}
	switch r.Method {
	case http.MethodHead:
		w.WriteHeader(http.StatusNoContent)
	case http.MethodGet:
		names := make([]string, 0, len(ct.objects))
		for n := range ct.objects {
			names = append(names, n)
		}
		writeListing(w, r, c.listing(names, r.URL.Query()), func(n string) map[string]any {
			o := ct.objects[n]
			e := map[string]any{"name": n, "hash": o.etag, "bytes": o.size(), "content_type": o.contentType,
				"last_modified": swiftTime(o.modified)}
			if o.segs != nil {
				e["hash"], e["slo_etag"] = o.manifestMD5, `"`+o.etag+`"`
			}
			return e
		})
	case http.MethodPost:
		setMeta(ct.meta, r.Header, "X-Container-Meta-", false)
		w.WriteHeader(http.StatusNoContent)
	case http.MethodDelete:
		if len(ct.objects) > 0 {
			swiftError(w, http.StatusConflict)
			return
		}
		delete(c.containers, name)
		w.WriteHeader(http.StatusNoContent)
	default:
		swiftError(w, http.StatusMethodNotAllowed)
	}
}

// setMeta applies a request's metadata headers; replace drops the others
// first (an object's POST).
func setMeta(meta map[string]string, h http.Header, prefix string, replace bool) {
	if replace {
		clear(meta)
	}
	for k, v := range h {
		if name, ok := strings.CutPrefix(k, prefix); ok && name != "" {
			if v[0] == "" {
				delete(meta, name)
			} else {
				meta[name] = v[0]
			}
		}
	}
}

// size is an object's content length: a manifest's is its segments'.
func (o *swiftObject) size() int64 {
	if o.segs == nil {
		return int64(len(o.data))
	}
	var n int64
	for _, s := range o.segs {
		n += s.Bytes
	}
	return n
}

// objectHeaders writes an object's headers.
func objectHeaders(w http.ResponseWriter, o *swiftObject) {
	h := w.Header()
	h.Set("Content-Type", o.contentType)
	h.Set("Content-Length", strconv.FormatInt(o.size(), 10))
	h.Set("Last-Modified", o.modified.UTC().Format(http.TimeFormat))
	h.Set("X-Timestamp", fmt.Sprintf("%.5f", float64(o.modified.UnixMicro())/1e6))
	h.Set("Accept-Ranges", "bytes")
	if o.segs != nil {
		h.Set("Etag", `"`+o.etag+`"`)
		h.Set("X-Manifest-Etag", o.manifestMD5)
		h.Set("X-Static-Large-Object", "True")
	} else {
		h.Set("Etag", o.etag)
	}
	for k, v := range o.meta {
		h.Set("X-Object-Meta-"+k, v)
	}
}

// swiftObject is PUT, HEAD, GET, POST and DELETE of an object.
func (c *Cloud) swiftObject(w http.ResponseWriter, r *http.Request, container, name string) {
	if len(name) > 1024 {
		swiftText(w, http.StatusBadRequest, fmt.Sprintf("Object name length of %d longer than 1024", len(name)))
		return
	}
	if r.Method == http.MethodPut {
		c.putSwiftObject(w, r, container, name)
		return
	}
	c.mu.Lock()
	ct := c.containers[container]
	var o *swiftObject
	if ct != nil {
		o = ct.objects[name]
	}
	if o == nil {
		c.mu.Unlock()
		if r.Method == http.MethodDelete && r.URL.Query().Get("multipart-manifest") == "delete" {
			// Swift reports a missing manifest as "200 OK", not found 1.
			bulkReport(w, "200 OK", 0, 1)
			return
		}
		swiftError(w, http.StatusNotFound)
		return
	}
	mm := r.URL.Query().Get("multipart-manifest")
	switch r.Method {
	case http.MethodHead:
		objectHeaders(w, o)
		c.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		if o.segs != nil && mm == "get" {
			body, _ := json.Marshal(o.segs)
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("X-Static-Large-Object", "True")
			w.Header().Set("Etag", o.manifestMD5)
			c.mu.Unlock()
			w.Write(body)
			return
		}
		objectHeaders(w, o)
		parts := [][]byte{o.data}
		if o.segs != nil {
			parts = c.segmentData(o.segs)
		}
		c.mu.Unlock()
		w.WriteHeader(http.StatusOK)
		for _, p := range parts {
			if _, err := w.Write(p); err != nil {
				return
			}
		}
	case http.MethodPost:
		setMeta(o.meta, r.Header, "X-Object-Meta-", true)
		if t := r.Header.Get("Content-Type"); t != "" {
			o.contentType = t
		}
		c.mu.Unlock()
		swiftAccepted(w)
	case http.MethodDelete:
		if mm == "delete" {
			if o.segs == nil {
				c.mu.Unlock()
				bulkReport(w, "400 Bad Request", 0, 0, "/"+container+"/"+name, "Not an SLO manifest")
				return
			}
			n := 1
			for _, s := range o.segs {
				sc, so, _ := strings.Cut(strings.TrimPrefix(s.Name, "/"), "/")
				if sct := c.containers[sc]; sct != nil && sct.objects[so] != nil {
					delete(sct.objects, so)
					n++
				}
			}
			delete(ct.objects, name)
			c.mu.Unlock()
			bulkReport(w, "200 OK", n, 0)
			return
		}
		delete(ct.objects, name)
		c.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		c.mu.Unlock()
		swiftError(w, http.StatusMethodNotAllowed)
	}
}

// swiftAccepted is the 202 of an object's POST.
func swiftAccepted(w http.ResponseWriter) {
	body := "<html><h1>Accepted</h1><p>The request is accepted for processing.</p></html>"
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, body)
}

// bulkReport is the bulk middleware's JSON report, which a
// multipart-manifest=delete answers with status 200 whatever happened;
// an error is a path and its reason.
func bulkReport(w http.ResponseWriter, status string, deleted, notFound int, pathAndError ...string) {
	errs := [][]string{}
	if len(pathAndError) == 2 {
		errs = append(errs, pathAndError)
	}
	writeJSON(w, http.StatusOK, map[string]any{"Response Status": status, "Response Body": "",
		"Number Deleted": deleted, "Number Not Found": notFound, "Errors": errs})
}

// segmentData returns the contents of a manifest's segments; c.mu is held.
// A segment gone since is skipped (Swift would fail the read midway).
func (c *Cloud) segmentData(segs []sloSegment) [][]byte {
	var out [][]byte
	for _, s := range segs {
		sc, so, _ := strings.Cut(strings.TrimPrefix(s.Name, "/"), "/")
		if ct := c.containers[sc]; ct != nil && ct.objects[so] != nil {
			out = append(out, ct.objects[so].data)
		}
	}
	return out
}

// putSwiftObject stores an object once its whole body has arrived (with
// the length announced, if any), or a manifest after checking its
// segments.
func (c *Cloud) putSwiftObject(w http.ResponseWriter, r *http.Request, container, name string) {
	c.mu.Lock()
	_, ok := c.containers[container]
	c.mu.Unlock()
	if !ok {
		swiftError(w, http.StatusNotFound)
		return
	}
	if r.ContentLength > maxObjectSize {
		swiftError(w, http.StatusRequestEntityTooLarge)
		return
	}
	manifest := r.URL.Query().Get("multipart-manifest") == "put"
	limit := int64(maxObjectSize)
	if manifest {
		limit = 8 << 20
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	switch {
	case err != nil || (r.ContentLength >= 0 && int64(len(data)) != r.ContentLength):
		// The client went away or sent less than it announced: Swift
		// logs 499 and stores nothing.
		swiftError(w, 499)
		return
	case int64(len(data)) > limit:
		swiftError(w, http.StatusRequestEntityTooLarge)
		return
	}
	sum := fmt.Sprintf("%x", md5.Sum(data))
	if e := strings.Trim(r.Header.Get("Etag"), `"`); e != "" && !manifest && e != sum {
		swiftError(w, http.StatusUnprocessableEntity)
		return
	}
	o := &swiftObject{data: data, contentType: r.Header.Get("Content-Type"), etag: sum, meta: map[string]string{}, modified: time.Now()}
	if o.contentType == "" {
		// Swift guesses from the name's extension.
		o.contentType = mime.TypeByExtension(path.Ext(name))
		if o.contentType == "" {
			o.contentType = "application/octet-stream"
		}
	}
	setMeta(o.meta, r.Header, "X-Object-Meta-", false)
	c.mu.Lock()
	defer c.mu.Unlock()
	if manifest {
		segs, errs := c.checkManifest(data)
		if len(errs) > 0 {
			// With Accept: application/json, SLO lists [path, reason]
			// pairs.
			writeJSON(w, http.StatusBadRequest, map[string]any{"Errors": errs})
			return
		}
		etags := md5.New()
		for _, s := range segs {
			io.WriteString(etags, s.Hash)
		}
		stored, _ := json.Marshal(segs)
		o.segs, o.etag, o.manifestMD5 = segs, hex.EncodeToString(etags.Sum(nil)), fmt.Sprintf("%x", md5.Sum(stored))
		o.data = nil
	}
	ct := c.containers[container]
	if ct == nil {
		swiftError(w, http.StatusNotFound)
		return
	}
	ct.objects[name] = o
	w.Header().Set("Etag", o.etag)
	if manifest {
		w.Header().Set("Etag", `"`+o.etag+`"`)
	}
	w.Header().Set("Last-Modified", o.modified.UTC().Format(http.TimeFormat))
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusCreated)
}

// checkManifest reads a multipart-manifest=put body and checks every
// segment exists with the etag and size given; c.mu is held. The errors
// are SLO's [path, reason] pairs (["/c/o", "404 Not Found"]).
func (c *Cloud) checkManifest(body []byte) ([]sloSegment, [][]string) {
	var in []struct {
		Path string  `json:"path"`
		ETag *string `json:"etag"`
		Size *int64  `json:"size_bytes"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, [][]string{{"", "Manifest must be valid JSON."}}
	}
	if len(in) == 0 {
		return nil, [][]string{{"", "Manifest must have at least one segment."}}
	}
	if len(in) > maxManifestSegments {
		return nil, [][]string{{"", fmt.Sprintf("Too many segments; the maximum is %d.", maxManifestSegments)}}
	}
	var segs []sloSegment
	var errs [][]string
	for i, e := range in {
		sc, so, ok := strings.Cut(strings.TrimPrefix(e.Path, "/"), "/")
		var o *swiftObject
		if ct := c.containers[sc]; ok && ct != nil {
			o = ct.objects[so]
		}
		switch {
		case !ok || !strings.HasPrefix(e.Path, "/"):
			errs = append(errs, []string{fmt.Sprintf("Index %d", i), "path does not refer to an object. Path must be of the form /container/object."})
		case o == nil:
			errs = append(errs, []string{e.Path, "404 Not Found"})
		case o.segs != nil:
			errs = append(errs, []string{e.Path, "a manifest cannot be a segment here"})
		case e.ETag != nil && *e.ETag != o.etag:
			errs = append(errs, []string{e.Path, "Etag Mismatch"})
		case e.Size != nil && *e.Size != int64(len(o.data)):
			errs = append(errs, []string{e.Path, "Size Mismatch"})
		default:
			segs = append(segs, sloSegment{Name: e.Path, Hash: o.etag, Bytes: int64(len(o.data)), ContentType: o.contentType,
				LastModified: swiftTime(o.modified)})
		}
	}
	return segs, errs
}
