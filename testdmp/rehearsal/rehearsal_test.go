package rehearsal

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/vet"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestRehearsal runs the flow with the built-in dmp.Client: every step
// passes, each refusal reaches the evidence pack with its DMP code, the
// flow is complete, vet finds no error outside the malformed request, and
// the run passes.
func TestRehearsal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rec")
	res, err := Run(context.Background(), Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ev := res.Report.Evidence
	refused := map[int]vet.EvidenceEntry{}
	for _, e := range ev.Refusals {
		refused[e.Seq] = e
	}
	for _, s := range res.Steps {
		if s.Err != nil {
			t.Errorf("step %s (%s): %v", s.ID, s.What, s.Err)
		}
		// dmp.Client checks the value sets before sending.
		if local := s.ID == "td2.1-valueset"; s.LocalRefusal != local || local != (len(s.Exchanges) == 0) {
			t.Errorf("step %s: refused by the software itself %v, exchanges %v", s.ID, s.LocalRefusal, s.Exchanges)
		}
		for _, seq := range s.Exchanges {
			e, ok := refused[seq]
			switch {
			case s.Refusal == "" && ok:
				t.Errorf("step %s: exchange %d refused: %+v", s.ID, seq, e)
			case s.Refusal != "" && (!ok || !slices.Contains(e.Codes, s.Refusal)):
				t.Errorf("step %s: exchange %d is not a refusal with code %s in the evidence pack: %+v", s.ID, seq, s.Refusal, e)
			}
		}
	}
	if n := len(res.Steps); n != 23 {
		t.Errorf("%d steps, want 23", n)
	}
	if len(ev.Missing) != 0 {
		t.Errorf("missing for a complete run: %v", ev.Missing)
	}
	for _, f := range ev.Flow {
		if !f.Covered || !f.Succeeded {
			t.Errorf("flow step %+v not covered and succeeded", f)
		}
	}
	for _, f := range res.UnexpectedErrors() {
		t.Errorf("unexpected vet error: %s", f)
	}
	if !res.Passed() {
		t.Error("the rehearsal of the built-in client did not pass")
	}
	if _, err := os.Stat(filepath.Join(dir, CAFile)); err != nil {
		t.Error(err)
	}
	checkHTML(t, res)
	checkJSON(t, res)

	// A recording directory is not reused.
	if _, err := Run(context.Background(), Config{Dir: dir}); err == nil || !strings.Contains(err.Error(), "already holds a recording") {
		t.Errorf("second run into %s: %v", dir, err)
	}
}

// checkHTML parses the HTML evidence pack and checks its flow rows (both
// marks "yes"), its coverage rows and its refusal rows with their codes.
func checkHTML(t *testing.T, res *Result) {
	t.Helper()
	var buf bytes.Buffer
	if err := vet.Write(&buf, res.Report, "html"); err != nil {
		t.Fatal(err)
	}
	type row struct {
		class, td string
		cells     []string // class of each td: yes, no or ""
		codes     []string
	}
	var rows []row
	ids := map[string]bool{}
	d := xml.NewDecoder(&buf)
	d.Strict = true
	d.Entity = map[string]string{}
	var cur *row
	inCode := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the HTML evidence pack is not XHTML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			a := map[string]string{}
			for _, at := range tok.Attr {
				a[at.Name.Local] = at.Value
			}
			if a["id"] != "" {
				ids[a["id"]] = true
			}
			switch {
			case tok.Name.Local == "tr":
				rows = append(rows, row{class: a["class"], td: a["data-td"]})
				cur = &rows[len(rows)-1]
			case tok.Name.Local == "td" && cur != nil:
				cur.cells = append(cur.cells, a["class"])
			case tok.Name.Local == "code" && a["class"] == "code":
				inCode = true
			}
		case xml.CharData:
			if inCode && cur != nil {
				cur.codes = append(cur.codes, string(tok))
			}
		case xml.EndElement:
			inCode = false
			if tok.Name.Local == "tr" {
				cur = nil
			}
		}
	}
	for _, id := range []string{"summary", "evidence", "flow", "coverage", "refusals", "missing", "exchanges"} {
		if !ids[id] {
			t.Errorf("the HTML evidence pack has no section %q", id)
		}
	}
	byClass := map[string][]row{}
	for _, r := range rows {
		byClass[r.class] = append(byClass[r.class], r)
	}
	ev := res.Report.Evidence
	flow := byClass["flow"]
	if len(flow) != len(vet.CompatibilityFlow()) {
		t.Fatalf("%d flow rows, want %d", len(flow), len(vet.CompatibilityFlow()))
	}
	for i, r := range flow {
		if r.td != ev.Flow[i].TD || len(r.cells) != 4 || r.cells[2] != "yes" || r.cells[3] != "yes" {
			t.Errorf("flow row %d: %+v, want %s covered and succeeded", i, r, ev.Flow[i].TD)
		}
	}
	if len(byClass["covered"]) != len(ev.Covered) || len(byClass["recorded"]) != len(ev.Exchanges) {
		t.Errorf("%d coverage rows, %d exchange rows; want %d, %d", len(byClass["covered"]), len(byClass["recorded"]), len(ev.Covered), len(ev.Exchanges))
	}
	var want, got []string
	for _, s := range res.Steps {
		if s.Refusal != "" && !s.LocalRefusal {
			want = append(want, s.TD+" "+s.Refusal)
		}
	}
	for _, r := range byClass["refusal"] {
		for _, c := range r.codes {
			td := r.td
			if td == "" {
				td = "creation"
			}
			got = append(got, td+" "+c)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("no refusal row %q among %v", w, got)
		}
	}
	if len(byClass["missing"]) != 0 {
		t.Errorf("missing rows: %+v", byClass["missing"])
	}
}

