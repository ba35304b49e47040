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
		Issuer:          "CN=899900063480 TEST PS,OU=499900063480001,O=CABINET DR LIBRE,C=FR",
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
