package ec2test

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestParsePublicKey(t *testing.T) {
	good := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGkUEDnTWfwJZkSSL4zeD+bGuhhUj1aKAZdW4q7iYhO6 me@host"
	if typ, blob, err := parsePublicKey(good); err != nil || typ != "ssh-ed25519" || len(blob) != 51 {
		t.Errorf("parsePublicKey(good) = %q, %d bytes, %v", typ, len(blob), err)
	}
	blob := strings.Fields(good)[1]
	for _, bad := range []string{
		"", "ssh-ed25519", "ssh-dss " + blob, "ssh-rsa " + blob, "ssh-ed25519 !!!",
		"ssh-ed25519 " + base64.StdEncoding.EncodeToString([]byte{0, 0}),
		"ssh-ed25519 " + base64.StdEncoding.EncodeToString([]byte{0, 0, 0, 11, 's', 's', 'h'}),
		"ssh-ed25519 " + base64.StdEncoding.EncodeToString([]byte("\x00\x00\x00\x0bssh-ed25519")),
		"ssh-ed25519 " + base64.StdEncoding.EncodeToString([]byte("\xff\xff\xff\xffssh-ed25519")),
	} {
		if _, _, err := parsePublicKey(bad); err == nil {
			t.Errorf("parsePublicKey(%q) accepted", bad)
		}
	}
}

func FuzzParsePublicKey(f *testing.F) {
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGkUEDnTWfwJZkSSL4zeD+bGuhhUj1aKAZdW4q7iYhO6 me@host")
	f.Add("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ")
	f.Add("ecdsa-sha2-nistp256 AAAA")
	f.Fuzz(func(t *testing.T, line string) {
		typ, blob, err := parsePublicKey(line)
		if err != nil {
			return
		}
		if !strings.HasPrefix(line, typ) || len(blob) <= 4+len(typ) || string(blob[4:4+len(typ)]) != typ {
			t.Errorf("parsePublicKey(%q) = %q with blob %x", line, typ, blob)
		}
	})
}
