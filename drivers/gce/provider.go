package gce

import (
	"regexp"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// Scope is where a provider works: one project and one region.
type Scope struct {
	Project string
	Region  string
}

var (
	projectRE = regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
	regionRE  = regexp.MustCompile(`^[a-z]+(-[a-z]+)+[0-9]{1,2}$`)
)

// ParseProvider reads Config.Provider, "project/region" (or "region",
// with the project from the option project or the key). An empty project
// is left for the caller to fill; a malformed one is InvalidArgument.
func ParseProvider(p string) (Scope, error) {
	p = strings.TrimSpace(p)
	if len(p) > 128 {
		return Scope{}, invalid("provider is %d characters long; want project/region", len(p))
	}
	var s Scope
	if project, region, ok := strings.Cut(p, "/"); ok {
		s = Scope{Project: project, Region: region}
	} else {
		s.Region = p
	}
	if s.Project != "" && !projectRE.MatchString(s.Project) {
		return Scope{}, invalid("provider %q: %q is not a project id", p, s.Project)
	}
	if s.Region != "" && !regionRE.MatchString(s.Region) {
		return Scope{}, invalid("provider %q: %q is not a region such as us-central1", p, s.Region)
	}
	return s, nil
}

// checkProject checks a project id from an option or a key.
func checkProject(p string) error {
	if !projectRE.MatchString(p) {
		return invalid("%q is not a project id", truncate(p))
	}
	return nil
}

func invalid(format string, args ...any) *deltacloud.Error {
	e := deltacloud.Errorf(deltacloud.InvalidArgument, format, args...)
	e.Message = "gce: " + e.Message
	return e
}
