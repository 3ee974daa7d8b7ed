package ctxsleep

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSleep(t *testing.T) {
	if err := Sleep(t.Context(), time.Millisecond); err != nil {
		t.Errorf("Sleep of 1ms = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	// An hour's sleep under an ended context returns at once with its error.
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep under a cancelled context = %v, want context.Canceled", err)
	}
}
