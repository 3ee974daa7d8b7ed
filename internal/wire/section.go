package wire

import (
	"encoding/xml"
	"strings"
)

// Section is element text that is always written as a CDATA section, even an
// empty one (<backtrace><![CDATA[]]></backtrace>). The original's error
// documents hold an empty section in <backtrace>, and the legacy Ruby client
// reads that section's text without checking it exists: an empty element makes
// it crash instead of raising the error the document reports. CDATA, like
// encoding/xml's ",cdata", writes nothing for empty text.
type Section struct {
	Text string
}

// MarshalXML writes the section as encoding/xml writes a ",cdata" field
// ("]]>" split across two sections), but also when the text is empty.
func (s Section) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(struct {
		Inner string `xml:",innerxml"`
	}{cdataSection(s.Text)}, start)
}

// UnmarshalXML reads the element's character data, CDATA or not.
func (s *Section) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var v struct {
		Text string `xml:",chardata"`
	}
	if err := d.DecodeElement(&v, &start); err != nil {
		return err
	}
	s.Text = v.Text
	return nil
}

// cdataSection is text as one CDATA section, "]]>" split the way
// encoding/xml splits it.
func cdataSection(text string) string {
	return "<![CDATA[" + strings.ReplaceAll(text, "]]>", "]]]]><![CDATA[>") + "]]>"
}
