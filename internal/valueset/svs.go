package valueset

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/runtime/oid"
)

// svsNS is the IHE SVS namespace.
const svsNS = "urn:ihe:iti:svs:2008"

// ansZone is the zone of the ANS compact dates (dateMaj, dateFin,
// dateValid): the files pair dateMaj="20241213120000" with
// revisionDate="2024-12-13T12:00:00+01:00".
func ansZone() *time.Location { return time.FixedZone("+0100", 3600) }

// svsFile reads the value sets of an SVS document: every svs:ValueSet (or
// DescribedValueSet) element, with the concepts of its ConceptList children.
type svsFile struct {
	path  string
	data  []byte
	lines *lines
	errs  *diag.List
}

func (f *svsFile) errorf(off int, format string, args ...any) {
	f.errs.Add(f.lines.pos(off), format, args...)
}

// attrPos returns the offset of attribute name inside the start tag that
// begins at tagOff, or tagOff when it cannot be found.
func (f *svsFile) attrPos(tagOff int, name string) int {
	end := bytes.IndexByte(f.data[tagOff:], '>')
	if end < 0 {
		return tagOff
	}
	re := regexp.MustCompile(`\s` + regexp.QuoteMeta(name) + `\s*=`)
	if loc := re.FindIndex(f.data[tagOff : tagOff+end]); loc != nil {
		return tagOff + loc[0] + 1
	}
	return tagOff
}

func (f *svsFile) read() []ValueSet {
	dec := xml.NewDecoder(bytes.NewReader(f.data))
	var sets []ValueSet
	var cur *ValueSet
	var curOff int
	depth, inList := 0, false
	rootSeen := false
	for {
		off := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				f.errs.Add(diag.Pos{File: f.path, Line: se.Line}, "invalid XML: %s", se.Msg)
			} else {
				f.errorf(int(dec.InputOffset()), "invalid XML: %v", err)
			}
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if !rootSeen {
				rootSeen = true
				if t.Name.Space != svsNS {
					f.errorf(off, "root element {%s}%s is not in the SVS namespace %s", t.Name.Space, t.Name.Local, svsNS)
					return nil
				}
			}
			if t.Name.Space != svsNS {
				continue
			}
			switch t.Name.Local {
			case "ValueSet", "DescribedValueSet":
				if cur != nil {
					f.errorf(off, "nested %s", t.Name.Local)
					continue
				}
				cur, curOff = f.valueSet(t, off), depth
			case "ConceptList":
				inList = cur != nil
			case "Concept":
				if cur == nil || !inList {
					f.errorf(off, "Concept outside a ValueSet/ConceptList")
					continue
				}
				if c, ok := f.concept(t, off); ok {
					cur.Concepts = append(cur.Concepts, c)
				}
			default:
				if inList {
					f.errorf(off, "unexpected element %s in ConceptList (only Concept is understood)", t.Name.Local)
				}
			}
		case xml.EndElement:
			if t.Name.Space == svsNS && t.Name.Local == "ConceptList" {
				inList = false
			}
			if cur != nil && depth == curOff {
				if len(cur.Concepts) == 0 {
					f.errs.Add(cur.Pos, "value set %s has no concepts", cur.OID)
				}
				sets = append(sets, *cur)
				cur = nil
			}
			depth--
		}
	}
	if len(sets) == 0 && len(*f.errs) == 0 {
		f.errorf(0, "no SVS ValueSet element")
	}
	return sets
}

func attrs(t xml.StartElement) map[string]string {
	m := make(map[string]string, len(t.Attr))
	for _, a := range t.Attr {
		if a.Name.Space == "" {
			m[a.Name.Local] = a.Value
		}
	}
	return m
}

func (f *svsFile) valueSet(t xml.StartElement, off int) *ValueSet {
	a := attrs(t)
	v := &ValueSet{Source: f.path, Format: FormatSVS, Pos: f.lines.pos(off), Version: a["version"]}
	v.OID = a["id"]
	if v.OID == "" {
		f.errorf(off, "ValueSet has no id (the value set OID)")
	} else if err := oid.Validate(v.OID); err != nil {
		f.errorf(f.attrPos(off, "id"), "ValueSet id: %v", err)
	}
	// The NOS name: last path segment of urlFichier, else displayName
	// without its ".tabs" suffix.
	if u := strings.TrimRight(a["urlFichier"], "/"); u != "" {
		v.Name = u[strings.LastIndexByte(u, '/')+1:]
	} else {
		v.Name = strings.TrimSuffix(a["displayName"], ".tabs")
	}
	if v.Name == "" {
		f.errorf(off, "ValueSet has neither urlFichier nor displayName (its name)")
	}
	v.Title = a["description"]
	if v.Title == "" {
		v.Title = a["displayName"]
	}
	for _, attr := range []struct {
		name   string
		layout string
		dst    *time.Time
	}{
		{"revisionDate", time.RFC3339, &v.Date},
		{"dateMaj", "20060102150405", &v.Date},
		{"dateFin", "20060102150405", &v.EndDate},
	} {
		s := a[attr.name]
		if s == "" || !attr.dst.IsZero() {
			continue
		}
		d, err := time.ParseInLocation(attr.layout, s, ansZone())
		if err != nil {
			f.errorf(f.attrPos(off, attr.name), "ValueSet %s %q: want %s", attr.name, s, attr.layout)
			continue
		}
		*attr.dst = d
	}
	return v
}

func (f *svsFile) concept(t xml.StartElement, off int) (Concept, bool) {
	a := attrs(t)
	c := Concept{Code: a["code"], CodeSystem: a["codeSystem"], CodeSystemName: a["codeSystemName"],
		Display: a["displayName"], Pos: f.lines.pos(off)}
	ok := true
	if c.Code == "" {
		f.errorf(off, "Concept has no code")
		ok = false
	}
	if c.CodeSystem == "" {
		f.errorf(off, "Concept %q has no codeSystem", c.Code)
		ok = false
	}
	for _, at := range t.Attr {
		switch at.Name.Local {
		case "code", "codeSystem", "codeSystemName", "displayName":
		case "dateValid", "dateFin": // ANS: validity of the concept
			if at.Value == "" {
				continue
			}
			d, err := time.ParseInLocation("20060102150405", at.Value, ansZone())
			if err != nil {
				f.errorf(f.attrPos(off, at.Name.Local), "Concept %q %s %q: want YYYYMMDDhhmmss", c.Code, at.Name.Local, at.Value)
				ok = false
			} else if at.Name.Local == "dateFin" {
				c.EndDate = d
			} else {
				c.ValidFrom = d
			}
		default:
			if at.Name.Space == "" {
				f.errorf(f.attrPos(off, at.Name.Local), "Concept %q: unknown attribute %s (its meaning would be lost)", c.Code, at.Name.Local)
				ok = false
			}
		}
	}
	return c, ok
}
