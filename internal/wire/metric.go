package wire

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// Metric is the metric document; each property is an element
// named after it:
//
//	<metric href='{B}/metrics/inst1' id='inst1'><entity>MockUserInstance</entity>
//	  <properties><cpuUtilization><sample><property name='average' value='0.3'/>
//	    <property name='maximum' value='…'/><property name='minimum' value='…'/>
//	    <property name='timestamp' value='…'/><property name='unit' value='Percent'/></sample>…
//	  </cpuUtilization>…</properties>
//	</metric>
//
// In the index the property elements are empty.
type Metric struct {
	XMLName    struct{}         `xml:"metric"`
	Href       string           `xml:"href,attr"`
	ID         string           `xml:"id,attr"`
	Entity     string           `xml:"entity"`
	Properties MetricProperties `xml:"properties"`
}

// Declared reports that the metric document has an XML declaration.
func (Metric) Declared() bool { return true }

// Metrics is the metric index document.
type Metrics struct {
	XMLName struct{} `xml:"metrics"`
	Metrics []Metric `xml:"metric"`
}

// Declared reports that the metric index has an XML declaration.
func (Metrics) Declared() bool { return true }

// MetricProperties is a metric's <properties>: one element per property,
// named after it.
type MetricProperties struct {
	Properties []MetricProperty `xml:",any"`
}

// MetricProperty is one property element, <cpuUtilization>, with its
// samples. XMLName.Local is the property's name (XMLName.Space is kept only
// for a faithful re-encoding of what was decoded).
type MetricProperty struct {
	XMLName xml.Name
	Samples []MetricSample `xml:"sample"`
}

// MetricSample is one <sample> of a property.
type MetricSample struct {
	Values []SampleValue `xml:"property"`
}

