package loadtest_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/internal/procstatus"
)

var (
	conns  = flag.Int("loadtest.conns", 4, "keep-alive connections of the load generator (2-8 as wrk -c8 -t2 would)")
	rounds = flag.Int("loadtest.rounds", 4, "alternating runs per server; b.N requests are shared among them")
)

// binDir holds the programs built for this test binary's run.
var binDir string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "loadtest-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// programs are the three processes of a measurement.
type programs struct{ server, bare, loadgen string }

var (
	buildOnce sync.Once
	built     programs
	buildErr  error
)

// build compiles the programs once per test binary; without a Go toolchain
// or /proc the test is skipped unless DELTACLOUD_TEST_STRICT=1.
func build(tb testing.TB) programs {
	tb.Helper()
	if runtime.GOOS != "linux" {
		skipOrFail(tb, "needs Linux's /proc for the CPU figures")
	}
	buildOnce.Do(func() {
		goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goBin); err != nil {
			if goBin, err = exec.LookPath("go"); err != nil {
				buildErr = fmt.Errorf("no go command: %w", err)
				return
			}
		}
		for _, p := range []struct{ out, pkg string }{
			{"server", "github.com/deltacloud-go/deltacloud/examples/server"},
			{"bare", "github.com/deltacloud-go/deltacloud/internal/loadtest/bare"},
			{"loadgen", "github.com/deltacloud-go/deltacloud/internal/loadtest/loadgen"},
		} {
			out, err := exec.Command(goBin, "build", "-o", filepath.Join(binDir, p.out), p.pkg).CombinedOutput()
			if err != nil {
				buildErr = fmt.Errorf("go build %s: %v\n%s", p.pkg, err, out)
				return
			}
		}
		built = programs{filepath.Join(binDir, "server"), filepath.Join(binDir, "bare"), filepath.Join(binDir, "loadgen")}
	})
	if buildErr != nil {
		if errors.Is(buildErr, exec.ErrNotFound) {
			skipOrFail(tb, buildErr.Error())
		}
		tb.Fatal(buildErr)
	}
	return built
}

func skipOrFail(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("DELTACLOUD_TEST_STRICT") == "1" {
		tb.Fatal(why)
	}
	tb.Skip(why + " (DELTACLOUD_TEST_STRICT=1 makes this a failure)")
}

// proc is a started server process and the address it listens on.
type proc struct {
	cmd  *exec.Cmd
	addr string
}

// start runs a server, reads its address from the first line of out (its
// stdout or stderr) matching find, and kills it when the test ends.
func start(tb testing.TB, find func(line string) (string, bool), fromStderr bool, name string, args ...string) *proc {
	tb.Helper()
	cmd := exec.Command(name, args...)
	var pipe io.ReadCloser
	var err error
	if fromStderr {
		pipe, err = cmd.StderrPipe()
	} else {
		pipe, err = cmd.StdoutPipe()
	}
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			if a, ok := find(sc.Text()); ok {
				found <- a
				break
			}
		}
		io.Copy(io.Discard, pipe) // never let the server block on its log
	}()
	select {
	case a := <-found:
		return &proc{cmd: cmd, addr: a}
	case <-time.After(30 * time.Second):
		tb.Fatalf("%s did not say where it listens within 30s", name)
		return nil
	}
}

// target is one measured format: the handler's server and the bare server
// answering its recorded response.
type target struct {
	path           string
	handler, bare  *proc
	body           []byte
	handlerHeaders http.Header
}

// startPair starts examples/server on the mock (fresh state) and a bare
// server replaying the handler's response to path.
func startPair(tb testing.TB, ps programs, path string) *target {
	tb.Helper()
	srv := start(tb, func(line string) (string, bool) {
		_, url, ok := strings.Cut(line, "url=http://")
		if !ok {
			return "", false
		}
		addr, _, _ := strings.Cut(url, "/")
		return addr, true
	}, true, ps.server, "-i", "mock", "-r", "127.0.0.1", "-p", "0", "-storage", tb.TempDir())
	resp := get(tb, srv.addr, path)
	dump, err := httputil.DumpResponse(resp, true)
	if err != nil {
		tb.Fatal(err)
	}
	file := filepath.Join(tb.TempDir(), "response.http")
	if err := os.WriteFile(file, dump, 0o600); err != nil {
		tb.Fatal(err)
	}
	bare := start(tb, func(line string) (string, bool) {
		a, ok := strings.CutPrefix(line, "listening ")
		return a, ok
	}, false, ps.bare, "-addr", "127.0.0.1:0", "-response", file)
	body, _ := io.ReadAll(resp.Body)
	return &target{path: path, handler: srv, bare: bare, body: body, handlerHeaders: resp.Header}
}

