package api_test

// Real-browser tests of the HTML interface: headless Chromium, driven with
// chromedp, browses from the entry point to an image, launches it through
// the launch form, and stops the new instance; uploads a file through a
// bucket's upload form and reads it back from the blob's content link; and
// creates a key through keys/new. The pages need no JavaScript.

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/deltacloud-go/deltacloud/api"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"
)

// browserNames are the executables the browser test looks for.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome"}

// browserPath finds Chromium or Chrome; without one the test skips, or
// fails when DELTACLOUD_TEST_STRICT=1 (CI installs Debian's chromium).
func browserPath(t *testing.T) string {
	t.Helper()
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium or Chrome on PATH (looked for " + strings.Join(browserNames, ", ") +
		"); install one (Debian: apt-get install chromium) to run the browser test"
	if os.Getenv("DELTACLOUD_TEST_STRICT") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// browserSession is a headless Chromium tab on a fresh mock served on
// 127.0.0.1, sending the mock's credentials with every request.
type browserSession struct {
	t     *testing.T
	ctx   context.Context
	B     string // the API's base URL
	start time.Time
}

// newBrowserSession starts the server and the browser; both end with the
// test.
func newBrowserSession(t *testing.T) *browserSession {
	t.Helper()
	exe := browserPath(t)
	start := time.Now()

	h := api.NewHandler(api.Options{DriverOptions: map[string]map[string]string{"mock": {"storage": t.TempDir()}}})
	t.Cleanup(func() { h.Close() })
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	// The browser's profile: removed after the browser has exited; a
	// failure to remove it is not the test's concern.
	profile, err := os.MkdirTemp("", "deltacloud-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })

	// The whole test, browser included, is bounded. Cleanups run last
	// first: the browser ends before the server and the profile go.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1200, 900),
		chromedp.UserDataDir(profile),
	)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)

	// Start the browser and send the mock's credentials with every
	// request of the tab, as HTTP Basic.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	t.Logf("browser started in %v", time.Since(start).Round(time.Millisecond))
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte("mockuser:mockpassword"))
	if _, err := chromedp.Call(bctx, network.SetExtraHTTPHeaders,
		network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Authorization": auth}}); err != nil {
		t.Fatal(err)
	}
	return &browserSession{t: t, ctx: bctx, B: srv.URL + "/api", start: start}
}

// loadStatus runs steps that navigate, waits for the new page and checks
// that it is an HTML page answered with status; it returns the page's URL.
func (b *browserSession) loadStatus(what string, status int, steps ...chromedp.Action[chromedp.Void]) string {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, steps...)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if int(resp.Status) != status || resp.MimeType != "text/html" {
		b.t.Fatalf("%s: %s answered %d %s, want %d text/html", what, resp.URL, resp.Status, resp.MimeType, status)
	}
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return loc
}

// load is loadStatus for a 200 page.
func (b *browserSession) load(what string, steps ...chromedp.Action[chromedp.Void]) string {
	b.t.Helper()
	return b.loadStatus(what, http.StatusOK, steps...)
}

func (b *browserSession) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *browserSession) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (b *browserSession) count(sel string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
	if err != nil {
		b.t.Fatalf("counting %s: %v", sel, err)
	}
	return n
}

