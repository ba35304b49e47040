package sample

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/examples/sample/gen/order"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

func decodeOrder(t *testing.T, data []byte) *order.Order {
	t.Helper()
	d := xmltext.NewDecoder(data, xmltext.Options{File: "order.xml"})
	for {
		tok, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		if tok.Kind == xmltext.StartElement {
			var o order.Order
			if err := o.UnmarshalXMLText(d, &tok); err != nil {
				t.Fatal(err)
			}
			return &o
		}
	}
}

func TestRoundTrip(t *testing.T) {
	data, err := os.ReadFile("order.xml")
	if err != nil {
		t.Fatal(err)
	}
	o := decodeOrder(t, data)
	if err := o.Validate(); err != nil {
		t.Fatalf("valid sample reported invalid:\n%v", err)
	}
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	order.Prefixes(e)
	if err := o.MarshalXMLText(e, xmltext.Name{Space: "urn:dmpgen:sample:1", Local: "Order"}); err != nil {
		t.Fatal(err)
	}
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	d, err := xmlcmp.Diff(data, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if d != "" {
		t.Fatalf("round trip differs: %s\n%s", d, buf.String())
	}
}

func encodeOrder(t *testing.T, o *order.Order) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	order.Prefixes(e)
	if err := o.MarshalXMLText(e, xmltext.Name{Space: "urn:dmpgen:sample:1", Local: "Order"}); err != nil {
		t.Fatal(err)
	}
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xs:all children may come in any order: a decoded value is re-encoded in
// document order, a value without ChildOrder (built in Go) in schema order.
func TestAllGroupOrder(t *testing.T) {
	data, _ := os.ReadFile("order.xml")
	swapped := bytes.Replace(data, []byte("<s:Kind>blood</s:Kind><s:Volume>2.50</s:Volume>"), []byte("<s:Volume>2.50</s:Volume><s:Kind>blood</s:Kind>"), 1)
	if bytes.Equal(swapped, data) {
		t.Fatal("fixture changed: xs:all children not found")
	}
	o := decodeOrder(t, swapped)
	if d, _ := xmlcmp.Diff(swapped, encodeOrder(t, o)); d != "" {
		t.Fatalf("xs:all content not re-encoded in document order: %s", d)
	}
	for i := range o.Item {
		if o.Item[i].Test != nil && o.Item[i].Test.Specimen != nil {
			o.Item[i].Test.Specimen.ChildOrder = nil
		}
	}
	if d, _ := xmlcmp.Diff(data, encodeOrder(t, o)); d != "" {
		t.Fatalf("xs:all content without ChildOrder not encoded in schema order: %s", d)
	}
}

func TestValidateReportsViolations(t *testing.T) {
	data, _ := os.ReadFile("order.xml")
	o := decodeOrder(t, data)
	bad := "XYZ1"
	o.Amount.Currency = bad                       // pattern [A-Z]{3}
	o.Priority = ptr(order.PriorityType("later")) // open enum: decodes, Validate reports
	o.Urgent = ptr(true)                          // choice: Urgent and DueDate both present
	o.Item[0].Test.Code = nil                     // required element
	o.Ref = append(o.Ref, "x", "y")               // maxOccurs 3, and "x" matches no union member
	err := o.Validate()
	if err == nil {
		t.Fatal("no violation reported")
	}
	got := err.Error()
	for _, want := range []string{"pattern", "enumeration", "choice", "required", "maxOccurs", "union"} {
		if !strings.Contains(got, want) {
			t.Errorf("violation %q not reported in:\n%s", want, got)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestNillableSimpleElements: a nillable element of simple type decodes
// xsi:nil="true" into XSINil with no value (the facets of its type do not
// apply then), and a value next to xsi:nil is reported, not dropped.
func TestNillableSimpleElements(t *testing.T) {
	data, _ := os.ReadFile("order.xml")
	o := decodeOrder(t, data)
	if len(o.Note) != 2 || !o.Note[0].XSINil || o.Note[0].Value != "" || o.Note[1].XSINil || o.Note[1].Value != "to be confirmed" {
		t.Fatalf("Note decoded as %+v", o.Note)
	}
	if o.Reviewed == nil || !o.Reviewed.XSINil {
		t.Fatalf("Reviewed decoded as %+v", o.Reviewed)
	}
	o.Note[1].Value = "x" // minLength 2 applies to a value
	var err error
	if o.Reviewed.Value, err = xsdt.ParseDate("2026-11-24"); err != nil {
		t.Fatal(err)
	}
	err = o.Validate()
	if err == nil {
		t.Fatal("no violation reported")
	}
	for _, want := range []string{"/Note[2]: minLength", "Reviewed: nil: the element has xsi:nil=\"true\" and content"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q not reported in:\n%v", want, err)
		}
	}
	if out := encodeOrder(t, o); !bytes.Contains(out, []byte(`nil="true">2026-11-24</s:Reviewed>`)) {
		t.Errorf("the value of a nil element was not kept:\n%s", out)
	}
}

func TestStrictDecodeErrors(t *testing.T) {
	data, _ := os.ReadFile("order.xml")
	for _, tc := range []struct{ name, from, to, want string }{
		{"unknown element", "<s:Tags>", "<s:Bogus/><s:Tags>", "order.xml:25:3: unexpected element {urn:dmpgen:sample:1}Bogus in {urn:dmpgen:sample:1}Order"},
		{"out of order", "<s:Tags>a b c</s:Tags>", "", ""},
		{"bad decimal", "1234.50", "12x", "order.xml:24:3: {urn:dmpgen:sample:1}Amount"},
		{"unknown attribute", `id="o1"`, `id="o1" bogus="1"`, "unexpected attribute bogus"},
		{"missing required attribute", `currency="EUR"`, "", "required attribute currency missing"},
		{"content in a nil element", `<s:Note xsi:nil="true"/>`, `<s:Note xsi:nil="true">lost?</s:Note>`, `order.xml:30:26: {urn:dmpgen:sample:1}Note has xsi:nil="true" and text`},
		{"child in a nil element", `<s:Comment author="me">`, `<s:Comment author="me" xsi:nil="true"><s:x/>`, `has xsi:nil="true" and the child element {urn:dmpgen:sample:1}x`},
		{"nil on an element that is not nillable", `<s:Tags>`, `<s:Tags xsi:nil="true">`, "xsi:nil on {urn:dmpgen:sample:1}Tags, which is not nillable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := bytes.Replace(data, []byte(tc.from), []byte(tc.to), 1)
			if tc.name == "out of order" {
				in = bytes.Replace(in, []byte("<s:Key>lab</s:Key>"), []byte("<s:Tags>a b c</s:Tags><s:Key>lab</s:Key>"), 1)
				tc.want = "unexpected element {urn:dmpgen:sample:1}Key"
			}
			d := xmltext.NewDecoder(in, xmltext.Options{File: "order.xml"})
			var err error
			for {
				tok, e := d.Next()
				if e != nil {
					err = e
					break
				}
				if tok.Kind == xmltext.StartElement {
					var o order.Order
					err = o.UnmarshalXMLText(d, &tok)
					break
				}
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestEncodingValidatesWithXmllint: the re-encoded sample, nil elements
// included, is valid against the sample schema for libxml2.
func TestEncodingValidatesWithXmllint(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	data, _ := os.ReadFile("order.xml")
	out := filepath.Join(t.TempDir(), "order.xml")
	if err := os.WriteFile(out, encodeOrder(t, decodeOrder(t, data)), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(xmllint, "--noout", "--schema", "sample.xsd", out).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, b)
	}
}

// TestLenientKeepsEverything: what the strict decoder refuses as unknown
// or misplaced, a lenient one keeps in the Unknown fields, with a warning
// each, and writes back at its place: the document round-trips.
func TestLenientKeepsEverything(t *testing.T) {
	data, _ := os.ReadFile("order.xml")
	for _, tc := range []struct {
		name, from, to string
		warnings       []string
	}{
		{"unknown element", "<s:Tags>", "<s:Bogus/><s:Tags>", []string{"order.xml:25:3: kept unexpected element {urn:dmpgen:sample:1}Bogus in {urn:dmpgen:sample:1}Order"}},
		{"unknown attribute", `id="o1"`, `id="o1" bogus="1"`, []string{"order.xml:3:18: kept unexpected attribute bogus on {urn:dmpgen:sample:1}Order"}},
		{"repeated identity", `<c:id code="123" codeSystem="1.2.250.1.213.1.4.10"/>`, `<c:id code="123" codeSystem="1.2.250.1.213.1.4.10"/><c:id code="9" codeSystem="1.2.250.1.213.1.4.8"/>`,
			[]string{"order.xml:8:57: kept unexpected element {urn:dmpgen:sample:common}id in {urn:dmpgen:sample:1}Patient"}},
		{"attribute on a simple element", `<s:Ref>42</s:Ref>`, `<s:Ref unit="m">42</s:Ref>`, []string{
			"order.xml:26:10: unexpected attribute unit on {urn:dmpgen:sample:1}Ref, which has simple content: the element is kept unbound",
			"order.xml:26:3: kept unexpected element {urn:dmpgen:sample:1}Ref in {urn:dmpgen:sample:1}Order"}},
		{"attribute on a simple element of a repeated group", `<s:Value>north</s:Value>`, `<s:Value unit="m">north</s:Value>`, []string{
			"order.xml:21:30: unexpected attribute unit on {urn:dmpgen:sample:1}Value, which has simple content: the element is kept unbound",
			"order.xml:21:21: kept unexpected element {urn:dmpgen:sample:1}Value in {urn:dmpgen:sample:1}Order"}},
		{"required attribute missing", `id="o1" `, ``, []string{"order.xml:2:1: required attribute id missing on {urn:dmpgen:sample:1}Order"}},
		{"required attribute missing on a simple element", `<s:Amount currency="EUR">`, `<s:Amount>`,
			[]string{"order.xml:24:3: required attribute currency missing on {urn:dmpgen:sample:1}Amount"}},
		{"out of order", "<s:Key>lab</s:Key>", "<s:Tags>x</s:Tags><s:Key>lab</s:Key>", []string{
			"order.xml:21:21: kept unexpected element {urn:dmpgen:sample:1}Key in {urn:dmpgen:sample:1}Order",
			"order.xml:21:39: kept unexpected element {urn:dmpgen:sample:1}Value in {urn:dmpgen:sample:1}Order",
			"order.xml:22:3: kept unexpected element {urn:dmpgen:sample:1}Key in {urn:dmpgen:sample:1}Order",
			"order.xml:22:22: kept unexpected element {urn:dmpgen:sample:1}Value in {urn:dmpgen:sample:1}Order",
			"order.xml:23:3: kept unexpected element {urn:dmpgen:sample:1}DueDate in {urn:dmpgen:sample:1}Order",
			"order.xml:24:3: kept unexpected element {urn:dmpgen:sample:1}Amount in {urn:dmpgen:sample:1}Order",
			"order.xml:25:3: kept unexpected element {urn:dmpgen:sample:1}Tags in {urn:dmpgen:sample:1}Order"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := bytes.Replace(data, []byte(tc.from), []byte(tc.to), 1)
			d := xmltext.NewDecoder(in, xmltext.Options{File: "order.xml", Lenient: true})
			var o order.Order
			if _, err := xmltext.Decode(d, &o); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range d.Warnings() {
				got = append(got, w.String())
			}
			if strings.Join(got, "\n") != strings.Join(tc.warnings, "\n") {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.warnings, "\n"))
			}
			out := encodeOrder(t, &o)
			diff, err := xmlcmp.Diff(in, out)
			if err != nil {
				t.Fatal(err)
			}
			if diff != "" {
				t.Errorf("round trip differs: %s\n%s", diff, out)
			}
		})
	}
}

// TestLenientMissingAttr: a required attribute a lenient decoder found
// missing is reported by Validate, and written once the field is set.
func TestLenientMissingAttr(t *testing.T) {
	data, _ := os.ReadFile("order.xml")
	in := bytes.Replace(data, []byte(`<s:Amount currency="EUR">`), []byte(`<s:Amount>`), 1)
	var o order.Order
	if _, err := xmltext.Decode(xmltext.NewDecoder(in, xmltext.Options{Lenient: true}), &o); err != nil {
		t.Fatal(err)
	}
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "Amount/@currency: required: required attribute currency missing") {
		t.Errorf("Validate: %v", err)
	}
	o.Amount.Currency = "EUR"
	if err := o.Validate(); err != nil {
		t.Errorf("Validate once set: %v", err)
	}
	if diff, err := xmlcmp.Diff(data, encodeOrder(t, &o)); err != nil || diff != "" {
		t.Errorf("set attribute not written: %s %v", diff, err)
	}
}
