package procstatus

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	cases := []struct {
		name string
		line string
		want time.Duration
		ok   bool
	}{
		{"plain", "4242 (server) S 1 4242 4242 0 -1 4194560 1200 0 0 0 150 25 0 0 20 0 9 0 123 0 0", 1750 * time.Millisecond, true},
		{"name with spaces and parens", "7 (a b) c)) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 5 0 0", 70 * time.Millisecond, true},
		{"no command name", "4242 server S 1", 0, false},
		{"short", "4242 (server) S 1 2 3", 0, false},
		{"not a number", "4242 (server) S 1 4242 4242 0 -1 0 0 0 0 0 x 25 0", 0, false},
	}
	for _, c := range cases {
		got, err := parseStatCPU(c.line)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("%s: parseStatCPU = %v, %v; want %v, ok %v", c.name, got, err, c.want, c.ok)
		}
	}
}

func TestCPUTimeOfThisProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/<pid>/stat is Linux's")
	}
	before, err := CPUTime(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	// Spin until the kernel has counted at least two more ticks.
	deadline := time.Now().Add(10 * time.Second)
	after := before
	for x := 0; after < before+20*time.Millisecond && time.Now().Before(deadline); x++ {
		for i := range 1 << 20 {
			x ^= i
		}
		if after, err = CPUTime(os.Getpid()); err != nil {
			t.Fatal(err)
		}
	}
	if after < before+20*time.Millisecond {
		t.Errorf("CPU time went from %v to %v while spinning for 10s", before, after)
	}
	if _, err := CPUTime(-1); err == nil {
		t.Error("CPUTime(-1) succeeded")
	}
}
