package mock

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// store keeps one JSON file per object under <root>/<collection>/<name>.json,
// written atomically (temp file, fsync, rename, fsync of the directory), so a
// process killed mid-write leaves either the old or the new file, never a
// torn one. Blob content lives beside its blob's JSON file in <root>/blobs,
// one file per upload, renamed into place before the JSON file that names it
// is written; content no JSON file names (left by a crash) is removed when
// the store is opened.
type store struct {
	root string
}

// The collection directories of a store.
const (
	dirInstances = "instances"
	dirImages    = "images"
	dirKeys      = "keys"
	dirFirewalls = "firewalls"
	dirAddresses = "addresses"
	dirVolumes   = "storage_volumes"
	dirSnapshots = "storage_snapshots"
	dirBuckets   = "buckets"
	dirBlobs     = "blobs"
	dirTokens    = "client_tokens"
)

const (
	tmpPrefix   = ".tmp-"
	jsonSuffix  = ".json"
	dataSuffix  = ".data"
	maxFileName = 100 // longer encoded names are hashed
	seqFile     = "sequence.json"
)

// seqRecord is the store's sequence file: the next instance number.
type seqRecord struct {
	Instances int `json:"instances"`
}

// putSeq stores the next instance number, atomically.
func (s *store) putSeq(n int) error {
	data, err := json.Marshal(seqRecord{Instances: n})
	if err != nil {
		return err
	}
	if err := s.writeFile(filepath.Join(s.root, seqFile), data); err != nil {
		return err
	}
	return syncDir(s.root)
}

// getSeq reads the next instance number; 0 when the store has none yet
// (written by an older version).
func (s *store) getSeq() (int, error) {
	data, err := os.ReadFile(filepath.Join(s.root, seqFile))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	var r seqRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return 0, err
	}
	return r.Instances, nil
}

// openStore opens (creating it if needed) the store at root and returns the
// cloud's state. Each collection whose directory does not exist yet is seeded
// with its fixtures, so a store written by an older version (instances only)
// gains the newer collections.
func openStore(root string) (*store, *state, error) {
	s := &store{root: root}
	fx := fixtureState()
	st := &state{}
	var err error
	if st.instances, err = loadColl(s, dirInstances, fx.instances, func(r *record) string { return r.ID }); err != nil {
		return nil, nil, err
	}
	if st.images, err = loadColl(s, dirImages, fx.images, func(i *imageRecord) string { return i.ID }); err != nil {
		return nil, nil, err
	}
	if st.keys, err = loadColl(s, dirKeys, fx.keys, func(k *keyRecord) string { return k.ID }); err != nil {
		return nil, nil, err
	}
	if st.firewalls, err = loadColl(s, dirFirewalls, fx.firewalls, func(f *fwRecord) string { return f.ID }); err != nil {
		return nil, nil, err
	}
	if st.addresses, err = loadColl(s, dirAddresses, fx.addresses, func(a *addressRecord) string { return a.ID }); err != nil {
		return nil, nil, err
	}
	if st.volumes, err = loadColl(s, dirVolumes, fx.volumes, func(v *volumeRecord) string { return v.ID }); err != nil {
		return nil, nil, err
	}
	if st.snapshots, err = loadColl(s, dirSnapshots, fx.snapshots, func(v *snapshotRecord) string { return v.ID }); err != nil {
		return nil, nil, err
	}
	if st.buckets, err = loadColl(s, dirBuckets, fx.buckets, func(b *bucketRecord) string { return b.ID }); err != nil {
		return nil, nil, err
	}
	if st.tokens, err = loadColl(s, dirTokens, nil, (*tokenRecord).key); err != nil {
		return nil, nil, err
	}
	if st.blobs, err = s.loadBlobs(fx.blobs); err != nil {
		return nil, nil, err
	}
	keepFixtureZones(st.images, fx.images, func(i *imageRecord) (string, *time.Time) { return i.ID, &i.CreationTime })
	keepFixtureZones(st.volumes, fx.volumes, func(v *volumeRecord) (string, *time.Time) { return v.ID, &v.Created })
	keepFixtureZones(st.snapshots, fx.snapshots, func(v *snapshotRecord) (string, *time.Time) { return v.ID, &v.Created })
	return s, st, nil
}

// keepFixtureZones gives loaded fixture objects their fixture time back when
// it is the same instant. The store's JSON keeps instants and offsets but not
// zone names, and the name decides how a time is written (the fixtures'
// "Thu Oct 25 14:27:53 CEST 2012"), so without this a restarted server would
// write its fixtures differently from a fresh one.
func keepFixtureZones[T any](loaded, fixtures []*T, field func(*T) (string, *time.Time)) {
	want := make(map[string]time.Time, len(fixtures))
	for _, f := range fixtures {
		id, t := field(f)
		want[id] = *t
	}
	for _, l := range loaded {
		id, t := field(l)
		if w, ok := want[id]; ok && t.Equal(w) {
			*t = w
		}
	}
}

// loadColl reads every object of one collection, seeding the directory with
// fixtures when it does not exist.
func loadColl[T any](s *store, coll string, fixtures []*T, idOf func(*T) string) ([]*T, error) {
	dir := s.dir(coll)
	_, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		for _, v := range fixtures {
			if err := s.put(coll, idOf(v), v); err != nil {
				return nil, err
			}
		}
		return fixtures, nil
	} else if err != nil {
		return nil, err
	}
	return load(s, coll, idOf)
}

