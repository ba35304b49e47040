package vihf_test

import (
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

var fixedNow = time.Date(2026, 11, 24, 10, 30, 15, 123456789, time.FixedZone("CET", 3600))

// sampleClaims mirrors the official INDIRECTE sample (structure signs).
func sampleClaims(m vihf.Mode, v vihf.Version) vihf.Claims {
	return vihf.Claims{
		Mode: m, Version: v,
		Issuer:          "CN=899900063480,OU=499900063480001,O=CABINET DR LIBRE,C=FR",
		SubjectID:       "899900063480",
		StructureID:     "499900063480001",
		SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
		Roles: []vihf.Code{
			{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", DisplayName: "Médecin"},
			{Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5", DisplayName: "Qualifié en Médecine Générale (SM)"},
		},
		SubjectName:     "MAX LIBRE",
		Patient:         hl7v2.CX{ID: "207058575627097", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"},
		LPSID:           "01.01.01.01",
		LPSName:         "DMPGEN",
		LPSVersion:      "1",
		LPSHomologation: "NumAutorisation",
	}
}

func builder() *vihf.Builder {
	return &vihf.Builder{Now: func() time.Time { return fixedNow }}
}

// TestStructureMatchesSample: the 3.0 INDIRECTE assertion has the attribute
// names, in the order, of the official unsigned-equivalent sample.
func TestStructureMatchesSample(t *testing.T) {
	raw, err := os.ReadFile(testenv.KitFile(t, "dmp/examples/messages-v02.05.00/vihf/VIHF_INDIRECTE_signe.xml"))
	if err != nil {
		t.Fatal(err)
	}
	sample, err := xmldsig.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range sample.FindElements("//saml2:Attribute") {
		want = append(want, a.SelectAttrValue("Name", ""))
	}
	a, err := builder().Build(sampleClaims(vihf.Indirecte, vihf.V3))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range a.Element.FindElements("//saml2:Attribute") {
		got = append(got, e.SelectAttrValue("Name", ""))
	}
	if !slices.Equal(got, want) {
		t.Errorf("attribute names\n got %v\nwant %v", got, want)
	}
	// Same element skeleton as the sample, minus the Signature.
	for _, path := range []string{"./saml2:Issuer", "./saml2:Subject/saml2:NameID", "./saml2:AuthnStatement/saml2:AuthnContext/saml2:AuthnContextClassRef"} {
		if a.Element.FindElement(path) == nil || sample.Root().FindElement(path) == nil {
			t.Errorf("%s missing", path)
		}
		if g, w := a.Element.FindElement(path).Text(), sample.Root().FindElement(path).Text(); path != "./saml2:Issuer" && g != w {
			t.Errorf("%s = %q, sample %q", path, g, w)
		}
	}
	if g := a.Element.SelectAttrValue("IssueInstant", ""); g != "2026-11-24T09:30:15.123Z" {
		t.Errorf("IssueInstant %q (injected clock, UTC)", g)
	}
	if !strings.HasPrefix(a.ID, "_") || len(a.ID) != 37 {
		t.Errorf("ID %q", a.ID)
	}
	b, _ := builder().Build(sampleClaims(vihf.Indirecte, vihf.V3))
	if b.ID == a.ID {
		t.Error("two assertions share an ID")
	}
}

func TestVersionNames(t *testing.T) {
	for _, c := range []struct {
		v    vihf.Version
		want string
		not  string
	}{{vihf.V3, "Authentification_mode", "Authentification_Mode"}, {vihf.V4, "Authentification_Mode", "Authentification_mode"}} {
		claims := sampleClaims(vihf.Directe, c.v)
		claims.Confidentiality = vihf.Code{Code: "INVISIBLE_REPRESENTANTS_LEGAUX", CodeSystem: "1.2.250.1.213.1.1.4.13"}
		a, err := builder().Build(claims)
		if err != nil {
			t.Fatal(err)
		}
		b := string(xmldsig.Serialize(a.Element))
		if !strings.Contains(b, `Name="`+c.want+`"`) || strings.Contains(b, `Name="`+c.not+`"`) {
			t.Errorf("%s: mode attribute name", c.v)
		}
		wantConf := map[vihf.Version]string{vihf.V3: "Confidentiality_code", vihf.V4: "urn:oasis:names:tc:xspa:1.0:resource:patient:hl7:confidentiality-code"}[c.v]
		if !strings.Contains(b, `Name="`+wantConf+`"`) {
			t.Errorf("%s: confidentiality attribute name", c.v)
		}
		if !strings.Contains(b, `<VIHF_Version`) && !strings.Contains(b, `>`+string(c.v)+`<`) {
			t.Errorf("%s: version value", c.v)
		}
	}
	// A 3.0-only attribute in 4.0 is refused, not dropped.
	claims := sampleClaims(vihf.Directe, vihf.V4)
	claims.ModeAcces = "normal"
	if _, err := builder().Build(claims); err == nil || !strings.Contains(err.Error(), "Mode_Acces is not defined in VIHF 4.0") {
		t.Errorf("Mode_Acces in 4.0: %v", err)
	}
}

func TestMandatoryAttributes(t *testing.T) {
	cases := []struct {
		name string
		mode vihf.Mode
		edit func(*vihf.Claims)
		want string
	}{
		{"no issuer", vihf.Directe, func(c *vihf.Claims) { c.Issuer = "" }, "saml2:Issuer"},
		{"no subject", vihf.Directe, func(c *vihf.Claims) { c.SubjectID = "" }, "saml2:NameID"},
		{"no role", vihf.Directe, func(c *vihf.Claims) { c.Roles = nil }, "subject:role is mandatory"},
		{"médecin without savoir-faire", vihf.Directe, func(c *vihf.Claims) { c.Roles = c.Roles[:1] }, "needs a second role"},
		{"no secteur", vihf.Directe, func(c *vihf.Claims) { c.SecteurActivite = vihf.CodeRef{} }, "Secteur_Activite is mandatory"},
		{"bad secteur OID", vihf.Directe, func(c *vihf.Claims) { c.SecteurActivite.OID = "SA" }, "not an OID"},
		{"no subject-id", vihf.Directe, func(c *vihf.Claims) { c.SubjectName = "" }, "subject-id is mandatory"},
		{"no patient", vihf.Directe, func(c *vihf.Claims) { c.Patient = hl7v2.CX{} }, "resource-id is mandatory"},
		{"patient without authority", vihf.Directe, func(c *vihf.Claims) { c.Patient.AssigningAuthority = hl7v2.HD{} }, "resource-id:"},
		{"no LPS name", vihf.Directe, func(c *vihf.Claims) { c.LPSName = "" }, "LPS_Nom is mandatory"},
		{"no homologation", vihf.Directe, func(c *vihf.Claims) { c.LPSHomologation = "" }, "LPS_ID_HOMOLOGATION_DMP is mandatory"},
		{"no structure in INDIRECTE", vihf.Indirecte, func(c *vihf.Claims) { c.StructureID = "" }, "Identifiant_Structure is mandatory"},
		{"bad mode", "AUTRE", func(c *vihf.Claims) {}, "unknown mode"},
		{"no version", vihf.Directe, func(c *vihf.Claims) { c.Version = "" }, "unknown VIHF_Version"},
		{"unknown access mode", vihf.Directe, func(c *vihf.Claims) { c.PurposeOfUse = vihf.PurposeNormal(); c.PurposeOfUse.Code = "urgence" }, "not normal, bris_de_glace or centre_15"},
		{"access mode from another table", vihf.Directe, func(c *vihf.Claims) {
			c.PurposeOfUse = vihf.PurposeNormal()
			c.PurposeOfUse.CodeSystem = "2.16.840.1.113883.5.8"
		}, "TRE_R248"},
		{"resource other than the DMP", vihf.Directe, func(c *vihf.Claims) { c.ResourceURN = "urn:mss" }, "not the DMP resource"},
		{"inverted conditions", vihf.Directe, func(c *vihf.Claims) {
			c.Conditions = &vihf.Conditions{NotBefore: fixedNow, NotOnOrAfter: fixedNow.Add(-time.Minute)}
		}, "is not before"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			claims := sampleClaims(c.mode, vihf.V3)
			c.edit(&claims)
			_, err := builder().Build(claims)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
	// Structure id is optional in DIRECTE.
	claims := sampleClaims(vihf.Directe, vihf.V3)
	claims.StructureID = ""
	if _, err := builder().Build(claims); err != nil {
		t.Errorf("DIRECTE without Identifiant_Structure: %v", err)
	}
}

// xmllintVIHF validates doc against the SAML assertion schema plus the HL7
// datatypes (testdata/security/vihf-assertion-wrapper.xsd), offline.
func xmllintVIHF(t *testing.T, doc []byte) {
	t.Helper()
	bin := testenv.Tool(t, "xmllint")
	kit := testenv.Kit(t)
	dir := t.TempDir()
	wrapper, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "testdata", "security", "vihf-assertion-wrapper.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	xsd := filepath.Join(dir, "wrapper.xsd")
	wrapper = []byte(strings.ReplaceAll(string(wrapper), "https://kit.dmpgen.invalid/", filepath.ToSlash(kit)+"/"))
	if err := os.WriteFile(xsd, wrapper, 0o600); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "vihf.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--noout", "--nonet", "--schema", xsd, f)
	cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+filepath.Join(kit, "catalog.xml"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out, doc)
	}
}

// TestSchemaValid: every mode and version, unsigned and signed, validates
// against the SAML 2.0 assertion schema with the HL7 datatypes.
func TestSchemaValid(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	for _, m := range []vihf.Mode{vihf.Directe, vihf.Indirecte, vihf.IndirecteRenforcee} {
		for _, v := range []vihf.Version{vihf.V3, vihf.V4} {
			t.Run(string(m)+"-"+string(v), func(t *testing.T) {
				claims := sampleClaims(m, v)
				claims.Conditions = &vihf.Conditions{NotBefore: fixedNow, NotOnOrAfter: fixedNow.Add(time.Hour)}
				claims.Confidentiality = vihf.Code{Code: "INVISIBLE_REPRESENTANTS_LEGAUX", CodeSystem: "1.2.250.1.213.1.1.4.13", DisplayName: "Non visible par les représentants légaux du patient"}
				if m == vihf.IndirecteRenforcee {
					claims.AuthnContextDecl = vihf.AuthnSmartcardPKI
				}
				if v == vihf.V3 {
					claims.ModeAcces, claims.LPSType = "normal", "DMPGEN 1"
					claims.Profession = vihf.CodeRef{Code: "10", OID: "1.2.250.1.71.1.2.7"}
				}
				a, err := builder().Build(claims)
				if err != nil {
					t.Fatal(err)
				}
				xmllintVIHF(t, xmldsig.Serialize(a.Element))
				s := &xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}
				if err := s.SignEnveloped(a.Element, a.ID, a.Issuer); err != nil {
					t.Fatal(err)
				}
				signed := xmldsig.Serialize(a.Element)
				xmllintVIHF(t, signed)
				if _, err := (&xmldsig.Verifier{Roots: pki.Pool}).VerifyAssertion(signed); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// TestReadVerified: claims read back from the verifier's element equal the
// claims built, for every mode and version, and time checks apply.
func TestReadVerified(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	for _, m := range []vihf.Mode{vihf.Directe, vihf.Indirecte, vihf.IndirecteRenforcee} {
		for _, v := range []vihf.Version{vihf.V3, vihf.V4} {
			claims := sampleClaims(m, v)
			claims.Conditions = &vihf.Conditions{NotBefore: fixedNow.Truncate(time.Millisecond).UTC(), NotOnOrAfter: fixedNow.Add(time.Hour).Truncate(time.Millisecond).UTC()}
			claims.Confidentiality = vihf.Code{Code: "INVISIBLE_REPRESENTANTS_LEGAUX", CodeSystem: "1.2.250.1.213.1.1.4.13"}
			claims.AuthnContextDecl = "decl"
			if v == vihf.V3 {
				claims.ModeAcces, claims.LPSType, claims.Profession = "normal", "T", vihf.CodeRef{Code: "10", OID: "1.2.250.1.71.1.2.7"}
			}
			a, err := builder().Build(claims)
			if err != nil {
				t.Fatal(err)
			}
			s := &xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}
			if err := s.SignEnveloped(a.Element, a.ID, a.Issuer); err != nil {
				t.Fatal(err)
			}
			got, err := (&xmldsig.Verifier{Roots: pki.Pool}).VerifyAssertion(xmldsig.Serialize(a.Element))
			if err != nil {
				t.Fatal(err)
			}
			tok, err := vihf.Read(got.Element)
			if err != nil {
				t.Fatal(err)
			}
			want := claims
			want.ResourceURN, want.PurposeOfUse, want.AuthnContext = vihf.ResourceURNDMP, vihf.PurposeNormal(), vihf.AuthnSmartcardPKI
			if !reflect.DeepEqual(tok.Claims, want) {
				t.Errorf("%s %s: read back\n%+v\nwant\n%+v", m, v, tok.Claims, want)
			}
			if tok.ID != a.ID || !tok.IssueInstant.Equal(fixedNow.Truncate(time.Millisecond)) {
				t.Errorf("ID %s IssueInstant %s", tok.ID, tok.IssueInstant)
			}
			if err := tok.CheckTime(fixedNow.Add(30*time.Minute), time.Minute); err != nil {
				t.Error(err)
			}
			if err := tok.CheckTime(fixedNow.Add(2*time.Hour), time.Minute); err == nil {
				t.Error("expired token accepted")
			}
			if err := tok.CheckTime(fixedNow.Add(-time.Hour), time.Minute); err == nil {
				t.Error("token from the future accepted")
			}
		}
	}
}

// TestReadRefusesOtherProfiles: Read takes the shape of a VIHF only. Each
// case starts from a built VIHF and changes one thing that an assertion of
// another SAML profile would have.
func TestReadRefusesOtherProfiles(t *testing.T) {
	a, err := builder().Build(sampleClaims(vihf.Indirecte, vihf.V4))
	if err != nil {
		t.Fatal(err)
	}
	base := string(xmldsig.Serialize(a.Element))
	const subject = `<saml2:Subject><saml2:NameID>899900063480</saml2:NameID></saml2:Subject>`
	replace := func(old, new string) func() string {
		return func() string {
			if !strings.Contains(base, old) {
				t.Fatalf("base lacks %s", old)
			}
			return strings.Replace(base, old, new, 1)
		}
	}
	cases := []struct {
		name, want string
		doc        func() string
	}{
		{"SAML 1.1 version", `Version "1.1"`, replace(`Version="2.0"`, `Version="1.1"`)},
		{"no ID", "no ID", replace(`ID="`+a.ID+`"`, ``)},
		{"entity Issuer", "Issuer Format", replace(`Format="`+vihf.IssuerFormat+`"`, `Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity"`)},
		{"bearer SubjectConfirmation", "exactly one NameID", replace(subject,
			`<saml2:Subject><saml2:NameID>899900063480</saml2:NameID><saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"/></saml2:Subject>`)},
		{"Advice", "not part of a VIHF", replace(subject, subject+`<saml2:Advice/>`)},
		{"AuthzDecisionStatement", "not part of a VIHF", replace(`</saml2:Assertion>`,
			`<saml2:AuthzDecisionStatement Decision="Permit" Resource="urn:dmp"><saml2:Action>read</saml2:Action></saml2:AuthzDecisionStatement></saml2:Assertion>`)},
		{"Subject before Issuer", "out of order", func() string {
			s := strings.Replace(base, subject, "", 1)
			return strings.Replace(s, "<saml2:Issuer", subject+"<saml2:Issuer", 1)
		}},
		{"two Subjects", "more than one Subject", replace(subject, subject+subject)},
		{"no AuthnStatement", "no AuthnStatement", func() string {
			i, j := strings.Index(base, "<saml2:AuthnStatement"), strings.Index(base, "</saml2:AuthnStatement>")
			return base[:i] + base[j+len("</saml2:AuthnStatement>"):]
		}},
		{"foreign attribute", `unknown attribute "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"`, replace(`<saml2:Attribute Name="LPS_Nom">`,
			`<saml2:Attribute Name="urn:oid:1.3.6.1.4.1.5923.1.1.1.6"><saml2:AttributeValue>x</saml2:AttributeValue></saml2:Attribute><saml2:Attribute Name="LPS_Nom">`)},
		{"value that is not HL7", "one HL7 v3 element or text", replace(`<Role xmlns="urn:hl7-org:v3"`, `<Role xmlns="urn:example"`)},
		{"unknown AuthnContext child", "in the AuthnContext", replace(`</saml2:AuthnContextClassRef>`,
			`</saml2:AuthnContextClassRef><saml2:AuthenticatingAuthority>idp</saml2:AuthenticatingAuthority>`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := xmldsig.Parse([]byte(c.doc()))
			if err != nil {
				t.Fatal(err)
			}
			tok, err := vihf.Read(doc.Root())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v (claims %+v), want an error containing %q", err, tok, c.want)
			}
		})
	}
	// A one-attribute assertion of another profile reads (every attribute
	// name is a VIHF one) but is not a VIHF: Check refuses it.
	other := `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_x" IssueInstant="2026-11-24T10:00:00Z" Version="2.0">` +
		`<saml2:Issuer Format="` + vihf.IssuerFormat + `">CN=x</saml2:Issuer>` + subject +
		`<saml2:AuthnStatement AuthnInstant="2026-11-24T10:00:00Z"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:X509</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
		`<saml2:AttributeStatement><saml2:Attribute Name="LPS_Nom"><saml2:AttributeValue>X</saml2:AttributeValue></saml2:Attribute></saml2:AttributeStatement></saml2:Assertion>`
	doc, err := xmldsig.Parse([]byte(other))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := vihf.Read(doc.Root())
	if err != nil {
		t.Fatal(err)
	}
	if err := vihf.Check(tok.Claims); err == nil || !strings.Contains(err.Error(), "unknown mode") || !strings.Contains(err.Error(), "unknown VIHF_Version") {
		t.Errorf("Check of a one-attribute assertion: %v", err)
	}
}

// TestReadConditions: the conditions a relying party must evaluate are
// reported, not dropped.
func TestReadConditions(t *testing.T) {
	claims := sampleClaims(vihf.Directe, vihf.V3)
	claims.Conditions = &vihf.Conditions{NotBefore: fixedNow, NotOnOrAfter: fixedNow.Add(time.Hour)}
	a, err := builder().Build(claims)
	if err != nil {
		t.Fatal(err)
	}
	cond := a.Element.SelectElement("saml2:Conditions")
	ar := cond.CreateElement("saml2:AudienceRestriction")
	ar.CreateElement("saml2:Audience").SetText("urn:other-rp")
	ar.CreateElement("saml2:Audience").SetText("urn:dmp")
	cond.CreateElement("saml2:OneTimeUse")
	cond.CreateElement("saml2:ProxyRestriction")
	doc, err := xmldsig.Parse(xmldsig.Serialize(a.Element))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := vihf.Read(doc.Root())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tok.Audiences, [][]string{{"urn:other-rp", "urn:dmp"}}) || !tok.OneTimeUse ||
		!reflect.DeepEqual(tok.OtherConditions, []string{"{" + vihf.NamespaceSAML2 + "}ProxyRestriction"}) {
		t.Errorf("audiences %v, one-time use %v, other conditions %v", tok.Audiences, tok.OneTimeUse, tok.OtherConditions)
	}
	if !tok.AuthnInstant.Equal(fixedNow.Truncate(time.Millisecond)) {
		t.Errorf("AuthnInstant %s", tok.AuthnInstant)
	}
}
