package xsd

import (
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/diag"
)

// memFS is an in-memory file system for Config.ReadFile.
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
func load(t *testing.T, files memFS, catalogs []string, inputs ...string) (*Set, diag.List) {
	t.Helper()
	l, err := NewLoader(Config{Catalogs: catalogs, ReadFile: files.read})
	if err != nil {
		t.Fatalf("NewLoader: %v", err)
	}
	for _, in := range inputs {
		l.AddSchemaFile(in)
	}
	return l.Finish()
}

// mustLoad is load that fails the test on errors.
func mustLoad(t *testing.T, files memFS, inputs ...string) *Set {
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

func q(ns, local string) QName { return QName{ns, local} }

// dump writes a deterministic description of everything in s: the schema
// documents, then every global component in name order, walking all nested
// structures (maps in key order, *Schema as its file, position and namespace).
func dump(s *Set) string {
	var b strings.Builder
	for _, sc := range s.Schemas {
		fmt.Fprintf(&b, "schema %s %v ns=%q chameleon=%v ef=%v af=%v prefixes=%v\n", sc.File, sc.Pos, sc.TargetNamespace, sc.Chameleon, sc.ElementFormQualified, sc.AttributeFormQualified, sortedMap(sc.Prefixes))
	}
	sections := []struct {
		name string
		keys []QName
		get  func(QName) any
	}{
		{"type", s.TypeNames(), func(q QName) any { return s.Types[q] }},
		{"element", s.ElementNames(), func(q QName) any { return s.Elements[q] }},
		{"attribute", s.AttributeNames(), func(q QName) any { return s.Attributes[q] }},
		{"group", s.GroupNames(), func(q QName) any { return s.Groups[q] }},
		{"attributeGroup", s.AttributeGroupNames(), func(q QName) any { return s.AttributeGroups[q] }},
	}
	for _, sec := range sections {
		for _, k := range sec.keys {
			fmt.Fprintf(&b, "%s %s = ", sec.name, k)
			dumpValue(&b, reflect.ValueOf(sec.get(k)), 1)
			b.WriteByte('\n')
		}
	}
	for _, head := range sortedKeys(s.Substitutes) {
		fmt.Fprintf(&b, "substitutes %s:", head)
		for _, e := range s.Substitutes[head] {
			fmt.Fprintf(&b, " %s", e.Name)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func sortedMap(m map[string]string) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var parts []string
	for _, k := range ks {
		parts = append(parts, k+"="+m[k])
	}
	return "{" + strings.Join(parts, " ") + "}"
}

var schemaPtr = reflect.TypeOf((*Schema)(nil))

func dumpValue(b *strings.Builder, v reflect.Value, depth int) {
	ind := strings.Repeat("  ", depth)
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		dumpValue(b, v.Elem(), depth)
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		if v.Type() == schemaPtr {
			sc := v.Interface().(*Schema)
			fmt.Fprintf(b, "schema(%s %v %q)", sc.File, sc.Pos, sc.TargetNamespace)
			return
		}
		b.WriteByte('&')
		dumpValue(b, v.Elem(), depth)
	case reflect.Struct:
		b.WriteString(v.Type().Name() + "{")
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || v.Field(i).IsZero() {
				continue
			}
			fmt.Fprintf(b, "\n%s%s: ", ind, f.Name)
			dumpValue(b, v.Field(i), depth+1)
		}
		b.WriteString("}")
	case reflect.Slice:
		b.WriteString("[")
		for i := 0; i < v.Len(); i++ {
			fmt.Fprintf(b, "\n%s", ind)
			dumpValue(b, v.Index(i), depth+1)
		}
		b.WriteString("]")
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		b.WriteString("map[")
		for _, k := range keys {
			fmt.Fprintf(b, "%v:", k)
			dumpValue(b, v.MapIndex(k), depth+1)
			b.WriteByte(' ')
		}
		b.WriteString("]")
	default:
		fmt.Fprintf(b, "%#v", v.Interface())
	}
}
