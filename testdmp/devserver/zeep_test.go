package devserver

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/generated/gdp/gdp"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/testdmp/devpki"
)

// zeepTD02 loads the GDP service's ?wsdl with python3-zeep over HTTPS with
// the client certificate, decodes the kit's TD0.2 request body with the
// WSDL's schemas into zeep objects, and calls
// PatientGetDemographics_PRPA_IN201307UV02 with them, passing the signed
// wsse:Security header built in Go as a raw header element (zeep cannot
// sign a VIHF). It prints what the response says.
//
// Two zeep limitations are worked around, both on HL7 v3 mixed content:
// zeep decodes the text of ST and SC elements (semanticsText,
// softwareName) as nothing, so the script gives them empty values and a
// plugin copies the example's text back into the envelope zeep built,
// checking that zeep wrote the example's elements in its order; and it
// cannot re-encode the example's xsi:nil dataSource, which is set to
// zeep.xsd.Nil.
const zeepTD02 = `
import sys, requests, zeep
from lxml import etree
from zeep.transports import Transport

url, pki, example, header = sys.argv[1:5]
S12 = "{http://www.w3.org/2003/05/soap-envelope}"
body = etree.parse(example, etree.XMLParser(remove_comments=True)).find(S12 + "Body")[0]

class MixedText(zeep.Plugin):
    def egress(self, envelope, http_headers, operation, binding_options):
        ours = [e for e in envelope.find(S12 + "Body")[0].iter() if isinstance(e.tag, str)]
        theirs = [e for e in body.iter() if isinstance(e.tag, str)]
        if [e.tag for e in ours] != [e.tag for e in theirs]:
            raise Exception("zeep did not write the example's elements")
        for x, y in zip(ours, theirs):
            if len(y) == 0 and (y.text or "").strip() and not (x.text or "").strip():
                x.text = y.text
        return envelope, http_headers

session = requests.Session()
session.trust_env = False  # REQUESTS_CA_BUNDLE and proxies would override verify
session.verify = pki + "/ca.pem"
session.cert = (pki + "/client.pem", pki + "/client.key")
client = zeep.Client(url + "?wsdl", transport=Transport(session=session), plugins=[MixedText()])
print("address", client.wsdl.services["GDP_Service"].ports["GDP_Binding_Soap12"].binding_options["address"])

req = client.get_element(body.tag).parse(body, client.wsdl.types)
params = req.controlActProcess.queryByParameter.parameterList
params.dataSource = zeep.xsd.Nil
for p in params.patientIdentifier:
    p.semanticsText = client.get_type("{urn:hl7-org:v3}ST")()
for party in list(req.receiver) + [req.sender]:
    party.device.softwareName = client.get_type("{urn:hl7-org:v3}SC")()

security = etree.parse(header).getroot()
resp = client.service.PatientGetDemographics_PRPA_IN201307UV02(**{k: req[k] for k in req}, _soapheaders=[security])
cap = resp.controlActProcess
print("ack", resp.acknowledgement[0].typeCode)
print("query", cap.queryAck.queryResponseCode.code, cap.queryAck.queryId.extension)
pt = cap.subject[0].registrationEvent.subject1.patient
print("patient", pt.id[0].root, pt.id[0].extension, pt.statusCode.code)
for line in resp.attentionLine:
    v = line.value
    print("attention", line.keyWordText.code, getattr(v, "code", None) or str(getattr(v, "value", None)).lower())
`

// TestZeepTD02: python3-zeep, an independent SOAP 1.2 stack, calls TD0.2
// (test d'existence) on a running test DMP from the WSDL it serves, the
// dossier having been created from Go; the answer must say the dossier
// exists, is active, and that the VIHF's professional is authorized.
func TestZeepTD02(t *testing.T) {
	python := testenv.Python(t, "zeep")
	example := testenv.KitFile(t, "dmp/examples/messages-v02.05.00/TD0.2_Test-dexistence_requete.xml")
	s, logs := start(t, Config{Kit: testenv.Kit(t)})
	ctx := context.Background()

	c := dmp.New(s.Endpoints(), s.HTTPClient(), s.Provider(defaultClaims), dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "DMPGEN TEST"}})
	_, err := c.CreateDMP(ctx, dmp.DossierData{Patient: dmp.DossierPatient{INS: ExamplePatient(), Name: dmp.PersonName{Family: "PATB-QUATRE", Given: "LAURENCE"}}},
		dmp.Professional{ID: dmp.PatientID{Root: "1.2.250.1.71.4.2.1", Extension: devpki.NationalID}, Name: dmp.PersonName{Family: "LIBRE", Given: "MAX"},
			Organization: dmp.Organization{ID: dmp.PatientID{Root: "1.2.250.1.71.4.2.2", Extension: devpki.StructureID}, Name: "CABINET DR LIBRE"}})
	if err != nil {
		t.Fatalf("creating the dossier: %v", err)
	}

	op := gdp.GDPOperations()[2]
	if op.Name != "PatientGetDemographics_PRPA_IN201307UV02" {
		t.Fatalf("operation %s", op.Name)
	}
	block, err := s.Provider(defaultClaims).HeaderBlock(ctx, op.Action)
	if err != nil {
		t.Fatal(err)
	}
	header := filepath.Join(t.TempDir(), "security.xml")
	if err := os.WriteFile(header, block, 0o600); err != nil {
		t.Fatal(err)
	}
	url := s.ServiceURL("GDP")
	out, err := exec.Command(python, "-c", zeepTD02, url, s.PKI.Dir, example, header).CombinedOutput()
	if err != nil {
		t.Fatalf("zeep: %v\n%s", err, out)
	}
	want := strings.Join([]string{
		"address " + url,
		"ack AA",
		"query OK 87d5fd8f-72b2-43bf-938c-0402bf850d25", // the example's queryId, echoed
		"patient 1.2.250.1.213.1.4.10 207058575627097 active",
		"attention AUTORISATION VALIDE",
		"attention STATUT_MT false",
	}, "\n")
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("zeep printed\n%s\nwant\n%s", got, want)
	}
	if line := findLine(t, logs.String(), "operation=PatientGetDemographics"); !strings.Contains(line, "status=200") {
		t.Errorf("zeep's exchange logged as %s", line)
	}
}
