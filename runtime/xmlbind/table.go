package xmlbind

import (
	"fmt"
	"unsafe"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// Struct describes a generated struct type whose decoding, encoding and
// validation this package does by walking the description instead of
// per-field generated code (protobuf-go's choice): the generated methods of
// such a type are one line each, which keeps large schema sets (HL7 v3)
// cheap to compile. The generator describes only types that fit: a
// sequence of child elements of struct types (alternatives of choices
// included), mixed text or mixed content kept as DOM, attributes of any
// simple type, xsi:type derivation; the others keep their per-field
// methods. The code generator writes these values; they are not meant to
// be written by hand.
//
// Offsets are those of the fields of the described struct (unsafe.Offsetof),
// and every pointer handed to the methods points to a value of that struct:
// the generated methods pass their receiver.
type Struct struct {
	// Type is the schema type name (zero for an anonymous type) and Label
	// how an xsi:type error names the declared type.
	Type  xmltext.Name
	Label string
	Attrs []AttrField
	// Elems are the child elements, in the order of the sequence.
	Elems []ElemField
	// Choices are the choices some Elems belong to (ElemField.Choice).
	Choices []Choice
	// Offsets of the common fields (XSINil bool, XSIType bool,
	// XSIHints []xmltext.Attr, Unknown *Unknown). XSIHints is 0 in code
	// generated from version 6 on, whose structs have no such field: the
	// hints are then kept in Unknown (Unknown.XSIHints).
	XSINil, XSIType, XSIHints, Unknown uintptr
	// Mixed: the content is kept verbatim in the []xmltext.Node field at
	// offset Content (the type has no Elems).
	Mixed   bool
	Content uintptr
	// MixedText: mixed content without child elements of its own; the
	// character data goes to the string field at offset Text.
	MixedText bool
	Text      uintptr
	// Abstract: Validate reports a value of the type itself.
	Abstract bool
	// Derived and Foreign are the types derived from this one in its
	// package and in others, which xsi:type selects; the value is then in
	// the Value field at offset DerivedOff. GoName names the type in the
	// error of a Derived value of another type.
	Derived    []DerivedType
	Foreign    []ForeignType
	DerivedOff uintptr
	GoName     string
}

// DerivedType is a type derived from a Struct's, generated in its package.
type DerivedType struct {
	Name xmltext.Name
	// New returns a new value; Is reports whether x is of this type (which
	// implements TypedMarshaler).
	New func() Value
	Is  func(x Value) bool
}

// ForeignType is a type derived from a Struct's, generated in the package
// Pkg (created by the decoder's type resolver, NewDerived).
type ForeignType struct {
	Name xmltext.Name
	Pkg  string
}

// AttrField describes an attribute field.
type AttrField struct {
	Name xmltext.Name
	// Off is the field's offset; Ptr: the field is a pointer (optional
	// attribute without default).
	Off      uintptr
	Ptr      bool
	Required bool
	// Size is the size of a Required field: the encoder and Validate tell
	// a field left at its zero value (all bytes zero) from a set one.
	Size uintptr
	// Parse stores the value of lexical form s into the field at p (the
	// field itself, allocating when Ptr); nil for string-based fields,
	// which hold the attribute's value as it is.
	Parse func(d *xmltext.Decoder, s string, p unsafe.Pointer) error
	// Format returns the lexical form of the value at p (the value, not
	// the pointer field); nil for string-based fields.
	Format func(e *xmltext.Encoder, p unsafe.Pointer) string
	// Check records the violations of the value at p; nil: none possible.
	Check func(p unsafe.Pointer, r *xsdt.Report)
}

// ElemField describes a child element field holding generated struct
// values: a pointer (Many false) or a slice (Many true).
type ElemField struct {
	Name     xmltext.Name
	Off      uintptr
	Min, Max int // Max -1: unbounded
	Many     bool
	// Choice is 1 + the index in Struct.Choices of the choice the element
	// is an alternative of, 0 for none.
	Choice int
	// Size is the size of one value (Many).
	Size uintptr
	// New allocates a value (single fields), Add appends a zero value to
	// the slice at p and returns its address (Many), Move appends the
	// slice at src to the slice at dst and empties src (Many), Ref turns
	// the address of a value into its methods.
	New  func() unsafe.Pointer
	Add  func(p unsafe.Pointer) unsafe.Pointer
	Move func(dst, src unsafe.Pointer)
	Ref  func(p unsafe.Pointer) Value
}

// Choice is an xs:choice flattened into the sequence: at most one of its
// alternatives has a value, exactly one when Min > 0.
type Choice struct {
	Min int
	// Names lists the alternatives for the message ("a, b").
	Names string
}

type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

func field[T any](p unsafe.Pointer, off uintptr) *T { return (*T)(unsafe.Add(p, off)) }

// Decode decodes the element that start opens into the struct at p: the
// generated UnmarshalXMLText.
func (s *Struct) Decode(d *xmltext.Decoder, start *xmltext.Token, p unsafe.Pointer) error {
	unknown := field[*Unknown](p, s.Unknown)
	typeAttr, nilAttr := xsiAttrs(start)
	xt, hasType, err := resolveXSIType(d, start, typeAttr)
	if err != nil {
		return err
	}
	*field[bool](p, s.XSIType) = hasType && xt == s.Type && xt.Local != ""
	if hasType && xt != s.Type {
		x, err := s.derive(d, start, xt)
		if err != nil {
			return err
		}
		if x != nil {
			// A copy: start handed to a method through an interface would
			// move every caller's token to the heap, derived or not.
			st := *start
			if err := x.UnmarshalXMLText(d, &st); err != nil {
				return err
			}
			*field[Value](p, s.DerivedOff) = x
			return nil
		}
		if err := KeepXSIType(d, unknown, start, xt, s.Label); err != nil {
			return err
		}
	}
	var seen uint64 // required attributes seen, by index (the first 64)
	var seenMore []bool
	if len(s.Attrs) > 64 {
		seenMore = make([]bool, len(s.Attrs))
	}
	next := 0 // attributes often come in the table's order: look there first
attrs:
	for ai, a := range start.Attrs {
		for k := range s.Attrs {
			i := next + k
			if i >= len(s.Attrs) {
				i -= len(s.Attrs)
			}
			f := &s.Attrs[i]
			if !sameName(a.Name, f.Name) {
				continue
			}
			if unsafe.StringData(a.Name.Local) != unsafe.StringData(f.Name.Local) {
				// Equal names, different strings: later tokens will
				// hold the table's (as take does for elements).
				d.CanonicalAttr(ai, f.Name)
			}
			next = i + 1
			if err := f.set(d, a.Value, p); err != nil {
				return d.Errorf(start.Offset, "attribute %s: %v", f.Name.Local, err)
			}
			if i < 64 {
				seen |= 1 << i
			} else {
				seenMore[i] = true
			}
			continue attrs
		}
		if IsXSI(a.Name) {
			continue
		}
		if IsXSIHint(a.Name) {
			if s.XSIHints == 0 {
				KeepXSIHint(unknown, a)
				continue
			}
			hints := field[[]xmltext.Attr](p, s.XSIHints)
			*hints = append(*hints, a)
			continue
		}
		if err := KeepAttr(d, unknown, start, a); err != nil {
			return err
		}
	}
	for i := range s.Attrs {
		f := &s.Attrs[i]
		if !f.Required || i < 64 && seen&(1<<i) != 0 || i >= 64 && seenMore[i] {
			continue
		}
		if err := MissingAttr(d, unknown, start, f.Name); err != nil {
			return err
		}
	}
	if isTrue(nilAttr) {
		*field[bool](p, s.XSINil) = true
		return DecodeNil(d, start)
	}
	if s.Mixed {
		el, err := d.ReadElement(*start)
		if err != nil {
			return err
		}
		*field[[]xmltext.Node](p, s.Content) = el.Children
		return nil
	}
	n := 0 // known children so far
	tok, aux := d.Slot(), d.Aux()
	// The elements of a slice field come one after the other: they are
	// decoded into a scratch slice kept by the decoder for this depth and
	// field, then moved into the field at once, which allocates it at its
	// size instead of growing it element by element.
	var run *ElemField
	var sc *sliceHeader
	for {
		if err := d.NextElementOrEndInto(tok); err != nil {
			return err
		}
		if run != nil {
			if tok.Kind == xmltext.StartElement && sameName(tok.Name, run.Name) {
				if err := run.Ref(run.Add(unsafe.Pointer(sc))).UnmarshalXMLText(d, tok); err != nil {
					return err
				}
				n++
				continue
			}
			run.Move(unsafe.Add(p, run.Off), unsafe.Pointer(sc))
			run = nil
		}
		switch tok.Kind {
		case xmltext.EndElement:
			return nil
		case xmltext.CharData:
			if !s.MixedText {
				return d.Errorf(tok.Offset, "unexpected character data in %s", start.Name)
			}
			*field[string](p, s.Text) += string(tok.Text)
		case xmltext.StartElement:
			f, ok, err := s.take(d, tok, p)
			if err != nil {
				return err
			}
			if f != nil {
				run, sc = f, scratch(aux, f)
				if err := f.Ref(f.Add(unsafe.Pointer(sc))).UnmarshalXMLText(d, tok); err != nil {
					return err
				}
			}
			if ok {
				n++
			} else if err := KeepElement(d, unknown, start.Name, tok, n); err != nil {
				return err
			}
		}
	}
}

// derive returns a new value of the derived type xsi:type xt names, nil
// for none.
func (s *Struct) derive(d *xmltext.Decoder, start *xmltext.Token, xt xmltext.Name) (Value, error) {
	for i := range s.Derived {
		if sameName(xt, s.Derived[i].Name) {
			return s.Derived[i].New(), nil
		}
	}
	for i := range s.Foreign {
		if sameName(xt, s.Foreign[i].Name) {
			return NewDerived(d, start, xt, s.Foreign[i].Pkg)
		}
	}
	return nil, nil
}

func (f *AttrField) set(d *xmltext.Decoder, v string, p unsafe.Pointer) error {
	q := unsafe.Add(p, f.Off)
	switch {
	case f.Parse != nil:
		return f.Parse(d, v, q)
	case f.Ptr:
		*(**string)(q) = d.StringPtr(v)
	default:
		*(*string)(q) = v
	}
	return nil
}

// absent reports whether f is a required attribute the decoded element
// lacked (u.Absent) whose field at q still holds the zero value.
func (f *AttrField) absent(u *Unknown, q unsafe.Pointer) bool {
	if !f.Required || !u.Omits(f.Name) {
		return false
	}
	for _, b := range unsafe.Slice((*byte)(q), f.Size) {
		if b != 0 {
			return false
		}
	}
	return true
}

// take decodes the child element tok when the content model accepts it
// here: the first field of its name after which nothing has a value yet.
// For a slice field it decodes nothing and returns the field, whose run of
// elements the caller reads.
func (s *Struct) take(d *xmltext.Decoder, tok *xmltext.Token, p unsafe.Pointer) (*ElemField, bool, error) {
	for i := range s.Elems {
		f := &s.Elems[i]
		if !sameName(tok.Name, f.Name) || s.after(i, p) {
			continue
		}
		if unsafe.StringData(tok.Name.Local) != unsafe.StringData(f.Name.Local) ||
			unsafe.StringData(tok.Name.Space) != unsafe.StringData(f.Name.Space) {
			// Equal names, different strings: later tokens of this name
			// will hold the table's, and compare by pointer.
			d.Canonical(f.Name)
			tok.Name = f.Name
		}
		if f.Many {
			return f, true, nil
		}
		q := unsafe.Add(p, f.Off)
		if *(*unsafe.Pointer)(q) != nil {
			return nil, false, nil
		}
		x := f.New()
		if err := f.Ref(x).UnmarshalXMLText(d, tok); err != nil {
			return nil, true, err
		}
		*(*unsafe.Pointer)(q) = x
		return nil, true, nil
	}
	return nil, false, nil
}

// runs are a depth's scratch slices, one per slice field, kept in the
// decoder's Aux.
type runs map[*ElemField]*sliceHeader

// scratch returns the empty scratch slice of field f at aux's depth.
func scratch(aux *any, f *ElemField) *sliceHeader {
	m, _ := (*aux).(runs)
	if m == nil {
		m = runs{}
		*aux = m
	}
	h := m[f]
	if h == nil {
		h = new(sliceHeader)
		m[f] = h
	}
	h.len = 0 // after an error, what was left is overwritten by Add
	return h
}

// present reports whether the field has a value.
func (f *ElemField) present(p unsafe.Pointer) bool {
	q := unsafe.Add(p, f.Off)
	if f.Many {
		return (*sliceHeader)(q).len > 0
	}
	return *(*unsafe.Pointer)(q) != nil
}

// after reports whether a field after k already has a value.
func (s *Struct) after(k int, p unsafe.Pointer) bool {
	for j := len(s.Elems) - 1; j > k; j-- {
		if s.Elems[j].present(p) {
			return true
		}
	}
	return false
}

// Encode encodes the struct at p as the element name, with its xsi:type
// when typed: the generated MarshalXMLText.
func (s *Struct) Encode(e *xmltext.Encoder, name xmltext.Name, p unsafe.Pointer, typed bool) error {
	if len(s.Derived)+len(s.Foreign) > 0 {
		if x := *field[Value](p, s.DerivedOff); x != nil {
			return s.encodeDerived(e, name, x)
		}
	}
	e.Start(name)
	if typed || *field[bool](p, s.XSIType) {
		e.Attr(XSITypeName, e.QName(s.Type))
	}
	if *field[bool](p, s.XSINil) {
		e.Attr(XSINilName, "true")
	}
	if s.XSIHints == 0 {
		(*field[*Unknown](p, s.Unknown)).WriteXSIHints(e)
	} else {
		for _, a := range *field[[]xmltext.Attr](p, s.XSIHints) {
			e.Attr(a.Name, a.Value)
		}
	}
	u := *field[*Unknown](p, s.Unknown)
	for i := range s.Attrs {
		f := &s.Attrs[i]
		q := unsafe.Add(p, f.Off)
		if f.Ptr {
			if q = *(*unsafe.Pointer)(q); q == nil {
				continue
			}
		}
		if f.absent(u, q) {
			continue
		}
		if f.Format != nil {
			e.Attr(f.Name, f.Format(e, q))
		} else {
			e.Attr(f.Name, *(*string)(q))
		}
	}
	u.WriteAttrs(e)
	if s.MixedText {
		e.Text(*field[string](p, s.Text))
	}
	if s.Mixed {
		WriteNodes(e, *field[[]xmltext.Node](p, s.Content))
	} else if err := u.WriteContent(e, func(e *xmltext.Encoder) error { return s.encodeContent(e, p) }); err != nil {
		return err
	}
	e.End()
	return e.Err()
}

// encodeDerived encodes the value of a derived type with its xsi:type.
func (s *Struct) encodeDerived(e *xmltext.Encoder, name xmltext.Name, x Value) error {
	for i := range s.Derived {
		if s.Derived[i].Is(x) {
			t, ok := x.(TypedMarshaler)
			if !ok {
				return fmt.Errorf("%s: %T has no MarshalXMLTextTyped method", name.Local, x)
			}
			return t.MarshalXMLTextTyped(e, name)
		}
	}
	if len(s.Foreign) == 0 {
		return fmt.Errorf("%s: Derived holds %T, which is not derived from %s", name.Local, x, s.GoName)
	}
	foreign := make([]xmltext.Name, len(s.Foreign))
	for i := range s.Foreign {
		foreign[i] = s.Foreign[i].Name
	}
	return MarshalForeign(e, name, x, s.GoName, foreign...)
}

func (s *Struct) encodeContent(e *xmltext.Encoder, p unsafe.Pointer) error {
	for i := range s.Elems {
		f := &s.Elems[i]
		q := unsafe.Add(p, f.Off)
		if !f.Many {
			if x := *(*unsafe.Pointer)(q); x != nil {
				if err := f.Ref(x).MarshalXMLText(e, f.Name); err != nil {
					return err
				}
			}
			continue
		}
		h := (*sliceHeader)(q)
		for j := 0; j < h.len; j++ {
			if err := f.Ref(unsafe.Add(h.data, uintptr(j)*f.Size)).MarshalXMLText(e, f.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// Validate records every schema violation of the struct at p in r: the
// generated ValidateXSD.
func (s *Struct) Validate(r *xsdt.Report, p unsafe.Pointer) {
	if len(s.Derived)+len(s.Foreign) > 0 {
		if x := *field[Value](p, s.DerivedOff); x != nil {
			x.ValidateXSD(r)
			return
		}
	}
	if s.Abstract {
		r.Add("abstract", "%s is abstract: use xsi:type with a derived type", s.Type.Local)
	}
	u := *field[*Unknown](p, s.Unknown)
	for i := range s.Attrs {
		f := &s.Attrs[i]
		q := unsafe.Add(p, f.Off)
		if f.absent(u, q) {
			r.PushAttr(f.Name.Local)
			r.Add("required", "required attribute %s missing", f.Name.Local)
			r.Pop()
			continue
		}
		if f.Check == nil {
			continue
		}
		if f.Ptr {
			if q = *(*unsafe.Pointer)(q); q == nil {
				continue
			}
		}
		r.PushAttr(f.Name.Local)
		f.Check(q, r)
		r.Pop()
	}
	if s.Mixed {
		if *field[bool](p, s.XSINil) && len(*field[[]xmltext.Node](p, s.Content)) > 0 {
			r.Add("nil", "the element has xsi:nil=\"true\" and content")
		}
		return
	}
	if len(s.Elems) == 0 && !s.MixedText {
		return
	}
	if *field[bool](p, s.XSINil) {
		content := s.MixedText && *field[string](p, s.Text) != ""
		for i := range s.Elems {
			content = content || s.Elems[i].present(p)
		}
		if content {
			r.Add("nil", "the element has xsi:nil=\"true\" and content")
		}
		return
	}
	for i := range s.Elems {
		f := &s.Elems[i]
		q := unsafe.Add(p, f.Off)
		min := f.Min
		if f.Choice > 0 {
			min = 0 // the choice's own rule below
		}
		if !f.Many {
			x := *(*unsafe.Pointer)(q)
			if min > 0 || f.Max > 1 {
				r.Occurs(f.Name.Local, b2i(x != nil), min, f.Max)
			}
			if x != nil {
				r.Push(f.Name.Local)
				f.Ref(x).ValidateXSD(r)
				r.Pop()
			}
			continue
		}
		h := (*sliceHeader)(q)
		if min > 0 || f.Max >= 1 {
			r.Occurs(f.Name.Local, h.len, min, f.Max)
		}
		for j := 0; j < h.len; j++ {
			r.PushIndex(f.Name.Local, j)
			f.Ref(unsafe.Add(h.data, uintptr(j)*f.Size)).ValidateXSD(r)
			r.Pop()
		}
	}
	for c := range s.Choices {
		n := 0
		for i := range s.Elems {
			if s.Elems[i].Choice == c+1 && s.Elems[i].present(p) {
				n++
			}
		}
		if ch := &s.Choices[c]; n > 1 || n < ch.Min {
			want := "at most one"
			if ch.Min > 0 {
				want = "exactly one"
			}
			r.Add("choice", "%d of the alternatives %s are present, want %s", n, ch.Names, want)
		}
	}
}

// Report returns the violations of v as an error (nil if none): the
// generated Validate.
func Report(v Value) error {
	r := xsdt.NewReport("")
	v.ValidateXSD(r)
	return r.Err()
}

// sameName compares local names first: they tell the fields of a struct
// apart, which mostly share one namespace.
func sameName(a, b xmltext.Name) bool {
	if len(a.Local) != len(b.Local) || len(a.Space) != len(b.Space) {
		return false
	}
	// Names the decoder made canonical (Decoder.Canonical) are the same
	// strings: no bytes to compare.
	if unsafe.StringData(a.Local) == unsafe.StringData(b.Local) && unsafe.StringData(a.Space) == unsafe.StringData(b.Space) {
		return true
	}
	return a.Local == b.Local && a.Space == b.Space
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
