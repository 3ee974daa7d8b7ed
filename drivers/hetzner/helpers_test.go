package hetzner_test

import (
	"io"
	"log/slog"
	"strings"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func cut(s string) (string, string, bool) { return strings.Cut(s, "=") }
