package ec2_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	_ "github.com/deltacloud-go/deltacloud/drivers/ec2"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

var goodCreds = deltacloud.Credentials{User: "AKIDEXAMPLE", Password: "secret"}

// openFake opens the driver on a fake EC2 endpoint, with buckets on a fake
// S3 and metrics on a fake CloudWatch (opts may name others with
// "s3_endpoint" and "cloudwatch_endpoint").
func openFake(ctx context.Context, s *ec2test.Server, creds deltacloud.Credentials, opts ...string) (*deltacloud.Provider, error) {
	o := map[string]string{"endpoint": s.URL, "s3_endpoint": s.S3().URL, "s3_path_style": "true", "s3_part_size": "5",
		"cloudwatch_endpoint": s.CloudWatch().URL}
	for i := 0; i+1 < len(opts); i += 2 {
		o[opts[i]] = opts[i+1]
	}
	return deltacloud.Open(ctx, "ec2", deltacloud.Config{Provider: "us-east-1", Credentials: creds,
		Options: o, PollInterval: time.Millisecond})
}

func TestConformance(t *testing.T) {
	s := ec2test.NewServer(t)
	s3, cw := s.S3(), s.CloudWatch()
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return openFake(ctx, s, goodCreds)
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return openFake(ctx, s, deltacloud.Credentials{User: ec2test.BadAccessKey, Password: "x"})
		},
		Slow: func(t *testing.T, p *deltacloud.Provider) {
			// Subtests run one at a time, so the latency ends with this one.
			s.SetLatency(time.Hour)
			s3.SetLatency(time.Hour)
			cw.SetLatency(time.Hour)
			t.Cleanup(func() { s.SetLatency(0); s3.SetLatency(0); cw.SetLatency(0) })
		},
		WaitTimeout:    30 * time.Second,
		ProfileFigures: ec2Figures,
	})
}

// ec2Figures are the fake's instance types as EC2 states them: memory in
// MiB (SizeInMiB) and instance store in decimal gigabytes (TotalSizeInGB),
// which the profiles show as they are.
func ec2Figures(context.Context, *testing.T) map[string]drivertest.ProfileFigure {
	out := map[string]drivertest.ProfileFigure{}
	for _, it := range ec2test.InstanceTypes {
		out[it.Name] = drivertest.ProfileFigure{
			CPU: it.VCPUs, Memory: strconv.Itoa(it.MiB), MemoryUnit: deltacloud.MiB,
			Storage: strconv.Itoa(it.StorageGB), StorageUnit: deltacloud.DecimalGB, StorageGB: deltacloud.DecimalGB,
		}
	}
	return out
}

// TestConformanceInstanceStore runs the suite creating instance-store
// instances, whose stop is shown as destroy.
func TestConformanceInstanceStore(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetPendingReads(2)
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return openFake(ctx, s, goodCreds)
		},
		Spec:        deltacloud.InstanceSpec{ImageID: "ami-00000002"},
		WaitTimeout: 30 * time.Second,
	})
}
