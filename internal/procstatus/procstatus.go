// Package procstatus reads memory figures of the running process from
// Linux's /proc/self/status, for the tests that bound a blob transfer's
// peak memory, and the CPU time of a process from /proc/<pid>/stat, for
// the load tests that report CPU per request.
package procstatus

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// KiB returns a "<field>: <n> kB" line of /proc/self/status in KiB, e.g.
// "VmHWM" (peak resident set) or "VmRSS". A missing file or field is an
// error, never zero, so a memory bound cannot pass by not measuring.
func KiB(field string) (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return parse(bufio.NewScanner(f), field)
}

func parse(sc *bufio.Scanner, field string) (int64, error) {
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		v, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/self/status %s: %w", field, err)
		}
		return v, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("/proc/self/status has no " + field)
}
