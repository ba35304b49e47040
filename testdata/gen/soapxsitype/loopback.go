// The loopback test of the soapxsitype case (internal/gen TestCases): the
// generated client calls the generated handler on a loopback server, strict
// and lenient, with zoo's Animal sent as a Cat (package ext: the generated
// operation passes ext.NewType itself) and as a Dog (package back, which
// depends on the service package: the user passes back.NewType with
// soap.WithTypes and soap.WithServerTypes). The body elements and fault
// details exchanged are written to the directory given as argument, for
// xmllint.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/dmpgen/dmpgen/internal/gen/casetmp/soapxsitype/t/back"
	"github.com/dmpgen/dmpgen/internal/gen/casetmp/soapxsitype/t/ext"
	"github.com/dmpgen/dmpgen/internal/gen/casetmp/soapxsitype/t/svc"
	"github.com/dmpgen/dmpgen/internal/gen/casetmp/soapxsitype/t/zoo"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

func str(s string) *string { return &s }
func i32(n int32) *int32   { return &n }

// handler echoes the animals it is given, and refuses a cat named Grumpy
// with a fault whose detail is a cat too.
type handler struct{ seen []string }

func (h *handler) Adopt(_ context.Context, req *zoo.Animals) (*zoo.Animals, error) {
	var names []string
	for _, a := range req.Animal {
		names = append(names, describe(&a))
	}
	h.seen = append(h.seen, strings.Join(names, ", "))
	for _, a := range req.Animal {
		if c, ok := a.Derived.(*ext.Cat); ok && *c.Name == "Grumpy" {
			return nil, &soap.FaultError{Code: soap.CodeSender, Reason: "refused",
				Detail: &zoo.Animal{Derived: &ext.Cat{Name: str("Grumpy"), Lives: i32(1)}}}
		}
	}
	return req, nil
}

// describe names an animal and the Go type it was decoded to.
func describe(a *zoo.Animal) string {
	switch x := a.Derived.(type) {
	case nil:
		if a.Unknown != nil && a.Unknown.XSIType.Local != "" {
			return fmt.Sprintf("animal %s (xsi:type %s kept)", *a.Name, a.Unknown.XSIType)
		}
		return "animal " + *a.Name
	case *ext.Cat:
		return fmt.Sprintf("cat %s %d", *x.Name, *x.Lives)
	case *back.Dog:
		return fmt.Sprintf("dog %s %s", *x.Name, x.Collar.Colour)
	}
	return fmt.Sprintf("%T", a.Derived)
}

func describeAll(as *zoo.Animals) string {
	var names []string
	for _, a := range as.Animal {
		names = append(names, describe(&a))
	}
	return strings.Join(names, ", ")
}

// tap is the clients' transport: it keeps the request and response
// envelopes of each exchange.
type tap struct{ exchanges [][2][]byte }

func (t *tap) RoundTrip(r *http.Request) (*http.Response, error) {
	sent, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(sent))
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(got))
	t.exchanges = append(t.exchanges, [2][]byte{sent, got})
	return resp, err
}

var failed bool

func check(ok bool, format string, args ...any) {
	if !ok {
		failed = true
		fmt.Printf("FAIL: "+format+"\n", args...)
	}
}

// serve starts a generated server; it returns the handler, the URL and
// the function that stops the server.
func serve(opts ...soap.ServerOption) (*handler, string, func()) {
	h := &handler{}
	srv := soap.NewServer(opts...)
	svc.RegisterZoo(srv, h)
	ts := httptest.NewServer(srv)
	return h, ts.URL, ts.Close
}

