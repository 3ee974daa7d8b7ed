package api

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The browsable HTML interface: one html/template page per view,
// each defining "title" and "content" inside the shared layout. The pages
// get the wire documents the XML and JSON views are made of, wrapped in a
// page with the layout's context. html/template escapes everything the
// documents hold, so nothing a client or a cloud sends can become markup.

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var stylesheet string

// templateFuncs are the helpers the pages use.
var templateFuncs = template.FuncMap{
	// humanize turns "hardware_profiles" into "Hardware profiles".
	"humanize": humanize,
	// unit is a unit worth showing after a value ("MB"), or "".
	"unit": func(u string) string {
		if u == deltacloud.UnitLabel || u == deltacloud.UnitCount {
			return ""
		}
		return u
	},
	// stylesheet is the embedded CSS, inlined in the layout: the handler
	// serves only API routes, so the UI needs no asset requests.
	"stylesheet": func() template.CSS { return template.CSS(stylesheet) },
	"statusText": http.StatusText,
	"lower":      strings.ToLower,
	"fields":     strings.Fields,
	// buttons is the data of the "actions" template: one form per action
	// link.
	"buttons": func(p page, a wire.Actions, small bool) actionButtons {
		return actionButtons{Page: p, Links: a.Links, Small: small}
	},
	// stateClass is the CSS class of an instance or realm state.
	"stateClass": func(s string) string { return "state-" + strings.ToLower(s) },
	// opPath is an operation's URL pattern under {B}.
	"opPath": opPath,
}

// actionButtons is the data of the "actions" template.
type actionButtons struct {
	Page  page
	Links []wire.Link
	Small bool
}

// pages are the parsed page templates by page name; a name without its own
// template falls back to "generic".
var pages = parsePages()

