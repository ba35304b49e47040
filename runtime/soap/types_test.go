package soap_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// Two hand-written "packages", as generated code has them: animal (package
// a, urn:dmpgen:soap:a) knows that cat (package b, urn:dmpgen:soap:b)
// derives from it but cannot import it, so it asks the decoder's type
// resolver (newTypeB, b's NewType).
const (
	nsA  = "urn:dmpgen:soap:a"
	nsB  = "urn:dmpgen:soap:b"
	pkgB = "example.com/b"
)

var (
	animalType = xmltext.Name{Space: nsA, Local: "Animal"}
	catType    = xmltext.Name{Space: nsB, Local: "Cat"}
	petName    = xmltext.Name{Space: nsA, Local: "Pet"}   // body element of type Animal
	tagName    = xmltext.Name{Space: nsA, Local: "Tag"}   // header block of type Animal
	sickName   = xmltext.Name{Space: nsA, Local: "Sick"}  // fault detail of type Animal
	nameName   = xmltext.Name{Space: nsA, Local: "Name"}  // child of Animal
	livesName  = xmltext.Name{Space: nsB, Local: "Lives"} // child Cat adds
)

// newTypeB is package b's NewType.
func newTypeB(n xmltext.Name) xmlbind.Value {
	if n == catType {
		return new(cat)
	}
	return nil
}

// animal is the base type: a Derived value for xsi:type="b:Cat".
type animal struct {
	Name    string
	Derived xmlbind.Value
	Unknown *xmlbind.Unknown
}

func (*animal) XSDType() xmltext.Name    { return animalType }
func (*animal) ValidateXSD(*xsdt.Report) {}

func (v *animal) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	xt, has, err := xmlbind.XSIType(d, start)
	if err != nil {
		return err
	}
	if has && xt != animalType {
		if xt == catType {
			x, err := xmlbind.NewDerived(d, start, xt, pkgB)
			if err != nil {
				return err
			}
			v.Derived = x
			return x.UnmarshalXMLText(d, start)
		}
		if err := xmlbind.KeepXSIType(d, &v.Unknown, start, xt, "Animal"); err != nil {
			return err
		}
	}
	return decodeChildren(d, start, &v.Unknown, func(tok *xmltext.Token) (bool, error) {
		if tok.Name != nameName {
			return false, nil
		}
		s, err := d.ReadText(*tok)
		v.Name = s
		return true, err
	})
}

func (v *animal) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	if v.Derived != nil {
		return xmlbind.MarshalForeign(e, name, v.Derived, "Animal", catType)
	}
	e.Start(name)
	v.Unknown.WriteAttrs(e)
	if err := v.Unknown.WriteContent(e, func(e *xmltext.Encoder) error {
		e.Start(nameName)
		e.Text(v.Name)
		e.End()
		return nil
	}); err != nil {
		return err
	}
	e.End()
	return e.Err()
}

// cat derives from animal in package b.
type cat struct {
	Name    string
	Lives   string
	Unknown *xmlbind.Unknown
}

func (*cat) XSDType() xmltext.Name    { return catType }
func (*cat) ValidateXSD(*xsdt.Report) {}

func (v *cat) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	return decodeChildren(d, start, &v.Unknown, func(tok *xmltext.Token) (bool, error) {
		var dst *string
		switch tok.Name {
		case nameName:
			dst = &v.Name
		case livesName:
			dst = &v.Lives
		default:
			return false, nil
		}
		s, err := d.ReadText(*tok)
		*dst = s
		return true, err
	})
}

func (v *cat) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	return v.MarshalXMLTextTyped(e, name)
}

func (v *cat) MarshalXMLTextTyped(e *xmltext.Encoder, name xmltext.Name) error {
	e.Start(name)
	e.Attr(xmlbind.XSITypeName, e.QName(catType))
	e.Start(nameName)
	e.Text(v.Name)
	e.End()
	e.Start(livesName)
	e.Text(v.Lives)
	e.End()
	e.End()
	return e.Err()
}

// decodeChildren decodes the children of start with take, keeping what it
// does not take (lenient) or failing (strict).
func decodeChildren(d *xmltext.Decoder, start *xmltext.Token, u **xmlbind.Unknown, take func(*xmltext.Token) (bool, error)) error {
	n := 0
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return err
		}
		switch tok.Kind {
		case xmltext.EndElement:
			return nil
		case xmltext.CharData:
			return d.Errorf(tok.Offset, "text in %s", start.Name)
		}
		ok, err := take(&tok)
		if err != nil {
			return err
		}
		if ok {
			n++
		} else if err := xmlbind.KeepElement(d, u, start.Name, &tok, n); err != nil {
			return err
		}
	}
}

