package drivertest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud"
)

// keyFromCreate ignores what only the create answer carries: clouds hand a
// generated private key out once.
var keyFromCreate = cmpopts.IgnoreFields(deltacloud.Key{}, "PrivateKey", "PublicKey", "State")

func (s *suite) testKeys(t *testing.T) {
	p := s.serving(t, deltacloud.CollectionKeys)
	ctx := t.Context()
	keys, err := p.Keys(ctx)
	if err != nil {
		t.Fatalf("Keys: %v", err)
	}
	for _, k := range keys[:min(len(keys), 20)] {
		got, err := p.Key(ctx, k.ID)
		if err != nil {
			t.Errorf("Key(%q): %v", k.ID, err)
			continue
		}
		if d := cmp.Diff(k, *got, cmpopts.IgnoreFields(deltacloud.Key{}, "State")); d != "" {
			t.Errorf("Key(%q) differs from the listing (-list +get):\n%s", k.ID, d)
		}
	}
	const unknown = "drivertest-no-such-key-0"
	_, err = p.Key(ctx, unknown)
	wantErr(t, err, deltacloud.ErrNotFound, "Key(%q)", unknown)
	wantErr(t, p.DestroyKey(ctx, unknown), deltacloud.ErrNotFound, "DestroyKey(%q)", unknown)
	_, err = p.CreateKey(ctx, deltacloud.KeySpec{})
	wantErr(t, err, deltacloud.ErrInvalidArgument, "CreateKey without a name")

	// A generated key: listed under its name, once; the name is taken now.
	name := uniqueName("key")
	k := s.createKey(t, p, deltacloud.KeySpec{Name: name})
	if k.Name != name && k.ID != name {
		t.Errorf("CreateKey(%q) made a key with id %q and name %q; neither is the name asked for", name, k.ID, k.Name)
	}
	if k.Type == deltacloud.KeyTypeKey && k.PrivateKey == "" {
		t.Errorf("CreateKey(%q) generated a key pair but returned no private key", name)
	}
	got, err := p.Key(ctx, k.ID)
	if err != nil {
		t.Fatalf("Key(%q) after create: %v", k.ID, err)
	}
	if d := cmp.Diff(*k, *got, keyFromCreate); d != "" {
		t.Errorf("Key(%q) differs from what CreateKey returned (-create +get):\n%s", k.ID, d)
	}
	dup, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: name})
	if !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("CreateKey(%q) a second time = %v, want ErrConflict", name, err)
		if err == nil && dup.ID != k.ID {
			s.destroyKey(p, dup.ID)
		}
	}

	// An imported key, where import_key is advertised; refused otherwise.
	imported := deltacloud.KeySpec{Name: uniqueName("key"), PublicKey: testPublicKey()}
	if p.Features().Has(deltacloud.FeatureImportKey) {
		ik := s.createKey(t, p, imported)
		if ik.PrivateKey != "" {
			t.Errorf("imported key %s came back with a private key, which the cloud cannot know", ik.ID)
		}
		if err := p.DestroyKey(ctx, ik.ID); err != nil {
			t.Errorf("DestroyKey(%q): %v", ik.ID, err)
		}
	} else {
		before := len(s.keys(t, p))
		ik, err := p.CreateKey(ctx, imported)
		if !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("CreateKey with a public key (import_key not advertised) = %v, want ErrNotSupported", err)
			if err == nil {
				s.destroyKey(p, ik.ID)
			}
		}
		if after := len(s.keys(t, p)); after != before {
			t.Errorf("a refused import changed the number of keys from %d to %d", before, after)
		}
	}

	if err := p.DestroyKey(ctx, k.ID); err != nil {
		t.Fatalf("DestroyKey(%q): %v", k.ID, err)
	}
	_, err = p.Key(ctx, k.ID)
	wantErr(t, err, deltacloud.ErrNotFound, "Key(%q) after DestroyKey", k.ID)
}

// createKey creates a key that is destroyed when the test ends (if the
// test has not destroyed it), and checks it is listed.
func (s *suite) createKey(t *testing.T, p *deltacloud.Provider, spec deltacloud.KeySpec) *deltacloud.Key {
	t.Helper()
	k, err := p.CreateKey(t.Context(), spec)
	if err != nil {
		t.Fatalf("CreateKey(%q): %v", spec.Name, err)
	}
	t.Cleanup(func() { s.destroyKey(p, k.ID) })
	n := 0
	for _, l := range s.keys(t, p) {
		if l.ID == k.ID {
			n++
		}
	}
	if n != 1 {
		t.Errorf("created key %s is listed %d times, want once", k.ID, n)
	}
	return k
}

// destroyKey deletes a key after the test, ignoring errors.
func (s *suite) destroyKey(p *deltacloud.Provider, id string) {
	ctx, cancel := s.cleanupCtx()
	defer cancel()
	p.DestroyKey(ctx, id)
}

func (s *suite) keys(t *testing.T, p *deltacloud.Provider) []deltacloud.Key {
	t.Helper()
	ks, err := p.Keys(t.Context())
	if err != nil {
		t.Fatalf("Keys: %v", err)
	}
	return ks
}

// testPublicKey is a fresh OpenSSH ed25519 public key.
func testPublicKey() string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	var blob []byte
	for _, field := range [][]byte{[]byte("ssh-ed25519"), pub} {
		blob = binary.BigEndian.AppendUint32(blob, uint32(len(field)))
		blob = append(blob, field...)
	}
	return "ssh-ed25519 " + base64.StdEncoding.EncodeToString(blob) + " drivertest"
}
