package vet

import (
	"strings"
	"testing"
)

// FuzzCapture feeds arbitrary bytes to the capture reader (HTTP dump, MIME
// headers, bare multipart or XML detection) and the layers behind it: no
// panic, every finding has a known rule and a position inside the file.
func FuzzCapture(f *testing.F) {
	for _, name := range []string{"td31-response.http", "td32-response.mime", "td33-response.xml"} {
		f.Add(readTestdata(f, name))
	}
	mime := readTestdata(f, "td32-response.mime")
	f.Add(mime[strings.Index(mime, "--MIMEBoundary_vet"):]) // a bare multipart body, as the kit's TD2.1 capture
	f.Add("POST /dmp HTTP/1.1\r\nContent-Type: application/soap+xml; action=\"urn:ihe:iti:2007:RegistryStoredQuery\"\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<a/>\n\r\n0\r\n\r\n")
	f.Add("HTTP/1.1 500 Internal Server Error\nContent-Type: text/xml\n\n<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><soap:Fault><faultstring>x</faultstring></soap:Fault></soap:Body></soap:Envelope>")
	f.Add("Content-Type: multipart/related; boundary=b\n\n--b\nContent-Type: application/xop+xml; type=\"application/soap+xml\"\n\n<x/>\n--b--\n")
	f.Add("\xef\xbb\xbf  <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe8</a>")
	f.Fuzz(func(t *testing.T, s string) {
		e := Check("fuzz", []byte(s), Options{})
		lines := strings.Count(s, "\n") + 1
		for _, fd := range e.Findings {
			if !known(fd.Rule) {
				t.Fatalf("unknown rule %q", fd.Rule)
			}
			if fd.Line < 0 || fd.Line > lines || fd.Col < 0 || fd.Message == "" {
				t.Fatalf("bad finding %+v in a file of %d lines", fd, lines)
			}
		}
	})
}
