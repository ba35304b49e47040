package lower

import (
	"go/token"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Naming rules (documented for users in README "Names"):
//
//  1. A Go name is the XML local name in PascalCase: characters that cannot
//     appear in a Go identifier split words, each word's first letter is
//     upper-cased, the rest is kept ("SlotType1", "ProvideAndRegisterDocumentSet-b"
//     → "ProvideAndRegisterDocumentSetB"). A leading digit gets an "X" prefix.
//  2. Within a package, claimants of one Go name are ordered by priority —
//     config pins, named complex types, enumerated simple types, named simple
//     types' check functions, element types, anonymous and group types,
//     enum constants — then by XML namespace and local name (byte order).
//     The first keeps the name; element types then get "Elem", others a
//     numeric suffix 2, 3, … So "Foo" and "foo" in one namespace become Foo
//     and Foo2 whatever the file order.
//  3. Fields: elements first, then attributes get the "Attr" suffix on a clash;
//     names of generated methods (Validate, ValidateXSD, MarshalXMLText,
//     MarshalXMLTextTyped, UnmarshalXMLText, XSDType) and of the generated
//     fields (Derived, XSINil, XSIType, XSIHints, AnyAttrs, Unknown) get the
//     "Field" suffix; Value, Text, Content, Texts and ChildOrder, present in
//     some structs only, a numeric suffix there. Getters of
//     attributes with a default (Get<Field>) come last, numbered on a clash.
//  4. Names the emitter adds are claimed like the others: NewElement,
//     NewType and Prefixes are reserved in every package; a service claims
//     its stem only when <stem>Client, New<stem>Client, <stem>Handler,
//     Register<stem>, <stem>Operations and the header structs of its
//     operations (<stem><operation>RequestHeaders, …ResponseHeaders) are all
//     free (else Stem2…); operations of one service
//     that map to one Go name (case-only differences) are numbered in WSDL
//     order.
//  5. Files: one per source document, <base>.go (<base>_wsdl.go for WSDLs);
//     doc.go is the emitter's, a base ending like a build constraint
//     (_test, _linux, _amd64…) gets a trailing "_", and two documents with
//     one base get their directory as a prefix, then a number.
//  6. A names: pin that cannot have its name (reserved, or pinned twice) is
//     an error at the pin, never silently renamed.

// goName converts an XML name to an exported Go identifier.
func goName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) || r > unicode.MaxASCII {
			up = true
			continue
		}
		if up {
			b.WriteRune(unicode.ToUpper(r))
			up = false
		} else {
			b.WriteRune(r)
		}
	}
	n := b.String()
	if n == "" {
		return "X"
	}
	if unicode.IsDigit(rune(n[0])) {
		n = "X" + n
	}
	return n
}

// pkgName turns a package directory into a Go package name.
func pkgName(dir string) string {
	base := dir[strings.LastIndex(dir, "/")+1:]
	base = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToLower(base))
	if base == "" || unicode.IsDigit(rune(base[0])) {
		base = "ns" + base
	}
	if token.Lookup(base).IsKeyword() {
		base += "ns"
	}
	return base
}

// nsDir derives a default package directory from a namespace URI: the last
// meaningful segment, with a preceding segment kept when the last one is a
// version ("urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0" → "rim",
// "urn:hl7-org:v3" → "hl7orgv3", "http://www.w3.org/2005/08/addressing" → "addressing").
func nsDir(ns string) string {
	if ns == "" {
		return "nons"
	}
	segs := strings.FieldsFunc(ns, func(r rune) bool { return r == ':' || r == '/' || r == '#' })
	isVersion := func(s string) bool {
		s = strings.TrimPrefix(strings.ToLower(s), "v")
		for _, r := range s {
			if !(r >= '0' && r <= '9' || r == '.') {
				return false
			}
		}
		return true
	}
	var keep []string
	for i := len(segs) - 1; i >= 0 && len(keep) < 2; i-- {
		s := strings.TrimSuffix(segs[i], ".xsd")
		if isVersion(s) {
			if len(keep) == 0 && i > 0 {
				keep = append(keep, s)
				continue
			}
			continue
		}
		keep = append(keep, s)
		break
	}
	var b strings.Builder
	for i := len(keep) - 1; i >= 0; i-- {
		b.WriteString(keep[i])
	}
	return pkgName(b.String())
}

// reservedPkg returns the package-level names the emitter declares itself (in
// doc.go): a schema type cannot have them.
func reservedPkg() []string { return []string{"NewElement", "NewType", "Prefixes"} }

// claim is a request for a Go identifier in a package scope.
type claim struct {
	want     string
	priority int
	key      string // tie-break: XML namespace + local name, or a stable path
	suffix   string // preferred first suffix on collision ("" = numeric only)
	set      func(string)
	// also, when set, lists the package-level names that taking name
	// declares instead of name itself (a service's client, handler,
	// registration…): all must be free.
	also func(name string) []string
	// pin is the config key of a names: pin ("" for derived names); a pin
	// that cannot have its name is reported, not renamed.
	pin string
}

// Claim priorities (lower wins).
const (
	prioPin = iota
	prioComplexType
	prioEnumType
	prioSimpleCheck
	prioElementType
	prioAnonymous
	prioConst
)

// resolve assigns every claim a unique name, deterministically, and
// returns the pins that could not have their name (then numbered anyway so
// that lowering can go on and report every problem).
func resolve(claims []*claim, reserved map[string]bool) []*claim {
	sort.SliceStable(claims, func(i, j int) bool {
		a, b := claims[i], claims[j]
		if a.priority != b.priority {
			return a.priority < b.priority
		}
		if a.want != b.want {
			return a.want < b.want
		}
		return a.key < b.key
	})
	used := reserved
	// declared lists the names a claim declares: its name, or only the
	// derived ones when it has some (a service stem names nothing itself).
	declared := func(name string, c *claim) []string {
		if c.also != nil {
			return c.also(name)
		}
		return []string{name}
	}
	free := func(name string, c *claim) bool {
		for _, n := range declared(name, c) {
			if used[n] {
				return false
			}
		}
		return true
	}
	var failed []*claim
	for _, c := range claims {
		name := c.want
		if !free(name, c) && c.suffix != "" && free(name+c.suffix, c) {
			name += c.suffix
		}
		if !free(name, c) && c.pin != "" {
			failed = append(failed, c)
		}
		for i := 2; !free(name, c); i++ {
			name = c.want + strconv.Itoa(i)
		}
		for _, n := range declared(name, c) {
			used[n] = true
		}
		c.set(name)
	}
	return failed
}

// uniqueNames numbers the names that repeat, in order: ["Get", "get"] →
// ["Get", "Get2"] once case-folded to Go names. used holds names already
// taken in the scope and receives the new ones.
func uniqueNames(names []string, used map[string]bool) []string {
	out := make([]string, len(names))
	for i, n := range names {
		name := n
		for k := 2; used[name]; k++ {
			name = n + strconv.Itoa(k)
		}
		used[name] = true
		out[i] = name
	}
	return out
}
