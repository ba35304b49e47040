package xsd_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// memFS is an in-memory file system for xsd.Config.ReadFile.
type memFS map[string]string

func (m memFS) read(p string) ([]byte, error) {
	s, ok := m[p]
	if !ok {
		return nil, &os.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	return []byte(s), nil
}

// xs wraps schema content in an xs:schema element with the usual prefixes;
// attrs are added to xs:schema. The xs:schema element is at line 1, and
// the content starts on line 2.
func xs(attrs, content string) string {
	return `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" ` + attrs + ">\n" + content + "\n</xs:schema>\n"
}

// load reads inputs (paths in files) with the given catalogs.
func load(t *testing.T, files memFS, catalogs []string, inputs ...string) (*xsd.Set, diag.List) {
	t.Helper()
	l, err := xsd.NewLoader(xsd.Config{Catalogs: catalogs, ReadFile: files.read})
	if err != nil {
		t.Fatalf("NewLoader: %v", err)
	}
	for _, in := range inputs {
		l.AddSchemaFile(in)
	}
	return l.Finish()
}

// mustLoad is load that fails the test on errors.
func mustLoad(t *testing.T, files memFS, inputs ...string) *xsd.Set {
	t.Helper()
	s, errs := load(t, files, nil, inputs...)
	if len(errs) > 0 {
		t.Fatalf("unexpected errors:\n%v", errs)
	}
	return s
}

// wantErrors compares the error list with the expected lines.
func wantErrors(t *testing.T, errs diag.List, want ...string) {
	t.Helper()
	got := []string{}
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func q(ns, local string) xsd.QName { return xsd.QName{ns, local} }
