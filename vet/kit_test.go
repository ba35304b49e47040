package vet

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

const kitMessages = "dmp/examples/messages-v02.05.00"

// kitDefect maps findings on the kit's example messages to the section of
// docs/kit-defects.md that documents them.
type kitDefect struct {
	files  string // filepath.Match pattern on the file name
	rule   string
	msg    string // substring of the message, "" for any
	anchor string // section of docs/kit-defects.md
}

var kitDefects = []kitDefect{
	{"TD*_requete.xml", "xsd.strict", "unexpected attribute mustUnderstand", "unqualified-mustunderstand-in-every-request"},
	{"TD*_requete.xml", "vihf.attr-missing", "subject:subject-id is mandatory in mode DIRECTE", "unsigned-vihf-without-subject-id-in-every-request"},
	{"TD*_requete.xml", "vihf.unsigned", "", "unsigned-vihf-without-subject-id-in-every-request"},
	{"TD2.1_Alimentation_requete.xml", "mtom.soap-type-mismatch", "", "mtom-package"},
	{"TD2.1_Alimentation_requete.xml", "soap.version", "", "mtom-package"},
	{"TD2.1_Alimentation_requete.xml", "soap.action-mismatch", `"DocumentRepository_ProvideAndRegisterDocumentSet-b"`, "mtom-package"},
	{"TD2.1_Alimentation_requete.xml", "xds.MISSING_DOCUMENT_FOR_DOC_ENTRY", "DocumentME2", "document-ids"},
	{"TD2.1_Alimentation_requete.xml", "xds.MISSING_DOC_ENTRY_FOR_DOCUMENT", "documentME2", "document-ids"},
	{"TD2.1_Alimentation_requete.xml", "xds.CODE_NOT_IN_VALUE_SET", `"27899-4"`, "outdated-typecode"},
	{"TD2.1_Alimentation_requete.xml", "xsd.lexical", "is not a valid xs:ID", "td21-signature-document"},
	{"TD2.1_Alimentation_requete.xml", "xades.manifest-unknown", "9956570", "td21-signature-document"},
	{"TD0.5_*_reponse.xml", "xsd.strict", "", "td05-response"},
	{"TD1.3a_Consultation_requete.xml", "xsd.strict", "", "td13a-request"},
	{"TD1.3b_Modification_requete.xml", "xsd.pattern", `"^{date}"`, "td13b-request"},
	{"TD1.3b_Modification_requete.xml", "xsd.minOccurs", "contactParty", "td13b-request"},
	{"TD1.3b_Modification_reponse.xml", "xsd.minOccurs", "id", "td13b-and-td14-responses"},
	{"TD1.4_Fermer_reponse.xml", "xsd.minOccurs", "id", "td13b-and-td14-responses"},
	{"TD1.5d_*_reponse.xml", "wsa.action-mismatch", ":Fault:SoapFault", "td15d-response"},
	{"TD3.1_*_reponse.xml", "xds.CODE_NOT_IN_VALUE_SET", "", "td31-response"},
	{"TD3.2_*_reponse.xml", "mtom.xop-unresolved", "", "not-defects-but-surprising"},
	{"TD3.3[cd]_*_requete.xml", "xsd.strict", "", "td33c-and-td33d-requests"},
	{"TD3.3[cd]_*_requete.xml", "xds.NO_CLASSIFIED_OBJ", "", "td33c-and-td33d-requests"},
	{"TD3.3[cd]_*_requete.xml", "xds.WRONG_REGISTRY_OBJECT", "", "td33c-and-td33d-requests"},
}

// slug is the GitHub anchor of a Markdown heading.
func slug(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	var b strings.Builder
	for _, r := range h {
		switch {
		case r == ' ' || r == '-':
			b.WriteRune('-')
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// golden formats an exchange for the golden file: the transaction, then
// each finding's position, severity and rule.
func golden(e *Exchange) string {
	var b strings.Builder
	b.WriteString(e.File + ": " + orUnknown(e.TD) + " " + string(e.Direction) + "\n")
	for _, f := range e.Findings {
		b.WriteString("  " + f.Position() + ": " + string(f.Severity) + " " + f.Rule + "\n")
	}
	return b.String()
}

// TestKitExamples runs vet over the official example messages: every error
// and warning is a documented defect (docs/kit-defects.md), the findings
// are those of testdata/vet/kit-findings.txt, and each transaction is the
// one the file is named after.
func TestKitExamples(t *testing.T) {
	dir := filepath.Join(testenv.Kit(t), filepath.FromSlash(kitMessages))
	files, err := filepath.Glob(filepath.Join(dir, "TD*_re*.xml"))
	if err != nil || len(files) != 32 {
		t.Fatalf("%s: %d request and response files (%v), want 32", dir, len(files), err)
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "kit-defects.md"))
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#+ (.*)$`).FindAllStringSubmatch(string(doc), -1) {
		anchors[slug(m[1])] = true
	}
	for _, d := range kitDefects {
		if !anchors[d.anchor] {
			t.Errorf("docs/kit-defects.md has no section #%s", d.anchor)
		}
	}
	var all strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		e := Check(name, data, Options{})
		all.WriteString(golden(e))
		td := name[:strings.Index(name, "_")]
		if !strings.Contains("|"+e.TD+"|", "|"+td+"|") || (e.Direction == Request) != strings.Contains(name, "_requete") {
			t.Errorf("%s: detected %s %s", name, e.TD, e.Direction)
		}
		for _, fd := range e.Findings {
			if fd.Severity == Info {
				continue
			}
			if !documented(name, fd) {
				t.Errorf("%s: a finding no documented defect explains (a vet bug, or a defect to add to docs/kit-defects.md): %s", name, fd)
			}
		}
	}
	goldenFile := filepath.Join("..", "testdata", "vet", "kit-findings.txt")
	if *update {
		if err := os.WriteFile(goldenFile, []byte(all.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := all.String(); got != string(want) {
		t.Errorf("findings differ from %s (go test ./vet -run TestKitExamples -update rewrites it):\n%s", goldenFile, lineDiff(string(want), got))
	}
}

func documented(file string, f Finding) bool {
	for _, d := range kitDefects {
		if ok, _ := filepath.Match(d.files, file); ok && d.rule == f.Rule && strings.Contains(f.Message, d.msg) {
			return true
		}
	}
	return false
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(got, "\n") {
		count[l]--
	}
	var b strings.Builder
	for l, n := range count {
		for ; n > 0; n-- {
			b.WriteString("- " + l + "\n")
		}
		for ; n < 0; n++ {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
