package api_test

import (
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
