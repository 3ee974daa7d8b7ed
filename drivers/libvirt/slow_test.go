package libvirt_test

import (
	"net"
	"sync/atomic"
	"time"
)

// slowDaemon makes the connections it wraps hold every write while it is
// slow, so a test can cancel calls mid-flight: the held writes go on once
// it is fast again.
type slowDaemon struct{ slow atomic.Bool }

func (s *slowDaemon) wrap(c net.Conn) net.Conn { return &slowConn{Conn: c, s: s} }

type slowConn struct {
	net.Conn
	s *slowDaemon
}

func (c *slowConn) Write(b []byte) (int, error) {
	for c.s.slow.Load() {
		time.Sleep(5 * time.Millisecond)
	}
	return c.Conn.Write(b)
}
