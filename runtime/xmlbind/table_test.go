package xmlbind

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// tItem is described by tabItem as the generator describes a struct:
//
//	<item code? kind n?> (item*, (next | alt)?, last) </item>
type tItem struct {
	Code     *string
	Kind     string
	N        *int
	Items    []tItem
	Next     *tItem
	Alt      *tItem
	Last     *tLeaf
	XSINil   bool
	XSIType  bool
	XSIHints []xmltext.Attr
	Unknown  *Unknown
}

// tLeaf is an empty element type.
type tLeaf struct {
	XSINil   bool
	XSIType  bool
	XSIHints []xmltext.Attr
	Unknown  *Unknown
}

const tns = "urn:t"

func (*tItem) XSDType() xmltext.Name { return tabItem.Type }
func (v *tItem) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	return tabItem.Decode(d, start, unsafe.Pointer(v))
}
func (v *tItem) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	return tabItem.Encode(e, name, unsafe.Pointer(v), false)
}
func (v *tItem) ValidateXSD(r *xsdt.Report) { tabItem.Validate(r, unsafe.Pointer(v)) }

func (*tLeaf) XSDType() xmltext.Name { return xmltext.Name{} }
func (v *tLeaf) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	return tabLeaf.Decode(d, start, unsafe.Pointer(v))
}
func (v *tLeaf) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	return tabLeaf.Encode(e, name, unsafe.Pointer(v), false)
}
func (v *tLeaf) ValidateXSD(r *xsdt.Report) { tabLeaf.Validate(r, unsafe.Pointer(v)) }

func parseN(_ *xmltext.Decoder, s string, p unsafe.Pointer) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return err
	}
	*(**int)(p) = &n
	return nil
}

func formatN(_ *xmltext.Encoder, p unsafe.Pointer) string { return strconv.Itoa(*(*int)(p)) }

func checkN(p unsafe.Pointer, r *xsdt.Report) {
	if n := *(*int)(p); n < 0 {
		r.Add("minInclusive", "%d is out of range (minInclusive 0)", n)
	}
}

func checkKind(p unsafe.Pointer, r *xsdt.Report) {
	if k := *(*string)(p); k != "a" && k != "b" {
		r.Add("enumeration", "%q is not a value of the enumeration", k)
	}
}

func newItem() unsafe.Pointer        { return unsafe.Pointer(new(tItem)) }
func newLeaf() unsafe.Pointer        { return unsafe.Pointer(new(tLeaf)) }
func refItem(p unsafe.Pointer) Value { return (*tItem)(p) }
func refLeaf(p unsafe.Pointer) Value { return (*tLeaf)(p) }
func addItem(p unsafe.Pointer) unsafe.Pointer {
	s := (*[]tItem)(p)
	*s = append(*s, tItem{})
	return unsafe.Pointer(&(*s)[len(*s)-1])
}

func moveItem(dst, src unsafe.Pointer) {
	d, s := (*[]tItem)(dst), (*[]tItem)(src)
	*d = append(*d, *s...)
	clear(*s)
	*s = (*s)[:0]
}

var tabItem = Struct{
	Type:  xmltext.Name{Space: tns, Local: "Item"},
	Label: "Item",
	Attrs: []AttrField{
		{Name: xmltext.Name{Local: "code"}, Off: unsafe.Offsetof(tItem{}.Code), Ptr: true},
		{Name: xmltext.Name{Local: "kind"}, Off: unsafe.Offsetof(tItem{}.Kind), Required: true, Size: unsafe.Sizeof(tItem{}.Kind), Check: checkKind},
		{Name: xmltext.Name{Local: "n"}, Off: unsafe.Offsetof(tItem{}.N), Ptr: true, Parse: parseN, Format: formatN, Check: checkN},
	},
	Elems: []ElemField{
		{Name: xmltext.Name{Space: tns, Local: "item"}, Off: unsafe.Offsetof(tItem{}.Items), Max: -1, Many: true, Size: unsafe.Sizeof(tItem{}), Add: addItem, Move: moveItem, Ref: refItem},
		{Name: xmltext.Name{Space: tns, Local: "next"}, Off: unsafe.Offsetof(tItem{}.Next), Max: 1, New: newItem, Ref: refItem, Choice: 1},
		{Name: xmltext.Name{Space: tns, Local: "alt"}, Off: unsafe.Offsetof(tItem{}.Alt), Max: 1, New: newItem, Ref: refItem, Choice: 1},
		{Name: xmltext.Name{Space: tns, Local: "last"}, Off: unsafe.Offsetof(tItem{}.Last), Min: 1, Max: 1, New: newLeaf, Ref: refLeaf},
	},
	Choices: []Choice{{Min: 0, Names: "next, alt"}},
	XSINil:  unsafe.Offsetof(tItem{}.XSINil), XSIType: unsafe.Offsetof(tItem{}.XSIType), XSIHints: unsafe.Offsetof(tItem{}.XSIHints), Unknown: unsafe.Offsetof(tItem{}.Unknown),
}

