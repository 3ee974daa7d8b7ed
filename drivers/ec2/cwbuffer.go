package ec2

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// maxCloudWatchAnswer bounds one CloudWatch answer read into memory. A
// GetMetricData page holds at most 100,800 datapoints, a few MiB in either
// protocol.
const maxCloudWatchAnswer = 32 << 20

// httpDoer is what the SDK clients send requests with.
type httpDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// bufferedDoer reads each CloudWatch answer whole before the SDK sees it.
// With the pinned SDK the read of an RPC v2 CBOR answer sometimes finds the
// connection closed under it ("use of closed network connection" while
// deserializing a 200 answer: a few runs in a hundred against a local
// endpoint, on a loaded machine), and the metric call fails although
// CloudWatch answered. An answer already in memory cannot be lost that way;
// answers are small and bounded (maxCloudWatchAnswer), and the driver needs
// each one whole anyway.
type bufferedDoer struct{ next httpDoer }

func (d bufferedDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.next.Do(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCloudWatchAnswer+1))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if len(body) > maxCloudWatchAnswer {
		return nil, fmt.Errorf("ec2: a CloudWatch answer larger than %d bytes", maxCloudWatchAnswer)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}
