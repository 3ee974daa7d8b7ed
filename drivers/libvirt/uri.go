package libvirt

import (
	"net"
	"net/url"
	"path"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// The default sockets of a local daemon, as libvirt's clients use them.
const (
	// SystemSocket is the socket of the system daemon (qemu:///system,
	// test:///default without a socket parameter).
	SystemSocket = "/run/libvirt/libvirt-sock"
	// DefaultTCPPort is libvirtd's port for qemu+tcp:// without a port.
	DefaultTCPPort = "16509"
	// DefaultURI is the provider used when Config.Provider is empty.
	DefaultURI = "qemu:///system"
	// maxURILen bounds a provider string.
	maxURILen = 1024
	// maxSocketPath is the longest unix socket path Linux takes.
	maxSocketPath = 107
)

// Endpoint is where a provider's URI says to connect: the transport the
// driver dials itself, and the URI the daemon is then asked to open.
type Endpoint struct {
	// Network is "unix" or "tcp".
	Network string
	// Address is the socket path or host:port dialled.
	Address string
	// Remote is the URI sent to the daemon once connected, without
	// transport and parameters ("qemu:///system", "test:///default").
	Remote string
}

// ParseURI checks a libvirt URI given as Config.Provider and says what
// the driver dials. It accepts:
//
//	qemu:///system, qemu:///session    the local daemon's unix socket
//	test:///default                    the daemon's built-in test driver
//	…?socket=/abs/path                 an explicit unix socket
//	qemu+unix:///system?socket=…       the same, transport spelled out
//	qemu+tcp://host[:port]/system      plain TCP (no TLS, no SASL)
//
// qemu:///session without a socket parameter is refused: its socket lies
// in the calling user's runtime directory, an ambient location the driver
// does not guess. Transports that need the host's own secrets or programs
// (ssh, libssh, tls) are ErrNotSupported; user information in the URI,
// test driver files (test:///path.xml) and unknown parameters are
// ErrInvalidArgument. An empty string is DefaultURI.
func ParseURI(s string) (Endpoint, error) {
	if s == "" {
		s = DefaultURI
	}
	if len(s) > maxURILen {
		return Endpoint{}, invalid("libvirt URI is %d bytes long; at most %d", len(s), maxURILen)
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" {
		return Endpoint{}, invalid("libvirt URI %q is not a URI such as qemu:///system", deltacloud.RedactProvider(s))
	}
	if u.User != nil {
		return Endpoint{}, invalid("libvirt URI must not carry user information; credentials are Config.Credentials")
	}
	driver, transport, _ := strings.Cut(u.Scheme, "+")
	switch driver {
	case "qemu", "test":
	default:
		return Endpoint{}, notSupported("libvirt URI scheme %q: want qemu or test (with +unix or +tcp)", u.Scheme)
	}
	switch transport {
	case "", "unix", "tcp":
	case "ssh", "libssh", "libssh2", "tls", "ext":
		return Endpoint{}, notSupported("libvirt transport %q is not supported: it needs the server host's own keys, certificates or programs; use a unix socket or qemu+tcp", transport)
	default:
		return Endpoint{}, notSupported("libvirt transport %q is not supported", transport)
	}
	if transport == "" && u.Host != "" {
		return Endpoint{}, notSupported("libvirt URI with a host and no transport means TLS, which is not supported; use qemu+tcp://%s/…", u.Host)
	}
	want := map[string][]string{"qemu": {"/system", "/session"}, "test": {"/default"}}[driver]
	if !contains(want, u.Path) {
		return Endpoint{}, invalid("libvirt URI path %q: the %s driver takes %s", u.Path, driver, strings.Join(want, " or "))
	}
	q := u.Query()
	for k := range q {
		if k != "socket" {
			return Endpoint{}, invalid("libvirt URI parameter %q is not supported (only socket)", k)
		}
	}
	e := Endpoint{Remote: driver + "://" + u.Path}
	if transport == "tcp" {
		if q.Has("socket") {
			return Endpoint{}, invalid("the socket parameter does not apply to qemu+tcp")
		}
		host, port := u.Hostname(), u.Port()
		if host == "" {
			return Endpoint{}, invalid("qemu+tcp URI names no host")
		}
		if port == "" {
			port = DefaultTCPPort
		}
		e.Network, e.Address = "tcp", net.JoinHostPort(host, port)
		return e, nil
	}
	e.Network = "unix"
	sock := q.Get("socket")
	switch {
	case sock != "":
		if !path.IsAbs(sock) || path.Clean(sock) != sock || len(sock) > maxSocketPath {
			return Endpoint{}, invalid("socket %q: want a clean absolute path of at most %d bytes", sock, maxSocketPath)
		}
		e.Address = sock
	case u.Path == "/session":
		return Endpoint{}, invalid("qemu:///session needs ?socket=/path/to/libvirt-sock: the session socket is per user")
	default:
		e.Address = SystemSocket
	}
	return e, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
