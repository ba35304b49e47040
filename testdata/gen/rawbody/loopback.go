// The loopback test of the rawbody case (internal/gen TestCases): bodies
// bound as kept DOMs (xmlbind.Raw) go through the generated client and
// handlers without loss. The bodies of the exchanges that the case's
// schema declares are written to the directory given as argument, for
// xmllint.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/dmpgen/dmpgen/internal/gen/casetmp/rawbody/t/rawsvc"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// order is any element (the Submit part is typed xs:anyType): namespaces,
// prefixed attributes, a QName value, a comment, a processing instruction,
// mixed content and escaped text must all survive.
const order = `<x:Order xmlns:x="urn:x" xmlns:y="urn:y" y:at="1 &lt; 2"><!-- kept --><x:Line qty="2">text &amp; more<y:Extra xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="y:T"/> tail</x:Line><?audit on?></x:Order>`

func parse(s string) *xmlbind.Raw {
	d := xmltext.NewDecoder([]byte(s), xmltext.Options{File: "literal"})
	tok, err := d.NextElementOrEnd()
	if err != nil {
		panic(err)
	}
	el, err := d.ReadElement(tok)
	if err != nil {
		panic(err)
	}
	return &xmlbind.Raw{Element: el}
}

func marshal(r *xmlbind.Raw) []byte {
	b, err := xmltext.Marshal(r, xmltext.Name{})
	if err != nil {
		panic(err)
	}
	return b
}

type handler struct{ got []byte }

func (h *handler) Submit(_ context.Context, req *xmlbind.Raw) (*xmlbind.Raw, error) {
	h.got = marshal(req)
	if req.Element.Name.Local == "Wrong" {
		return parse(`<r:Other xmlns:r="urn:dmpgen:raw"/>`), nil
	}
	return parse(`<r:Note xmlns:r="urn:dmpgen:raw">got ` + req.Element.Name.Local + `</r:Note>`), nil
}

func (h *handler) Store(_ context.Context, req *xmlbind.Raw) (*xmlbind.Raw, error) {
	h.got = marshal(req)
	if k, _ := req.Element.Attr(xmltext.Name{Local: "k"}); k == "refuse" {
		return nil, &soap.FaultError{Code: soap.CodeSender, Reason: "refused", Name: "Refused",
			Detail: parse(`<r:Refusal xmlns:r="urn:dmpgen:raw">no room</r:Refusal>`)}
	}
	return parse(`<Ack xmlns="urn:dmpgen:raw" n="1"><any xmlns="">thing</any></Ack>`), nil
}

var failed bool

func check(ok bool, format string, args ...any) {
	if !ok {
		failed = true
		fmt.Printf("FAIL: "+format+"\n", args...)
	}
}

func main() {
	out := os.Args[1]
	ctx := context.Background()
	h := &handler{}
	srv := soap.NewServer()
	rawsvc.RegisterRaw(srv, h)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := rawsvc.NewRawClient(soap.NewClient(ts.URL))

	// 1. Any element in, an element of simple type out; no loss either way.
	resp, err := c.Submit(ctx, parse(order))
	check(err == nil, "Submit: %v", err)
	if err == nil {
		diff, derr := xmlcmp.Diff([]byte(order), h.got)
		check(derr == nil && diff == "", "the handler got another document: %v %s\n%s", derr, diff, h.got)
		check(strings.Contains(string(h.got), "<!-- kept -->") && strings.Contains(string(h.got), "<?audit on?>"), "comment or PI lost: %s", h.got)
		check(resp.Element.Text() == "got Order", "response %s", marshal(resp))
		save(out, "note", resp)
	}

	// 2. An element without a type in, one of type xs:anyType out.
	doc := parse(`<d:Doc xmlns:d="urn:dmpgen:raw" xmlns:e="urn:e" e:k="v"><e:Whatever>1</e:Whatever></d:Doc>`)
	ack, err := c.Store(ctx, doc)
	check(err == nil, "Store: %v", err)
	if err == nil {
		diff, derr := xmlcmp.Diff(marshal(doc), h.got)
		check(derr == nil && diff == "", "Store: the handler got another document: %v %s", derr, diff)
		check(ack.Element.Name == (xmltext.Name{Space: "urn:dmpgen:raw", Local: "Ack"}) && len(ack.Element.Elements()) == 1, "Ack %s", marshal(ack))
		save(out, "doc", doc)
		save(out, "ack", ack)
	}

	// 2b. A declared fault whose detail has a simple type, decoded as a DOM.
	_, err = c.Store(ctx, parse(`<d:Doc xmlns:d="urn:dmpgen:raw" k="refuse"/>`))
	var rf *soap.FaultError
	check(errors.As(err, &rf) && rf.Name == "Refused", "Refused fault: %v", err)
	if rf != nil && rf.Name == "Refused" {
		detail, ok := rf.Detail.(*xmlbind.Raw)
		check(ok && detail.Element.Text() == "no room", "Refused detail %#v", rf.Detail)
		if ok {
			save(out, "refusal", detail)
		}
	}

	// 3. A body element other than the operation's: refused by the client
	// before sending, and by the client when the server answers one.
	_, err = c.Store(ctx, parse(`<r:Ack xmlns:r="urn:dmpgen:raw"/>`))
	check(err != nil && strings.Contains(err.Error(), "raw element is {urn:dmpgen:raw}Ack, want {urn:dmpgen:raw}Doc"), "wrong request element: %v", err)
	_, err = c.Submit(ctx, parse(`<Wrong/>`))
	var fe *soap.FaultError
	check(errors.As(err, &fe) && fe.Code == soap.CodeReceiver && strings.Contains(fe.Reason, "want {urn:dmpgen:raw}Note"), "wrong response element: %v", err)

	// 4. A Raw without an element is an error, not an empty body.
	_, err = c.Submit(ctx, &xmlbind.Raw{})
	check(err != nil && strings.Contains(err.Error(), "no Element"), "empty Raw: %v", err)
	if failed {
		os.Exit(1)
	}
	fmt.Println("ok")
}

func save(dir, name string, r *xmlbind.Raw) {
	if err := os.WriteFile(filepath.Join(dir, name+".xml"), marshal(r), 0o644); err != nil {
		check(false, "%v", err)
	}
}
