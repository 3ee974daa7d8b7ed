// Command server serves the Deltacloud REST API over any registered driver,
// with the flags of the original deltacloudd:
//
//	go run ./examples/server                                  # mock driver on localhost:3001
//	go run ./examples/server -i mock -r 127.0.0.1 -p 3001
//	curl -u mockuser:mockpassword http://localhost:3001/api/instances
//
// Flags: -i driver (default mock), -r host (default localhost), -p port
// (default 3001), -P provider, -storage (mock state directory; default
// $DELTACLOUD_MOCK_STORAGE or deltacloud-$USER/mock in os.TempDir(), that
// is $TMPDIR or /tmp, so instances
// survive restarts as with the original), -allow-ambient-credentials (off:
// a request acts only with the credentials it carries, never with this
// host's cloud identity), -read-header-timeout (10s), -body-idle-timeout
// (30s: how long a request body, a blob upload say, may send nothing) and
// -idle-timeout (2m, keep-alive connections), -o [driver.]name=value (a
// driver option, repeatable; e.g. -o firewalls=true serves the mock's
// firewalls, -o ec2.endpoint=http://127.0.0.1:5000 points ec2 at an
// emulator, -i hetzner -o endpoint=… points hetzner at a fake API; -h
// lists the ec2 driver's options). SIGINT or SIGTERM shut the server
// down gracefully: requests in flight may finish for up to ten seconds.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/deltacloud-go/deltacloud/api"
	_ "github.com/deltacloud-go/deltacloud/drivers/all" // every driver, chosen by name
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stderr, nil))
}

// defaultStorage is where the original keeps mock state.
func defaultStorage() string {
	if d := os.Getenv("DELTACLOUD_MOCK_STORAGE"); d != "" {
		return d
	}
	user := os.Getenv("USER")
	if user == "" {
		user = "nobody"
	}
	return filepath.Join(os.TempDir(), "deltacloud-"+user, "mock")
}

// run serves until ctx ends or a signal arrives. ready, if not nil, receives
// the listening address once the server accepts connections.
func run(ctx context.Context, args []string, stderr io.Writer, ready chan<- string) int {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	driver := fs.String("i", "mock", "driver to serve by default")
	host := fs.String("r", "localhost", "host (address) to listen on")
	port := fs.Int("p", 3001, "port to listen on (0: any free port)")
	provider := fs.String("P", "", "provider to use by default")
	storage := fs.String("storage", defaultStorage(), "mock driver: directory of the persistent mock state")
	ambient := fs.Bool("allow-ambient-credentials", false,
		"let requests without credentials act with this host's own cloud identity (environment, credential files, instance roles) and the -P URL's user:password; only for a server no one else can reach")
	driverOpts := driverOptions{}
	fs.Var(driverOpts, "o", "driver option [driver.]name=value, repeatable (default driver: -i), e.g. -o firewalls=true")
	headerTimeout := fs.Duration("read-header-timeout", 10*time.Second, "longest time to read a request's headers")
	bodyIdle := fs.Duration("body-idle-timeout", 30*time.Second,
		"longest time a request body may send nothing (uploads may take long, but may not stall); 0: no bound")
	idleTimeout := fs.Duration("idle-timeout", 2*time.Minute, "how long an idle keep-alive connection stays open")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage of server:")
		fs.PrintDefaults()
		printDriverOptions(fs.Output())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || *port < 0 || *port > 65535 {
		fmt.Fprintln(stderr, "server: bad arguments; see -h")
		return 2
	}
	opts := driverOpts.resolve(*driver, *storage)
	log := slog.New(slog.NewTextHandler(stderr, nil))
	h := api.NewHandler(api.Options{
		Driver: *driver, Provider: *provider, Logger: log, AllowAmbientCredentials: *ambient,
		DriverOptions: opts,
	})
	defer h.Close()
	// The API owns every path under /api, including /api;driver=…/…,
	// which no ServeMux pattern matches; / is a page listing the frontends.
	root := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/api"):
			h.ServeHTTP(w, r)
		case r.URL.Path == "/" && !wantsHTML(r):
			// A client pointed at the server root instead of /api would
			// otherwise get this page and fail later, misleadingly.
			http.Redirect(w, r, "/api", http.StatusMovedPermanently)
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Deltacloud</title></head>`+
				`<body><h1>Deltacloud</h1><ul><li><a href="/api">Deltacloud API</a></li></ul></body></html>`)
		default:
			http.NotFound(w, r)
		}
	})

	ln, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(stderr, "server: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: idleBodies(root, *bodyIdle), ReadHeaderTimeout: *headerTimeout, IdleTimeout: *idleTimeout}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("deltacloud API listening", "url", "http://"+ln.Addr().String()+"/api", "driver", *driver)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "server: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "server: shutdown: %v\n", err)
		return 1
	}
	log.Info("deltacloud API stopped")
	return 0
}

// wantsHTML reports whether the request asks for a page (a browser, or no
// preference) rather than a Deltacloud document (XML or JSON).
func wantsHTML(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	f := r.URL.Query().Get("format")
	if f == "xml" || f == "json" {
		return false
	}
	return accept == "" || strings.Contains(accept, "html") || strings.HasPrefix(accept, "*/*") ||
		!(strings.Contains(accept, "xml") || strings.Contains(accept, "json"))
}
