package api_test

// A real-browser test of the HTML interface: headless Chromium, driven with
// chromedp, browses from the entry point to an image, launches it through
// the launch form, and stops the new instance, all without JavaScript in
// the pages.

import (
	"context"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
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

func TestBrowserLaunchAndStop(t *testing.T) {
	exe := browserPath(t)
	start := time.Now()

	h := api.NewHandler(api.Options{DriverOptions: map[string]map[string]string{"mock": {"storage": t.TempDir()}}})
	defer h.Close()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	B := srv.URL + "/api"

	// The browser's profile: removed after the browser has exited; a
	// failure to remove it is not the test's concern.
	profile, err := os.MkdirTemp("", "deltacloud-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(profile)

	// The whole test, browser included, is bounded.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
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
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()

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

	// load runs steps that navigate, waits for the new page and checks
	// that it is a 200 HTML page; it returns the page's URL.
	load := func(what string, steps ...chromedp.Action[chromedp.Void]) string {
		t.Helper()
		resp, err := chromedp.RunResponse(bctx, steps...)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if resp.Status != http.StatusOK || resp.MimeType != "text/html" {
			t.Fatalf("%s: %s answered %d %s", what, resp.URL, resp.Status, resp.MimeType)
		}
		loc, err := chromedp.Run(bctx, chromedp.Location())
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return loc
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		if err != nil {
			t.Fatalf("counting %s: %v", sel, err)
		}
		return n
	}

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
