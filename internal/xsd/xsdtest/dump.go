// Package xsdtest holds test helpers for code that uses package xsd.
package xsdtest

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/xsd"
)

// Dump returns a deterministic description of everything in s: the schema
// documents, then every global component in name order, walking all nested
// structures (maps in key order, *Schema as its file, position and namespace).
func Dump(s *xsd.Set) string {
	var b strings.Builder
	for _, sc := range s.Schemas {
		fmt.Fprintf(&b, "schema %s %v ns=%q chameleon=%v ef=%v af=%v prefixes=%v\n", sc.File, sc.Pos, sc.TargetNamespace, sc.Chameleon, sc.ElementFormQualified, sc.AttributeFormQualified, sortedMap(sc.Prefixes))
	}
	sections := []struct {
		name string
		keys []xsd.QName
		get  func(xsd.QName) any
	}{
		{"type", s.TypeNames(), func(q xsd.QName) any { return s.Types[q] }},
		{"element", s.ElementNames(), func(q xsd.QName) any { return s.Elements[q] }},
		{"attribute", s.AttributeNames(), func(q xsd.QName) any { return s.Attributes[q] }},
		{"group", s.GroupNames(), func(q xsd.QName) any { return s.Groups[q] }},
		{"attributeGroup", s.AttributeGroupNames(), func(q xsd.QName) any { return s.AttributeGroups[q] }},
	}
	for _, sec := range sections {
		for _, k := range sec.keys {
			fmt.Fprintf(&b, "%s %s = ", sec.name, k)
			dumpValue(&b, reflect.ValueOf(sec.get(k)), 1)
			b.WriteByte('\n')
		}
	}
	var heads []xsd.QName
	for h := range s.Substitutes {
		heads = append(heads, h)
	}
	sort.Slice(heads, func(i, j int) bool { return heads[i].Less(heads[j]) })
	for _, head := range heads {
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

var schemaPtr = reflect.TypeOf((*xsd.Schema)(nil))

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
			sc := v.Interface().(*xsd.Schema)
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
