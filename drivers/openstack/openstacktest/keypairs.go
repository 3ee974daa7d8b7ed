package openstacktest

import (
	"crypto/ed25519"
	"crypto/md5"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// keypair is a Nova key pair.
type keypair struct {
	name, public, fingerprint, typ string
	created                        time.Time
}

func (c *Cloud) keypairJSON(k *keypair, detail bool) map[string]any {
	out := map[string]any{"name": k.name, "public_key": k.public, "fingerprint": k.fingerprint, "type": k.typ}
	if detail {
		out["user_id"], out["created_at"], out["deleted"], out["deleted_at"], out["id"], out["updated_at"] =
			UserID, k.created.UTC().Format("2006-01-02T15:04:05.000000"), false, nil, 1, nil
	}
	return out
}

func (c *Cloud) serveKeypairs(w http.ResponseWriter, r *http.Request, parts []string, mv string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		names := make([]string, 0, len(c.keys))
		for n := range c.keys {
			names = append(names, n)
		}
		sort.Strings(names)
		out := []map[string]any{}
		for _, n := range names {
			out = append(out, map[string]any{"keypair": c.keypairJSON(c.keys[n], false)})
		}
		writeJSON(w, http.StatusOK, map[string]any{"keypairs": out})
	case len(parts) == 1 && r.Method == http.MethodPost:
		var req struct {
			Keypair struct {
				Name      string `json:"name"`
				PublicKey string `json:"public_key"`
				Type      string `json:"type"`
			} `json:"keypair"`
		}
		if !decode(w, r, &req) {
			return
		}
		in := req.Keypair
		safe := "_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		if n, _ := minor(mv); n >= 92 {
			safe = "@._- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		}
		switch {
		case in.Name == "":
			fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute name. Value: . '' is too short")
			return
		case len(in.Name) > 255:
			fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute name. Value: %s. '%s' is too long", in.Name, in.Name)
			return
		case strings.Trim(in.Name, safe) != "" || strings.TrimSpace(in.Name) != in.Name:
			// Nova's keypair_name format (the characters) and name
			// format (no leading or trailing blanks).
			fault(w, http.StatusBadRequest, "badRequest", "An invalid 'name' value was provided. The name must be: Only expected characters: [%s]", safe)
			return
		}
		if _, taken := c.keys[in.Name]; taken {
			fault(w, http.StatusConflict, "conflictingRequest", "Key pair '%s' already exists.", in.Name)
			return
		}
		k := &keypair{name: in.Name, typ: "ssh", created: time.Now()}
		var private string
		if in.PublicKey == "" {
			if n, _ := minor(mv); n >= 92 {
				fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute keypair. 'public_key' is a required property")
				return
			}
			pub, priv, _ := ed25519.GenerateKey(rand.Reader)
			sp, _ := ssh.NewPublicKey(pub)
			der, _ := x509.MarshalPKCS8PrivateKey(priv)
			private = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
			in.PublicKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sp))) + " Generated-by-Nova"
		}
		pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(in.PublicKey))
		if err != nil {
			fault(w, http.StatusBadRequest, "badRequest", "Keypair data is invalid: failed to generate fingerprint")
			return
		}
		k.public = in.PublicKey
		sum := md5.Sum(pk.Marshal())
		var fp []string
		for _, b := range sum {
			fp = append(fp, fmt.Sprintf("%02x", b))
		}
		k.fingerprint = strings.Join(fp, ":")
		c.keys[k.name] = k
		out := c.keypairJSON(k, false)
		out["user_id"] = UserID
		status := http.StatusOK
		if n, _ := minor(mv); n >= 2 {
			status = http.StatusCreated
		}
		if private != "" {
			out["private_key"] = private
		}
		writeJSON(w, status, map[string]any{"keypair": out})
	case len(parts) == 2 && r.Method == http.MethodGet:
		k, ok := c.keys[parts[1]]
		if !ok {
			fault(w, http.StatusNotFound, "itemNotFound", "Keypair %s not found for user %s", parts[1], UserID)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"keypair": c.keypairJSON(k, true)})
	case len(parts) == 2 && r.Method == http.MethodDelete:
		if _, ok := c.keys[parts[1]]; !ok {
			fault(w, http.StatusNotFound, "itemNotFound", "Keypair %s not found for user %s", parts[1], UserID)
			return
		}
		delete(c.keys, parts[1])
		if n, _ := minor(mv); n >= 2 {
			w.WriteHeader(http.StatusNoContent)
		} else {
			w.WriteHeader(http.StatusAccepted)
		}
	default:
		fault(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
	}
}
