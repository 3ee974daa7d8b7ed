package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// openAPIPath is the document's path under {B}: GET {B}/openapi.json.
const openAPIPath = "openapi.json"

// openAPIScope is what one OpenAPI document describes: the server a client
// talks to and what its provider serves. Parameters a feature adds appear
// only where the provider advertises the feature (and say which, as
// x-deltacloud-feature), and operations only where the provider serves
// them (no 412 paths), so a client generated from the document offers
// exactly what works.
type openAPIScope struct {
	// server is the URL the paths are relative to: {B}, with the matrix
	// parameters that chose a driver or provider other than the default.
	server           string
	driver, provider string
	features         deltacloud.Features
	served           func(*operation) bool
}

// openAPI serves GET {B}/openapi.json: the OpenAPI 3.1 document of the
// selected provider, made from the routing table (as /api/docs is), with
// ETag and Cache-Control like every document. Like the entry point it
// needs no credentials, and it holds none: the provider is shown without
// the user information of an endpoint URL.
func (q *request) openAPI(method string) {
	q.format = formatJSON
	if method != http.MethodGet && method != http.MethodHead {
		q.w.Header().Set("Allow", "GET,HEAD")
		q.fail(&deltacloud.Error{Code: deltacloud.InvalidState, Message: "Method Not Allowed"})
		return
	}
	p, err := q.open()
	if err != nil {
		q.fail(err)
		return
	}
	server := q.base
	if m := q.matrix(); m != "" {
		if q.h.opts.Prefix == "" {
			server += "/" // at the root the matrix goes on an empty segment
		}
		server += m
	}
	body, err := json.Marshal(openAPIDocument(openAPIScope{
		server: server, driver: q.driver, provider: shownProvider(q.provider),
		features: p.Features(), served: func(op *operation) bool { return op.servedBy(p) },
	}))
	if err != nil {
		q.fail(err)
		return
	}
	q.write(http.StatusOK, formatJSON, body)
}

// openAPIDocument is the OpenAPI 3.1 document of sc: the entry point, the
// document itself and every operation of the routing table that sc serves,
// with the JSON Schemas of the wire documents they answer.
func openAPIDocument(sc openAPIScope) jsonObject {
	schemas := newJSONSchemas()
	paths := jsonObject{}
	for _, op := range append([]*operation{entryPointOp, openAPIOp}, routes...) {
		if op != entryPointOp && op != openAPIOp && !sc.served(op) {
			continue
		}
		path := openAPIPathOf(op)
		item, _ := paths[path].(jsonObject)
		if item == nil {
			item = jsonObject{}
			paths[path] = item
		}
		item[strings.ToLower(op.Method)] = openAPIOperation(op, sc, schemas)
	}
	desc := "The Deltacloud REST API of the driver " + sc.driver
	if sc.provider != "" {
		desc += " (provider " + sc.provider + ")"
	}
	desc += ", generated from the server's routing table: the operations and parameters this provider offers. " +
		"Every operation answers XML, JSON or HTML by the Accept header or ?format=; the schemas describe the JSON."
	return jsonObject{
		"openapi": "3.1.0",
		"info": jsonObject{
			"title": "Deltacloud", "version": wire.APIVersion, "description": desc,
			"x-deltacloud-driver": sc.driver, "x-deltacloud-provider": sc.provider,
		},
		"servers": []any{jsonObject{"url": sc.server}},
		"paths":   paths,
		"components": jsonObject{
			"schemas": schemas.components,
			"securitySchemes": jsonObject{basicScheme: jsonObject{"type": "http", "scheme": "basic",
				"description": "The cloud's credentials (the driver's user name and password, access key and secret, …)"}},
		},
	}
}

// basicScheme names the HTTP Basic security scheme.
const basicScheme = "basic"

// entryPointOp and openAPIOp describe the two routes outside the
// collections for the document; the routing serves them itself.
var (
	entryPointOp = &operation{Name: "entry_point", Method: http.MethodGet,
		Description: "The entry point: the collections the provider serves, with their features",
		Params: []param{{Name: "force_auth", Type: "string",
			Description: "Check the credentials first (401 when they are wrong)"}},
		Replies: []reply{withJSON[wire.APIJSON](http.StatusOK)}}
	openAPIOp = &operation{Name: "openapi", Method: http.MethodGet, Formats: []format{formatJSON},
		Description: "This OpenAPI 3.1 document", Replies: []reply{withJSON[jsonObject](http.StatusOK)}}
)

