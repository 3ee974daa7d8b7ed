// Package libvirttest starts a private, unprivileged libvirtd for tests:
// its sockets, configuration, caches and storage live in one temporary
// directory, so tests never touch the host's own daemon, domains or pools,
// and nothing is left behind once it is stopped. As root the daemon runs as
// the unprivileged user "nobody" (the directory is handed to it); otherwise
// as the current user. Its qemu.conf sets stdio_handler = "file", so no
// virtlogd is needed, and QEMU runs without KVM (TCG) when /dev/kvm is not
// usable.
//
// A test binary starts one daemon and shares it (Shared, with StopShared in
// TestMain): starting one costs about a second, probing QEMU's capabilities
// on first use another.
package libvirttest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Daemon is a running private libvirtd.
type Daemon struct {
	// Dir is the temporary directory holding everything of the daemon.
	Dir string
	// Socket is the path of its read-write unix socket.
	Socket string
	// PoolDir is a directory the daemon's user may use as a storage pool.
	PoolDir string
	// PID is the daemon's process id.
	PID int

	cmd  *exec.Cmd
	done chan struct{}
	log  string
	uid  int
}

// Programs are the programs the daemon needs.
var Programs = []string{"libvirtd", "qemu-system-x86_64"}

// Find reports the path of libvirtd, or why the daemon cannot be started
// here, or the driver's tests not run (a program missing: libvirtd, QEMU,
// or an ISO writer for the cloud-init seeds).
func Find() (string, error) {
	var libvirtd string
	for _, p := range Programs {
		path, err := exec.LookPath(p)
		if err != nil {
			// libvirtd lives in /usr/sbin, which a user's PATH may lack.
			if alt := filepath.Join("/usr/sbin", p); fileExists(alt) {
				path = alt
			} else {
				return "", fmt.Errorf("%s is not installed (Debian: apt-get install libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86)", p)
			}
		}
		if p == "libvirtd" {
			libvirtd = path
		}
	}
	// The driver's cloud-init seeds, which the tests make, need an ISO
	// writer.
	for _, tool := range []string{"genisoimage", "xorriso", "mkisofs"} {
		if _, err := exec.LookPath(tool); err == nil {
			return libvirtd, nil
		}
	}
	return "", fmt.Errorf("none of genisoimage, xorriso or mkisofs is installed (Debian: apt-get install genisoimage)")
}