func newAnimal() xmlbind.Value { return new(animal) }

var opPet = soap.Operation{
	Service: "Zoo", Name: "Pet", Version: soap.V12,
	Action: "urn:pet", ResponseAction: "urn:petResponse",
	Request: petName, Response: petName,
	RequestHeaders:  []soap.Header{{Part: "tag", Element: tagName, New: newAnimal}},
	ResponseHeaders: []soap.Header{{Part: "tag", Element: tagName, New: newAnimal}},
	Faults:          []soap.Fault{{Name: "sick", Element: sickName, New: newAnimal}},
}

// petServer answers with the request's cat and header block, or with a
// fault whose detail is a cat when the cat's name is "sick"; what the
// handler received is recorded in *seen. op is opPet, or a copy.
func petServer(t *testing.T, seen *[]string, op *soap.Operation, opts ...soap.ServerOption) string {
	srv := soap.NewServer(opts...)
	srv.HandleHeaders(op, newAnimal, func(ctx context.Context, req xmlbind.Value, in []xmlbind.Value) (xmlbind.Value, []xmlbind.Value, error) {
		c, ok := req.(*animal).Derived.(*cat)
		h, hok := in[0].(*animal).Derived.(*cat)
		if !ok || !hok {
			return nil, nil, errors.New("the request's xsi:type was not decoded as a cat")
		}
		*seen = append(*seen, c.Name+" "+c.Lives+" "+h.Name)
		if c.Name == "sick" {
			return nil, nil, &soap.FaultError{Code: soap.CodeSender, Reason: "sick", Detail: &animal{Derived: &cat{Name: "Felix", Lives: "8"}}}
		}
		return req, []xmlbind.Value{in[0]}, nil
	})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}

func pet(name string) *animal { return &animal{Derived: &cat{Name: name, Lives: "9"}} }

// TestTypesAcrossPackages: with a type resolver (WithTypes, WithServerTypes
// or Operation.Types), the body, the bound header blocks and the fault
// detail of an xsi:type naming a derived type of another package decode to
// that type, strict and lenient; without one, it is an error naming the
// package whose NewType is missing.
func TestTypesAcrossPackages(t *testing.T) {
	ctx := context.Background()
	resolver := xmlbind.Types(newTypeB)
	check := func(t *testing.T, url string, seen *[]string, op *soap.Operation, opts ...soap.Option) {
		t.Helper()
		c := soap.NewClient(url, opts...)
		resp := new(animal)
		var warnings []string
		out, err := c.CallHeaders(ctx, op, pet("Tom"), resp, []xmlbind.Value{pet("tag")}, soap.CollectWarnings(&warnings))
		if err != nil {
			t.Fatalf("call: %v", err)
		}
		if c, ok := resp.Derived.(*cat); !ok || c.Name != "Tom" || c.Lives != "9" {
			t.Errorf("response: %#v", resp.Derived)
		}
		if h, ok := out[0].(*animal).Derived.(*cat); !ok || h.Name != "tag" {
			t.Errorf("response header: %#v", out[0])
		}
		if got := (*seen)[len(*seen)-1]; got != "Tom 9 tag" {
			t.Errorf("handler saw %q", got)
		}
		if len(warnings) > 0 {
			t.Errorf("warnings: %q", warnings)
		}
		_, err = c.CallHeaders(ctx, op, pet("sick"), new(animal), []xmlbind.Value{pet("tag")})
		var fe *soap.FaultError
		if !errors.As(err, &fe) || fe.Detail == nil {
			t.Fatalf("fault: %v", err)
		}
		if d, ok := fe.Detail.(*animal).Derived.(*cat); !ok || d.Name != "Felix" || d.Lives != "8" {
			t.Errorf("fault detail: %#v", fe.Detail)
		}
	}
	for _, lenient := range []bool{false, true} {
		name := map[bool]string{false: "strict", true: "lenient"}[lenient]
		t.Run(name+"/options", func(t *testing.T) {
			var seen []string
			url := petServer(t, &seen, &opPet, soap.WithServerTypes(resolver), soap.WithServerLenientDecoding(lenient))
			check(t, url, &seen, &opPet, soap.WithTypes(resolver), soap.WithLenientDecoding(lenient))
		})
		t.Run(name+"/operation", func(t *testing.T) {
			// Generated services set Operation.Types; the server's
			// routes have it from their Operation too.
			op := opPet
			op.Types = resolver
			var seen []string
			url := petServer(t, &seen, &op, soap.WithServerLenientDecoding(lenient))
			check(t, url, &seen, &op, soap.WithLenientDecoding(lenient))
		})
	}

	// Without a resolver: the server refuses the request with a Sender
	// fault naming the package, the client the response.
	var seen []string
	bare := petServer(t, &seen, &opPet, soap.WithServerLenientDecoding(true))
	_, err := soap.NewClient(bare).CallHeaders(ctx, &opPet, pet("Tom"), new(animal), []xmlbind.Value{pet("tag")})
	var fe *soap.FaultError
	if !errors.As(err, &fe) || fe.Code != soap.CodeSender || !strings.Contains(fe.Reason, "package "+pkgB+", which the decoder does not know") || len(seen) != 0 {
		t.Errorf("server without resolver: %v (handler saw %q)", err, seen)
	}
	served := petServer(t, &seen, &opPet, soap.WithServerTypes(resolver))
	for _, lenient := range []bool{false, true} {
		_, err = soap.NewClient(served, soap.WithLenientDecoding(lenient)).CallHeaders(ctx, &opPet, pet("Tom"), new(animal), []xmlbind.Value{pet("tag")})
		if !errors.Is(err, soap.ErrHeader) || !strings.Contains(err.Error(), "envelope:1:") || !strings.Contains(err.Error(), pkgB) {
			t.Errorf("client without resolver, lenient %v: %v", lenient, err)
		}
	}
	// A resolver that does not know the type is no better.
	other := xmlbind.Types(func(xmltext.Name) xmlbind.Value { return nil })
	_, err = soap.NewClient(served, soap.WithTypes(other)).CallHeaders(ctx, &opPet, pet("Tom"), new(animal), []xmlbind.Value{pet("tag")})
	if err == nil || !strings.Contains(err.Error(), pkgB) {
		t.Errorf("client with a resolver that does not know b:Cat: %v", err)
	}
}

