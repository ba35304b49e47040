// Command soap-stream measures runtime/soap streaming an MTOM request: a
// document of -size bytes travels as an attachment from a soap.Client to a
// soap.Server over mutually authenticated HTTPS on loopback, client and
// server running as separate processes so that each reports its own peak
// RSS (VmHWM). The baseline ("copy" mode) sends the same bytes with a plain
// POST over the same kind of HTTPS connection and io.Copy on the server.
// Both sides hash the content (SHA-256) in both modes, and the client checks
// the server's hash.
//
//	soap-stream pki -dir D                          # CA, server and client certificates
//	soap-stream server -dir D -mode soap|copy       # prints "listening ADDR", serves one request, prints its stats
//	soap-stream client -dir D -mode soap|copy -url URL -size N
//
// bench/soap-stream.sh runs the whole comparison.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: soap-stream pki|server|client [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", ".", "directory of the PEM files")
	mode := fs.String("mode", "soap", "soap (MTOM through runtime/soap) or copy (plain POST, io.Copy)")
	url := fs.String("url", "", "server URL (client)")
	size := fs.Int64("size", 1<<30, "document size in bytes (client)")
	fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "pki":
		err = writePKI(*dir)
	case "server":
		err = serve(*dir, *mode, os.Stdout)
	case "client":
		var r *result
		if r, err = send(*dir, *mode, *url, *size); err == nil {
			fmt.Printf("client %s bytes=%d seconds=%.3f MiB/s=%.1f vmhwm_kib=%d\n", *mode, r.bytes, r.elapsed.Seconds(),
				float64(r.bytes)/r.elapsed.Seconds()/(1<<20), vmHWM())
		}
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "soap-stream:", err)
		os.Exit(1)
	}
}

// writePKI writes ca.pem, server.pem/key (127.0.0.1) and client.pem/key.
func writePKI(dir string) error {
	pki, err := soaptest.NewPKI()
	if err != nil {
		return err
	}
	srv, err := pki.Loopback()
	if err != nil {
		return err
	}
	cli, err := pki.Leaf("899900063480 BENCH CLIENT")
	if err != nil {
		return err
	}
	return pki.WritePEM(dir, map[string]tls.Certificate{"server": srv, "client": cli})
}

func loadTLS(dir, name string) (tls.Certificate, *x509.CertPool, error) {
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key"))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	ca, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return tls.Certificate{}, nil, errors.New("ca.pem holds no certificate")
	}
	return cert, pool, nil
}

// opPut is shaped like ITI-41 ProvideAndRegisterDocumentSet-b: SOAP 1.2,
// MTOM request.
var opPut = soap.Operation{Service: "Bench", Name: "Put", Version: soap.V12,
	SOAPAction: "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b", Action: "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b",
	ResponseAction: "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse",
	Request:        xmltext.Name{Space: "urn:dmpgen:bench", Local: "Put"},
	Response:       xmltext.Name{Space: "urn:dmpgen:bench", Local: "PutResponse"},
	MTOMRequest:    true}

// serve serves one request in the given mode over HTTPS, writing
// "listening ADDR" when ready, then the request's stats and its peak RSS.
func serve(dir, mode string, out io.Writer) error {
	cert, pool, err := loadTLS(dir, "server")
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	done := make(chan string, 1)
	var h http.Handler
	switch mode {
	case "soap":
		srv := soap.NewServer(soap.WithMaxRequestSize(-1))
		srv.Handle(&opPut, func() xmlbind.Value { return new(doc) }, func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
			d := req.(*doc)
			if len(d.Content) != 1 || d.Content[0].Include == "" {
				return nil, soap.SenderFault("want one document as an attachment")
			}
			var stats []string
			atts := soap.RequestAttachments(ctx)
			for {
				p, err := atts.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					return nil, err
				}
				h := sha256.New()
				n, err := io.Copy(h, p.Body)
				if err != nil {
					return nil, err
				}
				stats = append(stats, fmt.Sprintf("%s:%d", hex.EncodeToString(h.Sum(nil)), n))
			}
			done <- strings.Join(stats, " ")
			return &doc{Name: strings.Join(stats, " ")}, nil
		})
		h = srv
	case "copy":
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := sha256.New()
			n, err := io.Copy(h, r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			s := fmt.Sprintf("%s:%d", hex.EncodeToString(h.Sum(nil)), n)
			done <- s
			io.WriteString(w, s)
		})
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
	hs := &http.Server{Handler: h, TLSConfig: soap.ServerTLS(cert, pool)}
	errc := make(chan error, 1)
	go func() { errc <- hs.ServeTLS(ln, "", "") }()
	fmt.Fprintf(out, "listening %s\n", ln.Addr())
	select {
	case s := <-done:
		// Let the response go out before shutting down.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := hs.Shutdown(ctx); err != nil {
			return err
		}
		fmt.Fprintf(out, "server %s received=%s vmhwm_kib=%d\n", mode, s, vmHWM())
		return nil
	case err := <-errc:
		return err
	}
}

