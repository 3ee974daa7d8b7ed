package gce_test

import (
	"testing"

	"github.com/deltacloud-go/deltacloud/drivers/gce/gcetest"
)

// storageOptions start fake-gcs-server and return the option that points
// the provider at it.
func storageOptions(t *testing.T) []string { return []string{gcetest.StartStorage(t)} }