// TestTypesChain: resolvers of several WithTypes and of the Operation are
// tried in order, the first that knows the name wins.
func TestTypesChain(t *testing.T) {
	var seen []string
	url := petServer(t, &seen, &opPet, soap.WithServerTypes(xmlbind.Types(func(xmltext.Name) xmlbind.Value { return nil })), soap.WithServerTypes(xmlbind.Types(newTypeB)))
	op := opPet
	var asked []string
	op.Types = func(n xmltext.Name) xmltext.Unmarshaler {
		asked = append(asked, "op")
		return xmlbind.Types(newTypeB)(n)
	}
	first := func(n xmltext.Name) xmltext.Unmarshaler {
		asked = append(asked, "first")
		return nil
	}
	resp := new(animal)
	if _, err := soap.NewClient(url, soap.WithTypes(first), soap.WithTypes(nil)).CallHeaders(context.Background(), &op, pet("Tom"), resp, []xmlbind.Value{pet("tag")}); err != nil {
		t.Fatal(err)
	}
	if _, ok := resp.Derived.(*cat); !ok || strings.Join(asked, " ") != "first op first op" {
		t.Errorf("response %#v, resolvers asked %q (want first op, for the header block then the body)", resp.Derived, asked)
	}
}

// TestTypesUnrelated: an xsi:type naming no derived type is an error in
// strict mode and kept in lenient mode, resolver or not.
func TestTypesUnrelated(t *testing.T) {
	dog := &animal{Name: "Rex", Unknown: &xmlbind.Unknown{XSIType: xmltext.Name{Space: nsB, Local: "Dog"}}}
	for _, lenient := range []bool{false, true} {
		srv := soap.NewServer(soap.WithServerLenientDecoding(lenient), soap.WithServerTypes(xmlbind.Types(newTypeB)))
		var got *animal
		var warnings []string
		srv.Handle(&soap.Operation{Service: "Zoo", Name: "Dog", Version: soap.V12, Action: "urn:dog", Request: petName, Response: petName}, newAnimal,
			func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
				got = req.(*animal)
				r, _ := soap.RequestFromContext(ctx)
				warnings = r.Warnings
				return req, nil
			})
		ts := httptest.NewServer(srv)
		resp := new(animal)
		err := soap.NewClient(ts.URL, soap.WithLenientDecoding(lenient)).Call(context.Background(), &soap.Operation{Service: "Zoo", Name: "Dog", Version: soap.V12, Action: "urn:dog", Request: petName, Response: petName}, dog, resp)
		ts.Close()
		if !lenient {
			var fe *soap.FaultError
			if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "is not a type derived from Animal") {
				t.Errorf("strict: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("lenient: %v", err)
		}
		if got == nil || got.Name != "Rex" || got.Unknown == nil || got.Unknown.XSIType.Local != "Dog" || len(warnings) != 1 {
			t.Errorf("lenient: server got %#v, warnings %q", got, warnings)
		}
		if resp.Name != "Rex" || resp.Unknown == nil || resp.Unknown.XSIType.Local != "Dog" {
			t.Errorf("lenient: response %#v", resp)
		}
	}
}
