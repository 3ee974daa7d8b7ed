package libvirt

import (
	"crypto/sha256"
	"crypto/subtle"

	"github.com/deltacloud-go/deltacloud"
)

// checkCredentials decides whether a provider may use the daemon at all.
// go-libvirt speaks no SASL, so a daemon socket is an authority the server
// host holds; requests prove their right to it with the credentials the
// operator configured (options user and password), compared in constant
// time. Without Config.NoAmbientCredentials and without credentials, the
// caller is the host's own program and may use the socket. The error never
// holds the password.
func checkCredentials(cfg deltacloud.Config, o options) error {
	c := cfg.Credentials
	if c.User == "" && c.Password == "" {
		if cfg.NoAmbientCredentials {
			return errNoCredentials
		}
		return nil
	}
	if !o.hasUser {
		return &deltacloud.Error{Code: deltacloud.AuthFailure,
			Message: "libvirt: credentials were given, but the provider has no user and password options to check them against"}
	}
	// Hashing first makes the comparison independent of the lengths.
	u, p := sha256.Sum256([]byte(c.User)), sha256.Sum256([]byte(c.Password))
	okUser := subtle.ConstantTimeCompare(u[:], o.user[:])
	okPass := subtle.ConstantTimeCompare(p[:], o.password[:])
	if okUser&okPass != 1 {
		return &deltacloud.Error{Code: deltacloud.AuthFailure, Message: "libvirt: user or password rejected"}
	}
	return nil
}

// errNoCredentials refuses an anonymous request of a server.
var errNoCredentials = &deltacloud.Error{Code: deltacloud.AuthFailure,
	Message: "libvirt: no credentials given, and Config.NoAmbientCredentials forbids using the server's own libvirt socket"}