var tabLeaf = Struct{
	Label:  "the anonymous type of Leaf",
	XSINil: unsafe.Offsetof(tLeaf{}.XSINil), XSIType: unsafe.Offsetof(tLeaf{}.XSIType), XSIHints: unsafe.Offsetof(tLeaf{}.XSIHints), Unknown: unsafe.Offsetof(tLeaf{}.Unknown),
}

var itemName = xmltext.Name{Space: tns, Local: "item"}

func decodeItem(t testing.TB, doc string, lenient bool) (*tItem, *xmltext.Decoder, error) {
	t.Helper()
	d := xmltext.NewDecoder([]byte(doc), xmltext.Options{File: "t.xml", Lenient: lenient})
	tok, err := d.Next()
	for err == nil && tok.Kind != xmltext.StartElement {
		tok, err = d.Next()
	}
	if err != nil {
		return nil, d, err
	}
	v := new(tItem)
	return v, d, v.UnmarshalXMLText(d, &tok)
}

func encodeItem(t testing.TB, v *tItem) string {
	t.Helper()
	var b bytes.Buffer
	e := xmltext.NewEncoder(&b)
	if err := v.MarshalXMLText(e, itemName); err != nil {
		t.Fatal(err)
	}
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func validateItem(v *tItem) string {
	r := xsdt.NewReport("/item")
	v.ValidateXSD(r)
	if err := r.Err(); err != nil {
		return err.Error()
	}
	return ""
}

const head = `<item xmlns="urn:t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`

func TestStructRoundTrip(t *testing.T) {
	doc := head + ` kind="a" code="c" n="3" xsi:schemaLocation="urn:t t.xsd"><item kind="b"><last/></item><item kind="a"><next kind="a"><last/></next><last/></item><alt kind="b"><last/></alt><last/></item>`
	v, _, err := decodeItem(t, doc, false)
	if err != nil {
		t.Fatal(err)
	}
	if *v.Code != "c" || *v.N != 3 || len(v.Items) != 2 || v.Items[1].Next == nil || v.Alt == nil || v.Last == nil || len(v.XSIHints) != 1 {
		t.Fatalf("decoded %+v", v)
	}
	if got := validateItem(v); got != "" {
		t.Errorf("Validate: %s", got)
	}
	out := encodeItem(t, v)
	for _, want := range []string{`kind="a"`, `code="c"`, `n="3"`, `schemaLocation="urn:t t.xsd"`, `<ns1:next kind="a"><ns1:last/></ns1:next>`, `<ns1:alt kind="b"><ns1:last/></ns1:alt><ns1:last/></ns1:item>`} {
		if !strings.Contains(out, want) {
			t.Errorf("encoding %s lacks %s", out, want)
		}
	}
	w, _, err := decodeItem(t, out, false)
	if err != nil {
		t.Fatalf("decode of the encoding: %v", err)
	}
	if again := encodeItem(t, w); again != out {
		t.Errorf("second encoding differs:\n%s\n%s", out, again)
	}
}

func TestStructStrictErrors(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{head + ` kind="a"><last/><item kind="a"><last/></item></item>`, "t.xml:1:91: unexpected element {urn:t}item in {urn:t}item"},
		{head + ` kind="a"><last/><last/></item>`, "unexpected element {urn:t}last"},
		{head + ` kind="a"><next kind="a"><last/></next><next kind="a"><last/></next><last/></item>`, "unexpected element {urn:t}next"},
		{head + `><last/></item>`, "required attribute kind missing"},
		{head + ` kind="a" n="x"><last/></item>`, "attribute n: strconv.Atoi"},
		{head + ` kind="a" zz="1"><last/></item>`, "zz"},
		{head + ` kind="a">text<last/></item>`, "unexpected character data in {urn:t}item"},
		{head + ` kind="a" xsi:nil="true"><last/></item>`, `has xsi:nil="true" and the child element`},
		{head + ` kind="a" xsi:type="Other"><last/></item>`, "Other"},
	} {
		_, _, err := decodeItem(t, c.doc, false)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %q", c.doc, err, c.want)
		}
	}
}

