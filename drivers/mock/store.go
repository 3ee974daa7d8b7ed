package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// store keeps one JSON file per instance under <dir>/instances, written
// atomically (temp file, fsync, rename, fsync of the directory), so a process
// killed mid-write leaves either the old or the new file, never a torn one.
type store struct {
	dir string // <root>/instances
}

const tmpPrefix = ".tmp-"

func openStore(root string) (*store, []*record, error) {
	s := &store{dir: filepath.Join(root, "instances")}
	_, err := os.Stat(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		// A fresh store is seeded with the fixtures.
		if err := os.MkdirAll(s.dir, 0o755); err != nil {
			return nil, nil, err
		}
		recs := fixtureInstances()
		for _, r := range recs {
			if err := s.put(r); err != nil {
				return nil, nil, err
			}
		}
		return s, recs, nil
	} else if err != nil {
		return nil, nil, err
	}
	recs, err := s.load()
	return s, recs, err
}

// load reads every stored instance and removes temp files left by a crash.
func (s *store) load() ([]*record, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var recs []*record
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, tmpPrefix) {
			os.Remove(filepath.Join(s.dir, name))
			continue
		}
		if e.IsDir() || !strings.HasSuffix(name, ".json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(s.dir, name))
		if err != nil {
			return nil, err
		}
		r := new(record)
		if err := json.Unmarshal(data, r); err != nil {
			return nil, fmt.Errorf("mock store: %s: %w", name, err)
		}
		if r.ID+".json" != name {
			return nil, fmt.Errorf("mock store: %s holds instance %q", name, r.ID)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

func (s *store) path(id string) string { return filepath.Join(s.dir, id+".json") }

// put writes r atomically.
func (s *store) put(r *record) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(s.dir, tmpPrefix+r.ID+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, s.path(r.ID))
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return s.syncDir()
}

// remove deletes the instance's file.
func (s *store) remove(id string) error {
	if err := os.Remove(s.path(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return s.syncDir()
}

// syncDir makes a rename or removal durable.
func (s *store) syncDir() error {
	d, err := os.Open(s.dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
