package api

import (
	"net/http"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The addresses collection.

func addressesIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	as, err := p.Addresses(q.r.Context())
	if err != nil {
		return err
	}
	as = onlyID(q, as, func(x deltacloud.IPAddress) string { return x.ID })
	doc := wire.NewIPAddresses(q.base, as)
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "addresses", doc)
}

// addressPage is the address page's data: the document and the instances
// the associate form offers.
type addressPage struct {
	wire.IPAddress
	Instances []deltacloud.Instance
}

func addressShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	a, err := p.Address(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	doc := wire.NewIPAddress(q.base, *a)
	data := addressPage{IPAddress: doc}
	if q.format == formatHTML && !a.Associated() {
		data.Instances = q.instancesForForm(p)
	}
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "address", data)
}

func addressCreate(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	a, err := p.CreateAddress(q.r.Context())
	if err != nil {
		return forbidState(err)
	}
	doc := wire.NewIPAddress(q.base, *a)
	return q.created(memberPath(deltacloud.CollectionAddresses, a.ID), doc, func() any { return doc.ShowJSON() }, "address", addressPage{IPAddress: doc})
}

func addressDestroy(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.DestroyAddress(q.r.Context(), q.id); err != nil {
		return forbidState(err)
	}
	q.noContent("/addresses")
	return nil
}

// addressAssociate answers 202 without a body (HTML: back to the address).
func addressAssociate(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.AssociateAddress(q.r.Context(), q.id, q.params.Get("instance_id")); err != nil {
		return forbidState(err)
	}
	q.accepted()
	return nil
}

// addressDisassociate answers 202 without a body (HTML: back to the
// address).
func addressDisassociate(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.DisassociateAddress(q.r.Context(), q.id); err != nil {
		return forbidState(err)
	}
	q.accepted()
	return nil
}

// accepted answers an address action: 202 with no body, or a redirect to
// the address for an HTML form.
func (q *request) accepted() {
	if q.format == formatHTML {
		q.redirect(memberPath(deltacloud.CollectionAddresses, q.id))
		return
	}
	q.empty(http.StatusAccepted)
}
