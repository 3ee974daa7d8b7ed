package wire_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// BenchmarkEncodeInstancesJSON encodes the JSON form of the mock's instance
// index, as GET /api/instances?format=json does: ns/op and allocs/op are the
// hand-written encoding (wire.EncodeJSON); then, off the benchmark timer,
// the same b.N encodings through an encoding/json Encoder with
// SetEscapeHTML(false) (reflect-ns/op, reflect-allocs/op), as the handler
// encoded before. x-faster is how many times faster the hand-written
// encoding is.
func BenchmarkEncodeInstancesJSON(b *testing.B) {
	ins := must(openMock(b).Instances(context.Background(), deltacloud.InstanceFilter{}))(b)
	form := wire.NewInstances(base, ins, instanceOpts).JSON()
	var buf bytes.Buffer
	reflectEncode := func() {
		buf.Reset()
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(form); err != nil {
			b.Fatal(err)
		}
		buf.Truncate(buf.Len() - 1)
	}
	reflectEncode()
	want := bytes.Clone(buf.Bytes())

	b.ReportAllocs()
	b.SetBytes(int64(len(want)))
	for b.Loop() {
		buf.Reset()
		if err := wire.EncodeJSON(&buf, form); err != nil {
			b.Fatal(err)
		}
	}
	fastNs := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	if !bytes.Equal(buf.Bytes(), want) {
		b.Fatal("the hand-written encoding differs from encoding/json")
	}

	start := time.Now()
	for range b.N {
		reflectEncode()
	}
	reflectNs := float64(time.Since(start).Nanoseconds()) / float64(b.N)

	b.ReportMetric(reflectNs, "reflect-ns/op")
	b.ReportMetric(testing.AllocsPerRun(100, reflectEncode), "reflect-allocs/op")
	b.ReportMetric(reflectNs/fastNs, "x-faster")
}
