package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/testdmp/devserver"
	"github.com/dmpgen/dmpgen/vet"
)

// TestFlow runs the example: publish, find, retrieve and archive against the
// test DMP over HTTPS with client certificates and a signed VIHF.
func TestFlow(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"TD2.1  published 1.2.250.1.213.1.1.9.1.42", "TD3.1  found 1 document(s); urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e \"Note de consultation\", status urn:oasis:names:tc:ebxml-regrep:StatusType:Approved",
		"TD3.2  retrieved", "(text/xml), identical", "TD3.3d archived urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e; TD3.1 finds 1 archived document(s)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestFlowRecordedAndVetted runs the example's flow against the test DMP of
// testdmp/devserver recording every exchange, and checks the recording
// with vet: not a single finding, of any severity, and no refusal.
func TestFlowRecordedAndVetted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rec")
	s, err := devserver.Start(context.Background(), devserver.Config{Addr: "127.0.0.1:0", Dir: t.TempDir(), Record: dir})
	if err != nil {
		t.Fatal(err)
	}
	claims := func(context.Context, string) (vihf.Claims, error) { return devserver.Claims(patient()), nil }
	loc := dmp.DefaultLocale
	c := dmp.New(s.Endpoints(), s.HTTPClient(), s.Provider(claims), dmp.Options{Locale: &loc, Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "DMPGEN EXAMPLE"}})
	var out bytes.Buffer
	err = flow(context.Background(), c, &out)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	r, err := vet.Recording(dir, vet.Options{Trust: s.PKI.Pool})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range r.Exchanges {
		for _, f := range x.Findings {
			t.Errorf("%s", f)
		}
	}
	ev := r.Evidence
	var tds []string
	for _, e := range ev.Exchanges {
		tds = append(tds, e.TD)
	}
	if got := strings.Join(tds, " "); got != "TD2.1 TD3.1 TD3.2 TD3.3d TD3.1" || len(ev.Refusals) != 0 {
		t.Errorf("exchanges %s, %d refusals; want TD2.1 TD3.1 TD3.2 TD3.3d TD3.1 and none", got, len(ev.Refusals))
	}
}