// checkJSON validates the JSON report against vet/schema.json.
func checkJSON(t *testing.T, res *Result) {
	t.Helper()
	var buf bytes.Buffer
	if err := vet.Write(&buf, res.Report, "json"); err != nil {
		t.Fatal(err)
	}
	schema, err := os.ReadFile(filepath.Join("..", "..", "vet", "schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the JSON evidence pack does not match vet/schema.json: %v", err)
	}
}

// TestVendorSteps: a vendor's steps that lose the DMP's code, or accept
// what the DMP refuses, fail their step, saying so; steps left nil are an
// error of the setup.
func TestVendorSteps(t *testing.T) {
	res, err := Run(context.Background(), Config{Dir: t.TempDir(), Steps: func(env Env) (Steps, error) {
		st := ClientSteps(env.Client(), env.Submission)
		retrieve := st.Retrieve
		st.Retrieve = func(ctx context.Context, e *xds.DocumentEntry) ([]byte, error) {
			b, err := retrieve(ctx, e)
			if err != nil {
				return nil, errors.New("the document could not be retrieved")
			}
			return b, nil
		}
		create := st.CreateDMP
		st.CreateDMP = func(ctx context.Context, d dmp.DossierData, author dmp.Professional) error {
			create(ctx, d, author)
			return nil // ignores the DMP's answer
		}
		return st, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string]string{}
	for _, s := range res.Steps {
		if s.Err != nil {
			failed[s.ID] = s.Err.Error()
		}
	}
	for id, want := range map[string]string{
		"td3.2-unknown":   "does not carry the DMP's code XDSDocumentUniqueIdError",
		"creation-exists": "accepted: the DMP refuses it with DMPPatientAlreadyExists",
		"creation":        "",
	} {
		if got, ok := failed[id]; want == "" && ok || want != "" && !strings.Contains(got, want) {
			t.Errorf("step %s: %q, want %q", id, got, want)
		}
	}
	if res.Passed() {
		t.Error("the rehearsal passed")
	}

	res, err = Run(context.Background(), Config{Dir: t.TempDir(), Steps: func(env Env) (Steps, error) {
		st := ClientSteps(env.Client(), env.Submission)
		st.Mask, st.Unmask = nil, nil
		return st, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != 1 || res.Steps[0].Err == nil || !strings.Contains(res.Steps[0].Err.Error(), "no Mask, Unmask: give every step") {
		t.Errorf("steps without Mask: %+v", res.Steps)
	}
}

// TestValueSetMissSent: software that leaves the value-set check to the DMP
// sends the publication; the test DMP refuses it with
// XDSRegistryMetadataError, which the step needs, and vet's errors on that
// request are expected.
func TestValueSetMissSent(t *testing.T) {
	res, err := Run(context.Background(), Config{Dir: t.TempDir(), Steps: func(env Env) (Steps, error) {
		loc := dmp.DefaultLocale
		c := dmp.New(env.Endpoints, env.HTTPClient, env.VIHF, dmp.Options{Locale: &loc, NoValueSets: true, Sender: dmp.Device{Root: env.Submission.SourceID, Name: "LAX LPS"}})
		return ClientSteps(c, env.Submission), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Steps {
		if s.ID != "td2.1-valueset" {
			continue
		}
		if s.Err != nil || s.LocalRefusal || len(s.Exchanges) != 1 {
			t.Fatalf("step %+v", s)
		}
		for _, e := range res.Report.Evidence.Refusals {
			if e.Seq == s.Exchanges[0] && slices.Contains(e.Codes, "XDSRegistryMetadataError") {
				return
			}
		}
		t.Errorf("exchange %d is not a refusal XDSRegistryMetadataError: %+v", s.Exchanges[0], res.Report.Evidence.Refusals)
	}
	t.Error("no step td2.1-valueset")
}
