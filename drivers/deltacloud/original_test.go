package deltacloud_test

// A server answering the optional collections' routes the way the original
// Apache Deltacloud server does: 403 for a taken
// key name, an address in use and a non-empty bucket, 202 without a body
// for address actions, 500 for deleting an unknown blob, blob content
// streamed both ways. It serves them over the mock on the storage of a
// server from startServer and hands everything else (entry point,
// instances, …) to that server's api handler, so the remote driver runs
// the whole conformance suite against the original's answers.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// originalOptional serves the optional collections over p; next serves the
// rest.
type originalOptional struct {
	p    *deltacloud.Provider
	next http.Handler
}

// startOriginal starts a server whose optional collections answer as the
// original's do, over the mock of an api server's storage.
func startOriginal(tb testing.TB) *server {
	tb.Helper()
	inner := startServer(tb, "", nil)
	p, _ := inner.openDirect(tb)
	srv := httptest.NewServer(&originalOptional{p: p, next: inner.Config.Handler})
	tb.Cleanup(srv.Close)
	return &server{Server: srv, dir: inner.dir, base: srv.URL + "/api"}
}

func (o *originalOptional) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/api/"), "/")
	for i, s := range segs {
		segs[i], _ = url.PathUnescape(s)
	}
	switch deltacloud.Collection(segs[0]) {
	case deltacloud.CollectionKeys, deltacloud.CollectionFirewalls, deltacloud.CollectionAddresses,
		deltacloud.CollectionStorageVolumes, deltacloud.CollectionStorageSnapshots, deltacloud.CollectionBuckets,
		deltacloud.CollectionMetrics:
	case deltacloud.CollectionImages:
		if !(r.Method == http.MethodPost && len(segs) == 1) && !(r.Method == http.MethodDelete && len(segs) == 2) {
			o.next.ServeHTTP(w, r)
			return
		}
	default:
		o.next.ServeHTTP(w, r)
		return
	}
	if u, pw, ok := r.BasicAuth(); !ok || u != goodCreds.User || pw != goodCreds.Password {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	if err := o.serve(w, r, segs); err != nil {
		status := deltacloud.CodeOf(err).HTTPStatus()
		switch {
		case errors.Is(err, deltacloud.ErrConflict), errors.Is(err, deltacloud.ErrInvalidState):
			status = http.StatusForbidden
		case errors.Is(err, deltacloud.ErrNotFound) && r.Method == http.MethodDelete && len(segs) == 3 && segs[0] == "buckets":
			status = http.StatusInternalServerError
		}
		http.Error(w, err.Error(), status)
	}
}

// created answers 201 with a document and its Location.
func created(w http.ResponseWriter, href string, doc wire.Document) error {
	w.Header().Set("Location", href)
	return reply(w, http.StatusCreated, doc)
}

func reply(w http.ResponseWriter, status int, doc wire.Document) error {
	data, err := wire.Marshal(doc)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write(data)
	return nil
}

