package mtom

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// Python's email package is an independent MIME implementation: it reads
// what the Writer produces, and produces packages (base64 parts, folded
// headers) for the Reader. .ci/setup.d/25-mtom.sh installs python3.

// pyRead parses the multipart body on stdin, whose Content-Type is argv[1],
// and prints its parameters and, per part, the Content-ID, Content-Type and
// the length and SHA-256 of the decoded content.
const pyRead = `
import sys, email, email.policy, hashlib, json
ct = sys.argv[1]
msg = email.message_from_bytes(b"Content-Type: " + ct.encode() + b"\r\n\r\n" + sys.stdin.buffer.read(), policy=email.policy.compat32)
if msg.defects:
    sys.exit("defects: %r" % msg.defects)
out = {"type": msg.get_content_type(), "params": dict(msg.get_params()[1:]), "parts": []}
for p in msg.get_payload():
    if p.defects:
        sys.exit("part defects: %r" % p.defects)
    data = p.get_payload(decode=True)
    out["parts"].append({"id": p["Content-ID"], "type": p["Content-Type"], "sha256": hashlib.sha256(data).hexdigest()})
print(json.dumps(out))
`

// pyWrite builds an MTOM package with the email package and prints its
// Content-Type on the first line, then the body: a root part and two
// base64 attachments, one with a long folded header.
const pyWrite = `
import sys, email.policy
from email.mime.multipart import MIMEMultipart
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
root = MIMEBase("application", "xop+xml", charset="UTF-8", type="application/soap+xml")
root.set_payload(sys.argv[1].encode())
root["Content-ID"] = "<root@py>"
root["Content-Transfer-Encoding"] = "8bit"
a = MIMEApplication(bytes(range(256)) * 40, "pdf")
a["Content-ID"] = "<a:1@py>"
b = MIMEApplication(b"<doc/>", "xml", name="x" * 150 + ".xml")
b["Content-ID"] = "<b@py>"
msg = MIMEMultipart("related", boundary="py=_Part_0_123", type="application/xop+xml", start="<root@py>", **{"start-info": "application/soap+xml"})
for p in (root, a, b):
    msg.attach(p)
raw = msg.as_bytes(policy=email.policy.compat32.clone(linesep="\r\n"))
head, _, body = raw.partition(b"\r\n\r\n")
ct = [l for l in email.message_from_bytes(head + b"\r\n\r\n").get_all("Content-Type")][0]
sys.stdout.buffer.write(" ".join(ct.split()).encode() + b"\n" + body)
`

type pyPart struct{ ID, Type, Sha256 string }

func TestPythonEmailReadsWriterOutput(t *testing.T) {
	py := testenv.Tool(t, "python3")
	bin, _ := io.ReadAll(newPattern(5, 200000))
	parts := []*Part{
		{ContentID: "doc-1@urn:ihe:iti:xds-b:2007", ContentType: "text/xml; charset=UTF-8", Body: strings.NewReader("<ClinicalDocument/>")},
		{ContentID: "bin@x", ContentType: "application/pdf", Body: bytes.NewReader(bin)},
		{ContentID: "empty@x", Body: strings.NewReader("")},
	}
	ct, body := build(t, fmt.Sprintf(testEnvelope, includes("doc-1@urn:ihe:iti:xds-b:2007", "bin@x", "empty@x")), parts...)
	cmd := exec.Command(py, "-c", pyRead, ct)
	cmd.Stdin = bytes.NewReader(body)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr(err))
	}
	var got struct {
		Type   string
		Params map[string]string
		Parts  []pyPart
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	wantParams := map[string]string{"type": MediaTypeXOP, "boundary": "MIMEBoundary_test", "start": "<root@test>", "start-info": MediaTypeSOAP12, "action": "urn:test"}
	if got.Type != "multipart/related" || fmt.Sprint(got.Params) != fmt.Sprint(wantParams) {
		t.Errorf("python reads %s %v, want %v", got.Type, got.Params, wantParams)
	}
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	want := []pyPart{
		{"<root@test>", `application/xop+xml; charset=UTF-8; type="application/soap+xml"; action="urn:test"`, sum([]byte(fmt.Sprintf(testEnvelope, includes("doc-1@urn:ihe:iti:xds-b:2007", "bin@x", "empty@x"))))},
		{"<doc-1@urn:ihe:iti:xds-b:2007>", "text/xml; charset=UTF-8", sum([]byte("<ClinicalDocument/>"))},
		{"<bin@x>", "application/pdf", sum(bin)},
		{"<empty@x>", "application/octet-stream", sum(nil)},
	}
	if fmt.Sprint(got.Parts) != fmt.Sprint(want) {
		t.Errorf("python reads parts\n%v\nwant\n%v", got.Parts, want)
	}
}

func TestReaderReadsPythonEmailOutput(t *testing.T) {
	py := testenv.Tool(t, "python3")
	rootXML := fmt.Sprintf(testEnvelope, includes("a:1@py", "b@py"))
	out, err := exec.Command(py, "-c", pyWrite, rootXML).Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr(err))
	}
	ct, body, _ := bytes.Cut(out, []byte("\n"))
	root, parts, data, err := readAll(string(ct), bytes.NewReader(body), nil)
	if err != nil {
		t.Fatalf("%v\nContent-Type: %s\n%.600s", err, ct, body)
	}
	if string(root.Data) != rootXML || root.ContentID != "root@py" || root.SOAPType != MediaTypeSOAP12 {
		t.Errorf("root %q %q %q", root.ContentID, root.SOAPType, root.Data)
	}
	want := bytes.Repeat(func() []byte {
		b := make([]byte, 256)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}(), 40)
	if len(parts) != 2 || parts[0].ContentID != "a:1@py" || !bytes.Equal(data[0], want) ||
		parts[1].ContentID != "b@py" || string(data[1]) != "<doc/>" || !strings.Contains(parts[1].ContentType, strings.Repeat("x", 150)+".xml") {
		t.Errorf("parts %+v", parts)
	}
}

func stderr(err error) []byte {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.Stderr
	}
	return nil
}
