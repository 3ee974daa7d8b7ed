package wire

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// xmlWriter is a small XML writer that produces, byte for byte, what an
// encoding/xml Encoder with Indent("", "  ") writes for the document types
// of this package, without reflection. The documents' writeXML methods
// (xmlencode.go) drive it element by element.
//
// Usage follows the encoder's token stream:
//
//	w.start("realm")        // <realm
//	w.attr("id", "us")      //  id="us"
//	w.textElement("name", n) // >\n  <name>…</name>
//	w.end("realm")          // \n</realm>
//
// A start tag stays open for attributes until the next text, child or end
// tag closes it with '>'. Like encoding/xml, the writer never writes an
// empty-element tag: an element without content is <x></x>.
//
// Indentation mirrors encoding/xml's printer.writeIndent exactly: every
// start tag goes on a new line indented by its depth (except the first,
// which follows whatever precedes the document); an end tag goes on a new
// line only if the element had child elements, so an element holding only
// text (or nothing) stays on one line.
type xmlWriter struct {
	buf []byte
	// depth is the number of open elements.
	depth int
	// indentedIn is set by a start tag and cleared by the next tag: when an
	// end tag finds it set, the element had no child elements and its end
	// tag follows on the same line.
	indentedIn bool
	// putNewline is set once the first tag is written; every later tag
	// that is indented starts on a new line.
	putNewline bool
	// open is set while a start tag awaits attributes or its closing '>'.
	open bool
}

// indentUnit is the per-level indentation, as Indent("", "  ").
const indentUnit = "  "

// reset empties the writer for a new document, keeping its buffer.
func (w *xmlWriter) reset() {
	*w = xmlWriter{buf: w.buf[:0]}
}

// writeIndent is encoding/xml's printer.writeIndent for prefix "" and indent
// "  ": depthDelta is +1 before a start tag and -1 before an end tag.
func (w *xmlWriter) writeIndent(depthDelta int) {
	if depthDelta < 0 {
		w.depth--
		if w.indentedIn {
			w.indentedIn = false
			return
		}
	}
	if w.putNewline {
		w.buf = append(w.buf, '\n')
	} else {
		w.putNewline = true
	}
	for range w.depth {
		w.buf = append(w.buf, indentUnit...)
	}
	if depthDelta > 0 {
		w.depth++
		w.indentedIn = true
	}
}

// closeStart finishes a pending start tag.
func (w *xmlWriter) closeStart() {
	if w.open {
		w.buf = append(w.buf, '>')
		w.open = false
	}
}

// start begins element name. Its attributes follow with attr; its content
// with text, cdata or child elements; end closes it.
func (w *xmlWriter) start(name string) {
	w.closeStart()
	w.writeIndent(1)
	w.buf = append(w.buf, '<')
	w.buf = append(w.buf, name...)
	w.open = true
}

// attr adds the attribute name="value" to the pending start tag, escaped as
// encoding/xml escapes attribute values (the same as text).
func (w *xmlWriter) attr(name, value string) {
	w.buf = append(w.buf, ' ')
	w.buf = append(w.buf, name...)
	w.buf = append(w.buf, '=', '"')
	w.escape(value)
	w.buf = append(w.buf, '"')
}

// attrOmitEmpty adds the attribute unless value is empty, as a field tagged
// `xml:"name,attr,omitempty"`.
func (w *xmlWriter) attrOmitEmpty(name, value string) {
	if value != "" {
		w.attr(name, value)
	}
}

// attrInt adds an integer attribute, as encoding/xml writes an int field.
func (w *xmlWriter) attrInt(name string, v int) {
	w.buf = append(w.buf, ' ')
	w.buf = append(w.buf, name...)
	w.buf = append(w.buf, '=', '"')
	w.buf = strconv.AppendInt(w.buf, int64(v), 10)
	w.buf = append(w.buf, '"')
}

// end closes element name.
func (w *xmlWriter) end(name string) {
	w.closeStart()
	w.writeIndent(-1)
	w.buf = append(w.buf, '<', '/')
	w.buf = append(w.buf, name...)
	w.buf = append(w.buf, '>')
}

// text writes escaped character data, as a `xml:",chardata"` field.
func (w *xmlWriter) text(s string) {
	w.closeStart()
	w.escape(s)
}

