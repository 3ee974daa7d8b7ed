package ec2test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3Server is an in-process fake S3 endpoint for the driver's buckets and
// blobs: github.com/johannesboyne/gofakes3 with an in-memory backend,
// addressed path-style, behind a thin layer that
//
//   - refuses requests without an Authorization header, and the access key
//     BadAccessKey with InvalidAccessKeyId (gofakes3 checks no signatures);
//   - remembers the LocationConstraint each bucket was created with and
//     answers GetBucketLocation with it (gofakes3 always answers "");
//   - replaces an object's metadata when the object is written again, and
//     honours x-amz-metadata-directive: REPLACE on a copy (gofakes3 v1.2.0
//     merges the old metadata into the new in both cases);
//   - counts requests by S3 operation and the content bytes received, and
//     injects error documents and latency.
type S3Server struct {
	srv *httptest.Server
	// URL is the endpoint to give the driver (option "s3_endpoint", with
	// "s3_path_style" set).
	URL string

	backend *replaceBackend
	fake    http.Handler

	mu         sync.Mutex
	faults     map[string]*s3Fault
	calls      map[string]int
	locations  map[string]string
	latency    time.Duration
	retryAfter string
	received   atomic.Int64
}

type s3Fault struct {
	code   string
	status int
	n      int
}