// SampleValue is <property name='average' value='0.3'/>.
type SampleValue struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// xmlName makes s a name an XML element can have: characters outside
// letters, digits, '_', '-' and '.' become '_', and a name that does not
// start with a letter or '_' gets a '_' in front.
func xmlName(s string) string {
	var b strings.Builder
	for i, r := range s {
		ok := r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' ||
			i > 0 && (r == '-' || r == '.' || '0' <= r && r <= '9')
		if !ok && i == 0 && (r == '-' || r == '.' || '0' <= r && r <= '9') {
			b.WriteByte('_')
			ok = true
		}
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// formatFloat writes a sample value as the shortest decimal that reads
// back the same.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// NewMetric builds the document for m, with hrefs under base. A property
// name that cannot be an XML element name has its odd characters replaced
// by '_'.
func NewMetric(base string, m deltacloud.Metric) Metric {
	d := Metric{Href: memberHref(base, "metrics", m.ID), ID: m.ID, Entity: m.Entity}
	if len(m.Properties) > 0 {
		d.Properties.Properties = make([]MetricProperty, len(m.Properties))
	}
	for i, p := range m.Properties {
		dp := MetricProperty{XMLName: xml.Name{Local: xmlName(p.Name)}}
		if len(p.Samples) > 0 {
			dp.Samples = make([]MetricSample, len(p.Samples))
		}
		for k, s := range p.Samples {
			dp.Samples[k] = MetricSample{Values: []SampleValue{
				{Name: "average", Value: formatFloat(s.Average)},
				{Name: "maximum", Value: formatFloat(s.Maximum)},
				{Name: "minimum", Value: formatFloat(s.Minimum)},
				{Name: "timestamp", Value: formatTimestamp(s.Timestamp)},
				{Name: "unit", Value: s.Unit},
			}}
		}
		d.Properties.Properties[i] = dp
	}
	return d
}

// NewMetrics builds the index document; listings carry no samples.
func NewMetrics(base string, ms []deltacloud.Metric) Metrics {
	d := Metrics{Metrics: make([]Metric, len(ms))}
	for i, m := range ms {
		d.Metrics[i] = NewMetric(base, m)
	}
	return d
}

// DecodeMetric reads a metric document.
func DecodeMetric(data []byte) (*Metric, error) { return decode[Metric](data) }

// DecodeMetrics reads a metric index document.
func DecodeMetrics(data []byte) (*Metrics, error) { return decode[Metrics](data) }

// Model converts the document into the model. A sample value that is not a
// number, or a timestamp that is neither a time ParseTime reads nor Unix
// seconds, is an error; absent values are 0.
func (d *Metric) Model() (deltacloud.Metric, error) {
	m := deltacloud.Metric{ID: text(d.ID), Entity: text(d.Entity)}
	for _, p := range d.Properties.Properties {
		mp := deltacloud.MetricProperty{Name: p.XMLName.Local}
		for _, s := range p.Samples {
			ms, err := s.model()
			if err != nil {
				return deltacloud.Metric{}, fmt.Errorf("wire: metric %q: %s: %w", m.ID, mp.Name, err)
			}
			mp.Samples = append(mp.Samples, ms)
		}
		m.Properties = append(m.Properties, mp)
	}
	return m, nil
}

// model converts one sample.
func (s MetricSample) model() (deltacloud.MetricSample, error) {
	var out deltacloud.MetricSample
	for _, v := range s.Values {
		val := text(v.Value)
		var f *float64
		switch text(v.Name) {
		case "average":
			f = &out.Average
		case "maximum":
			f = &out.Maximum
		case "minimum":
			f = &out.Minimum
		case "unit":
			out.Unit = val
		case "timestamp":
			t, err := parseTimestamp(val)
			if err != nil {
				return out, err
			}
			out.Timestamp = t
		}
		if f != nil && val != "" {
			n, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return out, fmt.Errorf("%s %q is not a number", v.Name, v.Value)
			}
			*f = n
		}
	}
	return out, nil
}

// formatTimestamp writes a sample's time as whole Unix seconds, as the
// original's mock did (Time.now.to_i), or "" for the zero time.
func formatTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// parseTimestamp reads a sample's timestamp: a time ParseTime reads, or
// whole Unix seconds (as the original's mock writes).
func parseTimestamp(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	return ParseTime(s)
}

// Model converts the index into the model.
func (d *Metrics) Model() ([]deltacloud.Metric, error) {
	out := make([]deltacloud.Metric, len(d.Metrics))
	for i := range d.Metrics {
		m, err := d.Metrics[i].Model()
		if err != nil {
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

// MetricJSON is the metric's JSON form: {id, href, entity, properties}.
type MetricJSON struct {
	ID         string               `json:"id"`
	Href       string               `json:"href"`
	Entity     string               `json:"entity"`
	Properties []MetricPropertyJSON `json:"properties"`
}

// MetricPropertyJSON is a property in JSON: {name, values}; values is null
// in the index.
type MetricPropertyJSON struct {
	Name   string            `json:"name"`
	Values []MetricValueJSON `json:"values"`
}

// MetricValueJSON is one sample in JSON. As the original's, the values are
// JSON numbers and the timestamp is whole Unix seconds:
// {"minimum":0.1,"maximum":0.9,"average":0.3,"timestamp":1764857297,"unit":"Percent"}.
// A value a remote server sent that is not a number stays a string.
type MetricValueJSON struct {
	Minimum   Decimal `json:"minimum"`
	Maximum   Decimal `json:"maximum"`
	Average   Decimal `json:"average"`
	Timestamp Number  `json:"timestamp"`
	Unit      string  `json:"unit"`
}

// MetricsJSON is the index's JSON form, {"metrics":[…]}.
type MetricsJSON struct {
	Metrics []MetricJSON `json:"metrics"`
}

// MetricShowJSON is the show JSON form, {"metric":{…}}.
type MetricShowJSON struct {
	Metric MetricJSON `json:"metric"`
}

// JSON returns the metric's JSON form.
func (d Metric) JSON() MetricJSON {
	j := MetricJSON{ID: d.ID, Href: d.Href, Entity: d.Entity, Properties: make([]MetricPropertyJSON, len(d.Properties.Properties))}
	for i, p := range d.Properties.Properties {
		jp := MetricPropertyJSON{Name: p.XMLName.Local}
		for _, s := range p.Samples {
			var v MetricValueJSON
			for _, sv := range s.Values {
				switch sv.Name {
				case "minimum":
					v.Minimum = Decimal(sv.Value)
				case "maximum":
					v.Maximum = Decimal(sv.Value)
				case "average":
					v.Average = Decimal(sv.Value)
				case "timestamp":
					v.Timestamp = Number(sv.Value)
					if t, err := parseTimestamp(text(sv.Value)); err == nil {
						v.Timestamp = Number(formatTimestamp(t))
					}
				case "unit":
					v.Unit = sv.Value
				}
			}
			jp.Values = append(jp.Values, v)
		}
		j.Properties[i] = jp
	}
	return j
}

// ShowJSON returns the show JSON form.
func (d Metric) ShowJSON() MetricShowJSON { return MetricShowJSON{Metric: d.JSON()} }

// JSON returns the index's JSON form.
func (d Metrics) JSON() MetricsJSON {
	j := MetricsJSON{Metrics: make([]MetricJSON, len(d.Metrics))}
	for i := range d.Metrics {
		j.Metrics[i] = d.Metrics[i].JSON()
	}
	return j
}
