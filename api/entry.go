package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// entryPoint serves /api: the collections the provider offers with their
// features (GET), the driver/provider switch of the HTML UI (POST) and the
// collection list (OPTIONS).
func (q *request) entryPoint(method string) {
	switch method {
	case http.MethodGet, http.MethodHead:
	case http.MethodPost:
		q.switchDriver()
		return
	case http.MethodOptions:
		q.setCommonHeaders()
		q.w.Header().Set("Allow", strings.Join(collectionNames(documentedCollections()), ","))
		q.w.WriteHeader(http.StatusOK)
		q.wrote = true
		return
	default:
		q.w.Header().Set("Allow", "GET,HEAD,POST,OPTIONS")
		q.format = formatXML
		q.fail(&deltacloud.Error{Code: deltacloud.InvalidState, Message: "Method Not Allowed"})
		return
	}
	if !q.negotiate(defaultFormats) {
		return
	}
	if q.params.Get("force_auth") != "" {
		q.op = &operation{Auth: true}
		p, err := q.open()
		if err == nil {
			_, err = p.Instances(q.r.Context(), deltacloud.InstanceFilter{})
		}
		if deltacloud.CodeOf(err) == deltacloud.AuthFailure && q.hasCreds {
			q.setCommonHeaders()
			q.w.Header().Set("Content-Type", "text/html")
			q.w.WriteHeader(http.StatusUnauthorized)
			q.w.Write([]byte("Authentication failed"))
			q.wrote = true
			return
		}
		if err != nil {
			q.fail(err)
			return
		}
		q.op = nil
	}
	p, err := q.open()
	if err != nil {
		q.fail(err)
		return
	}
	if p.SupportsClientToken() {
		q.w.Header().Set(clientTokenHeader, "supported")
	}
	doc := q.apiDoc(p)
	if err := q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "api", doc); err != nil {
		q.fail(err)
	}
}

// clientTokenHeader is the header with which the entry point says that
// POST /api/instances honours client_token, so a client (the remote
// driver) sends tokens only to a server that will not ignore them: a
// Deltacloud server that does not know the parameter would drop it and
// launch twice on a retry.
const clientTokenHeader = "X-Deltacloud-Client-Token"

// apiDoc is the entry point document for p.
func (q *request) apiDoc(p *deltacloud.Provider) wire.API {
	return wire.NewAPI(q.base, wire.APIInfo{
		Driver: q.driver, Provider: shownProvider(q.provider), Version: wire.APIVersion,
		Collections: p.Collections(), Features: p.Features(),
	})
}

// switchDriver redirects the HTML UI's driver/provider form to the matrix
// URL that selects them.
func (q *request) switchDriver() {
	target := q.base
	driver := strings.ToLower(q.params.Get("driver"))
	provider := normalizeProvider(q.params.Get("provider"))
	if driver == "" {
		if _, rest, ok := strings.Cut(q.r.Referer(), ";driver="); ok {
			if end := strings.IndexAny(rest, ";/?#"); end >= 0 {
				rest = rest[:end]
			}
			driver = strings.ToLower(rest)
		}
	}
	if driver != "" && plainName.MatchString(driver) {
		target += ";driver=" + driver
	}
	if provider != "" && provider != "default" && q.h.providerAllowed(provider) {
		target += ";provider=" + url.PathEscape(provider)
	}
	q.setCommonHeaders()
	http.Redirect(q.w, q.r, target, http.StatusMovedPermanently)
	q.wrote = true
}

func collectionNames(cs []deltacloud.Collection) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}