func parsePages() map[string]*template.Template {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	m := map[string]*template.Template{}
	for _, n := range names {
		if path.Base(n) == "layout.html" {
			continue
		}
		t := template.Must(template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", n))
		m[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return m
}

// page is what every HTML page gets: the request's context for the layout
// (driver switcher, links) and the page's own data.
type page struct {
	// Base is {B}, without matrix parameters: the API's own hrefs use it.
	Base     string
	Driver   string
	Provider string
	Drivers  []deltacloud.DriverInfo
	// Name is the page's name ("instance", "docs", …) and Section the
	// collection (or "docs") the navigation marks as current.
	Name    string
	Section string
	Data    any

	// Matrix is ";driver=…;provider=…" when the request chose a driver or
	// provider other than the server's defaults, so that the page's links
	// keep the choice (a choice lasts for one request, as in the original).
	Matrix string
	// Nav lists the collections the navigation links to.
	Nav []string
	// Providers are the known providers of the current driver, offered by
	// the provider switcher.
	Providers []string
	// Formats are links to this page's document in the other formats;
	// empty for HTML-only pages (docs, forms, errors).
	Formats []formatLink
}

// formatLink is a link to the current document in another format.
type formatLink struct {
	Name string
	Href string
}

// URL is {B} with the request's matrix parameters followed by rel, for the
// page's own links ("/instances/new").
func (p page) URL(rel string) string { return p.Base + p.Matrix + rel }

// Link rewrites an href of a document (which starts with {B}) so that it
// keeps the request's driver and provider choice.
func (p page) Link(href string) string {
	if p.Matrix == "" || !strings.HasPrefix(href, p.Base) {
		return href
	}
	rest := href[len(p.Base):]
	if rest != "" && rest[0] != '/' && rest[0] != '?' && rest[0] != ';' {
		return href
	}
	return p.Base + p.Matrix + rest
}

// NewImageURL turns an instance's create_image link ({B}/images;instance_id=ID,
// a POST the browser cannot fill in) into the image form's URL,
// {B}/images/new?instance_id=ID.
func (p page) NewImageURL(href string) string {
	_, id, _ := strings.Cut(href, ";instance_id=")
	if unescaped, err := url.PathUnescape(id); err == nil {
		id = unescaped
	}
	return p.URL("/images/new?instance_id=" + url.QueryEscape(id))
}

// matrix is ";driver=…;provider=…" when the request chose a driver or
// provider other than the server's defaults, for URLs that keep the choice
// (the provider shown without the user information of an endpoint URL).
func (q *request) matrix() string {
	if q.driver == q.h.opts.Driver && q.provider == q.h.opts.Provider {
		return ""
	}
	m := ";driver=" + url.PathEscape(q.driver)
	if q.provider != "" {
		m += ";provider=" + url.PathEscape(shownProvider(q.provider))
	}
	return m
}

// pageData wraps a page's data with the layout's context.
func (q *request) pageData(data any) page {
	p := page{Base: q.base, Matrix: q.matrix(), Driver: q.driver, Provider: shownProvider(q.provider), Drivers: deltacloud.Drivers(), Data: data}
	for _, c := range documentedCollections() {
		if q.prov != nil && c != deltacloud.CollectionDrivers && !slices.Contains(q.prov.Collections(), c) {
			continue
		}
		p.Nav = append(p.Nav, string(c))
	}
	for _, d := range p.Drivers {
		if d.Name == q.driver {
			for _, pr := range d.Providers {
				if pr.ID != "" && pr.ID != wire.DefaultProvider {
					p.Providers = append(p.Providers, pr.ID)
				}
			}
		}
	}
	if q.r.Method == http.MethodGet || q.r.Method == http.MethodHead {
		offered := defaultFormats
		if q.op != nil {
			offered = q.op.formats()
		}
		self := *q.r.URL
		self.Scheme, self.Host, self.User, self.Fragment = "", "", nil, ""
		scheme := "http"
		if q.r.TLS != nil {
			scheme = "https"
		}
		for _, f := range offered {
			if f == formatHTML {
				continue
			}
			v := self.Query()
			v.Set("format", string(f))
			self.RawQuery = v.Encode()
			p.Formats = append(p.Formats, formatLink{Name: strings.ToUpper(string(f)), Href: scheme + "://" + q.r.Host + self.String()})
		}
	}
	return p
}

// sections maps page names to the navigation entry they belong to.
var sections = map[string]string{
	"driver": "drivers", "realm": "realms", "hardware_profile": "hardware_profiles",
	"image": "images", "instance": "instances", "new_instance": "instances", "new_image": "images",
	"key": "keys", "new_key": "keys", "firewall": "firewalls", "new_firewall": "firewalls",
	"address": "addresses", "storage_volume": "storage_volumes", "new_storage_volume": "storage_volumes",
	"storage_snapshot": "storage_snapshots", "new_storage_snapshot": "storage_snapshots",
	"bucket": "buckets", "new_bucket": "buckets", "blob": "buckets", "metric": "metrics",
}

// linksFormats are the pages that link to their document in the other
// formats; the others (docs, forms, errors) are HTML only.
var linksFormats = map[string]bool{
	"api": true, "drivers": true, "driver": true, "realms": true, "realm": true,
	"hardware_profiles": true, "hardware_profile": true, "images": true, "image": true,
	"instances": true, "instance": true, "instance_states": true,
	"keys": true, "key": true, "firewalls": true, "firewall": true, "addresses": true, "address": true,
	"storage_volumes": true, "storage_volume": true, "storage_snapshots": true, "storage_snapshot": true,
	"buckets": true, "bucket": true, "blob": true, "metrics": true, "metric": true,
}

// renderHTML executes the named page.
func (h *Handler) renderHTML(w io.Writer, name string, p page) error {
	p.Name = name
	p.Section = name
	if !linksFormats[name] {
		p.Formats = nil
	}
	if s, ok := sections[name]; ok {
		p.Section = s
	}
	t := pages[name]
	if t == nil {
		t = pages["generic"]
	}
	return t.ExecuteTemplate(w, "layout", p)
}

// humanize turns an identifier into words: "hardware_profiles" →
// "Hardware profiles".
func humanize(s string) string {
	if s == deltacloud.PropertyCPU {
		return "CPU"
	}
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// genericXML is the fallback page's view of a document without its own
// template: the XML document itself.
func (p page) GenericXML() string {
	doc, ok := p.Data.(wire.Document)
	if !ok {
		return fmt.Sprintf("%+v", p.Data)
	}
	b, err := wire.Marshal(doc)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// newInstancePage serves the launch form (HTML only): GET
// {B}/instances/new?image_id=ID[&hwp_id=P]. The form works without
// JavaScript in two steps: choosing a hardware profile reloads the page
// with hwp_id, and the launch form then carries the fields of that profile
// only, so that hwp_* overrides always belong to the profile posted.
func (q *request) newInstancePage() {
	q.format = formatHTML
	q.op = &operation{Name: "new", Auth: true}
	imageID := q.params.Get("image_id")
	if imageID == "" {
		q.fail(&deltacloud.Error{Code: deltacloud.NotFound, Message: "Choose an image to launch: image_id is missing"})
		return
	}
	p, err := q.open()
	if err != nil {
		q.fail(err)
		return
	}
	ctx := q.r.Context()
	img, err := p.Image(ctx, imageID)
	if err != nil {
		q.fail(err)
		return
	}
	realms, err := p.Realms(ctx)
	if err != nil {
		q.fail(err)
		return
	}
	profiles, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil {
		q.fail(err)
		return
	}
	// Offer only the profiles the create will accept with this image: the
	// Provider's own rule, so form and create cannot disagree.
	profiles = slices.DeleteFunc(profiles, func(h deltacloud.HardwareProfile) bool { return !h.CanRun(*img) })
	data := launchForm{Image: *img, Realms: realms, Profiles: profiles, Features: p.Features(),
		RealmID: q.params.Get("realm_id")}
	if err := data.choose(q.params.Get("hwp_id")); err != nil {
		q.fail(err)
		return
	}
	if err := q.render(http.StatusOK, nil, nil, "new_instance", data); err != nil {
		q.fail(err)
	}
}

// launchForm is the data of the launch page.
type launchForm struct {
	Image    deltacloud.Image
	Realms   []deltacloud.Realm
	Profiles []deltacloud.HardwareProfile
	Features deltacloud.Features

	// Profile is the chosen hardware profile (the first one unless hwp_id
	// names another), nil when the image fits none; Properties are its
	// properties as form fields.
	Profile    *deltacloud.HardwareProfile
	Properties []propertyField
	// Fields are the inputs of the create features the provider
	// advertises (user_name → name, …).
	Fields []featureField
	// RealmID preselects a realm.
	RealmID string
}

// propertyField is one hardware profile property in the launch form.
type propertyField struct {
	Param string // hwp_<name>
	Name  string
	Unit  string
	Kind  string // fixed, range or enum
	Value string // the default
	// Range: the number input's bounds and step ("any" when the range is
	// not of whole numbers).
	Min, Max, Step string
	// Enum: the choices.
	Values []string
}

// featureField is one input a create feature adds.
type featureField struct {
	Feature string
	Param   string
	Label   string
	// Type is the input type: text, password, number, checkbox or
	// textarea.
	Type      string
	Help      string
	MaxLength string
}

// choose selects the profile with id hwpID (or the first) and builds the
// form's fields.
func (f *launchForm) choose(hwpID string) error {
	if hwpID != "" {
		i := slices.IndexFunc(f.Profiles, func(h deltacloud.HardwareProfile) bool { return h.ID == hwpID })
		if i < 0 {
			return &deltacloud.Error{Code: deltacloud.NotFound,
				Message: fmt.Sprintf("Hardware profile '%s' is not available for image '%s'", hwpID, f.Image.ID)}
		}
		f.Profile = &f.Profiles[i]
	} else if len(f.Profiles) > 0 {
		f.Profile = &f.Profiles[0]
	}
	if f.Profile != nil {
		for _, p := range f.Profile.Properties {
			field := newPropertyField(p)
			if arch := f.Image.Architecture; p.Name == deltacloud.PropertyArchitecture && p.Kind == deltacloud.Enum && arch != "" {
				// Only the image's architecture runs it (see
				// HardwareProfile.RunsImage); the others would be refused.
				field.Value, field.Values = arch, []string{arch}
			}
			f.Properties = append(f.Properties, field)
		}
	}
	for _, feat := range f.Features.For(deltacloud.CollectionInstances, deltacloud.OpCreate) {
		for _, param := range feat.Params {
			f.Fields = append(f.Fields, newFeatureField(feat, param))
		}
	}
	return nil
}

func newPropertyField(p deltacloud.Property) propertyField {
	f := propertyField{Param: wire.ParamPrefix + p.Name, Name: p.Name, Unit: p.Unit, Kind: string(p.Kind), Value: p.Default}
	switch p.Kind {
	case deltacloud.Range:
		f.Min, f.Max, f.Step = p.First, p.Last, p.Step
		if f.Step == "" {
			f.Step = "any"
			if whole(p.First) && whole(p.Last) && whole(p.Default) {
				f.Step = "1"
			}
		}
	case deltacloud.Enum:
		f.Values = p.Values
	}
	return f
}

// whole reports whether s is a whole number.
func whole(s string) bool {
	_, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return err == nil
}

// featureInputs describes the inputs of the feature parameters; others are
// text inputs labelled with their name.
var featureInputs = map[string]featureField{
	"name":             {Label: "Name", Type: "text"},
	"user_data":        {Label: "User data (base64)", Type: "textarea", Help: "Base64-encoded; the instance receives the decoded bytes."},
	"user_files":       {Label: "User files", Type: "textarea"},
	"user_iso":         {Label: "User ISO (base64, gzipped)", Type: "textarea"},
	"firewalls":        {Label: "Firewall", Type: "text", Help: "The name of a firewall (security group)."},
	"keyname":          {Label: "Key name", Type: "text", Help: "The key to log in with."},
	"password":         {Label: "Password", Type: "password", Help: "The password to log in with."},
	"load_balancer_id": {Label: "Load balancer", Type: "text"},
	"instance_count":   {Label: "Number of instances", Type: "number"},
	"snapshot_id":      {Label: "Snapshot to attach", Type: "text"},
	"device_name":      {Label: "Device of the snapshot", Type: "text", Help: "e.g. /dev/sdb"},
	"sandbox":          {Label: "Launch in a sandbox", Type: "checkbox"},
	"metrics":          {Label: "Detailed monitoring", Type: "checkbox"},
}

func newFeatureField(feat deltacloud.Feature, param string) featureField {
	f, ok := featureInputs[param]
	if !ok {
		f = featureField{Label: humanize(param), Type: "text"}
	}
	f.Feature, f.Param = string(feat.Name), param
	if f.Help == "" {
		f.Help = featureParamDoc[param]
	}
	if f.Help != "" && !strings.HasSuffix(f.Help, ".") {
		f.Help += "."
	}
	if n := feat.Constraints["max_length"]; n != "" && whole(n) {
		f.MaxLength = n
	}
	return f
}

// docs serves /api/docs pages, generated from the route table: the index
// of collections, a collection's operations, or one operation with its
// parameters. An unknown collection or operation is 404.
func (q *request) docs(rest []string) {
	q.format = formatHTML
	data := docsPage{Routes: routes}
	for _, c := range documentedCollections() {
		data.Collections = append(data.Collections, docsCollection{Name: string(c), Ops: collectionOps(c)})
	}
	if len(rest) > 0 {
		data.Collection = rest[0]
		i := slices.IndexFunc(data.Collections, func(c docsCollection) bool { return c.Name == rest[0] })
		if i < 0 {
			q.fail(&deltacloud.Error{Code: deltacloud.NotFound, Message: fmt.Sprintf("No documentation for collection '%s'", rest[0])})
			return
		}
		data.Ops = data.Collections[i].Ops
	}
	if len(rest) > 1 {
		data.Operation = rest[1]
		i := slices.IndexFunc(data.Ops, func(op *operation) bool { return op.Name == rest[1] })
		if i < 0 || len(rest) > 2 {
			q.fail(&deltacloud.Error{Code: deltacloud.NotFound,
				Message: fmt.Sprintf("No documentation for operation '%s' of collection '%s'", strings.Join(rest[1:], "/"), rest[0])})
			return
		}
		data.Op = data.Ops[i]
	}
	if err := q.render(http.StatusOK, nil, nil, "docs", data); err != nil {
		q.fail(err)
	}
}

// docsPage is the data of the docs pages: Collection and Operation name the
// page (empty for the index), Op and Ops are what it documents.
type docsPage struct {
	Routes     []*operation
	Collection string
	Operation  string

	Collections []docsCollection
	Ops         []*operation
	Op          *operation
}

// docsCollection is one collection in the docs index.
type docsCollection struct {
	Name string
	Ops  []*operation
}

// opPath is the URL pattern of an operation under {B}:
// "/instances/:id/reboot", "/buckets/:id/:blob_id/content".
func opPath(op *operation) string {
	p := "/" + string(op.Collection)
	for _, seg := range op.pattern() {
		p += "/" + seg
	}
	return p
}
