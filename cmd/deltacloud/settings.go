package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// maxConfigSize bounds the config file the command reads.
const maxConfigSize = 1 << 20

// settings say which cloud to open and how; see the package doc for where
// each comes from.
type settings struct {
	Driver   string            `json:"driver"`
	Provider string            `json:"provider"`
	URL      string            `json:"url"`
	User     string            `json:"user"`
	Password string            `json:"password"`
	Options  map[string]string `json:"options"`
}

// configFile is the config file's content.
type configFile struct {
	Default  string              `json:"default"`
	Profiles map[string]settings `json:"profiles"`
}

// defaultConfigPath is config.json in the user config dir, or "" when the
// system has none.
func defaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "deltacloud", "config.json")
}

// loadProfile reads profile name (the file's default when empty) from the
// config file at path. A missing file is no profile unless one was asked
// for; a file holding a password must be private to its owner.
func loadProfile(path, name string) (settings, error) {
	if path == "" {
		return settings{}, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && name == "" {
		return settings{}, nil
	}
	if err != nil {
		return settings{}, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return settings{}, fmt.Errorf("config: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return settings{}, fmt.Errorf("config: %w", err)
	}
	if len(data) > maxConfigSize {
		return settings{}, fmt.Errorf("config %s: larger than %d bytes", path, maxConfigSize)
	}
	var cf configFile
	if err := json.Unmarshal(data, &cf); err != nil {
		return settings{}, fmt.Errorf("config %s: %w", path, err)
	}
	if name == "" {
		name = cf.Default
	}
	if name == "" {
		return settings{}, nil
	}
	s, ok := cf.Profiles[name]
	if !ok {
		return settings{}, usagef("config %s has no profile %q", path, name)
	}
	if s.Password != "" && st.Mode().Perm()&0o077 != 0 {
		return settings{}, fmt.Errorf("config %s holds a password but is readable by others (mode %04o); chmod 600 it", path, st.Mode().Perm())
	}
	return s, nil
}

// merge fills the settings s leaves empty from fallback.
func (s settings) merge(fallback settings) settings {
	pick := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	out := settings{
		Driver: pick(s.Driver, fallback.Driver), Provider: pick(s.Provider, fallback.Provider),
		URL: pick(s.URL, fallback.URL), User: pick(s.User, fallback.User),
		Password: pick(s.Password, fallback.Password), Options: map[string]string{},
	}
	for k, v := range fallback.Options {
		out.Options[k] = v
	}
	for k, v := range s.Options {
		out.Options[k] = v
	}
	return out
}

// parseOptions reads -O key=value flags.
func parseOptions(kvs []string) (map[string]string, error) {
	out := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usagef("option %q is not key=value", kv)
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}

// config is what deltacloud.Open gets for s: the named driver, or the
// remote driver when a server URL is set (the driver and provider then
// choose the server's).
func (s settings) config() (driver string, cfg deltacloud.Config) {
	cfg = deltacloud.Config{
		Provider:    s.Provider,
		Credentials: deltacloud.Credentials{User: s.User, Password: s.Password},
		Options:     s.Options,
	}
	driver = s.Driver
	if driver == "" {
		driver = "mock"
	}
	if s.URL != "" {
		opts := map[string]string{}
		for k, v := range s.Options {
			opts[k] = v
		}
		if s.Driver != "" {
			opts["driver"] = s.Driver
		}
		if s.Provider != "" {
			opts["provider"] = s.Provider
		}
		driver, cfg.Provider, cfg.Options = "deltacloud", s.URL, opts
	}
	return driver, cfg
}