type result struct {
	bytes   int64
	elapsed time.Duration
}

// send streams size pattern bytes to url and checks the server's hash.
func send(dir, mode, url string, size int64) (*result, error) {
	cert, pool, err := loadTLS(dir, "client")
	if err != nil {
		return nil, err
	}
	hc := soap.NewHTTPClient(soap.ClientTLS(cert, pool))
	h := sha256.New()
	body := &hashingReader{r: newPattern(size), h: h}
	start := time.Now()
	var answer string
	switch mode {
	case "soap":
		c := soap.NewClient(url, soap.WithHTTPClient(hc))
		resp := new(doc)
		req := &doc{Name: "bench", Content: []xmlbind.Binary{{Include: "document@dmpgen.bench"}}}
		if err := c.Call(context.Background(), &opPut, req, resp,
			soap.WithAttachments(soap.Attachment{ContentID: "document@dmpgen.bench", ContentType: "application/octet-stream", Body: body})); err != nil {
			return nil, err
		}
		answer = resp.Name
	case "copy":
		// No Content-Length: chunked, as the MTOM request streams.
		resp, err := hc.Post(url, "application/octet-stream", body)
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %s", resp.Status, b)
		}
		answer = string(b)
	default:
		return nil, fmt.Errorf("unknown mode %q", mode)
	}
	elapsed := time.Since(start)
	if want := fmt.Sprintf("%s:%d", hex.EncodeToString(h.Sum(nil)), body.n); answer != want || body.n != size {
		return nil, fmt.Errorf("the server received %q, the client sent %q (%d of %d bytes)", answer, want, body.n, size)
	}
	return &result{bytes: size, elapsed: elapsed}, nil
}

// hashingReader hashes what it reads.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (t *hashingReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.h.Write(p[:n])
	t.n += int64(n)
	return n, err
}

// pattern yields size pseudo-random bytes by cycling through a 65549-byte
// block: reading it costs about a memmove.
type pattern struct {
	block  []byte
	off    int
	remain int64
}

func newPattern(size int64) *pattern {
	block := make([]byte, 65549)
	rand.NewChaCha8([32]byte{42}).Read(block)
	return &pattern{block: block, remain: size}
}

func (p *pattern) Read(b []byte) (int, error) {
	if p.remain == 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.remain {
		b = b[:p.remain]
	}
	n := 0
	for n < len(b) {
		c := copy(b[n:], p.block[p.off:])
		n += c
		p.off = (p.off + c) % len(p.block)
	}
	p.remain -= int64(n)
	return n, nil
}

// vmHWM returns the peak resident set size of this process in KiB (0 where
// /proc is not available).
func vmHWM() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

const nsBench = "urn:dmpgen:bench"

// doc is the request and response body: <b:Put name="…"><b:Document>…</b:Document>*</b:Put>.
type doc struct {
	Name    string
	Content []xmlbind.Binary
}

func (*doc) XSDType() xmltext.Name    { return xmltext.Name{} }
func (*doc) ValidateXSD(*xsdt.Report) {}

func (v *doc) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	e.PreferPrefix(nsBench, "b")
	e.Start(name)
	e.Attr(xmltext.Name{Local: "name"}, v.Name)
	for i := range v.Content {
		e.Start(xmltext.Name{Space: nsBench, Local: "Document"})
		xmlbind.EncodeBinary(e, &v.Content[i])
		e.End()
	}
	e.End()
	return e.Err()
}

func (v *doc) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	v.Name, _ = start.Attr(xmltext.Name{Local: "name"})
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return err
		}
		switch {
		case tok.Kind == xmltext.EndElement:
			return nil
		case tok.Kind == xmltext.StartElement && tok.Name == xmltext.Name{Space: nsBench, Local: "Document"}:
			b, err := xmlbind.DecodeBinary(d, &tok)
			if err != nil {
				return err
			}
			v.Content = append(v.Content, b)
		default:
			return d.Errorf(tok.Offset, "unexpected %v in %s", tok.Kind, start.Name)
		}
	}
}
