package wire

import (
	"slices"

	"github.com/deltacloud-go/deltacloud"
)

// API is the entry point document, GET /api, which has no XML
// declaration:
//
//	<api driver='mock' provider='…' version='1.1.3'>
//	  <link href='{B}/instances' rel='instances'>
//	    <feature name='user_name' rel='create'><param name='name' />
//	      <constraint name='max_length'>20</constraint></feature>
//	  </link>
//	  …
//	</api>
//
// The provider attribute is present only when a provider is set.
type API struct {
	XMLName  struct{}  `xml:"api"`
	Driver   string    `xml:"driver,attr"`
	Provider string    `xml:"provider,attr,omitempty"`
	Version  string    `xml:"version,attr"`
	Links    []APILink `xml:"link"`
}

// Declared reports that the entry point has no XML declaration.
func (API) Declared() bool { return false }

// APILink is one collection of the entry point with the features that
// extend its operations.
type APILink struct {
	Href     string       `xml:"href,attr"`
	Rel      string       `xml:"rel,attr"`
	Features []APIFeature `xml:"feature"`
}

// APIFeature is one advertised feature: rel is the operation it extends,
// each param a request parameter it adds, each constraint a driver limit.
type APIFeature struct {
	Name        string          `xml:"name,attr"`
	Rel         string          `xml:"rel,attr"`
	Params      []APIParam      `xml:"param"`
	Constraints []APIConstraint `xml:"constraint"`
}

// APIParam names a parameter a feature adds.
type APIParam struct {
	Name string `xml:"name,attr"`
}

// APIConstraint is a driver limit on a feature,
// <constraint name='max_length'>20</constraint>.
type APIConstraint struct {
	Name  string `xml:"name,attr"`
	Value string `xml:",chardata"`
}

// APIInfo is what the entry point says: the driver and provider serving the
// request, the API version, the collections offered and the features
// advertised.
type APIInfo struct {
	Driver   string
	Provider string
	// Version is the API version the server implements; a server built on
	// this package passes APIVersion.
	Version     string
	Collections []deltacloud.Collection
	// Features are listed under their collection's link, in this order; a
	// feature of a collection not in Collections is not shown.
	Features deltacloud.Features
}

// NewAPI builds the entry point document, with hrefs under base. Links
// appear in the order of info.Collections (the original's order is not
// significant).
func NewAPI(base string, info APIInfo) API {
	d := API{Driver: info.Driver, Provider: info.Provider, Version: info.Version}
	for i, c := range info.Collections {
		l := APILink{Href: collectionHref(base, string(c)), Rel: string(c)}
		// A collection listed twice gets its features once, on its first link.
		if !slices.Contains(info.Collections[:i], c) {
			for _, f := range info.Features.For(c, "") {
				l.Features = append(l.Features, newAPIFeature(f))
			}
		}
		d.Links = append(d.Links, l)
	}
	return d
}

func newAPIFeature(f deltacloud.Feature) APIFeature {
	df := APIFeature{Name: string(f.Name), Rel: string(f.Operation)}
	for _, p := range f.Params {
		df.Params = append(df.Params, APIParam{Name: p})
	}
	for _, k := range sortedKeys(f.Constraints) {
		df.Constraints = append(df.Constraints, APIConstraint{Name: k, Value: f.Constraints[k]})
	}
	return df
}

// DecodeAPI reads an entry point document.
func DecodeAPI(data []byte) (*API, error) { return decode[API](data) }

// Model returns what the entry point says. Every feature is kept, including
// ones this library does not define, with its collection taken from the
// link it appears under.
func (d *API) Model() APIInfo {
	info := APIInfo{Driver: text(d.Driver), Provider: text(d.Provider), Version: text(d.Version)}
	for _, l := range d.Links {
		c := deltacloud.Collection(text(l.Rel))
		info.Collections = append(info.Collections, c)
		for _, df := range l.Features {
			f := deltacloud.Feature{Name: deltacloud.FeatureName(text(df.Name)), Collection: c, Operation: deltacloud.Operation(text(df.Rel))}
			for _, p := range df.Params {
				f.Params = append(f.Params, text(p.Name))
			}
			for _, k := range df.Constraints {
				if f.Constraints == nil {
					f.Constraints = map[string]string{}
				}
				f.Constraints[text(k.Name)] = text(k.Value)
			}
			info.Features = append(info.Features, f)
		}
	}
	return info
}

// Href returns the href of a collection's link, so a client follows the
// server's links instead of building paths.
func (d *API) Href(c deltacloud.Collection) (string, bool) {
	for _, l := range d.Links {
		if text(l.Rel) == string(c) {
			return text(l.Href), true
		}
	}
	return "", false
}

// APIJSON is the entry point's JSON form, {"api":{…}}.
type APIJSON struct {
	API APIBodyJSON `json:"api"`
}

// APIBodyJSON is the body of the entry point's JSON form. Provider is
// "default" when none is set.
type APIBodyJSON struct {
	Version  string        `json:"version"`
	Driver   string        `json:"driver"`
	Provider string        `json:"provider"`
	Links    []APILinkJSON `json:"links"`
}

// APILinkJSON is one collection in JSON. Features is a list of lists: one
// inner list per feature, with one entry per operation it extends.
type APILinkJSON struct {
	Rel      string             `json:"rel"`
	Href     string             `json:"href"`
	Features [][]APIFeatureJSON `json:"features"`
}

// APIFeatureJSON is one feature entry in JSON. Params are
// "name:type:required|optional" strings.
type APIFeatureJSON struct {
	Name        string            `json:"name"`
	Rel         string            `json:"rel"`
	Params      []string          `json:"params"`
	Constraints map[string]Number `json:"constraints"`
}

// DefaultProvider is what the JSON entry point shows when no provider is
// set.
const DefaultProvider = "default"

// JSON returns the entry point's JSON form.
func (d API) JSON() APIJSON {
	j := APIJSON{API: APIBodyJSON{Version: d.Version, Driver: d.Driver, Provider: d.Provider, Links: make([]APILinkJSON, len(d.Links))}}
	if j.API.Provider == "" {
		j.API.Provider = DefaultProvider
	}
	for i, l := range d.Links {
		jl := APILinkJSON{Rel: l.Rel, Href: l.Href, Features: make([][]APIFeatureJSON, len(l.Features))}
		for k, f := range l.Features {
			jf := APIFeatureJSON{Name: f.Name, Rel: f.Rel, Params: make([]string, len(f.Params)), Constraints: map[string]Number{}}
			for n, p := range f.Params {
				// Feature parameters are optional strings in every driver.
				jf.Params[n] = p.Name + ":string:optional"
			}
			for _, c := range f.Constraints {
				jf.Constraints[c.Name] = Number(c.Value)
			}
			jl.Features[k] = []APIFeatureJSON{jf}
		}
		j.API.Links[i] = jl
	}
	return j
}
