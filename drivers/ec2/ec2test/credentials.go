package ec2test

import (
	"net/http"
	"slices"
)

// ExpiredSessionToken is the session token the fake refuses with
// ExpiredToken, as EC2 refuses temporary credentials past their expiry.
const ExpiredSessionToken = "expired-token"

// noteSecurityToken records the session token a request carries (the
// X-Amz-Security-Token header of temporary credentials) and refuses the
// expired one. The caller holds s.mu.
func (s *Server) noteSecurityToken(r *http.Request) *apiError {
	tok := r.Header.Get("X-Amz-Security-Token")
	s.securityTokens = append(s.securityTokens, tok)
	if tok == ExpiredSessionToken {
		return errf(400, "ExpiredToken", "The security token included in the request is expired")
	}
	return nil
}

// SecurityTokens returns the X-Amz-Security-Token header of every request
// the fake has received, in order ("" for requests without one).
func (s *Server) SecurityTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.securityTokens)
}