// openAPIPathOf is op's path with {id}-style templates: "/instances/{id}/reboot".
func openAPIPathOf(op *operation) string {
	switch op {
	case entryPointOp:
		return "/"
	case openAPIOp:
		return "/" + openAPIPath
	}
	p := "/" + string(op.Collection)
	for _, seg := range op.pattern() {
		if name, ok := strings.CutPrefix(seg, ":"); ok {
			seg = "{" + name + "}"
		}
		p += "/" + seg
	}
	return p
}

// openAPIOperation is the Operation Object of op.
func openAPIOperation(op *operation, sc openAPIScope, schemas *jsonSchemas) jsonObject {
	id := op.Name
	if op.Collection != "" {
		id = string(op.Collection) + "_" + op.Name
	}
	o := jsonObject{"operationId": id, "summary": op.Description}
	if op.Collection != "" {
		o["tags"] = []string{string(op.Collection)}
	}
	if op.Capability != "" {
		o["x-deltacloud-capability"] = op.Capability
	}
	switch {
	case op.Auth:
		o["security"] = []any{jsonObject{basicScheme: []string{}}}
	case op == entryPointOp:
		o["security"] = []any{jsonObject{}, jsonObject{basicScheme: []string{}}} // optional
	}
	var params []any
	var form []param
	for _, p := range op.Params {
		if p.Feature != "" && !sc.features.Has(deltacloud.FeatureName(p.Feature)) {
			continue
		}
		switch {
		case isPathParam(op, p.Name):
			params = append(params, paramObject(p, "path"))
		case op.Method == http.MethodGet || op.Method == http.MethodHead || op.Method == http.MethodDelete:
			params = append(params, paramObject(p, "query"))
		default:
			form = append(form, p)
		}
	}
	if len(params) > 0 {
		o["parameters"] = params
	}
	if b := requestBody(op, form); b != nil {
		o["requestBody"] = b
	}
	o["responses"] = openAPIResponses(op, schemas)
	return o
}

// isPathParam reports whether op's path captures the parameter name.
func isPathParam(op *operation, name string) bool {
	return slices.Contains(op.pattern(), ":"+name)
}

// paramObject is the Parameter Object of p, in a path or the query.
func paramObject(p param, in string) jsonObject {
	o := jsonObject{"name": p.Name, "in": in, "schema": paramSchema(p)}
	if p.Description != "" {
		o["description"] = p.Description
	}
	if p.Required || in == "path" {
		o["required"] = true
	}
	if p.Feature != "" {
		o["x-deltacloud-feature"] = p.Feature
	}
	return o
}

// paramSchema is the schema of a parameter's value.
func paramSchema(p param) jsonObject {
	switch p.Type {
	case "integer", "boolean":
		return jsonObject{"type": p.Type}
	}
	return jsonObject{"type": "string"}
}

// requestBody is the Request Body Object of a POST or PUT: its form
// parameters, urlencoded or multipart (the handler reads both); for an
// upload without form parameters (a blob's PUT), the raw content.
func requestBody(op *operation, form []param) jsonObject {
	if len(form) == 0 {
		if op.Stream {
			return jsonObject{"required": true, "description": "The content; its Content-Type is the blob's",
				"content": jsonObject{"*/*": jsonObject{"schema": jsonObject{"type": "string", "format": "binary"}}}}
		}
		return nil
	}
	urlencoded, multipart := formSchema(form, false), formSchema(form, true)
	content := jsonObject{"application/x-www-form-urlencoded": jsonObject{"schema": urlencoded},
		"multipart/form-data": jsonObject{"schema": multipart}}
	_, required := urlencoded["required"]
	return jsonObject{"required": required, "content": content}
}