func (o *originalOptional) serve(w http.ResponseWriter, r *http.Request, segs []string) error {
	ctx, p := r.Context(), o.p
	base := "http://" + r.Host + "/api"
	r.ParseForm()
	f := r.Form.Get
	id := ""
	if len(segs) > 1 {
		id = segs[1]
	}
	route := r.Method + " " + segs[0]
	if len(segs) > 1 {
		route += "/:id"
	}
	if len(segs) > 2 {
		route += "/" + segs[2]
		if segs[0] == "buckets" || segs[0] == "firewalls" && r.Method == http.MethodDelete {
			route = r.Method + " " + segs[0] + "/:id/:sub"
		}
		if len(segs) == 4 && segs[3] == wire.ContentAction {
			route += "/content"
		}
	}
	noContent := func(err error) error {
		if err == nil {
			w.WriteHeader(http.StatusNoContent)
		}
		return err
	}
	switch route {
	case "GET keys":
		ks, err := p.Keys(ctx)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewKeys(base, ks))
	case "GET keys/:id":
		k, err := p.Key(ctx, id)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewKey(base, *k))
	case "POST keys":
		k, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: f("name"), PublicKey: f("public_key")})
		if err != nil {
			return err
		}
		return created(w, base+"/keys/"+k.ID, wire.NewKey(base, *k))
	case "DELETE keys/:id":
		return noContent(p.DestroyKey(ctx, id))

	case "GET firewalls":
		fs, err := p.Firewalls(ctx)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewFirewalls(base, fs))
	case "GET firewalls/:id":
		fw, err := p.Firewall(ctx, id)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewFirewall(base, *fw))
	case "POST firewalls":
		fw, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: f("name"), Description: f("description")})
		if err != nil {
			return err
		}
		return created(w, base+"/firewalls/"+fw.ID, wire.NewFirewall(base, *fw))
	case "DELETE firewalls/:id":
		return noContent(p.DestroyFirewall(ctx, id))
	case "POST firewalls/:id/rules":
		rule, err := wire.FirewallRuleFromParams(r.Form)
		if err != nil {
			return err
		}
		fw, err := p.AddFirewallRule(ctx, id, rule)
		if err != nil {
			return err
		}
		return reply(w, http.StatusCreated, wire.NewFirewall(base, *fw))
	case "DELETE firewalls/:id/:sub":
		return noContent(p.DeleteFirewallRule(ctx, id, segs[2]))

	case "GET addresses":
		as, err := p.Addresses(ctx)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewIPAddresses(base, as))
	case "GET addresses/:id":
		a, err := p.Address(ctx, id)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewIPAddress(base, *a))
	case "POST addresses":
		a, err := p.CreateAddress(ctx)
		if err != nil {
			return err
		}
		return created(w, base+"/addresses/"+a.ID, wire.NewIPAddress(base, *a))
	case "DELETE addresses/:id":
		return noContent(p.DestroyAddress(ctx, id))
	case "POST addresses/:id/associate", "POST addresses/:id/disassociate":
		var err error
		if segs[2] == "associate" {
			err = p.AssociateAddress(ctx, id, f("instance_id"))
		} else {
			err = p.DisassociateAddress(ctx, id)
		}
		if err == nil {
			w.WriteHeader(http.StatusAccepted)
		}
		return err

	case "GET storage_volumes":
		vs, err := p.StorageVolumes(ctx)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewStorageVolumes(base, vs))
	case "GET storage_volumes/:id":
		v, err := p.StorageVolume(ctx, id)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewStorageVolume(base, *v))
	case "POST storage_volumes":
		capacity, _ := strconv.Atoi(f("capacity"))
		v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: f("name"), Description: f("description"),
			Capacity: capacity, RealmID: f("realm_id"), SnapshotID: f("snapshot_id")})
		if err != nil {
			return err
		}
		return created(w, base+"/storage_volumes/"+v.ID, wire.NewStorageVolume(base, *v))
	case "DELETE storage_volumes/:id":
		return noContent(p.DestroyStorageVolume(ctx, id))
	case "POST storage_volumes/:id/attach", "POST storage_volumes/:id/detach":
		var v *deltacloud.StorageVolume
		var err error
		if segs[2] == "attach" {
			v, err = p.AttachStorageVolume(ctx, id, f("instance_id"), f("device"))
		} else {
			v, err = p.DetachStorageVolume(ctx, id)
		}
		if err != nil {
			return err
		}
		return reply(w, http.StatusAccepted, wire.NewStorageVolume(base, *v))

	case "GET storage_snapshots":
		ss, err := p.StorageSnapshots(ctx)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewStorageSnapshots(base, ss))
	case "GET storage_snapshots/:id":
		sn, err := p.StorageSnapshot(ctx, id)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewStorageSnapshot(base, *sn))
	case "POST storage_snapshots":
		sn, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: f("volume_id"),
			Name: f("name"), Description: f("description")})
		if err != nil {
			return err
		}
		return created(w, base+"/storage_snapshots/"+sn.ID, wire.NewStorageSnapshot(base, *sn))
	case "DELETE storage_snapshots/:id":
		return noContent(p.DestroyStorageSnapshot(ctx, id))

	case "GET metrics":
		ms, err := p.Metrics(ctx)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewMetrics(base, ms))
	case "GET metrics/:id":
		m, err := p.Metric(ctx, id)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewMetric(base, *m))

	case "POST images":
		img, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: f("instance_id"), Name: f("name"), Description: f("description")})
		if err != nil {
			return err
		}
		return created(w, base+"/images/"+img.ID, wire.NewImage(base, *img, wire.ImageOptions{}))
	case "DELETE images/:id":
		return noContent(p.DestroyImage(ctx, id))

	case "GET buckets":
		bs, err := p.Buckets(ctx)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewBuckets(base, bs))
	case "GET buckets/:id":
		b, err := p.Bucket(ctx, id)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewBucket(base, *b))
	case "POST buckets":
		b, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: f("name"), Location: f("location")})
		if err != nil {
			return err
		}
		return created(w, base+"/buckets/"+b.ID, wire.NewBucket(base, *b))
	case "DELETE buckets/:id":
		return noContent(p.DestroyBucket(ctx, id))
	case "GET buckets/:id/:sub":
		b, err := p.Blob(ctx, id, segs[2])
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewBlob(base, *b))
	case "HEAD buckets/:id/:sub":
		b, err := p.Blob(ctx, id, segs[2])
		if err != nil {
			return err
		}
		wire.SetBlobMetadataHeader(w.Header(), b.Metadata)
		w.WriteHeader(http.StatusNoContent)
		return nil
	case "PUT buckets/:id/:sub":
		spec := deltacloud.BlobSpec{ID: segs[2], ContentType: r.Header.Get("Content-Type"),
			Metadata: wire.BlobMetadataFromHeader(r.Header), Size: max(r.ContentLength, 0)}
		b, err := p.PutBlob(ctx, id, spec, r.Body)
		if err != nil {
			return err
		}
		return reply(w, 200, wire.NewBlob(base, *b))
	case "POST buckets/:id/:sub":
		b, err := p.SetBlobMetadata(ctx, id, segs[2], wire.BlobMetadataFromHeader(r.Header))
		if err != nil {
			return err
		}
		wire.SetBlobMetadataHeader(w.Header(), b.Metadata)
		w.WriteHeader(http.StatusNoContent)
		return nil
	case "DELETE buckets/:id/:sub":
		return noContent(p.DestroyBlob(ctx, id, segs[2]))
	case "GET buckets/:id/:sub/content":
		b, rc, err := p.BlobContent(ctx, id, segs[2])
		if err != nil {
			return err
		}
		defer rc.Close()
		w.Header().Set("Content-Type", b.ContentType)
		w.Header().Set("Content-Length", strconv.FormatInt(b.ContentLength, 10))
		w.Header().Set("Content-Disposition", "attachment; filename="+b.ID)
		w.WriteHeader(http.StatusOK)
		io.Copy(w, rc)
		return nil
	}
	http.Error(w, "no route "+route, http.StatusNotFound)
	return nil
}

// TestConformanceOriginal runs the conformance suite through the remote
// driver against the original server's answers for the optional
// collections.
func TestConformanceOriginal(t *testing.T) {
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return startOriginal(t).open(ctx, goodCreds)
		},
	})
}
