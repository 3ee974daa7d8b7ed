package api

import (
	"net/url"
	"strings"
)

// splitMatrix removes the matrix parameters (";k=v") from every segment of an
// escaped path, returning the clean unescaped segments and the parameters of
// each segment, keyed by the segment's clean name (as the original: only
// api[driver] and api[provider] mean anything; nil when there are none).
// A segment that cannot be unescaped makes ok false. The segments are
// appended to dst.
func splitMatrix(escapedPath string, dst []string) (segments []string, matrix map[string]map[string]string, ok bool) {
	segments = dst
	// Segments and parameters are cut off one by one rather than split
	// into slices: this runs on every request.
	for raw := range strings.SplitSeq(strings.Trim(escapedPath, "/"), "/") {
		if raw == "" {
			// "/api//instances" is "/api/instances", as the original
			// answers it (the Ruby client builds such paths from a base
			// URL ending in "/").
			continue
		}
		first, params, _ := strings.Cut(raw, ";")
		name, err := url.PathUnescape(first)
		if err != nil {
			return nil, nil, false
		}
		for params != "" {
			var kv string
			kv, params, _ = strings.Cut(params, ";")
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			k, err1 := url.PathUnescape(k)
			v, err2 := url.PathUnescape(v)
			if err1 != nil || err2 != nil {
				return nil, nil, false
			}
			if matrix == nil {
				matrix = map[string]map[string]string{}
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
