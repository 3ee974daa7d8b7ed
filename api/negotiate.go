package api

import (
	"mime"
	"slices"
	"strconv"
	"strings"
)

// format is a representation a route can answer in.
type format string

const (
	formatXML  format = "xml"
	formatJSON format = "json"
	formatHTML format = "html"
	formatPNG  format = "png"
	formatGV   format = "gv"
)

// contentType is the exact Content-Type of each format: no charset, as the
// original server sends and its tests compare.
var contentType = map[format]string{
	formatXML:  "application/xml",
	formatJSON: "application/json",
	formatHTML: "text/html",
	formatPNG:  "image/png",
	formatGV:   "application/ghostscript",
}

// mediaFormats maps Accept media ranges to formats.
var mediaFormats = map[string]format{
	"application/xml":         formatXML,
	"text/xml":                formatXML,
	"application/json":        formatJSON,
	"application/xhtml+xml":   formatHTML,
	"text/html":               formatHTML,
	"*/*":                     formatHTML,
	"image/png":               formatPNG,
	"application/ghostscript": formatGV,
}

// preference breaks ties between equally acceptable formats: xml > json > html.
var preference = []format{formatXML, formatJSON, formatHTML, formatGV, formatPNG}

// negotiate picks the response format: the format query parameter decides
// when present; otherwise the Accept header, by q-value, among the formats
// the route offers; no (or an empty) Accept header means XML. ok is false
// when nothing acceptable is offered (406).
func negotiate(formatParam string, hasFormatParam bool, accept string, offered []format) (format, bool) {
	if hasFormatParam {
		f := format(strings.ToLower(strings.TrimSpace(formatParam)))
		return f, slices.Contains(offered, f)
	}
	if strings.TrimSpace(accept) == "" {
		return formatXML, slices.Contains(offered, formatXML)
	}
	best, bestQ := format(""), 0.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		f, known := mediaFormats[mt]
		if !known || !slices.Contains(offered, f) {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 || v > 1 {
				continue
			}
			q = v
		}
		if q <= 0 {
			continue
		}
		if q > bestQ || (q == bestQ && slices.Index(preference, f) < slices.Index(preference, best)) {
			best, bestQ = f, q
		}
	}
	return best, best != ""
}