// formSchema is the object schema of form parameters; in a multipart form
// a file parameter is binary.
func formSchema(form []param, multipart bool) jsonObject {
	props := jsonObject{}
	var required []string
	for _, p := range form {
		s := paramSchema(p)
		if p.File && multipart {
			s = jsonObject{"type": "string", "format": "binary"}
		}
		if p.Description != "" {
			s["description"] = p.Description
		}
		if p.Feature != "" {
			s["x-deltacloud-feature"] = p.Feature
		}
		props[p.Name] = s
		if p.Required {
			required = append(required, p.Name)
		}
	}
	s := jsonObject{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// openAPIResponses is op's Responses Object: its replies, the redirect of
// HTML forms, and the error documents of every status an error can have.
func openAPIResponses(op *operation, schemas *jsonSchemas) jsonObject {
	rs := jsonObject{}
	for _, r := range op.Replies {
		key := strconv.Itoa(r.Status)
		if _, done := rs[key]; done {
			continue
		}
		rs[key] = successResponse(op, r.Status, schemas)
	}
	if redirectsHTML(op) {
		rs["302"] = jsonObject{"description": "An HTML form's answer: a redirect to the page of the object or collection",
			"headers": jsonObject{"Location": jsonObject{"schema": jsonObject{"type": "string"}}}}
	}
	if !op.Raw {
		rs["406"] = jsonObject{"description": "None of the formats the Accept header or ?format= asks for is offered"}
	}
	errorContent := errorContent(op, schemas)
	for _, status := range errorStatuses() {
		resp := jsonObject{"description": http.StatusText(status), "content": errorContent}
		if status == http.StatusUnauthorized {
			resp["headers"] = jsonObject{"WWW-Authenticate": jsonObject{"schema": jsonObject{"type": "string"},
				"description": "The Basic challenge, when no credentials were sent"}}
		}
		if status == http.StatusBadRequest && requiresParams(op) {
			resp["content"] = withPlainText(errorContent, "A required parameter is missing (the message names it), "+
				"or a parameter is invalid (an error document)")
		}
		rs[strconv.Itoa(status)] = resp
	}
	if op.providerDependent() || op.Capability != "" {
		rs["412"] = jsonObject{"description": "The provider lacks the operation; Expect names the capability",
			"headers": jsonObject{"Expect": jsonObject{"schema": jsonObject{"type": "string"}}},
			"content": jsonObject{"text/plain": jsonObject{"schema": jsonObject{"type": "string"}}}}
	}
	return rs
}

// successResponse is the Response Object of op's replies with status: the
// JSON document's schema (oneOf where the status has several, as a create
// of one instance or of many), the other formats without one.
func successResponse(op *operation, status int, schemas *jsonSchemas) jsonObject {
	var types []any
	for _, r := range op.Replies {
		if r.Status == status && r.JSON != nil {
			types = append(types, schemaOf(r.JSON, schemas))
		}
	}
	resp := jsonObject{"description": http.StatusText(status)}
	content := jsonObject{}
	switch {
	case len(types) > 0:
		for _, f := range op.formats() {
			if f == formatHTML && redirectsHTML(op) {
				continue
			}
			content[contentType[f]] = jsonObject{}
		}
		if len(types) == 1 {
			content[contentType[formatJSON]] = jsonObject{"schema": types[0]}
		} else {
			content[contentType[formatJSON]] = jsonObject{"schema": jsonObject{"oneOf": types}}
		}
	case status == http.StatusOK && op.Raw:
		content["*/*"] = jsonObject{"schema": jsonObject{"type": "string", "format": "binary"}}
	case status == http.StatusOK:
		content[contentType[formatHTML]] = jsonObject{}
	}
	if len(content) > 0 {
		resp["content"] = content
	}
	return resp
}

// schemaOf is the schema of a reply's document; the OpenAPI document's
// own is any object.
func schemaOf(t reflect.Type, schemas *jsonSchemas) jsonObject {
	if t == reflect.TypeFor[jsonObject]() {
		return jsonObject{"type": "object"}
	}
	return schemas.of(t)
}

// errorContent is the content of op's error answers: the error document
// in the formats op negotiates (XML only for raw content, and for the
// formats without an error form of their own).
func errorContent(op *operation, schemas *jsonSchemas) jsonObject {
	c := jsonObject{contentType[formatXML]: jsonObject{}}
	if op.Raw {
		return c
	}
	for _, f := range op.formats() {
		switch f {
		case formatJSON:
			c[contentType[f]] = jsonObject{"schema": schemas.of(reflect.TypeFor[wire.ErrorJSON]())}
		case formatHTML:
			c[contentType[f]] = jsonObject{}
		}
	}
	return c
}

// withPlainText is content with text/plain added, described.
func withPlainText(content jsonObject, description string) jsonObject {
	c := jsonObject{"text/plain": jsonObject{"schema": jsonObject{"type": "string", "description": description}}}
	for k, v := range content {
		c[k] = v
	}
	return c
}

// redirectsHTML reports whether op answers an HTML form with a redirect
// (302) rather than a page: the changes, except blob uploads, which show
// the blob.
func redirectsHTML(op *operation) bool {
	return op.Method != http.MethodGet && op.Method != http.MethodHead && !op.Raw && !op.Stream &&
		slices.Contains(op.formats(), formatHTML)
}

// requiresParams reports whether op checks for required parameters
// (plain-text 400 when one is missing).
func requiresParams(op *operation) bool {
	return slices.ContainsFunc(op.Params, func(p param) bool { return p.Required && !isPathParam(op, p.Name) })
}

// errorStatuses are the statuses of the error codes, sorted: any operation
// may answer any of them, as any driver call may fail with any code.
// Canceled is left out: its client went away and reads no answer.
func errorStatuses() []int {
	var out []int
	for c := deltacloud.CodeUnknown; c <= deltacloud.Canceled; c++ {
		if s := c.HTTPStatus(); c != deltacloud.Canceled && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
