package libvirt

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// The cloud-init NoCloud seed: an ISO 9660 image labelled "cidata" with the
// files user-data (InstanceSpec.UserData as given) and meta-data (the
// instance id, hostname and public keys). It is written by an ISO tool of
// the host, run with the request's context and seedTimeout, in a private
// temporary directory removed afterwards.
const (
	// MaxUserData bounds InstanceSpec.UserData.
	MaxUserData = 64 << 10
	// seedTimeout bounds the ISO tool.
	seedTimeout = 30 * time.Second
	// maxSeed bounds the image the tool writes.
	maxSeed = 4 << 20
	// maxKeyLen bounds an OpenSSH public key line.
	maxKeyLen = 16 << 10
)

// isoTools are the programs that can write the seed, in the order tried.
var isoTools = []string{"genisoimage", "xorriso", "mkisofs"}

// seedData is what goes into a seed.
type seedData struct {
	instanceID string
	hostname   string
	publicKey  string // an OpenSSH public key line, or empty
	userData   []byte
}

// metaData is the meta-data file: JSON is YAML, so no quoting question
// arises whatever the hostname or key hold.
func (s seedData) metaData() ([]byte, error) {
	m := map[string]any{"instance-id": s.instanceID, "local-hostname": s.hostname}
	if s.publicKey != "" {
		m["public-keys"] = []string{s.publicKey}
	}
	return json.Marshal(m)
}

// isoTool returns the path of the ISO tool to run.
func (c *conn) isoTool() (string, []string, error) {
	tools := isoTools
	if c.opts.isoTool != "" {
		tools = []string{c.opts.isoTool}
	}
	for _, t := range tools {
		path, err := exec.LookPath(t)
		if err != nil {
			continue
		}
		if t == "xorriso" {
			return path, []string{"-as", "mkisofs"}, nil
		}
		return path, nil, nil
	}
	return "", nil, notSupported("user_data and keyname need a cloud-init seed image, and none of %s is installed on the server", strings.Join(tools, ", "))
}

// buildSeed writes a seed image and returns its bytes.
func (c *conn) buildSeed(ctx context.Context, s seedData) ([]byte, error) {
	tool, args, err := c.isoTool()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "deltacloud-seed-")
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.Backend, Message: "libvirt: cannot make a directory for the seed image", Err: err}
	}
	defer os.RemoveAll(dir)
	md, err := s.metaData()
	if err != nil {
		return nil, err
	}
	for name, content := range map[string][]byte{"user-data": s.userData, "meta-data": md} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			return nil, &deltacloud.Error{Code: deltacloud.Backend, Message: "libvirt: cannot write the seed files", Err: err}
		}
	}
	out := filepath.Join(dir, "seed.iso")
	args = append(args, "-output", out, "-volid", "cidata", "-joliet", "-rock", "-quiet",
		filepath.Join(dir, "user-data"), filepath.Join(dir, "meta-data"))
	tctx, cancel := context.WithTimeout(ctx, seedTimeout)
	defer cancel()
	cmd := exec.CommandContext(tctx, tool, args...)
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &deltacloud.Error{Code: deltacloud.Backend,
			Message: fmt.Sprintf("libvirt: %s failed: %s", filepath.Base(tool), truncateText(string(msg), 300)), Err: err}
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Size() > maxSeed {
		return nil, &deltacloud.Error{Code: deltacloud.Backend, Message: "libvirt: the seed image is missing or too large", Err: err}
	}
	return os.ReadFile(out)
}

// sshKeyTypes are the OpenSSH public key types a keyname may hold.
var sshKeyTypes = []string{"ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"}

// CheckPublicKey checks that a keyname is one OpenSSH public key line
// ("ssh-ed25519 AAAA… comment"): libvirt has no key store, so the key
// itself is the keyname, and cloud-init installs it.
func CheckPublicKey(k string) error {
	if len(k) > maxKeyLen {
		return invalid("keyname is %d bytes; an OpenSSH public key line is at most %d", len(k), maxKeyLen)
	}
	if strings.ContainsAny(k, "\r\n\x00") || !printableText(k) {
		return invalid("keyname must be one OpenSSH public key line")
	}
	f := strings.Fields(k)
	if len(f) < 2 || !contains(sshKeyTypes, f[0]) {
		return invalid("keyname must be an OpenSSH public key line such as \"ssh-ed25519 AAAA… comment\"; libvirt has no key store")
	}
	blob, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil || len(blob) < 4+len(f[0]) || string(blob[4:4+len(f[0])]) != f[0] {
		return invalid("keyname holds an unreadable %s key", f[0])
	}
	return nil
}

// truncateText shortens a tool's output for an error message.
func truncateText(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