// load reads every stored object of a collection and removes temp files left
// by a crash.
func load[T any](s *store, coll string, idOf func(*T) string) ([]*T, error) {
	dir := s.dir(coll)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*T
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, tmpPrefix) {
			os.Remove(filepath.Join(dir, name))
			continue
		}
		if e.IsDir() || !strings.HasSuffix(name, jsonSuffix) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		v := new(T)
		if err := json.Unmarshal(data, v); err != nil {
			return nil, fmt.Errorf("mock store: %s/%s: %w", coll, name, err)
		}
		if id := idOf(v); fileName(id)+jsonSuffix != name {
			return nil, fmt.Errorf("mock store: %s/%s holds %q", coll, name, id)
		}
		out = append(out, v)
	}
	return out, nil
}

// loadBlobs loads the blob records, seeding the fixtures' records and
// content on a fresh store, and removes content no record names.
func (s *store) loadBlobs(fixtures []*blobRecord) ([]*blobRecord, error) {
	dir := s.dir(dirBlobs)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		out := make([]*blobRecord, 0, len(fixtures))
		for i, fx := range fixtures {
			r := *fx
			r.content = nil
			r.File = contentName(r.BucketID, r.ID, uint64(i))
			if err := s.writeFile(filepath.Join(dir, r.File), fx.content); err != nil {
				return nil, err
			}
			if err := s.put(dirBlobs, blobFileKey(r.BucketID, r.ID), &r); err != nil {
				return nil, err
			}
			out = append(out, &r)
		}
		return out, nil
	} else if err != nil {
		return nil, err
	}
	recs, err := load(s, dirBlobs, func(b *blobRecord) string { return blobFileKey(b.BucketID, b.ID) })
	if err != nil {
		return nil, err
	}
	named := map[string]bool{}
	for _, r := range recs {
		if r.File == "" || r.File != filepath.Base(r.File) || !strings.HasSuffix(r.File, dataSuffix) {
			return nil, fmt.Errorf("mock store: blob %s/%s names no content file", r.BucketID, r.ID)
		}
		named[r.File] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if name := e.Name(); strings.HasSuffix(name, dataSuffix) && !named[name] {
			os.Remove(filepath.Join(dir, name))
		}
	}
	return recs, nil
}

func (s *store) dir(coll string) string { return filepath.Join(s.root, coll) }

func (s *store) path(coll, id string) string {
	return filepath.Join(s.root, coll, fileName(id)+jsonSuffix)
}

// put writes v as the JSON file of id, atomically.
func (s *store) put(coll, id string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := s.writeFile(s.path(coll, id), data); err != nil {
		return err
	}
	return syncDir(s.dir(coll))
}

// writeFile writes data to path through a synced temp file in the same
// directory and a rename. The caller syncs the directory.
func (s *store) writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), tmpPrefix+"*")
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
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// remove deletes id's file of a collection; a missing file is no error.
func (s *store) remove(coll, id string) error {
	if err := os.Remove(s.path(coll, id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return syncDir(s.dir(coll))
}

// copyBuffer bounds the memory a blob upload needs.
const copyBuffer = 64 << 10

// writeContent streams r into a new synced temp file in the blobs directory
// and returns its path and length. On any error the temp file is removed.
func (s *store) writeContent(r io.Reader) (string, int64, error) {
	f, err := os.CreateTemp(s.dir(dirBlobs), tmpPrefix+"content-*")
	if err != nil {
		return "", 0, err
	}
	tmp := f.Name()
	// The wrapper hides ReadFrom, so the copy goes through the bounded
	// buffer whatever r is.
	n, err := io.CopyBuffer(struct{ io.Writer }{f}, r, make([]byte, copyBuffer))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", n, err
	}
	return tmp, n, nil
}

// contentPath is the path of a blob's content file.
func (s *store) contentPath(file string) string { return filepath.Join(s.root, dirBlobs, file) }

// syncDir makes a rename or removal durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// fileName encodes an id as a file name: letters, digits, '-', '_' and
// non-leading '.' stay, every other byte becomes %XX, so no id can name a
// path outside its directory or a temp file. An encoding longer than
// maxFileName is replaced by "%%" and the SHA-256 of the id ("%%" never
// starts an encoding); the JSON file holds the id itself.
func fileName(id string) string {
	const hexdigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.' && i > 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexdigits[c>>4])
			b.WriteByte(hexdigits[c&15])
		}
	}
	if b.Len() > maxFileName {
		sum := sha256.Sum256([]byte(id))
		return "%%" + hex.EncodeToString(sum[:])
	}
	return b.String()
}

// blobFileKey names a blob's JSON file: bucket and blob id encoded, joined by
// '~', which the encoding never produces.
func blobFileKey(bucketID, blobID string) string {
	return fileName(bucketID) + "~" + fileName(blobID)
}

// contentName names one upload's content file.
func contentName(bucketID, blobID string, gen uint64) string {
	return fmt.Sprintf("%s~%s~%d%s", fileName(bucketID), fileName(blobID), gen, dataSuffix)
}
