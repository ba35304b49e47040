package valueset

import (
	"fmt"
	"sort"
	"strings"
)

// Go names of the generated code.
//
//   - The type of a value set is its NOS name without the "JDV_" prefix, cut
//     at every character that is not an ASCII letter or digit, each part with
//     an upper-case first letter: JDV_J57-ClassCode-DMP -> J57ClassCodeDMP.
//     A name that does not start with a letter gets a "V" prefix. Names
//     shared by value sets of different OIDs get "_" + the OID with '_' for
//     '.' appended, for all of them.
//   - The constant of a concept is the type name, "_", and the code cut the
//     same way with '_' between the parts: J08XdsConfidentialityCodeCISIS_INVISIBLE_PATIENT,
//     J10XdsFormatCodeCISIS_urn_ihe_iti_xds_sd_pdf_2008.
//   - Collisions inside a value set (the same code in two code systems, or
//     codes that differ only by punctuation) are resolved for every member
//     of the colliding group, never "first come first served": each gets
//     "_" + a code-system tag (the NOS short id of its code system, "G15"
//     for TRE_G15-ProfessionSante, else the code system's name or OID cut
//     as above); members still equal after that get "_2", "_3", … in the
//     byte order of their codes, the first keeping no number.
//
// The names of a value set depend only on its own concepts, so adding a
// value set never renames another one's constants.

// typeName returns the Go type name of a value set name.
func typeName(name string) string {
	n := strings.TrimPrefix(name, "JDV_")
	var b strings.Builder
	for _, part := range identParts(n) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	s := b.String()
	if s == "" || !isLetter(s[0]) {
		s = "V" + s
	}
	return s
}

// identParts splits s at every run of characters outside [A-Za-z0-9].
func identParts(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r > 127 || !(isLetter(byte(r)) || r >= '0' && r <= '9') })
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// codeIdent returns the identifier part of a code; codes without any ASCII
// letter or digit are spelled in hex.
func codeIdent(code string) string {
	if p := identParts(code); len(p) > 0 {
		return strings.Join(p, "_")
	}
	return fmt.Sprintf("x%x", code)
}

// systemTag returns the tag of a code system used to tell colliding
// constants apart.
func systemTag(c Concept) string {
	if short := treShort(c.CodeSystemName); short != "" {
		return short
	}
	if c.CodeSystemName != "" {
		return codeIdent(c.CodeSystemName)
	}
	return codeIdent(c.CodeSystem)
}

// treShort returns "G15" for "TRE_G15-ProfessionSante": the letters and
// digits after "TRE_"; "" when name is not of that form.
func treShort(name string) string {
	rest, ok := strings.CutPrefix(name, "TRE_")
	if !ok {
		return ""
	}
	i := 0
	for i < len(rest) && rest[i] >= 'A' && rest[i] <= 'Z' {
		i++
	}
	j := i
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	if i == 0 || j == i {
		return ""
	}
	return rest[:j]
}

// constNames returns the constant name of every concept of v, in order.
func constNames(typ string, concepts []Concept) []string {
	names := make([]string, len(concepts))
	group := func(idx []int, name func(i int) string) map[string][]int {
		g := map[string][]int{}
		for _, i := range idx {
			g[name(i)] = append(g[name(i)], i)
		}
		return g
	}
	all := make([]int, len(concepts))
	for i := range all {
		all[i] = i
	}
	for base, idx := range group(all, func(i int) string { return typ + "_" + codeIdent(concepts[i].Code) }) {
		if len(idx) == 1 {
			names[idx[0]] = base
			continue
		}
		for tagged, idx2 := range group(idx, func(i int) string { return base + "_" + systemTag(concepts[i]) }) {
			sort.Slice(idx2, func(a, b int) bool { return concepts[idx2[a]].Code < concepts[idx2[b]].Code })
			for n, i := range idx2 {
				names[i] = tagged
				if n > 0 {
					names[i] = fmt.Sprintf("%s_%d", tagged, n+1)
				}
			}
		}
	}
	return names
}

// fileName returns the generated file name of a value set.
func fileName(name string) string {
	return strings.ToLower(strings.Join(identParts(name), "_")) + ".go"
}
