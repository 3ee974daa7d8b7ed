package deltacloud_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// TestWaitForUnknownState: a target the lifecycle does not know is an
// argument error naming it, not "can no longer be reached".
func TestWaitForUnknownState(t *testing.T) {
	p, _ := open(t, nil)
	for _, target := range []deltacloud.State{"RUNING", deltacloud.StateStart, ""} {
		_, err := p.WaitFor(t.Context(), "inst0", target)
		if !errors.Is(err, deltacloud.ErrInvalidArgument) || !strings.Contains(err.Error(), "unknown state") {
			t.Errorf("WaitFor(%q) = %v; want ErrInvalidArgument saying unknown state", target, err)
		}
	}
}

// TestWaitForPerCallInterval: a provider that polls once an hour still
// waits in microseconds for a call that asks so. Without the option the
// wait could not end before the test's deadline.
func TestWaitForPerCallInterval(t *testing.T) {
	p, err := deltacloud.Open(t.Context(), "mock", deltacloud.Config{
		Credentials:  deltacloud.Credentials{User: mock.User, Password: mock.Password},
		PollInterval: time.Hour, Options: map[string]string{"pending_polls": "3"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.WaitFor(ctx, in.ID, deltacloud.StateRunning, deltacloud.WaitOptions{PollInterval: time.Microsecond})
	if err != nil || got.State != deltacloud.StateRunning {
		t.Fatalf("WaitFor with a per-call interval = %+v, %v", got, err)
	}
}

// TestErrorsNameDriver: every error of a driver call says which driver
// failed, once.
func TestErrorsNameDriver(t *testing.T) {
	p, err := deltacloud.Open(t.Context(), "mock", deltacloud.Config{Credentials: deltacloud.Credentials{User: "x", Password: "y"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, err = p.Instances(t.Context(), deltacloud.InstanceFilter{})
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Driver != "mock" || e.Code != deltacloud.AuthFailure {
		t.Fatalf("Instances = %#v; want an AuthFailure of driver mock", err)
	}
	if got, want := err.Error(), "deltacloud: mock: Instances: Authentication Failure"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}

// TestCancelledMidCall: a driver that reports the end of the context as a
// Timeout while the caller cancelled is relabelled Canceled, which is not
// temporary; the context's error stays in the chain.
func TestCancelledMidCall(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := &scripted{state: deltacloud.StateRunning, exists: true,
		actFaults: []error{&deltacloud.Error{Code: deltacloud.Timeout, Err: context.Canceled}},
		beforeAct: func(*scripted, deltacloud.Action) { cancel() }}
	p := openScripted(t, s)
	_, err := p.Stop(ctx, "i-1")
	if !errors.Is(err, deltacloud.ErrCanceled) || !errors.Is(err, context.Canceled) || deltacloud.CodeOf(err).Temporary() {
		t.Errorf("Stop cancelled mid-call = %v (code %v); want ErrCanceled wrapping context.Canceled, not temporary", err, deltacloud.CodeOf(err))
	}
	var e *deltacloud.Error
	if errors.As(err, &e) && (e.Driver != "drive-scripted" || e.Provider != t.Name()) {
		t.Errorf("error names driver %q provider %q; want drive-scripted, %s", e.Driver, e.Provider, t.Name())
	}
}
