package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud/api"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// BenchmarkInstancesXML measures GET /api/instances in XML through the
// handler against a bare handler that writes the same bytes pre-rendered.
func BenchmarkInstancesXML(b *testing.B) { benchInstances(b, "xml") }

// BenchmarkInstancesJSON is BenchmarkInstancesXML in JSON.
func BenchmarkInstancesJSON(b *testing.B) { benchInstances(b, "json") }

// benchInstances times b.N handler calls (ns/op) and then, off the
// benchmark timer, b.N calls of a bare handler that only writes the
// captured response (bare-ns/op); x-bare-throughput is the handler's
// throughput as a fraction of the bare handler's. Both serve an in-memory
// mock with credentials, through ServeHTTP and an httptest.ResponseRecorder.
func benchInstances(b *testing.B, format string) {
	h := api.NewHandler(api.Options{Logger: tuQuiet})
	b.Cleanup(func() { h.Close() })
	tmpl := httptest.NewRequest(http.MethodGet, "/api/instances?format="+format, nil)
	tmpl.SetBasicAuth(mock.User, mock.Password)
	// Each call gets its own copy: the handler sets the request's body
	// (capped) and form.
	req := func() *http.Request {
		r := *tmpl
		return &r
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req())
	if rec.Code != http.StatusOK {
		b.Fatalf("status %d\n%s", rec.Code, rec.Body)
	}
	body := rec.Body.Bytes()
	header := rec.Header().Clone()
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	})

	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req())
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	handlerNs := float64(b.Elapsed().Nanoseconds()) / float64(b.N)

	start := time.Now()
	for range b.N {
		rec := httptest.NewRecorder()
		bare.ServeHTTP(rec, req())
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	bareNs := float64(time.Since(start).Nanoseconds()) / float64(b.N)

	b.ReportMetric(bareNs, "bare-ns/op")
	// Throughput is 1/ns, so the ratio of throughputs is bare/handler ns.
	b.ReportMetric(bareNs/handlerNs, "x-bare-throughput")
}

// BenchmarkInstancesHTTPXML and BenchmarkInstancesHTTPJSON measure the same
// over real HTTP on loopback, as a server's throughput is experienced: a
// keep-alive client against an httptest.Server running the handler, then
// against one running the bare handler, in the same benchmark.
func BenchmarkInstancesHTTPXML(b *testing.B) { benchInstancesHTTP(b, "xml") }

// BenchmarkInstancesHTTPJSON is BenchmarkInstancesHTTPXML in JSON.
func BenchmarkInstancesHTTPJSON(b *testing.B) { benchInstancesHTTP(b, "json") }

func benchInstancesHTTP(b *testing.B, format string) {
	h := api.NewHandler(api.Options{Logger: tuQuiet})
	b.Cleanup(func() { h.Close() })
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	client := srv.Client()
	get := func(url string) []byte {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.SetBasicAuth(mock.User, mock.Password)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d, %v", resp.StatusCode, err)
		}
		return body
	}
	path := "/api/instances?format=" + format
	body := get(srv.URL + path)
	var header http.Header
	{
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.SetBasicAuth(mock.User, mock.Password)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		header = resp.Header.Clone()
	}
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	}))
	b.Cleanup(bare.Close)

	b.SetBytes(int64(len(body)))
	for b.Loop() {
		get(srv.URL + path)
	}
	handlerNs := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	start := time.Now()
	for range b.N {
		get(bare.URL + path)
	}
	bareNs := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	b.ReportMetric(bareNs, "bare-ns/op")
	b.ReportMetric(bareNs/handlerNs, "x-bare-throughput")
}
