package soap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// envelopeSeeds are seeds for the envelope decoder: hand-written envelopes
// of every shape, and every official DMP example message when the kit is
// available.
func envelopeSeeds(f *testing.F) [][]byte {
	seeds := []string{
		`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><a/></s:Body></s:Envelope>`,
		`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><w:Action xmlns:w="http://www.w3.org/2005/08/addressing">x</w:Action></s:Header><s:Body/></s:Envelope>`,
		`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://www.w3.org/2005/08/addressing"><s:Header><w:MessageID>m</w:MessageID><w:RelatesTo>r</w:RelatesTo><w:ReplyTo><w:Address>a</w:Address></w:ReplyTo><x:H xmlns:x="urn:x" s:mustUnderstand="true"/></s:Header><s:Body><a/><b/></s:Body></s:Envelope>`,
		`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value xmlns:p="urn:p">p:X</s:Value><s:Subcode><s:Value>q:Y</s:Value></s:Subcode></s:Subcode></s:Code><s:Reason><s:Text xml:lang="fr">r</s:Text></s:Reason><s:Detail xmlns:t="urn:t"><t:Problem><t:Text>d</t:Text></t:Problem><t:Other/></s:Detail></s:Fault></s:Body></s:Envelope>`,
		`<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>e:Client.Auth</faultcode><faultstring>s</faultstring><faultactor>a</faultactor><detail><t:Problem xmlns:t="urn:t"/></detail></e:Fault></e:Body></e:Envelope>`,
		`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"><rs:ResponseSlotList/><rs:RegistryErrorList><rs:RegistryError errorCode="E" codeContext="c" severity="s" location="l">t</rs:RegistryError></rs:RegistryErrorList></rs:RegistryResponse></s:Body></s:Envelope>`,
		`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x:R xmlns:x="urn:x"><rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="urn:ihe:iti:2007:ResponseStatusType:PartialSuccess"/></x:R></s:Body></s:Envelope>`,
		`<s:Envelope xmlns:s="urn:other"><s:Body/></s:Envelope>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><a>` + "\xe9" + `</a></s:Body></s:Envelope>`,
		"not xml",
	}
	var out [][]byte
	for _, s := range seeds {
		out = append(out, []byte(s))
	}
	if kit := testenv.KitDir(); kit != "" {
		files, _ := filepath.Glob(filepath.Join(kit, "dmp", "examples", "messages-v02.05.00", "*.xml"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil && len(b) < 64<<10 {
				out = append(out, b)
			}
		}
	}
	return out
}

// FuzzEnvelope runs the response decoding path on arbitrary bytes: envelope,
// WS-Addressing, fault (with a declared detail), body and registry status.
// Nothing may panic, and what strict mode accepts lenient mode accepts too.
func FuzzEnvelope(f *testing.F) {
	for _, s := range envelopeSeeds(f) {
		f.Add(s)
	}
	op := &Operation{Name: "Op", Version: V12, Request: xmltext.Name{Local: "a"}, Response: xmltext.Name{Local: "a"},
		Faults: []Fault{{Name: "P", Element: xmltext.Name{Space: "urn:t", Local: "Problem"}, New: func() xmlbind.Value { return new(domValue) }}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		strictErr := decodeAll(data, op, false)
		lenientErr := decodeAll(data, op, true)
		if strictErr == nil && lenientErr != nil {
			t.Errorf("strict mode accepts what lenient mode refuses: %v", lenientErr)
		}
	})
}

// decodeAll decodes data as a response would be.
func decodeAll(data []byte, op *Operation, lenient bool) error {
	env, err := parseEnvelope(data, lenient, 0, nil)
	if err != nil {
		return err
	}
	env.mustUnderstand(func(n xmltext.Name) bool { return strings.HasPrefix(n.Space, "urn:") })
	if env.isFault() {
		fe, err := readFault(env, op, lenient, new([]string))
		if err != nil {
			return err
		}
		_ = fe.Error()
		return nil
	}
	if env.payload.Kind == xmltext.StartElement {
		if err := env.decodePayload(new(domValue)); err != nil {
			return err
		}
	} else if err := env.finish(); err != nil {
		return err
	}
	re, err := registryStatus(data, lenient)
	if re != nil {
		_ = re.Error()
	}
	return err
}

// domValue is an xmlbind.Value that keeps any element as a DOM.
type domValue struct{ el *xmltext.Element }

func (v *domValue) XSDType() xmltext.Name    { return xmltext.Name{} }
func (v *domValue) ValidateXSD(*xsdt.Report) {}
func (v *domValue) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	el := *v.el
	el.Name = name
	e.WriteElement(&el)
	return e.Err()
}
func (v *domValue) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	el, err := d.ReadElement(*start)
	v.el = el
	return err
}
