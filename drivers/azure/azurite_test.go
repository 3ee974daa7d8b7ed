package azure_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

// strict is set in CI: a test that needs Azurite fails instead of skipping
// when it is not installed.
var strict = os.Getenv("DELTACLOUD_TEST_STRICT") == "1"

// azurite is the package's Azurite blob service, started by the first test
// that needs it and stopped by TestMain when all tests are done.
var azurite struct {
	once    sync.Once
	a       *azuretest.Azurite
	missing bool
	err     error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if azurite.a != nil {
		if err := azurite.a.Stop(); err != nil {
			println("stopping azurite (pid", azurite.a.PID, "):", err.Error())
		}
	}
	os.Exit(code)
}

// startAzurite returns the package's Azurite, starting it on first use. When
// Azurite is not installed it returns nil with the reason; a failure to
// start it is a test failure.
func startAzurite(t testing.TB) (*azuretest.Azurite, string) {
	t.Helper()
	azurite.once.Do(func() {
		exe, err := azuretest.FindAzurite()
		if err != nil {
			azurite.missing, azurite.err = true, err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		start := time.Now()
		azurite.a, azurite.err = azuretest.StartAzurite(ctx, exe)
		if azurite.err == nil {
			t.Logf("azurite %s (pid %d) listening at %s after %v", exe, azurite.a.PID, azurite.a.URL,
				time.Since(start).Round(time.Millisecond))
		}
	})
	switch {
	case azurite.missing && !strict:
		return nil, azurite.err.Error() + " (DELTACLOUD_TEST_STRICT=1 makes this a failure)"
	case azurite.err != nil:
		t.Fatalf("azurite: %v", azurite.err)
	}
	return azurite.a, ""
}

// needAzurite is startAzurite for tests that cannot run without it: they
// skip, or fail when DELTACLOUD_TEST_STRICT=1.
func needAzurite(t testing.TB) *azuretest.Azurite {
	t.Helper()
	a, why := startAzurite(t)
	if a == nil {
		t.Skip("blob storage tests skipped: " + why)
	}
	return a
}

// storageOptions forwards s's client to Azurite and returns the options of
// its development account.
func storageOptions(s *azuretest.Subscription, a *azuretest.Azurite) []string {
	s.Forward(a.Host)
	return a.Options()
}

func TestAzurite(t *testing.T) {
	a := needAzurite(t)
	t.Logf("blob storage tests run against Azurite at %s", a.URL)
}
