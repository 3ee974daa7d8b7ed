package ec2test

import (
	"regexp"
	"strings"
	"time"
)

// AddImage adds an available AMI created at the given time, e.g. the
// dated builds of a public image family; the listings show it at once.
func (s *Server) AddImage(img Image, created time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.images = append(s.images, &image{Image: img, State: "available", Created: created.UTC()})
}

// matchGlob applies a filter whose values are EC2 name patterns, where *
// matches any text and ? one character (absent filters pass).
func matchGlob(fs map[string][]string, name, v string) bool {
	patterns, ok := fs[name]
	if !ok {
		return true
	}
	for _, p := range patterns {
		re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(p)) + "$"
		if ok, _ := regexp.MatchString(re, v); ok {
			return true
		}
	}
	return false
}
