package azuretest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Azurite's well-known development account (the same in every Azurite
// installation; see the Azurite documentation).
const (
	AzuriteAccount = "devstoreaccount1"
	AzuriteKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// AzuriteEnv names the environment variable that may give the path of the
// azurite-blob (or azurite) executable; without it the executable is looked
// up on PATH.
const AzuriteEnv = "DELTACLOUD_AZURITE"

// azuriteNames are the executables FindAzurite looks for on PATH.
var azuriteNames = []string{"azurite-blob", "azurite"}

// FindAzurite returns the path of Azurite's blob service executable: the
// file named by $DELTACLOUD_AZURITE, or azurite-blob (then azurite) on PATH.
// The error says how to install it.
func FindAzurite() (string, error) {
	if p := os.Getenv(AzuriteEnv); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("%s=%s is not an executable: %v", AzuriteEnv, p, err)
		}
		return p, nil
	}
	for _, name := range azuriteNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Azurite (the Azure Storage emulator) on PATH (looked for %s) and %s is not set; "+
		"install it with `npm install -g azurite@3.35.0` (as .ci/run does)", strings.Join(azuriteNames, ", "), AzuriteEnv)
}

// Azurite is a running Azurite blob service, started by StartAzurite on
// 127.0.0.1 with in-memory storage.
type Azurite struct {
	// URL is the blob service endpoint of the development account,
	// "http://127.0.0.1:<port>/devstoreaccount1".
	URL string
	// Host is "127.0.0.1:<port>".
	Host string
	// PID is the Azurite process's id.
	PID int

	cmd  *exec.Cmd
	done chan struct{}
	mu   sync.Mutex
	log  []string // Azurite's last output lines
}

var listensRE = regexp.MustCompile(`listens on (http://127\.0\.0\.1:(\d+))`)

// StartAzurite starts the Azurite blob service executable exe (see
// FindAzurite) on 127.0.0.1 and a port the system picks, with
// --skipApiVersionCheck --disableTelemetry --inMemoryPersistence, and waits
// until it listens (ctx bounds the wait). Stop ends it.
func StartAzurite(ctx context.Context, exe string) (*Azurite, error) {
	args := []string{"--blobHost", "127.0.0.1", "--blobPort", "0",
		"--skipApiVersionCheck", "--disableTelemetry", "--inMemoryPersistence"}
	if !strings.Contains(exe, "azurite-blob") {
		// The all-services executable: keep the other services off the
		// well-known ports too.
		args = append(args, "--queuePort", "0", "--tablePort", "0")
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = os.TempDir() // Azurite writes its debug and config files in its working directory
	cmd.SysProcAttr = sysProcAttr()
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", exe, err)
	}
	a := &Azurite{PID: cmd.Process.Pid, cmd: cmd, done: make(chan struct{})}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			a.mu.Lock()
			a.log = append(a.log, line)
			if len(a.log) > 20 {
				a.log = a.log[1:]
			}
			a.mu.Unlock()
			if m := listensRE.FindStringSubmatch(line); m != nil {
				select {
				case ready <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, out)
		cmd.Wait()
		close(a.done)
	}()
	select {
	case u := <-ready:
		a.URL = u + "/" + AzuriteAccount
		a.Host = strings.TrimPrefix(u, "http://")
		return a, nil
	case <-a.done:
		return nil, fmt.Errorf("azurite exited before listening: %s", a.output())
	case <-ctx.Done():
		a.Stop()
		return nil, fmt.Errorf("azurite did not listen in time (%w): %s", ctx.Err(), a.output())
	}
}

// output is Azurite's last lines of output.
func (a *Azurite) output() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return strings.Join(a.log, "\n")
}

// Stop ends the Azurite process (SIGTERM, then SIGKILL after 5 s) and
// waits for it.
func (a *Azurite) Stop() error {
	select {
	case <-a.done:
		return nil
	default:
	}
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-a.done:
		return nil
	case <-time.After(5 * time.Second):
	}
	if err := a.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	<-a.done
	return nil
}

// Options are the azure driver options that reach this Azurite's
// development account (for Subscription.Config, which also forwards the
// requests to it).
func (a *Azurite) Options() []string {
	return []string{"storage_account", AzuriteAccount, "storage_key", AzuriteKey, "storage_endpoint", a.URL}
}
