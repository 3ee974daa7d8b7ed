package gce_test

import "testing"

// storageOptions are the options that give the provider Cloud Storage;
// none yet.
func storageOptions(t *testing.T) []string { return []string{"buckets=false"} }
