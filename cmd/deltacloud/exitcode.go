package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// Exit codes other than the per-code ones (codeBase + Code).
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitCanceled = 130
	codeBase     = 10
)

// usageError is a command line the command cannot run: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// exitCode is the documented exit status for err.
func exitCode(err error) int {
	var u *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &u):
		return exitUsage
	}
	switch c := deltacloud.CodeOf(err); c {
	case deltacloud.Canceled:
		return exitCanceled
	case deltacloud.CodeUnknown:
		return exitFailure
	default:
		return codeBase + int(c)
	}
}

// report writes err to w as "deltacloud: message [code]" (usage errors
// without a code).
func report(w io.Writer, err error) {
	var u *usageError
	if errors.As(err, &u) {
		fmt.Fprintf(w, "deltacloud: %v (see --help)\n", err)
		return
	}
	msg := strings.TrimPrefix(err.Error(), "deltacloud: ")
	if c := deltacloud.CodeOf(err); c != deltacloud.CodeUnknown {
		fmt.Fprintf(w, "deltacloud: %s [%s]\n", msg, c.String())
		return
	}
	fmt.Fprintf(w, "deltacloud: %s\n", msg)
}