func TestBrowserLaunchAndStop(t *testing.T) {
	b := newBrowserSession(t)
	bctx, B, start := b.ctx, b.B, b.start
	load, do, text, count := b.load, b.do, b.text, b.count

	// Entry point → Images → img1 → Launch.
	load("open the entry point", chromedp.Navigate(B))
	if title, _ := chromedp.Run(bctx, chromedp.Title()); !strings.Contains(title, "Deltacloud") {
		t.Errorf("entry point title %q", title)
	}
	if loc := load("follow Images", chromedp.Click(chromedp.CSS(`nav.main a[href="`+B+`/images"]`))); loc != B+"/images" {
		t.Fatalf("Images went to %s", loc)
	}
	if loc := load("open img1", chromedp.Click(chromedp.CSS(`td a[href="`+B+`/images/img1"]`))); loc != B+"/images/img1" {
		t.Fatalf("img1 went to %s", loc)
	}
	if loc := load("follow Launch", chromedp.Click(chromedp.CSS(`a.button[href="`+B+`/instances/new?image_id=img1"]`))); loc != B+"/instances/new?image_id=img1" {
		t.Fatalf("Launch went to %s", loc)
	}

	// Choose a profile (a GET that reloads the form with its fields).
	do("choose m1-large", chromedp.SetValue(chromedp.CSS(`#hwp_id-choice`), "m1-large"))
	if loc := load("submit the profile", chromedp.Click(chromedp.CSS(`#choose-profile button[type=submit]`))); !strings.Contains(loc, "hwp_id=m1-large") {
		t.Fatalf("choosing the profile went to %s", loc)
	}
	if n := count(`#launch input[name=hwp_cpu][type=number][min="1"][max="6"]`); n != 1 {
		t.Fatalf("the m1-large form has %d cpu inputs", n)
	}

	// Fill the form: a name typed in, more CPUs, the larger storage.
	do("fill the form",
		chromedp.SendKeys(chromedp.CSS(`#name`), "browser-made"),
		chromedp.SetValue(chromedp.CSS(`#hwp_cpu`), "2"),
		chromedp.SetValue(chromedp.CSS(`#hwp_storage`), "1024"),
		chromedp.SetValue(chromedp.CSS(`#realm_id`), "eu"),
	)
	loc := load("launch", chromedp.Click(chromedp.CSS(`#launch-button`)))
	if !strings.HasPrefix(loc, B+"/instances/") || strings.HasSuffix(loc, "/new") {
		t.Fatalf("launching landed on %s", loc)
	}
	if s := text("#state"); s != "RUNNING" {
		t.Errorf("new instance state %q, want RUNNING", s)
	}
	if h1 := text("h1"); !strings.Contains(h1, "browser-made") {
		t.Errorf("new instance heading %q lacks its name", h1)
	}
	if props := text("dl.props"); !strings.Contains(props, "cpu: 2") || !strings.Contains(props, "storage: 1024") || !strings.Contains(props, "eu") {
		t.Errorf("the instance does not show its choices:\n%s", props)
	}
	if n := count(`button[data-action=start]`); n != 0 {
		t.Errorf("a running instance offers Start")
	}

	// Stop it: the action's POST answers 302 back to the instance.
	if after := load("press Stop", chromedp.Click(chromedp.CSS(`button[data-action=stop]`))); after != loc {
		t.Fatalf("Stop went to %s, want %s", after, loc)
	}
	if s := text("#state"); s != "STOPPED" {
		t.Errorf("state after Stop %q, want STOPPED", s)
	}
	if n := count(`button[data-action=start]`); n != 1 {
		t.Errorf("a stopped instance offers %d Start buttons", n)
	}
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// TestBrowserUploadBlob uploads a small file through the upload form of
// bucket1 (multipart, streamed), lands on the new blob's page, follows its
// content link and checks the bytes.
func TestBrowserUploadBlob(t *testing.T) {
	b := newBrowserSession(t)
	B := b.B
	content := []byte("uploaded by a browser\x00\xff\xfe\n")
	file := filepath.Join(t.TempDir(), "upload.bin")
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}

	b.load("open bucket1", chromedp.Navigate(B+"/buckets/bucket1"))
	b.do("fill the upload form",
		chromedp.SendKeys(chromedp.CSS(`#blob_id`), "browser-blob"),
		chromedp.SendKeys(chromedp.CSS(`#meta_name1`), "origin"),
		chromedp.SendKeys(chromedp.CSS(`#meta_value1`), "chromium"),
		chromedp.SetUploadFiles(chromedp.CSS(`#blob_data`), []string{file}),
	)
	// The upload answers 302 to the blob's page.
	if loc := b.load("upload", chromedp.Click(chromedp.CSS(`#upload-button`))); loc != B+"/buckets/bucket1/browser-blob" {
		t.Fatalf("the upload landed on %s", loc)
	}
	if props := b.text("dl.props"); !strings.Contains(props, fmt.Sprintf("%d bytes", len(content))) ||
		!strings.Contains(props, "origin = chromium") {
		t.Errorf("the blob page does not show its size and metadata:\n%s", props)
	}

	// The content link is an attachment (a download, not a page), so the
	// page fetches it, with the tab's credentials, and hands over the bytes.
	href, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(`a#download`), "href"))
	if err != nil || !href.Exists {
		t.Fatalf("the blob page has no content link: %v", err)
	}
	if want := B + "/buckets/bucket1/browser-blob/content"; href.Value != want {
		t.Errorf("content link %s, want %s", href.Value, want)
	}
	b64, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`fetch(document.querySelector("a#download").href).then(r => r.ok ? r.arrayBuffer() : Promise.reject(new Error("status " + r.status)))`+
			`.then(buf => btoa(String.fromCharCode(...new Uint8Array(buf))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("following the content link: %v", err)
	}
	got, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("content as base64 %q: %v", b64, err)
	}
	if !bytes.Equal(got, content) {
		t.Errorf("content %q, want %q", got, content)
	}
}

// TestBrowserCreateKey creates a key through keys/new, sees the private key
// on the answer (a page, not a redirect: the key is shown once), then the
// key's own page.
func TestBrowserCreateKey(t *testing.T) {
	b := newBrowserSession(t)
	B := b.B
	b.load("open keys/new", chromedp.Navigate(B+"/keys/new"))
	if h1 := b.text("h1"); h1 != "Create new SSH key" {
		t.Errorf("keys/new heading %q", h1)
	}
	b.do("name the key", chromedp.SendKeys(chromedp.CSS(`#name`), "browser-key"))
	b.loadStatus("create the key", http.StatusCreated, chromedp.Click(chromedp.CSS(`#create-key`)))
	if h1 := b.text("h1"); !strings.Contains(h1, "browser-key") {
		t.Errorf("created key heading %q", h1)
	}
	if pem := b.text("#pem"); !strings.Contains(pem, "PRIVATE KEY") {
		t.Errorf("the created key's page shows no private key: %q", pem)
	}
	if loc := b.load("open the key's page", chromedp.Navigate(B+"/keys/browser-key")); loc != B+"/keys/browser-key" {
		t.Fatalf("the key's page is %s", loc)
	}
	if h1 := b.text("h1"); !strings.Contains(h1, "browser-key") {
		t.Errorf("key page heading %q", h1)
	}
	if n := b.count(`button[data-action=destroy]`); n != 1 {
		t.Errorf("the key's page offers %d Delete buttons", n)
	}
}
