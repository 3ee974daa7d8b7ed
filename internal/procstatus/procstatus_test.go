package procstatus

import (
	"bufio"
	"runtime"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const status = "Name:\tblobmem\nVmPeak:\t  812345 kB\nVmHWM:\t   16180 kB\nVmRSS:\t   15000 kB\nThreads:\t7\n"
	cases := []struct {
		field string
		want  int64
		ok    bool
	}{
		{"VmHWM", 16180, true},
		{"VmRSS", 15000, true},
		{"Threads", 7, true},
		{"VmSwap", 0, false},
		{"Name", 0, false},
	}
	for _, c := range cases {
		got, err := parse(bufio.NewScanner(strings.NewReader(status)), c.field)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parse(%s) = %d, %v; want %d, ok %v", c.field, got, err, c.want, c.ok)
		}
	}
}

func TestKiBOfThisProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/self/status is Linux's")
	}
	peak, err := KiB("VmHWM")
	if err != nil || peak <= 0 {
		t.Fatalf("KiB(VmHWM) = %d, %v; want a positive figure", peak, err)
	}
}
