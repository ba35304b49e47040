package hl7v2

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

var (
	slotRE  = regexp.MustCompile(`(?s)<(?:\w+:)?Slot\s+name="([^"]+)"[^>]*>\s*<(?:\w+:)?ValueList>(.*?)</(?:\w+:)?ValueList>`)
	valueRE = regexp.MustCompile(`(?s)<(?:\w+:)?Value>(.*?)</(?:\w+:)?Value>`)
	// XDSDocumentEntry.patientId and XDSSubmissionSet.patientId external identifiers.
	patientIDRE = regexp.MustCompile(`(?s)<(?:\w+:)?ExternalIdentifier\b[^>]*identificationScheme="urn:uuid:(?:58a6f841-87b3-4a3e-92fd-a8ffeff98427|6b5aea1a-874d-4603-a4bc-96a0a7b38446)"[^>]*\bvalue="([^"]*)"`)
	xmlText     = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'")
)

// TestKitExamples parses every HL7 v2 slot value of the official DMP example
// messages, checks the lossless round trip and validates it under the DMP
// profile.
func TestKitExamples(t *testing.T) {
	dir := testenv.KitFile(t, "dmp/examples/messages-v02.05.00")
	files, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example messages in %s: %v", dir, err)
	}
	type check struct {
		parse    func(string) (interface{ Format() string }, error)
		validate func(any) error
	}
	wrap := func(p func(string) (interface{ Format() string }, error), v func(any) error) check {
		return check{p, v}
	}
	cxCheck := wrap(func(s string) (interface{ Format() string }, error) { return ParseCX(s) },
		func(v any) error { return ValidateCX(v.(CX), DMP) })
	xcnCheck := wrap(func(s string) (interface{ Format() string }, error) { return ParseXCN(s) },
		func(v any) error { return ValidateXCN(v.(XCN), DMP) })
	dtmCheck := wrap(func(s string) (interface{ Format() string }, error) { return ParseDTM(s) }, nil)
	checks := map[string]check{
		"sourcePatientId":            cxCheck,
		"$XDSDocumentEntryPatientId": cxCheck,
		"patientId":                  cxCheck,
		"authorPerson":               xcnCheck,
		"legalAuthenticator":         xcnCheck,
		"authorInstitution": wrap(func(s string) (interface{ Format() string }, error) { return ParseXON(s) },
			func(v any) error { return ValidateXON(v.(XON), DMP) }),
		"authorSpecialty": wrap(func(s string) (interface{ Format() string }, error) { return ParseCWE(s) },
			func(v any) error { return ValidateCWE(v.(CWE), DMP) }),
		"creationTime": dtmCheck, "serviceStartTime": dtmCheck, "serviceStopTime": dtmCheck, "submissionTime": dtmCheck,
	}
	counts := map[string]int{}
	test := func(file, slot, value string) {
		c, ok := checks[slot]
		if !ok {
			return
		}
		value = xmlText.Replace(value)
		if strings.HasPrefix(slot, "$") { // stored-query parameter: a quoted string
			value = strings.Trim(strings.TrimSpace(value), "'")
		}
		v, err := c.parse(value)
		if err != nil {
			t.Errorf("%s: %s %q: %v", filepath.Base(file), slot, value, err)
			return
		}
		if got := v.Format(); got != value {
			t.Errorf("%s: %s: Format(Parse(%q)) = %q", filepath.Base(file), slot, value, got)
		}
		if c.validate != nil {
			if err := c.validate(v); err != nil {
				t.Errorf("%s: %s %q: %v", filepath.Base(file), slot, value, err)
			}
		}
		counts[slot]++
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range slotRE.FindAllSubmatch(data, -1) {
			for _, v := range valueRE.FindAllSubmatch(m[2], -1) {
				test(f, string(m[1]), string(v[1]))
			}
		}
		for _, m := range patientIDRE.FindAllSubmatch(data, -1) {
			test(f, "patientId", string(m[1]))
		}
	}
	// The kit's XDS examples hold at least these many values; a lower count means
	// the extraction broke, not that everything passed.
	for slot, min := range map[string]int{"authorPerson": 25, "authorInstitution": 25, "legalAuthenticator": 20,
		"sourcePatientId": 20, "authorSpecialty": 25, "creationTime": 20, "patientId": 20, "$XDSDocumentEntryPatientId": 1} {
		if counts[slot] < min {
			t.Errorf("only %d %s values found, want at least %d", counts[slot], slot, min)
		}
	}
	t.Logf("checked %v", counts)
}