// Start starts a daemon in a new temporary directory and waits until its
// socket accepts connections (bounded by ctx).
func Start(ctx context.Context) (*Daemon, error) {
	exe, err := Find()
	if err != nil {
		return nil, err
	}
	removeStale()
	dir, err := os.MkdirTemp("", "libvirttest-")
	if err != nil {
		return nil, err
	}
	d := &Daemon{Dir: dir, PoolDir: filepath.Join(dir, "pool"), done: make(chan struct{}), uid: -1}
	fail := func(err error) (*Daemon, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	for _, sub := range []string{"run", "config/libvirt", "cache", "data", "home", "pool"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return fail(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return fail(err)
	}
	conf := "# written by libvirttest\nstdio_handler = \"file\"\n"
	if err := os.WriteFile(filepath.Join(dir, "config/libvirt/qemu.conf"), []byte(conf), 0o600); err != nil {
		return fail(err)
	}
	cmd := exec.Command(exe)
	cmd.Dir = dir
	// Should the test binary die without stopping it (a test timeout),
	// the daemon goes too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	cmd.Env = []string{
		"HOME=" + filepath.Join(dir, "home"),
		"XDG_RUNTIME_DIR=" + filepath.Join(dir, "run"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	}
	if os.Geteuid() == 0 {
		uid, gid, err := nobody()
		if err != nil {
			return fail(err)
		}
		if err := chownAll(dir, uid, gid); err != nil {
			return fail(err)
		}
		// The directory's parent (the system temp dir) is traversable
		// by all; the directory itself becomes nobody's.
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
		d.uid = uid
	}
	d.log = filepath.Join(dir, "libvirtd.log")
	logf, err := os.Create(d.log)
	if err != nil {
		return fail(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fail(fmt.Errorf("starting %s: %w", exe, err))
	}
	logf.Close()
	d.cmd, d.PID = cmd, cmd.Process.Pid
	go func() { cmd.Wait(); close(d.done) }()
	d.Socket = filepath.Join(dir, "run/libvirt/libvirt-sock")
	for {
		c, err := net.DialTimeout("unix", d.Socket, time.Second)
		if err == nil {
			c.Close()
			return d, nil
		}
		select {
		case <-d.done:
			tail := d.logTail()
			os.RemoveAll(dir)
			return nil, fmt.Errorf("libvirtd exited at start: %s", tail)
		case <-ctx.Done():
			d.Stop()
			return nil, fmt.Errorf("libvirtd did not open %s: %w", d.Socket, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// URI is the libvirt URI of one of the daemon's drivers ("qemu" or "test")
// through its socket: qemu:///session?socket=… for QEMU and
// test:///default?socket=… for the test driver.
func (d *Daemon) URI(driver string) string {
	path := "/session"
	if driver == "test" {
		path = "/default"
	}
	return driver + "://" + path + "?socket=" + d.Socket
}

// Stop kills the QEMU processes the daemon started (their pid files are in
// its directory), stops the daemon by its PID, waits for it and removes the
// directory.
func (d *Daemon) Stop() error {
	var errs []error
	pids, _ := filepath.Glob(filepath.Join(d.Dir, "run/libvirt/qemu/run/*.pid"))
	for _, f := range pids {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 1 {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	if d.cmd != nil {
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.done:
		case <-time.After(10 * time.Second):
			d.cmd.Process.Kill()
			<-d.done
		}
	}
	if err := os.RemoveAll(d.Dir); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ownerFile holds the pid of the test binary that started a daemon.
const ownerFile = "owner.pid"

// removeStale removes what a test binary killed before its Stop left: the
// directories of daemons whose binary is gone (the daemon itself dies with
// it), after killing their QEMU processes.
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "libvirttest-*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue // starting, or not ours to judge
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 1 || alive(pid) {
			continue
		}
		(&Daemon{Dir: dir}).Stop()
	}
}

// alive reports whether a process runs (a zombie does not).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return syscall.Kill(pid, 0) != syscall.ESRCH
	}
	_, rest, ok := strings.Cut(string(b), ") ")
	return ok && !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

// Chown hands a file the test made to the daemon's user (when it runs as
// another one), so that its QEMU can open it.
func (d *Daemon) Chown(path string) error {
	if d.uid < 0 {
		return nil
	}
	_, gid, err := nobody()
	if err != nil {
		return err
	}
	return os.Chown(path, d.uid, gid)
}

// logTail is the end of the daemon's log, for errors.
func (d *Daemon) logTail() string {
	b, _ := os.ReadFile(d.log)
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = s[len(s)-2000:]
	}
	return s
}

// nobody returns the uid and gid of the unprivileged user "nobody".
func nobody() (int, int, error) {
	u, err := user.Lookup("nobody")
	if err != nil {
		return 0, 0, fmt.Errorf("running libvirtd as root needs the user nobody: %w", err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("user nobody has uid %q gid %q", u.Uid, u.Gid)
	}
	return uid, gid, nil
}

func chownAll(dir string, uid, gid int) error {
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Strict reports whether DELTACLOUD_TEST_STRICT=1: tests that need the
// daemon then fail instead of skipping when it cannot run.
func Strict() bool { return os.Getenv("DELTACLOUD_TEST_STRICT") == "1" }

var shared struct {
	once    sync.Once
	d       *Daemon
	missing error
	err     error
}

// Shared returns the test binary's daemon, starting it on first use. When
// libvirtd or QEMU is not installed the test is skipped, or fails under
// DELTACLOUD_TEST_STRICT=1; a daemon that does not start is a failure.
// Call StopShared from TestMain.
func Shared(t testing.TB) *Daemon {
	t.Helper()
	shared.once.Do(func() {
		if _, err := Find(); err != nil {
			shared.missing = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		shared.d, shared.err = Start(ctx)
	})
	switch {
	case shared.missing != nil && !Strict():
		t.Skipf("libvirt tests skipped: %v (DELTACLOUD_TEST_STRICT=1 makes this a failure)", shared.missing)
	case shared.missing != nil:
		t.Fatalf("libvirt: %v", shared.missing)
	case shared.err != nil:
		t.Fatalf("libvirtd: %v", shared.err)
	}
	return shared.d
}

// StopShared stops the shared daemon, if one was started.
func StopShared() error {
	if shared.d == nil {
		return nil
	}
	return shared.d.Stop()
}
