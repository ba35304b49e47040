package mtom

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestHTTPLoopback runs an ITI-41-like request and an ITI-43-like response
// over real HTTP on loopback: the client streams the request body from an
// io.Pipe (chunked transfer encoding), the server reads it with a Reader and
// answers with a Writer straight into the ResponseWriter.
func TestHTTPLoopback(t *testing.T) {
	const reqSize, respSize = 3 << 20, 5 << 20
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		r, err := NewReader(req.Header.Get("Content-Type"), req.Body, nil)
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		var sums []string
		for {
			p, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				http.Error(rw, err.Error(), http.StatusBadRequest)
				return
			}
			h := sha256.New()
			if _, err := io.Copy(h, p.Body); err != nil {
				http.Error(rw, err.Error(), http.StatusBadRequest)
				return
			}
			sums = append(sums, p.ContentID+"="+hex.EncodeToString(h.Sum(nil)))
		}
		w, err := NewWriter(rw, WriterOptions{Action: "urn:ihe:iti:2007:RetrieveDocumentSetResponse"})
		if err != nil {
			http.Error(rw, err.Error(), http.StatusInternalServerError)
			return
		}
		id, href := w.NewContentID()
		rw.Header().Set("Content-Type", w.ContentType())
		root, _ := w.CreateRoot()
		fmt.Fprintf(root, testEnvelope, fmt.Sprintf(`<sums>%q</sums><xop:Include href="%s"/>`, sums, href))
		w.WriteAttachment(&Part{ContentID: id, ContentType: "application/pdf", Body: newPattern(2, respSize)})
		w.Close()
	}))
	defer srv.Close()

	pr, pw := io.Pipe()
	w, err := NewWriter(pw, WriterOptions{Action: "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		id1, h1 := w.NewContentID()
		id2, h2 := w.NewContentID()
		root, _ := w.CreateRoot()
		fmt.Fprintf(root, testEnvelope, `<xop:Include href="`+h1+`"/><xop:Include href="`+h2+`"/>`)
		if _, err := w.WriteAttachment(&Part{ContentID: id1, ContentType: "text/xml", Body: newPattern(1, reqSize)}); err != nil {
			pw.CloseWithError(err)
			return
		}
		if _, err := w.WriteAttachment(&Part{ContentID: id2, ContentType: "text/xml", Body: bytes.NewReader([]byte("<Signature/>"))}); err != nil {
			pw.CloseWithError(err)
			return
		}
		pw.CloseWithError(w.Close())
	}()
	req, _ := http.NewRequest(http.MethodPost, srv.URL, pr)
	req.Header.Set("Content-Type", w.ContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s: %s", resp.Status, msg)
	}
	r, err := NewReader(resp.Header.Get("Content-Type"), resp.Body, nil)
	if err != nil {
		t.Fatal(err)
	}
	want1, want2 := patternSum(1, reqSize), sha256.Sum256([]byte("<Signature/>"))
	if !bytes.Contains(r.Root().Data, []byte(hex.EncodeToString(want1[:]))) || !bytes.Contains(r.Root().Data, []byte(hex.EncodeToString(want2[:]))) {
		t.Errorf("server saw other request attachments: %s", r.Root().Data)
	}
	p, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, p.Body); err != nil {
		t.Fatal(err)
	}
	if want := patternSum(2, respSize); !bytes.Equal(h.Sum(nil), want[:]) {
		t.Error("response attachment differs")
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("end of response: %v", err)
	}
}
