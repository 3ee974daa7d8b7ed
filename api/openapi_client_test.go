package api_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The generated client's versions, pinned: the generator, and the runtime
// its code imports.
const (
	oapiCodegen        = "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2"
	oapiRuntimeVersion = "v1.9.0"
)

// openAPIClientMain lists the instances with the client oapi-codegen
// generated from the served document, creates one from img1, and lists
// them again; it prints what it saw, or exits 1 with why not.
const openAPIClientMain = `package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
)

func main() {
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(server, user, password string) error {
	ctx := context.Background()
	asUser := func(_ context.Context, r *http.Request) error {
		r.SetBasicAuth(user, password)
		r.Header.Set("Accept", "application/json")
		return nil
	}
	c, err := NewClientWithResponses(server, WithRequestEditorFn(asUser))
	if err != nil {
		return err
	}
	count := func() (int, error) {
		list, err := c.InstancesIndexWithResponse(ctx, &InstancesIndexParams{})
		if err != nil {
			return 0, err
		}
		if list.JSON200 == nil || list.JSON200.Instances == nil {
			return 0, fmt.Errorf("list: %d %s", list.StatusCode(), list.Body)
		}
		return len(*list.JSON200.Instances), nil
	}
	before, err := count()
	if err != nil {
		return err
	}
	name := "generated"
	created, err := c.InstancesCreateWithFormdataBodyWithResponse(ctx, InstancesCreateFormdataRequestBody{ImageId: "img1", Name: &name})
	if err != nil {
		return err
	}
	if created.JSON201 == nil {
		return fmt.Errorf("create: %d %s", created.StatusCode(), created.Body)
	}
	show, err := created.JSON201.AsInstanceShow()
	if err != nil {
		return err
	}
	after, err := count()
	if err != nil {
		return err
	}
	fmt.Printf("listed %d; created %s on %s; listed %d\n", before, show.Instance.Name, show.Instance.Image.Id, after)
	return nil
}
`

// TestOpenAPIGeneratedClient generates a Go client from the served
// document with oapi-codegen, in a module of its own, and runs a program
// that lists the mock's instances and creates one with it. It needs the go
// command and the Go module proxy (the generator and its runtime); without
// go on PATH it skips, or fails when DELTACLOUD_TEST_STRICT=1. On a fresh
// machine downloading and building the generator takes minutes (2.5 on a
// busy 2-core one), so it runs in parallel with the other tests; with
// Go's caches warm it takes seconds.
func TestOpenAPIGeneratedClient(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		msg := "no go command on PATH: the generated-client test runs oapi-codegen and builds its client with it"
		if os.Getenv("DELTACLOUD_TEST_STRICT") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Parallel() // the generator's first build takes minutes on a fresh machine
	s := tuStart(t, tuMockOptions(t))
	dir := t.TempDir()
	files := map[string]string{
		"openapi.json": string(tuOpenAPI(t, s, "/api/openapi.json")),
		"main.go":      openAPIClientMain,
		"go.mod": "module deltacloud.test/openapiclient\n\ngo 1.26\n\n" +
			"require github.com/oapi-codegen/runtime " + oapiRuntimeVersion + "\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()
	// The temporary module is not the project's: it may resolve and record
	// its requirements (CI sets -mod=readonly for the project).
	flags := slices.DeleteFunc(strings.Fields(os.Getenv("GOFLAGS")), func(f string) bool { return strings.HasPrefix(f, "-mod=") })
	env := append(os.Environ(), "GOFLAGS="+strings.Join(append(flags, "-mod=mod"), " "), "GOWORK=off")
	run := func(args ...string) string {
		t.Helper()
		start := time.Now()
		cmd := exec.CommandContext(ctx, goCmd, args...)
		var stderr bytes.Buffer
		cmd.Dir, cmd.Env, cmd.Stderr = dir, env, &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: %v\n%s%s", strings.Join(args, " "), err, out, &stderr)
		}
		t.Logf("go %s: %s", args[0], time.Since(start).Round(time.Millisecond))
		return string(out)
	}
	run("run", oapiCodegen, "-generate", "types,client", "-package", "main", "-o", "client.gen.go", "openapi.json")
	got := run("run", ".", s.URL+"/api", tuMockUser.User, tuMockUser.Password)
	if want := "listed 4; created generated on img1; listed 5\n"; got != want {
		t.Errorf("the generated client printed %q, want %q", got, want)
	}
}
