package wssec_test

import (
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/wssec"
)

const (
	envOpen  = `<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope" xmlns:p="urn:p">`
	security = `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><p:x/></wsse:Security>`
)

func TestSecurityHeader(t *testing.T) {
	in := `<?xml version="1.0"?>` + envOpen + `<S:Header  p:a="1"><a:Action xmlns:a="urn:a">x</a:Action>` + security +
		`</S:Header><S:Body><b id="1"/><c id="1"/></S:Body></S:Envelope>`
	got, err := wssec.SecurityHeader([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := envOpen + `<S:Header  p:a="1">` + security + `</S:Header></S:Envelope>`
	if string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	for _, c := range []struct{ in, want string }{
		{`<x/>`, "not a SOAP envelope"},
		{envOpen + `<S:Body/></S:Envelope>`, "no Header"},
		{envOpen + `<S:Header/><S:Body/></S:Envelope>`, "the Header is empty"},
		{envOpen + `<S:Header></S:Header><S:Body/></S:Envelope>`, "0 wsse:Security header blocks"},
		{envOpen + `<S:Header>` + security + security + `</S:Header><S:Body/></S:Envelope>`, "2 wsse:Security header blocks"},
		{envOpen + `<S:Header>text</S:Header></S:Envelope>`, "text in Header"},
		{envOpen + `<S:Header>` + security, "envelope"},
	} {
		if _, err := wssec.SecurityHeader([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.in, err, c.want)
		}
	}
}

// FuzzSecurityHeader: any input gives a document or an error; a document
// is itself accepted, unchanged.
func FuzzSecurityHeader(f *testing.F) {
	f.Add([]byte(envOpen + `<S:Header>` + security + `</S:Header><S:Body/></S:Envelope>`))
	f.Add([]byte(envOpen + `<S:Header/></S:Envelope>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := wssec.SecurityHeader(b)
		if err != nil {
			return
		}
		again, err := wssec.SecurityHeader(doc)
		if err != nil || string(again) != string(doc) {
			t.Fatalf("not stable: %v\n%s\n%s", err, doc, again)
		}
	})
}