// cdata writes s as a CDATA section, as a `xml:",cdata"` field: nothing for
// an empty s, and each "]]>" inside s split as "]]]]><![CDATA[>". Like
// encoding/xml, it writes s's bytes as they are, without checking them.
func (w *xmlWriter) cdata(s string) {
	if s == "" {
		w.closeStart()
		return
	}
	w.section(s)
}

// section writes s as a CDATA section, also when s is empty (Section).
func (w *xmlWriter) section(s string) {
	w.closeStart()
	w.buf = append(w.buf, "<![CDATA["...)
	for {
		i := strings.Index(s, "]]>")
		if i < 0 {
			break
		}
		w.buf = append(w.buf, s[:i]...)
		w.buf = append(w.buf, "]]]]><![CDATA[>"...)
		s = s[i+len("]]>"):]
	}
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, "]]>"...)
}

// textElement writes <name>s</name>, as a string field `xml:"name"`.
func (w *xmlWriter) textElement(name, s string) {
	w.start(name)
	w.text(s)
	w.end(name)
}

// textElementOmitEmpty writes <name>s</name> unless s is empty, as a string
// field `xml:"name,omitempty"`.
func (w *xmlWriter) textElementOmitEmpty(name, s string) {
	if s != "" {
		w.textElement(name, s)
	}
}

// intElement writes <name>v</name>, as an int field `xml:"name"`.
func (w *xmlWriter) intElement(name string, v int) {
	w.start(name)
	w.closeStart()
	w.buf = strconv.AppendInt(w.buf, int64(v), 10)
	w.end(name)
}

// cdataElement writes <name><![CDATA[s]]></name>, as a CDATA field `xml:"name"`.
func (w *xmlWriter) cdataElement(name, s string) {
	w.start(name)
	w.cdata(s)
	w.end(name)
}

// escapeClass says, for each byte, whether escape must look at it: the five
// markup characters, every control character (tab, newline and carriage
// return are escaped, the others replaced) and every non-ASCII byte (to
// check the UTF-8 sequence it begins).
var escapeClass = func() (c [256]bool) {
	for b := range 0x20 {
		c[b] = true
	}
	for b := 0x80; b < 256; b++ {
		c[b] = true
	}
	for _, b := range []byte(`"'&<>`) {
		c[b] = true
	}
	return c
}()

// escape appends s escaped as encoding/xml's EscapeText and
// printer.EscapeString do: " as &#34;, ' as &#39;, &, < and > as entities,
// tab, newline and carriage return as &#x9;, &#xA; and &#xD;, and each
// character outside XML's character range, and each byte of invalid UTF-8,
// as U+FFFD.
func (w *xmlWriter) escape(s string) {
	last := 0
	for i := 0; i < len(s); {
		b := s[i]
		if !escapeClass[b] {
			i++
			continue
		}
		var esc string
		width := 1
		switch b {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			if b < utf8.RuneSelf {
				esc = "\uFFFD" // a control character
				break
			}
			var r rune
			r, width = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && width == 1 || !inCharacterRange(r) {
				esc = "\uFFFD"
				break
			}
			i += width // a valid character: kept as is
			continue
		}
		w.buf = append(w.buf, s[last:i]...)
		w.buf = append(w.buf, esc...)
		i += width
		last = i
	}
	w.buf = append(w.buf, s[last:]...)
}

// inCharacterRange reports whether r may appear in an XML document (the
// Char production, as encoding/xml's isInCharacterRange).
func inCharacterRange(r rune) bool {
	return r == 0x09 ||
		r == 0x0A ||
		r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// maxPooledBuffer is the largest buffer kept for reuse; a writer that grew
// beyond it for an unusually large document is left to the collector.
const maxPooledBuffer = 1 << 20

// writerPool recycles writers and their buffers between documents.
var writerPool = sync.Pool{New: func() any { return &xmlWriter{buf: make([]byte, 0, 4096)} }}

// getWriter returns an empty writer from the pool.
func getWriter() *xmlWriter {
	w := writerPool.Get().(*xmlWriter)
	w.reset()
	return w
}

// putWriter returns w to the pool; its bytes must no longer be used.
func putWriter(w *xmlWriter) {
	if cap(w.buf) <= maxPooledBuffer {
		writerPool.Put(w)
	}
}