func main() {
	out := os.Args[1]
	ctx := context.Background()
	cats := &zoo.Animals{Animal: []zoo.Animal{
		{Name: str("Generic")},
		{Derived: &ext.Cat{Name: str("Tom"), Lives: i32(9)}},
	}}
	dogs := &zoo.Animals{Animal: []zoo.Animal{{Derived: &back.Dog{Name: str("Rex"), Collar: &svc.Tag{Colour: "red"}}}}}
	backTypes := xmlbind.Types(back.NewType)
	for _, lenient := range []bool{false, true} {
		mode := map[bool]string{false: "strict", true: "lenient"}[lenient]
		rec := &tap{}
		newClient := func(url string, opts ...soap.Option) *svc.ZooClient {
			opts = append(opts, soap.WithHTTPClient(&http.Client{Transport: rec}), soap.WithLenientDecoding(lenient), soap.WithPrefixes(zoo.Prefixes), soap.WithPrefixes(ext.Prefixes), soap.WithPrefixes(back.Prefixes))
			return svc.NewZooClient(soap.NewClient(url, opts...))
		}

		// 1. A Cat, from a package the service package imports: no option.
		h, url, stop := serve(soap.WithServerLenientDecoding(lenient))
		c := newClient(url)
		var warnings []string
		resp, err := c.Adopt(ctx, cats, soap.CollectWarnings(&warnings))
		check(err == nil, "%s: cat: %v", mode, err)
		if err == nil {
			check(describeAll(resp) == "animal Generic, cat Tom 9", "%s: cat: response %s", mode, describeAll(resp))
			check(len(h.seen) == 1 && h.seen[0] == "animal Generic, cat Tom 9", "%s: cat: handler saw %q", mode, h.seen)
			check(len(warnings) == 0, "%s: cat: warnings %q", mode, warnings)
			sent := string(rec.exchanges[0][0])
			check(strings.Contains(sent, `"http://www.w3.org/2001/XMLSchema-instance"`) && strings.Contains(sent, `:type="`) && strings.Contains(sent, `:Cat"`), "%s: cat: no xsi:type sent:\n%s", mode, rec.exchanges[0][0])
			write(out, mode+"-cat", rec.exchanges[0])
		}

		// 2. A fault detail holding a Cat.
		_, err = c.Adopt(ctx, &zoo.Animals{Animal: []zoo.Animal{{Derived: &ext.Cat{Name: str("Grumpy"), Lives: i32(3)}}}})
		var fe *soap.FaultError
		check(errors.As(err, &fe) && fe.Name == "refused" && fe.Detail != nil, "%s: fault: %v", mode, err)
		if fe != nil && fe.Detail != nil {
			check(describe(fe.Detail.(*zoo.Animal)) == "cat Grumpy 1", "%s: fault detail %s", mode, describe(fe.Detail.(*zoo.Animal)))
			write(out, mode+"-fault", rec.exchanges[len(rec.exchanges)-1])
		}

		// 3. A Dog, from a package that depends on the service package:
		// without back.NewType the server refuses it, naming the package.
		n := len(h.seen)
		_, err = c.Adopt(ctx, dogs)
		fe = nil
		check(errors.As(err, &fe) && fe.Code == soap.CodeSender && strings.Contains(fe.Reason, "casetmp/soapxsitype/t/back, which the decoder does not know"),
			"%s: dog without resolver: %v", mode, err)
		check(len(h.seen) == n, "%s: dog without resolver reached the handler", mode)
		stop()

		// 4. With soap.WithServerTypes and soap.WithTypes, as the doc of
		// RegisterZoo and ZooClient says.
		h, url, stop = serve(soap.WithServerLenientDecoding(lenient), soap.WithServerTypes(backTypes))
		mark := len(rec.exchanges)
		resp, err = newClient(url, soap.WithTypes(backTypes)).Adopt(ctx, dogs)
		check(err == nil, "%s: dog: %v", mode, err)
		if err == nil {
			check(describeAll(resp) == "dog Rex red", "%s: dog: response %s", mode, describeAll(resp))
			check(len(h.seen) == 1 && h.seen[0] == "dog Rex red", "%s: dog: handler saw %q", mode, h.seen)
			write(out, mode+"-dog", rec.exchanges[mark])
		}
		// The cat still works: the option adds to the operation's resolver.
		resp, err = newClient(url, soap.WithTypes(backTypes)).Adopt(ctx, cats)
		check(err == nil && describeAll(resp) == "animal Generic, cat Tom 9", "%s: cat with back's resolver: %v", mode, err)
		// A client without it cannot decode the response.
		_, err = newClient(url).Adopt(ctx, dogs)
		check(err != nil && strings.Contains(err.Error(), "casetmp/soapxsitype/t/back, which the decoder does not know"), "%s: dog response without resolver: %v", mode, err)
		stop()
	}

	// 5. Lenient only: an xsi:type naming no type derived from Animal is
	// kept, and comes back.
	h, url, stop := serve(soap.WithServerLenientDecoding(true))
	defer stop()
	odd := &zoo.Animals{Animal: []zoo.Animal{{Name: str("Nessie"), Unknown: &xmlbind.Unknown{XSIType: xmltext.Name{Space: "urn:dmpgen:ext", Local: "Monster"}}}}}
	var warnings []string
	resp, err := svc.NewZooClient(soap.NewClient(url, soap.WithLenientDecoding(true))).Adopt(ctx, odd, soap.CollectWarnings(&warnings))
	check(err == nil && describeAll(resp) == "animal Nessie (xsi:type {urn:dmpgen:ext}Monster kept)", "lenient: unknown xsi:type: %v", err)
	check(len(h.seen) == 1 && h.seen[0] == "animal Nessie (xsi:type {urn:dmpgen:ext}Monster kept)", "lenient: unknown xsi:type: handler saw %q", h.seen)
	check(len(warnings) == 1 && strings.Contains(warnings[0], "is not a type derived from Animal"), "lenient: unknown xsi:type: warnings %q", warnings)
	_, strictURL, stopStrict := serve()
	defer stopStrict()
	_, err = svc.NewZooClient(soap.NewClient(strictURL)).Adopt(ctx, odd)
	check(err != nil && strings.Contains(err.Error(), "is not a type derived from Animal"), "strict: unknown xsi:type: %v", err)

	if failed {
		os.Exit(1)
	}
	fmt.Println("ok")
}

// write stores the body element of each envelope of an exchange, or the
// detail entries of a fault, one file each.
func write(dir, label string, ex [2][]byte) {
	for k, env := range ex {
		d := xmltext.NewDecoder(env, xmltext.Options{File: label})
		tok, err := d.NextElementOrEnd()
		if err != nil {
			check(false, "%s: %v", label, err)
			return
		}
		root, err := d.ReadElement(tok)
		if err != nil {
			check(false, "%s: %v", label, err)
			return
		}
		var els []*xmltext.Element
		for _, part := range root.Elements() {
			if part.Name.Local != "Body" {
				continue
			}
			for _, el := range part.Elements() {
				if el.Name.Local != "Fault" {
					els = append(els, el)
					continue
				}
				for _, f := range el.Elements() {
					if f.Name.Local == "Detail" {
						els = append(els, f.Elements()...)
					}
				}
			}
		}
		check(len(els) > 0, "%s: no body element in %s", label, env)
		for n, el := range els {
			e := xmltext.NewEncoder(nil)
			e.WriteElement(el)
			if err := e.Finish(); err != nil {
				check(false, "%s: %v", label, err)
				return
			}
			name := filepath.Join(dir, fmt.Sprintf("%s-%d-%d-%s.xml", label, k, n, el.Name.Local))
			if err := os.WriteFile(name, e.Bytes(), 0o644); err != nil {
				check(false, "%v", err)
			}
		}
	}
}
