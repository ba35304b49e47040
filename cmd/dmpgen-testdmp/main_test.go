package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/testdmp/devpki"
	"github.com/dmpgen/dmpgen/testdmp/devserver"
)

// syncBuffer is a bytes.Buffer safe for the server goroutines' writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serve runs the command with args (plus a free port) until the test ends.
func serve(t *testing.T, args ...string) (*devserver.Server, *syncBuffer, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	started := make(chan *devserver.Server, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), stdout, stderr, func(s *devserver.Server) { started <- s })
	}()
	var s *devserver.Server
	select {
	case s = <-started:
	case code := <-done:
		t.Fatalf("exit %d before serving:\n%s", code, stderr)
	}
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("exit %d after the interrupt:\n%s", code, stderr)
		}
	})
	return s, stdout, stderr
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"extra"}, {"-log", "xml"}, {"-ca", "/nonexistent.pem"}, {"-nope"}, {"-record-max", "0"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb, nil); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &out, &errb, nil); code != exitOK || !strings.Contains(errb.String(), "-vihf-ca") {
		t.Errorf("-h: exit %d\n%s", code, errb.String())
	}
}

// TestBanner: the banner lists the seven services, the PKI files and the
// absence of ?wsdl without a kit.
func TestBanner(t *testing.T) {
	t.Setenv("DMPGEN_KIT", "")
	dir := filepath.Join(t.TempDir(), "new", "pki")
	s, stdout, _ := serve(t, "-dir", dir)
	out := stdout.String()
	for _, svc := range devserver.Services() {
		if !strings.Contains(out, s.URL+svc.Path+"\n") {
			t.Errorf("banner lacks %s%s", s.URL, svc.Path)
		}
	}
	for _, f := range []string{devpki.CAFile, devpki.ClientCertFile, devpki.ClientKeyFile, devpki.SigningCertFile, devpki.SigningKeyFile} {
		if !strings.Contains(out, filepath.Join(dir, f)) {
			t.Errorf("banner lacks %s", filepath.Join(dir, f))
		}
	}
	if !strings.Contains(out, "?wsdl is not served") {
		t.Errorf("banner does not say ?wsdl is off:\n%s", out)
	}
}

// TestVIHFCAKeepsClientAuth: -vihf-ca alone adds VIHF trust anchors and
// leaves client certificates required (it used to turn them off).
func TestVIHFCAKeepsClientAuth(t *testing.T) {
	other, err := devpki.Load(t.TempDir(), devpki.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, _, stderr := serve(t, "-dir", t.TempDir(), "-vihf-ca", other.Path(devpki.CAFile), "-log", "json")
	noCert := soap.NewHTTPClient(&tls.Config{MinVersion: tls.VersionTLS12, RootCAs: s.PKI.Pool})
	if _, err := noCert.Get(s.ServiceURL("GDP") + "?wsdl"); err == nil {
		t.Fatal("a client without certificate was served")
	}
	// A VIHF signed by the other PKI's card is accepted; the exchange is
	// logged as JSON.
	prov := s.Provider(func(context.Context, string) (vihf.Claims, error) {
		return devserver.Claims(devserver.ExamplePatient()), nil
	})
	prov.Signer = xmldsig.Signer{Key: other.Signing.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{other.Signing.Leaf}}
	c := dmp.New(s.Endpoints(), s.HTTPClient(), prov, dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "DMPGEN TEST"}})
	if _, err := c.TestExistence(context.Background(), devserver.ExamplePatient()); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("-log json wrote a non-JSON line %q: %v", line, err)
		}
		found = found || (rec["msg"] == "exchange" && rec["td"] == "TD0.2/TD1.3a" && rec["status"] == float64(200))
	}
	if !found {
		t.Errorf("no JSON exchange record:\n%s", stderr)
	}
}

// TestBannerSnippetRuns extracts the Go program of the banner, builds it
// inside this module and runs it against the server: it must print the
// TD0.2 answer.
func TestBannerSnippetRuns(t *testing.T) {
	goTool := testenv.Tool(t, "go")
	_, stdout, _ := serve(t, "-dir", t.TempDir())
	out := stdout.String()
	i, j := strings.Index(out, devserver.SnippetBegin+"\n"), strings.Index(out, devserver.SnippetEnd)
	if i < 0 || j < i {
		t.Fatalf("no snippet in the banner:\n%s", out)
	}
	code := out[i+len(devserver.SnippetBegin)+1 : j]
	// A directory starting with "." inside the module: built by path, ignored by ./... patterns.
	dir, err := os.MkdirTemp(filepath.Join(testenv.RepoRoot(), "cmd", "dmpgen-testdmp"), ".snippet-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "snippet")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	build.Dir = dir
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("the banner's snippet does not build: %v\n%s\n%s", err, b, code)
	}
	got, err := exec.Command(bin).CombinedOutput()
	if err != nil || string(got) != "TD0.2 state: not found\n" {
		t.Fatalf("the snippet printed %q (%v)", got, err)
	}
}

// TestRecord: -record writes the exchanges of a TD0.2 to a new directory,
// in files only the owner reads.
func TestRecord(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "rec")
	s, _, _ := serve(t, "-dir", t.TempDir(), "-record", dir)
	claims := func(context.Context, string) (vihf.Claims, error) {
		return devserver.Claims(devserver.ExamplePatient()), nil
	}
	c := dmp.New(s.Endpoints(), s.HTTPClient(), s.Provider(claims), dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "DMPGEN TEST"}})
	if _, err := c.TestExistence(context.Background(), devserver.ExamplePatient()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"0001-TD0.2+TD1.3a-request.http", "0001-TD0.2+TD1.3a-response.http", devserver.RecordIndex} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
			continue
		}
		if fi.Mode().Perm() != 0o600 || fi.Size() == 0 {
			t.Errorf("%s: mode %v, %d bytes", name, fi.Mode().Perm(), fi.Size())
		}
	}
}
