package api

import (
	"net/url"
	"strings"
)

// splitMatrix removes the matrix parameters (";k=v") from every segment of an
// escaped path, returning the clean unescaped segments and the parameters of
// each segment, keyed by the segment's clean name (as the original: only
// api[driver] and api[provider] mean anything). A segment that cannot be
// unescaped makes ok false.
func splitMatrix(escapedPath string) (segments []string, matrix map[string]map[string]string, ok bool) {
	matrix = map[string]map[string]string{}
	for _, raw := range strings.Split(strings.Trim(escapedPath, "/"), "/") {
		parts := strings.Split(raw, ";")
		if raw == "" {
			// "/api//instances" is "/api/instances", as the original
			// answers it (the Ruby client builds such paths from a base
			// URL ending in "/").
			continue
		}
		name, err := url.PathUnescape(parts[0])
		if err != nil {
			return nil, nil, false
		}
		for _, kv := range parts[1:] {
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			k, err1 := url.PathUnescape(k)
			v, err2 := url.PathUnescape(v)
			if err1 != nil || err2 != nil {
				return nil, nil, false
			}
			if matrix[name] == nil {
				matrix[name] = map[string]string{}
			}
			matrix[name][k] = v
		}
		segments = append(segments, name)
	}
	if len(segments) == 1 && segments[0] == "" {
		segments = nil
	}
	return segments, matrix, true
}
