package deltacloud_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// readmeGoBlock returns the first ```go block after the heading in the
// README.
func readmeGoBlock(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README has no heading %q", heading)
	}
	s = s[i:]
	start := strings.Index(s, "\n```go\n")
	if start < 0 {
		t.Fatalf("no Go block after %q", heading)
	}
	s = s[start+len("\n```go\n"):]
	end := strings.Index(s, "\n```\n")
	if end < 0 {
		t.Fatalf("unterminated Go block after %q", heading)
	}
	return s[:end+1]
}

// TestReadmeQuickStartCompiles builds the README's quick start, exactly as
// shown, as a program of its own module that requires this one (replaced
// by this working tree), and vets it: a reader who pastes it gets a
// program that builds.
func TestReadmeQuickStartCompiles(t *testing.T) {
	for _, heading := range []string{
		"## Quick start for a broker application",
		"## Broker applications: many clouds at once",
	} {
		t.Run(heading, func(t *testing.T) { testReadmeProgram(t, heading) })
	}
}

// testReadmeProgram builds and vets the program under heading.
func testReadmeProgram(t *testing.T, heading string) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	src := readmeGoBlock(t, heading)
	if !strings.HasPrefix(src, "package main\n") {
		t.Fatalf("the quick start does not start with package main:\n%s", src)
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"main.go": src,
		"go.mod": "module quickstart\n\ngo 1.26\n\nrequire github.com/deltacloud-go/deltacloud v0.0.0\n\n" +
			"replace github.com/deltacloud-go/deltacloud => " + root + "\n",
		"go.sum": string(sum),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	for _, args := range [][]string{{"build", "-o", os.DevNull, "."}, {"vet", "."}} {
		cmd := exec.Command(gobin, args...)
		cmd.Dir = dir
		// Modules come from this machine's cache only; the requirements
		// of the replaced module are added to go.mod as needed.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s of the README quick start: %v\n%s\nsource:\n%s", strings.Join(args, " "), err, out, src)
		}
	}
}
