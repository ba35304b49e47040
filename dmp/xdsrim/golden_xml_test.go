package xdsrim_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/xds")

var nameSubmitObjects = xmltext.Name{Space: nsLCM, Local: "SubmitObjectsRequest"}

// marshalSubmit encodes metadata as a SubmitObjectsRequest document.
func marshalSubmit(t testing.TB, m *xds.Metadata) []byte {
	t.Helper()
	req := &lcm.SubmitObjectsRequest{RegistryObjectList: xdsrim.Encode(m)}
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	lcm.Prefixes(e)
	rim.Prefixes(e)
	if err := req.MarshalXMLText(e, nameSubmitObjects); err != nil {
		t.Fatal(err)
	}
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// unmarshalSubmit decodes a SubmitObjectsRequest document into metadata.
func unmarshalSubmit(t testing.TB, data []byte) *xds.Metadata {
	t.Helper()
	var req lcm.SubmitObjectsRequest
	if _, err := xmltext.Unmarshal(data, &req, xmltext.Options{File: "golden"}); err != nil {
		t.Fatal(err)
	}
	m, err := xdsrim.Decode(req.RegistryObjectList)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// typedOnly clears what Lift adds beside the typed fields (Extra, the
// classifications codes and authors were read from), for comparing a
// decoded model with one built in Go.
func typedOnly(m *xds.Metadata) {
	clear := func(b *xds.Base, codes []*xds.Code, authors []xds.Author) {
		b.Extra = xds.Extra{}
		for _, c := range codes {
			c.Class = nil
		}
		for i := range authors {
			authors[i].Class = nil
		}
	}
	for _, it := range m.Items {
		switch x := it.(type) {
		case *xds.DocumentEntry:
			codes := []*xds.Code{&x.ClassCode, &x.TypeCode, &x.FormatCode, &x.HealthcareFacilityTypeCode, &x.PracticeSettingCode}
			for i := range x.ConfidentialityCodes {
				codes = append(codes, &x.ConfidentialityCodes[i])
			}
			for i := range x.EventCodes {
				codes = append(codes, &x.EventCodes[i])
			}
			clear(&x.Base, codes, x.Authors)
		case *xds.SubmissionSet:
			clear(&x.Base, []*xds.Code{&x.ContentTypeCode}, x.Authors)
		case *xds.Folder:
			codes := []*xds.Code{}
			for i := range x.Codes {
				codes = append(codes, &x.Codes[i])
			}
			clear(&x.Base, codes, nil)
		case *xds.Association:
			clear(&x.Base, []*xds.Code{&x.Documentation}, nil)
		}
	}
}

// TestGoldenXML encodes the golden submission (built in Go) and checks it
// against the committed golden file, against the DMP annex schema with
// xmllint, and back through the model.
func TestGoldenXML(t *testing.T) {
	for _, g := range []struct {
		file  string
		build func() *xds.Metadata
	}{
		{"golden_iti41.xml", golden},
		{"golden_iti41_folder.xml", goldenFolder},
		{"golden_iti57_status.xml", goldenUpdate},
		{"golden_iti57_metadata.xml", goldenMetadataUpdate},
	} {
		t.Run(g.file, func(t *testing.T) {
			data := marshalSubmit(t, g.build())
			path := filepath.Join(testenv.RepoRoot(), "testdata", "xds", g.file)
			if *update {
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./dmp/xdsrim -run GoldenXML -update)", err)
			}
			if !bytes.Equal(data, want) {
				d, _ := xmlcmp.Diff(want, data)
				t.Fatalf("encoding differs from %s (run with -update if intended): %s", path, d)
			}
			xmllint := testenv.Tool(t, "xmllint")
			schema := testenv.KitFile(t, "dmp/annexe-wsdl-schema/schema/ebRS/lcm.xsd")
			out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, path).CombinedOutput()
			if err != nil {
				t.Fatalf("xmllint: %v\n%s", err, out)
			}
			m := unmarshalSubmit(t, data)
			if again := marshalSubmit(t, m); !bytes.Equal(again, data) {
				d, _ := xmlcmp.Diff(data, again)
				t.Fatalf("decode + encode differs: %s", d)
			}
			typedOnly(m)
			if built := g.build(); !reflect.DeepEqual(m, built) {
				t.Fatalf("decoded typed model differs from the one built in Go")
			}
		})
	}
}
