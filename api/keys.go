package api

import (
	"net/http"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The keys collection.

func keysIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	ks, err := p.Keys(q.r.Context())
	if err != nil {
		return err
	}
	ks = onlyID(q, ks, func(x deltacloud.Key) string { return x.ID })
	doc := wire.NewKeys(q.base, ks)
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "keys", doc)
}

func keyShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	k, err := p.Key(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	doc := wire.NewKey(q.base, *k)
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "key", doc)
}

// keyCreate answers 201 with the key, whose document holds the private key
// the cloud generated; an HTML form gets the key page itself (not a
// redirect), since the private key is shown only once.
func keyCreate(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	k, err := p.CreateKey(q.r.Context(), deltacloud.KeySpec{Name: q.params.Get("name"), PublicKey: q.params.Get("public_key")})
	if err != nil {
		return forbidState(err)
	}
	doc := wire.NewKey(q.base, *k)
	q.w.Header().Set("Location", q.base+memberPath(deltacloud.CollectionKeys, k.ID))
	return q.render(http.StatusCreated, doc, func() any { return doc.ShowJSON() }, "key", doc)
}

func keyDestroy(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.DestroyKey(q.r.Context(), q.id); err != nil {
		return forbidState(err)
	}
	q.noContent("/keys")
	return nil
}

// keyNewPage is the HTML form of POST /api/keys ("Create new SSH key").
func keyNewPage(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, nil, nil, "new_key", formPage{Features: p.Features()})
}

// formPage is the data of the create forms: the provider's features decide
// which optional fields they show; Instances, Realms, Volumes and
// Snapshots fill their selects.
type formPage struct {
	Features  deltacloud.Features
	Instances []deltacloud.Instance
	Realms    []deltacloud.Realm
	Volumes   []deltacloud.StorageVolume
	Snapshots []deltacloud.StorageSnapshot
	// InstanceID preselects an instance; Instance is it (image creation).
	InstanceID string
	Instance   *deltacloud.Instance
}

// Has reports whether the provider advertises feature f.
func (f formPage) Has(name string) bool { return f.Features.Has(deltacloud.FeatureName(name)) }
