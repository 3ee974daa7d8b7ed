package wire_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// BenchmarkEncodeInstances encodes the mock's instance index, as GET
// /api/instances does: ns/op and allocs/op are the hand-written encoding
// (wire.Encode); then, off the benchmark timer, the same b.N encodings
// through encoding/xml (reflect-ns/op, reflect-allocs/op), a tenth as many
// times, as it is ten times slower. x-faster is how many times faster the
// hand-written encoding is.
func BenchmarkEncodeInstances(b *testing.B) {
	ins := must(openMock(b).Instances(context.Background(), deltacloud.InstanceFilter{}))(b)
	doc := wire.NewInstances(base, ins, instanceOpts)
	var buf bytes.Buffer
	reflectEncode := func() {
		buf.Reset()
		data, err := wire.MarshalReflect(doc)
		if err != nil {
			b.Fatal(err)
		}
		buf.Write(data)
	}
	reflectEncode()
	want := bytes.Clone(buf.Bytes())

	b.ReportAllocs()
	b.SetBytes(int64(len(want)))
	for b.Loop() {
		buf.Reset()
		if err := wire.Encode(&buf, doc); err != nil {
			b.Fatal(err)
		}
	}
	fastNs := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	if !bytes.Equal(buf.Bytes(), want) {
		b.Fatal("the hand-written encoding differs from encoding/xml")
	}

	n := b.N/10 + 1
	start := time.Now()
	for range n {
		reflectEncode()
	}
	reflectNs := float64(time.Since(start).Nanoseconds()) / float64(n)

	b.ReportMetric(reflectNs, "reflect-ns/op")
	b.ReportMetric(testing.AllocsPerRun(100, reflectEncode), "reflect-allocs/op")
	b.ReportMetric(reflectNs/fastNs, "x-faster")
}