// NewS3Server starts a fake S3 on 127.0.0.1; it is closed when the test
// ends.
func NewS3Server(t interface{ Cleanup(func()) }) *S3Server {
	b := &replaceBackend{Backend: s3mem.New(), keep: map[string]map[string]bool{}}
	s := &S3Server{backend: b, faults: map[string]*s3Fault{}, calls: map[string]int{}, locations: map[string]string{}}
	s.fake = gofakes3.New(b, gofakes3.WithoutVersioning()).Server()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Fail makes the next n requests of the S3 operation op (e.g. "PutObject",
// "UploadPart"; "" for any) fail with the given S3 error code and status.
func (s *S3Server) Fail(op, code string, status, n int) {
	s.mu.Lock()
	s.faults[op] = &s3Fault{code: code, status: status, n: n}
	s.mu.Unlock()
}

// SetRetryAfter makes injected errors carry a Retry-After header with value
// v ("" for none).
func (s *S3Server) SetRetryAfter(v string) { s.mu.Lock(); s.retryAfter = v; s.mu.Unlock() }

// SetLatency delays every later response by d (until the request's context
// ends).
func (s *S3Server) SetLatency(d time.Duration) { s.mu.Lock(); s.latency = d; s.mu.Unlock() }

// Calls reports how many requests of the S3 operation op the fake has
// received.
func (s *S3Server) Calls(op string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls[op] }

// Received reports how many bytes of object content (PutObject and
// UploadPart bodies) the fake has read so far.
func (s *S3Server) Received() int64 { return s.received.Load() }

// Objects lists the keys a bucket holds, read from the backend directly.
func (s *S3Server) Objects(bucket string) ([]string, error) {
	res, err := s.backend.ListBucket(bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, c := range res.Contents {
		keys = append(keys, c.Key)
	}
	return keys, nil
}

// Operation names an S3 request the way the S3 API reference does.
func Operation(r *http.Request) string {
	path := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ := strings.Cut(path, "/")
	q := r.URL.Query()
	_, uploads := q["uploads"]
	_, location := q["location"]
	switch {
	case bucket == "":
		return "ListBuckets"
	case q.Get("uploadId") != "" && r.Method == http.MethodPut:
		return "UploadPart"
	case q.Get("uploadId") != "" && r.Method == http.MethodPost:
		return "CompleteMultipartUpload"
	case q.Get("uploadId") != "" && r.Method == http.MethodDelete:
		return "AbortMultipartUpload"
	case q.Get("uploadId") != "":
		return "ListParts"
	case uploads && r.Method == http.MethodPost:
		return "CreateMultipartUpload"
	case key == "" && location:
		return "GetBucketLocation"
	case key == "":
		return map[string]string{http.MethodGet: "ListObjects", http.MethodPut: "CreateBucket",
			http.MethodDelete: "DeleteBucket", http.MethodHead: "HeadBucket"}[r.Method]
	case r.Method == http.MethodPut && r.Header.Get("X-Amz-Copy-Source") != "":
		return "CopyObject"
	}
	return map[string]string{http.MethodGet: "GetObject", http.MethodPut: "PutObject",
		http.MethodDelete: "DeleteObject", http.MethodHead: "HeadObject"}[r.Method]
}

type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestID string   `xml:"RequestId"`
}

func (s *S3Server) fail(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		b, _ := xml.Marshal(s3Error{Code: code, Message: msg, RequestID: "req-s3"})
		w.Write([]byte(xml.Header))
		w.Write(b)
	}
}

func (s *S3Server) serve(w http.ResponseWriter, r *http.Request) {
	op := Operation(r)
	s.mu.Lock()
	s.calls[op]++
	latency := s.latency
	var fault *s3Fault
	for _, k := range []string{op, ""} {
		if f := s.faults[k]; f != nil && f.n > 0 && fault == nil {
			f.n--
			fault = f
		}
	}
	retryAfter := s.retryAfter
	s.mu.Unlock()
	if latency > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(latency):
		}
	}
	auth := r.Header.Get("Authorization")
	switch {
	case auth == "":
		s.fail(w, r, http.StatusForbidden, "AccessDenied", "Anonymous access is forbidden for this operation")
		return
	case strings.Contains(auth, "Credential="+BadAccessKey+"/"):
		s.fail(w, r, http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
		return
	case fault != nil:
		io.Copy(io.Discard, r.Body)
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		s.fail(w, r, fault.status, fault.code, "injected "+fault.code)
		return
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch op {
	case "PutObject", "UploadPart":
		r.Body = &countingBody{ReadCloser: r.Body, n: &s.received}
	case "CreateBucket":
		if err := s.createBucket(w, r, bucket); err != nil {
			s.fail(w, r, http.StatusBadRequest, "MalformedXML", err.Error())
		}
		return
	case "GetBucketLocation":
		if s.getLocation(w, r, bucket) {
			return
		}
	case "DeleteBucket":
		defer func() {
			s.mu.Lock()
			if ok, _ := s.backend.BucketExists(bucket); !ok {
				delete(s.locations, bucket)
			}
			s.mu.Unlock()
		}()
	case "CopyObject":
		if strings.EqualFold(r.Header.Get("X-Amz-Metadata-Directive"), "REPLACE") {
			keep := map[string]bool{}
			for h := range r.Header {
				if strings.HasPrefix(h, "X-Amz-Meta-") {
					keep[h] = true
				}
			}
			s.backend.replacing(bucket, key, keep)
			defer s.backend.replacing(bucket, key, nil)
		}
	}
	s.fake.ServeHTTP(w, r)
}

// createBucket reads the LocationConstraint before gofakes3 creates the
// bucket, and remembers it once the bucket exists.
func (s *S3Server) createBucket(w http.ResponseWriter, r *http.Request, bucket string) error {
	var cfg struct {
		Location string `xml:"LocationConstraint"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := xml.Unmarshal(body, &cfg); err != nil {
			return err
		}
	}
	r.Body = io.NopCloser(strings.NewReader(""))
	r.ContentLength = 0
	if ok, _ := s.backend.BucketExists(bucket); ok {
		s.fail(w, r, http.StatusConflict, "BucketAlreadyOwnedByYou",
			"Your previous request to create the named bucket succeeded and you already own it.")
		return nil
	}
	rec := httptest.NewRecorder()
	s.fake.ServeHTTP(rec, r)
	if rec.Code == http.StatusOK {
		s.mu.Lock()
		s.locations[bucket] = cfg.Location
		s.mu.Unlock()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
	return nil
}

// getLocation answers GetBucketLocation for a bucket it knows the location
// of; false leaves the request to gofakes3.
func (s *S3Server) getLocation(w http.ResponseWriter, r *http.Request, bucket string) bool {
	s.mu.Lock()
	loc, ok := s.locations[bucket]
	s.mu.Unlock()
	if !ok {
		return false
	}
	b, _ := xml.Marshal(struct {
		XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
		Value   string   `xml:",chardata"`
	}{Value: loc})
	w.Header().Set("Content-Type", "application/xml")
	w.Write([]byte(xml.Header))
	w.Write(b)
	return true
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// replaceBackend makes a write replace an object's metadata: it drops the
// user metadata a REPLACE copy does not name, and removes the old object
// before an unconditional put, whose metadata s3mem would otherwise merge.
type replaceBackend struct {
	gofakes3.Backend
	mu   sync.Mutex
	keep map[string]map[string]bool // "bucket/key" → metadata headers of the copy
}

func (b *replaceBackend) replacing(bucket, key string, keep map[string]bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if keep == nil {
		delete(b.keep, bucket+"/"+key)
		return
	}
	b.keep[bucket+"/"+key] = keep
}

func (b *replaceBackend) CopyObject(srcBucket, srcKey, dstBucket, dstKey string, meta map[string]string) (gofakes3.CopyObjectResult, error) {
	b.mu.Lock()
	keep, ok := b.keep[dstBucket+"/"+dstKey]
	b.mu.Unlock()
	if ok {
		for k := range meta {
			if strings.HasPrefix(k, "X-Amz-Meta-") && !keep[k] {
				delete(meta, k)
			}
		}
	}
	return gofakes3.CopyObject(b, srcBucket, srcKey, dstBucket, dstKey, meta)
}

func (b *replaceBackend) PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64,
	conditions *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	if conditions == nil {
		if _, err := b.Backend.HeadObject(bucket, key); err == nil {
			if _, err := b.Backend.DeleteObject(bucket, key); err != nil {
				return gofakes3.PutObjectResult{}, err
			}
		}
	}
	return b.Backend.PutObject(bucket, key, meta, input, size, conditions)
}