// TestStructLenient: what the table does not know is kept at its place and
// written back, each with a warning.
func TestStructLenient(t *testing.T) {
	doc := head + ` kind="a" zz="1"><last/><other/><item kind="a"><last/></item></item>`
	v, d, err := decodeItem(t, doc, true)
	if err != nil {
		t.Fatal(err)
	}
	var ws []string
	for _, w := range d.Warnings() {
		ws = append(ws, w.Msg)
	}
	got := strings.Join(ws, "; ")
	for _, want := range []string{"kept unexpected attribute zz", "kept unexpected element {urn:t}other", "kept unexpected element {urn:t}item"} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings %q lack %q", got, want)
		}
	}
	out := encodeItem(t, v)
	if !strings.Contains(out, `zz="1"`) || !strings.Contains(out, `<ns1:last/><other xmlns="urn:t"/><item xmlns="urn:t" kind="a"><last/></item></ns1:item>`) {
		t.Errorf("kept content not written back at its place: %s", out)
	}
}

// TestStructLenientMissingAttr: a required attribute the element lacks is
// a warning when lenient, and the value re-encodes without it (not with
// kind=""), Validate reports it missing, until the field is set.
func TestStructLenientMissingAttr(t *testing.T) {
	doc := head + `><item kind="b"><last/></item><last/></item>`
	v, d, err := decodeItem(t, doc, true)
	if err != nil {
		t.Fatal(err)
	}
	if ws := d.Warnings(); len(ws) != 1 || ws[0].String() != "t.xml:1:1: required attribute kind missing on {urn:t}item" {
		t.Errorf("warnings %v", ws)
	}
	if out := encodeItem(t, v); strings.Contains(out, `<ns1:item xmlns:ns1="urn:t" kind`) || !strings.Contains(out, `<ns1:item kind="b">`) {
		t.Errorf("absent attribute written back: %s", out)
	}
	if got := validateItem(v); got != "/item/@kind: required: required attribute kind missing" {
		t.Errorf("Validate: %q", got)
	}
	v.Kind = "a"
	if out := encodeItem(t, v); !strings.Contains(out, `<ns1:item xmlns:ns1="urn:t" kind="a">`) {
		t.Errorf("attribute set after decoding not written: %s", out)
	}
	if got := validateItem(v); got != "" {
		t.Errorf("Validate once set: %q", got)
	}
}

func TestStructValidate(t *testing.T) {
	neg, bad := -1, "c"
	v := &tItem{Kind: bad, N: &neg, Next: &tItem{Kind: "a", Last: &tLeaf{}}, Alt: &tItem{Kind: "a"},
		Items: []tItem{{Kind: "a", Last: &tLeaf{}}, {Kind: "b"}}}
	got := validateItem(v)
	for _, want := range []string{
		`/item/@kind: enumeration: "c" is not a value`,
		"/item/@n: minInclusive: -1 is out of range",
		"/item/item[2]: minOccurs: last occurs 0 times, at least 1 required",
		"/item/alt: minOccurs: last occurs 0 times",
		"/item: choice: 2 of the alternatives next, alt are present, want at most one",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Validate:\n%s\nlacks %q", got, want)
		}
	}
	nilled := &tItem{Kind: "a", XSINil: true, Last: &tLeaf{}}
	if got := validateItem(nilled); !strings.Contains(got, `xsi:nil="true" and content`) {
		t.Errorf("nil with content: %s", got)
	}
}

// FuzzStructDecode: the table-driven decoder never panics, costs a bounded
// number of allocations per input byte, and what it decodes encodes to a
// document that decodes to the same encoding.
func FuzzStructDecode(f *testing.F) {
	for _, s := range []string{
		head + ` kind="a"><last/></item>`,
		head + ` kind="a" code="c" n="3"><item kind="b"><last/></item><next kind="a"><last/></next><last/></item>`,
		head + ` kind="a" zz="1"><last/><other/></item>`,
		head + ` kind="a" xsi:nil="true"/>`,
		head + ` kind="a"><alt kind="b"><item kind="a"><last/></item><last/></alt><last/></item>`,
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, doc string, lenient bool) {
		var v *tItem
		var err error
		allocs := testing.AllocsPerRun(1, func() { v, _, err = decodeItem(t, doc, lenient) })
		if max := 2*float64(len(doc)) + 100; allocs > max {
			t.Fatalf("%v allocations for %d bytes (bound %v)", allocs, len(doc), max)
		}
		if err != nil {
			return
		}
		_ = validateItem(v)
		out := encodeItem(t, v)
		w, _, err := decodeItem(t, out, lenient)
		if err != nil {
			t.Fatalf("decode of our encoding %s: %v", out, err)
		}
		if again := encodeItem(t, w); again != out {
			t.Fatalf("encoding not stable:\n%s\n%s", out, again)
		}
	})
}

