package gce

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"golang.org/x/oauth2/jwt"

	"github.com/deltacloud-go/deltacloud"
)

// MaxKeySize bounds a service-account key, inline or read from a file;
// real keys are about 2.3 KB.
const MaxKeySize = 64 << 10

// GoogleTokenURL is Google's OAuth 2.0 token endpoint, where a
// service-account key is exchanged for access tokens.
const GoogleTokenURL = "https://oauth2.googleapis.com/token"

// googleTokenURLs are the token endpoints Google's keys name; a key whose
// token_uri is another URL is refused under Config.NoAmbientCredentials.
var googleTokenURLs = []string{GoogleTokenURL, "https://accounts.google.com/o/oauth2/token", "https://www.googleapis.com/oauth2/v4/token"}

// tokenTimeout bounds one token request: the OAuth library makes it with
// no caller context.
const tokenTimeout = 30 * time.Second

// scopes are what the driver's tokens are for.
var scopes = []string{"https://www.googleapis.com/auth/compute", "https://www.googleapis.com/auth/devstorage.read_write"}

// Key is the part of a service-account key file the driver uses.
type Key struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	PrivateKeyID string `json:"private_key_id"`
	PrivateKey   string `json:"private_key"`
	ClientEmail  string `json:"client_email"`
	TokenURI     string `json:"token_uri"`
}

// ParseKey reads a service-account key (the JSON file the console hands
// out) and checks it: type service_account, a client email, an RSA private
// key in PEM, and a token_uri that is an https URL if present. Errors are
// AuthFailure and never quote the key.
func ParseKey(b []byte) (*Key, error) {
	if len(b) > MaxKeySize {
		return nil, authErr("the service-account key is %d bytes; at most %d are accepted", len(b), MaxKeySize)
	}
	var k Key
	if err := json.Unmarshal(b, &k); err != nil {
		return nil, authErr("the service-account key is not JSON")
	}
	switch {
	case k.Type != "service_account":
		return nil, authErr("the key's type is %q; want a service_account key", truncate(k.Type))
	case k.ClientEmail == "" || !strings.Contains(k.ClientEmail, "@") || len(k.ClientEmail) > 256:
		return nil, authErr("the service-account key has no valid client_email")
	case k.PrivateKey == "":
		return nil, authErr("the service-account key has no private_key")
	}
	if err := checkRSAKey(k.PrivateKey); err != nil {
		return nil, err
	}
	if k.TokenURI != "" {
		u, err := url.Parse(k.TokenURI)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
			return nil, authErr("the key's token_uri is not an https URL")
		}
	}
	return &k, nil
}

// checkRSAKey checks that a PEM block holds an RSA private key.
func checkRSAKey(p string) error {
	block, _ := pem.Decode([]byte(p))
	if block == nil {
		return authErr("the key's private_key is not PEM")
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if _, ok := k.(*rsa.PrivateKey); ok {
			return nil
		}
		return authErr("the key's private_key is not an RSA key")
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return nil
	}
	return authErr("the key's private_key cannot be parsed")
}

// credentials resolves Config.Credentials into a token source. The
// password is the key JSON itself or, unless noAmbient, a path to it; the
// user, if set, must be the key's client email. With both empty the SDK's
// default chain is used, unless noAmbient: then every call fails with
// errNoCredentials before anything is sent. tokenEndpoint, the operator's
// token_endpoint option, replaces the key's token_uri.
func credentials(ctx context.Context, c deltacloud.Credentials, noAmbient bool, tokenEndpoint string, base *http.Client) (oauth2.TokenSource, string, error) {
	if c.IsZero() {
		if noAmbient {
			return failingSource{errNoCredentials}, "", nil
		}
		creds, err := google.FindDefaultCredentials(ctx, scopes...)
		if err != nil {
			return failingSource{&deltacloud.Error{Code: deltacloud.AuthFailure, Message: "gce: no default credentials", Err: err}}, "", nil
		}
		return creds.TokenSource, creds.ProjectID, nil
	}
	raw, err := keyBytes(c.Password, noAmbient)
	if err != nil {
		return nil, "", err
	}
	k, err := ParseKey(raw)
	if err != nil {
		return nil, "", err
	}
	if c.User != "" && c.User != k.ClientEmail {
		return nil, "", authErr("the user is not the key's client_email")
	}
	tokenURL := k.TokenURI
	switch {
	case tokenEndpoint != "":
		tokenURL = tokenEndpoint
	case tokenURL == "":
		tokenURL = GoogleTokenURL
	case noAmbient && !slices.Contains(googleTokenURLs, tokenURL):
		return nil, "", authErr("the key's token_uri is not Google's token endpoint")
	}
	cfg := &jwt.Config{Email: k.ClientEmail, PrivateKey: []byte(k.PrivateKey), PrivateKeyID: k.PrivateKeyID,
		Scopes: scopes, TokenURL: tokenURL}
	tc := &http.Client{Timeout: tokenTimeout}
	if base != nil {
		tc.Transport = base.Transport
	}
	return cfg.TokenSource(context.WithValue(context.Background(), oauth2.HTTPClient, tc)), k.ProjectID, nil
}

// keyBytes is the key JSON of a password: the password itself when it is
// JSON, else the file it names (refused under noAmbient, so that a REST
// caller cannot make the server read its own files).
func keyBytes(password string, noAmbient bool) ([]byte, error) {
	p := strings.TrimSpace(password)
	switch {
	case p == "":
		return nil, authErr("the password is empty; it must be a service-account key")
	case strings.HasPrefix(p, "{"):
		return []byte(p), nil
	case noAmbient:
		return nil, authErr("the password must be the service-account key JSON itself; key file paths are not accepted here")
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, authErr("cannot open the service-account key file")
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxKeySize+1))
	if err != nil {
		return nil, authErr("cannot read the service-account key file")
	}
	return b, nil
}

// errNoCredentials fails every call of a provider opened with
// NoAmbientCredentials and no credentials.
var errNoCredentials = &deltacloud.Error{Code: deltacloud.AuthFailure,
	Message: "gce: no credentials given, and Config.NoAmbientCredentials forbids the host's identity"}

// failingSource is a token source that only fails: the OAuth transport then
// sends nothing.
type failingSource struct{ err error }

// Token returns the source's error.
func (f failingSource) Token() (*oauth2.Token, error) { return nil, f.err }

func authErr(format string, args ...any) *deltacloud.Error {
	return &deltacloud.Error{Code: deltacloud.AuthFailure, Message: "gce: " + fmt.Sprintf(format, args...)}
}

// truncate shortens what an error quotes of an input.
func truncate(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}

// isTokenError reports whether err is a refusal of the token endpoint.
func isTokenError(err error) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re)
}
