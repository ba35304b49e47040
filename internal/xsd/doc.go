package xsd

import (
	"strings"

	"github.com/dmpgen/dmpgen/internal/xmldom"
)

// docText returns the documentation of the component declared by e: the text
// of its xs:annotation/xs:documentation children.
func docText(e *xmldom.Element) string {
	var parts []string
	for _, ch := range e.Children {
		if ch.Is(NS, "annotation") {
			if d := annotationText(ch); d != "" {
				parts = append(parts, d)
			}
		}
	}
	return strings.Join(parts, "\n\n")
}

// annotationText returns the plain text of the xs:documentation children of
// an xs:annotation, each cleaned by xmldom.PlainText, joined by a blank line.
// xs:appinfo is ignored.
func annotationText(a *xmldom.Element) string {
	var parts []string
	for _, d := range a.Children {
		if d.Is(NS, "documentation") {
			if s := xmldom.PlainText(d.InnerText()); s != "" {
				parts = append(parts, s)
			}
		}
	}
	return strings.Join(parts, "\n\n")
}