// TestStructDecodeAllocs: decoding allocates the values it fills and
// nothing per element besides (a token moved to the heap by a call through
// an interface cost one allocation per element).
func TestStructDecodeAllocs(t *testing.T) {
	items := func(n int) string {
		return head + ` kind="a">` + strings.Repeat(`<item kind="b"><alt kind="a"><last/></alt><last/></item>`, n) + `<last/></item>`
	}
	// Per item: a new Alt, two new Last (the slice grows amortized).
	const perItem = 3
	for _, n := range []int{16, 64} {
		small, large := items(n), items(2*n)
		a := testing.AllocsPerRun(20, func() { _, _, _ = decodeItem(t, small, false) })
		b := testing.AllocsPerRun(20, func() { _, _, _ = decodeItem(t, large, false) })
		if extra := (b - a) / float64(n); extra > perItem+0.5 {
			t.Errorf("%d more items: %v allocations each, want at most %d", n, extra, perItem)
		}
	}
}

// tHinted is a type as dmpgen generates it from version 6 on: no XSIHints
// field, the hints kept in Unknown.
type tHinted struct {
	Kind    string
	XSINil  bool
	XSIType bool
	Unknown *Unknown
}

var tabHinted = Struct{
	Type:   xmltext.Name{Space: tns, Local: "Hinted"},
	Label:  "Hinted",
	Attrs:  []AttrField{{Name: xmltext.Name{Local: "kind"}, Off: unsafe.Offsetof(tHinted{}.Kind), Size: unsafe.Sizeof(tHinted{}.Kind)}},
	XSINil: unsafe.Offsetof(tHinted{}.XSINil), XSIType: unsafe.Offsetof(tHinted{}.XSIType), Unknown: unsafe.Offsetof(tHinted{}.Unknown),
}

// TestStructXSIHintsInUnknown: without an XSIHints offset, strict decoding
// keeps the hints in Unknown (allocated only then) and the encoder writes
// them back after xsi:type, before the known attributes, as it does with
// a field of their own (TestStructRoundTrip).
func TestStructXSIHintsInUnknown(t *testing.T) {
	decode := func(doc string) (*tHinted, *xmltext.Decoder) {
		d := xmltext.NewDecoder([]byte(doc), xmltext.Options{File: "h.xml"})
		tok, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		v := new(tHinted)
		if err := tabHinted.Decode(d, &tok, unsafe.Pointer(v)); err != nil {
			t.Fatal(err)
		}
		return v, d
	}
	v, _ := decode(`<h xmlns="urn:t" kind="a"/>`)
	if v.Unknown != nil {
		t.Errorf("Unknown allocated without hints: %+v", v.Unknown)
	}
	v, d := decode(`<h xmlns="urn:t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" kind="a" xsi:noNamespaceSchemaLocation="h.xsd" xsi:schemaLocation="urn:t t.xsd"/>`)
	if h := v.Unknown.Hints(); len(h) != 2 || h[0].Value != "h.xsd" || h[1].Value != "urn:t t.xsd" || len(v.Unknown.Attrs) != 0 || len(d.Warnings()) != 0 {
		t.Fatalf("hints %v, unknown %+v, warnings %v", h, v.Unknown, d.Warnings())
	}
	var b bytes.Buffer
	e := xmltext.NewEncoder(&b)
	if err := tabHinted.Encode(e, xmltext.Name{Space: tns, Local: "h"}, unsafe.Pointer(v), true); err != nil {
		t.Fatal(err)
	}
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	typ, first, second, kind := strings.Index(out, "type="), strings.Index(out, `="h.xsd"`), strings.Index(out, `="urn:t t.xsd"`), strings.Index(out, `kind="a"`)
	if typ < 0 || !(typ < first && first < second && second < kind) {
		t.Errorf("attributes out of place: %s", out)
	}
}
