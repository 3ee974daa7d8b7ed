package ec2test

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// KeyPair is what the fake knows of one key pair.
type KeyPair struct {
	ID          string
	Name        string
	Fingerprint string
	// Type is "rsa" or "ed25519".
	Type string
	// PublicKey is the OpenSSH public key line.
	PublicKey string
	Created   time.Time
}

// KeyPairs returns copies of the key pairs, in creation order.
func (s *Server) KeyPairs() []KeyPair {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]KeyPair, len(s.keys))
	for i, k := range s.keys {
		out[i] = *k
	}
	return out
}

func (s *Server) key(name string) *KeyPair {
	i := slices.IndexFunc(s.keys, func(k *KeyPair) bool { return k.Name == name })
	if i < 0 {
		return nil
	}
	return s.keys[i]
}

func renderKey(k *KeyPair, withPublic bool) xKeyPair {
	x := xKeyPair{ID: k.ID, Name: k.Name, Fingerprint: k.Fingerprint, Type: k.Type,
		CreateTime: k.Created.UTC().Format(timeFormat)}
	if withPublic {
		x.PublicKey = k.PublicKey
	}
	return x
}

// describeKeyPairs answers DescribeKeyPairs, which EC2 does not paginate;
// a named key that does not exist fails the whole call.
func (s *Server) describeKeyPairs(r *http.Request) (any, *apiError) {
	names := list(r, "KeyName")
	fs := filters(r)
	for _, n := range names {
		if s.key(n) == nil {
			return nil, errf(400, "InvalidKeyPair.NotFound", "The key pair '%s' does not exist", n)
		}
	}
	resp := describeKeyPairsResponse{head: newHead()}
	for _, k := range s.keys {
		if (len(names) == 0 || slices.Contains(names, k.Name)) && match(fs, "key-name", k.Name) {
			resp.Keys = append(resp.Keys, renderKey(k, r.Form.Get("IncludePublicKey") == "true"))
		}
	}
	return resp, nil
}

func (s *Server) checkKeyName(name string) *apiError {
	if name == "" {
		return errf(400, "MissingParameter", "The request must contain the parameter KeyName")
	}
	if len(name) > 255 {
		return errf(400, "InvalidParameterValue", "Value for parameter KeyName is too long")
	}
	if s.key(name) != nil {
		return errf(400, "InvalidKeyPair.Duplicate", "The keypair '%s' already exists.", name)
	}
	return nil
}

// createKeyPair generates an RSA key pair, as EC2 does by default, and
// answers with the private key, which it does not keep.
func (s *Server) createKeyPair(r *http.Request) (any, *apiError) {
	name := r.Form.Get("KeyName")
	if e := s.checkKeyName(name); e != nil {
		return nil, e
	}
	if t := r.Form.Get("KeyType"); t != "" && t != "rsa" {
		return nil, errf(400, "InvalidParameterValue", "The fake generates only rsa keys, not %q", t)
	}
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, errf(500, "InternalError", "%v", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, errf(500, "InternalError", "%v", err)
	}
	sum := sha1.Sum(der) // EC2 fingerprints generated keys by the SHA-1 of the PKCS#8 key
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(priv)})
	s.seq++
	k := &KeyPair{ID: fmt.Sprintf("key-%017x", s.seq), Name: name, Fingerprint: colonHex(sum[:]), Type: "rsa",
		PublicKey: "ssh-rsa " + base64.StdEncoding.EncodeToString(sshRSA(&priv.PublicKey)) + " " + name,
		Created:   time.Now().Truncate(time.Millisecond)}
	s.keys = append(s.keys, k)
	return createKeyPairResponse{XMLName: xmlName("CreateKeyPairResponse"), head: newHead(),
		Name: k.Name, Fingerprint: k.Fingerprint, Material: strings.TrimSpace(string(pemKey)), ID: k.ID}, nil
}

// importKeyPair stores a public key; the Query API carries the OpenSSH
// line base64-encoded in PublicKeyMaterial.
func (s *Server) importKeyPair(r *http.Request) (any, *apiError) {
	name := r.Form.Get("KeyName")
	if e := s.checkKeyName(name); e != nil {
		return nil, e
	}
	material, err := base64.StdEncoding.DecodeString(r.Form.Get("PublicKeyMaterial"))
	if err != nil {
		return nil, errf(400, "InvalidKey.Format", "Key is not in valid OpenSSH public key format")
	}
	typ, blob, err := parsePublicKey(string(material))
	if err != nil {
		return nil, errf(400, "InvalidKey.Format", "Key is not in valid OpenSSH public key format: %v", err)
	}
	sum := md5.Sum(blob)
	s.seq++
	k := &KeyPair{ID: fmt.Sprintf("key-%017x", s.seq), Name: name, Fingerprint: colonHex(sum[:]),
		Type: strings.TrimPrefix(typ, "ssh-"), PublicKey: strings.TrimSpace(string(material)),
		Created: time.Now().Truncate(time.Millisecond)}
	s.keys = append(s.keys, k)
	return createKeyPairResponse{XMLName: xmlName("ImportKeyPairResponse"), head: newHead(),
		Name: k.Name, Fingerprint: k.Fingerprint, ID: k.ID}, nil
}

// deleteKeyPair removes a key pair; like EC2 it succeeds for a name that
// does not exist.
func (s *Server) deleteKeyPair(r *http.Request) (any, *apiError) {
	name := r.Form.Get("KeyName")
	id := r.Form.Get("KeyPairId")
	if name == "" && id == "" {
		return nil, errf(400, "MissingParameter", "The request must contain the parameter KeyName or KeyPairId")
	}
	s.keys = slices.DeleteFunc(s.keys, func(k *KeyPair) bool { return k.Name == name || k.ID == id })
	return returnResponse{XMLName: xmlName("DeleteKeyPairResponse"), head: newHead(), Return: true}, nil
}

// sshKeyTypes are the public key types EC2 imports.
var sshKeyTypes = []string{"ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"}

// parsePublicKey parses an OpenSSH public key line ("type base64 [comment]")
// and checks that the encoded key names the same type; it returns the type
// and the decoded key blob.
func parsePublicKey(line string) (typ string, blob []byte, err error) {
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return "", nil, errors.New("want \"type base64-key [comment]\"")
	}
	typ = fields[0]
	if !slices.Contains(sshKeyTypes, typ) {
		return "", nil, fmt.Errorf("key type %q is not supported", typ)
	}
	blob, err = base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return "", nil, errors.New("the key is not valid base64")
	}
	if len(blob) < 4 {
		return "", nil, errors.New("the key is truncated")
	}
	n := binary.BigEndian.Uint32(blob)
	if uint64(n) > uint64(len(blob)-4) || string(blob[4:4+n]) != typ {
		return "", nil, fmt.Errorf("the key does not encode a %s key", typ)
	}
	if len(blob) == int(4+n) {
		return "", nil, errors.New("the key holds no key material")
	}
	return typ, blob, nil
}

// sshRSA encodes an RSA public key in the SSH wire format.
func sshRSA(k *rsa.PublicKey) []byte {
	var b bytes.Buffer
	put := func(p []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(p)))
		b.Write(p)
	}
	put([]byte("ssh-rsa"))
	e := []byte{byte(k.E >> 16), byte(k.E >> 8), byte(k.E)}
	put(bytes.TrimLeft(e, "\x00"))
	put(append([]byte{0}, k.N.Bytes()...))
	return b.Bytes()
}

func colonHex(b []byte) string {
	h := hex.EncodeToString(b)
	var out strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			out.WriteByte(':')
		}
		out.WriteString(h[i : i+2])
	}
	return out.String()
}