// get fetches path with the mock's credentials, which must answer 200.
func get(tb testing.TB, addr, path string) *http.Response {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	req.SetBasicAuth(mock.User, mock.Password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d, %v\n%s", path, resp.StatusCode, err, body)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp
}

// run is one load run's figures.
type run struct {
	Requests int64   `json:"requests"`
	Seconds  float64 `json:"seconds"`
	BodyLen  int64   `json:"body_len"`
	cpu      time.Duration
}

// load drives the server at p with n requests from the load generator and
// measures the server's CPU time meanwhile.
func load(tb testing.TB, ps programs, p *proc, path string, n int) run {
	tb.Helper()
	cpu0, err := procstatus.CPUTime(p.cmd.Process.Pid)
	if err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(ps.loadgen, "-addr", p.addr, "-path", path, "-user", mock.User, "-password", mock.Password,
		"-conns", strconv.Itoa(*conns), "-n", strconv.Itoa(n)).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			tb.Fatalf("loadgen: %v\n%s", err, ee.Stderr)
		}
		tb.Fatalf("loadgen: %v", err)
	}
	cpu1, err := procstatus.CPUTime(p.cmd.Process.Pid)
	if err != nil {
		tb.Fatal(err)
	}
	var r run
	if err := json.Unmarshal(out, &r); err != nil || r.Requests != int64(n) || r.Seconds <= 0 {
		tb.Fatalf("loadgen said %q (%v)", out, err)
	}
	r.cpu = cpu1 - cpu0
	return r
}

// TestServersAnswerTheSame checks the harness itself: both servers answer
// the same body with the same content headers, and the load generator
// completes a short run against each, with every body of that length.
func TestServersAnswerTheSame(t *testing.T) {
	ps := build(t)
	for _, format := range []string{"xml", "json"} {
		path := "/api/instances?format=" + format
		tg := startPair(t, ps, path)
		bare := get(t, tg.bare.addr, path)
		body, _ := io.ReadAll(bare.Body)
		if !bytes.Equal(body, tg.body) {
			t.Errorf("%s: the bare server's body differs:\n%s\nfrom the handler's:\n%s", format, body, tg.body)
		}
		for _, h := range []string{"Content-Type", "ETag", "Content-Length", "X-Deltacloud-Driver", "Content-Security-Policy"} {
			if got, want := bare.Header.Get(h), tg.handlerHeaders.Get(h); got != want || want == "" {
				t.Errorf("%s: header %s: bare %q, handler %q", format, h, got, want)
			}
		}
		if format == "xml" && strings.Count(string(tg.body), "<instance ") != 4 {
			t.Errorf("the mock lists %d instances, want 4:\n%s", strings.Count(string(tg.body), "<instance "), tg.body)
		}
		for _, p := range []*proc{tg.handler, tg.bare} {
			if r := load(t, ps, p, path, 200); r.BodyLen != int64(len(tg.body)) {
				t.Errorf("%s: loadgen read bodies of %d bytes, want %d", format, r.BodyLen, len(tg.body))
			}
		}
	}
}

// BenchmarkInstances serves GET /api/instances (4 mock instances) in XML
// and in JSON from examples/server and from the bare server, each driven
// by the load generator in its own process over -loadtest.conns keep-alive
// connections. b.N requests go to each server, in -loadtest.rounds
// alternating runs after a warm-up. It reports req/s and bare-req/s, their
// ratio x-bare-throughput (the goal is at least 0.6), each server's CPU
// per request (cpu-us/req, bare-cpu-us/req; 10ms resolution in all) and
// their ratio x-bare-cpu, the steadier figure on a machine that is busy
// with other work.
func BenchmarkInstances(b *testing.B) {
	for _, format := range []string{"xml", "json"} {
		b.Run(format, func(b *testing.B) {
			ps := build(b)
			path := "/api/instances?format=" + format
			tg := startPair(b, ps, path)
			warm := min(max(b.N/10, 1), 2000)
			load(b, ps, tg.handler, path, warm)
			load(b, ps, tg.bare, path, warm)
			k := max(*rounds, 1)
			per := max(b.N/k, 1)
			var h, bare run
			b.ResetTimer()
			for range k {
				r := load(b, ps, tg.handler, path, per)
				h.Requests, h.Seconds, h.cpu = h.Requests+r.Requests, h.Seconds+r.Seconds, h.cpu+r.cpu
				r = load(b, ps, tg.bare, path, per)
				bare.Requests, bare.Seconds, bare.cpu = bare.Requests+r.Requests, bare.Seconds+r.Seconds, bare.cpu+r.cpu
			}
			b.StopTimer()
			hRate, bRate := float64(h.Requests)/h.Seconds, float64(bare.Requests)/bare.Seconds
			b.ReportMetric(hRate, "req/s")
			b.ReportMetric(bRate, "bare-req/s")
			b.ReportMetric(hRate/bRate, "x-bare-throughput")
			hCPU := float64(h.cpu.Microseconds()) / float64(h.Requests)
			bCPU := float64(bare.cpu.Microseconds()) / float64(bare.Requests)
			b.ReportMetric(hCPU, "cpu-us/req")
			b.ReportMetric(bCPU, "bare-cpu-us/req")
			// On a busy machine the wall-clock rates move with the other
			// load; the servers' own CPU per request moves much less.
			if hCPU > 0 {
				b.ReportMetric(bCPU/hCPU, "x-bare-cpu")
			}
		})
	}
}
