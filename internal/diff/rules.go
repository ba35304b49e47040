package diff

import (
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// Class says how a change affects a client generated from the old kit.
type Class int

// Change classes, from least to most severe.
const (
	// Cosmetic: neither the wire nor the Go API changes (documentation,
	// preferred prefixes, attribute order, portType names).
	Cosmetic Class = iota
	// Additive: an old client keeps working; the new kit accepts more.
	Additive
	// Breaking: an old client may send what the new kit rejects, receive
	// what it cannot read, or no longer compile against the new Go code.
	Breaking
)

func (c Class) String() string {
	switch c {
	case Breaking:
		return "breaking"
	case Additive:
		return "additive"
	}
	return "cosmetic"
}

// verdict is what a rule decides about one difference.
type verdict struct {
	class Class
	rule  string
	why   string
}

func breaking(rule, why string) verdict { return verdict{Breaking, rule, why} }
func additive(rule, why string) verdict { return verdict{Additive, rule, why} }
func cosmetic(rule, why string) verdict { return verdict{Cosmetic, rule, why} }

// removedRule classifies a component present only in the old kit.
func removedRule(k Kind) verdict {
	why := map[Kind]string{
		KindService:      "the Go client type disappears and the binding is no longer served",
		KindOperation:    "calls to it fail and its Go method disappears",
		KindMessage:      "operations that used it can no longer be called",
		KindElement:      "documents using it are no longer valid",
		KindType:         "its Go type disappears and documents using it are no longer valid",
		KindField:        "old documents carrying it are rejected and its Go field disappears",
		KindAttribute:    "old documents carrying it are rejected and its Go field disappears",
		KindGroup:        "old documents carrying it are rejected and its Go field disappears",
		KindAny:          "old documents with extension elements here are rejected",
		KindAnyAttribute: "old documents with extension attributes here are rejected",
		KindEnum:         "clients sending it are rejected and its Go constant disappears",
	}[k]
	return breaking(string(k)+"-removed", why)
}

// addedRule classifies a component present only in the new kit.
func addedRule(n *Node) verdict {
	k := n.Kind()
	switch k {
	case KindField, KindGroup, KindAny:
		if n.Props["minOccurs"] != "0" && n.Props["choice"] == "" {
			return breaking(string(k)+"-added-required", "old documents without it are rejected")
		}
		if n.Props["choice"] != "" {
			return additive(string(k)+"-added-optional", "a new alternative of a choice")
		}
		return additive(string(k)+"-added-optional", "old documents stay valid")
	case KindAttribute:
		if n.Props["use"] == "required" {
			return breaking("attribute-added-required", "old documents without it are rejected")
		}
		return additive("attribute-added-optional", "old documents stay valid")
	case KindEnum:
		return additive("enumeration-added", "a value old clients never send; when received, their Validate rejects it")
	}
	return additive(string(k)+"-added", "nothing an old client uses changes")
}

// simpleNillableRule classifies a nillable change of an element of simple
// type, whose Go field is the value or, nillable, a struct holding the
// value and XSINil: the Go API changes both ways.
func simpleNillableRule(new string) verdict {
	if new == "yes" {
		return breaking("nillable-added", "xsi:nil is now accepted; its Go field becomes a struct holding Value and XSINil")
	}
	return breaking("nillable-removed", "old documents with xsi:nil are rejected; its Go field becomes the plain value")
}

// propRule classifies the change of one property from old to new ("" =
// absent on that side).
func propRule(k Kind, prop, old, new string) verdict {
	name := strings.TrimPrefix(strings.TrimPrefix(prop, "value "), "item ")
	switch name {
	case "minOccurs":
		if atoi(new) > atoi(old) {
			return breaking("min-occurs-raised", "old documents without it are rejected (it became mandatory)")
		}
		return additive("min-occurs-lowered", "it became optional; old documents stay valid")
	case "maxOccurs":
		o, n := maxValue(old), maxValue(new)
		switch {
		case (o == 1) != (n == 1):
			return breaking("max-occurs-crosses-one", "the Go field changes between a single value and a slice")
		case n < o:
			return breaking("max-occurs-lowered", "old documents with more occurrences are rejected")
		}
		return additive("max-occurs-raised", "more occurrences are accepted")
	case "use":
		if new == "required" {
			return breaking("attribute-became-required", "old documents without it are rejected")
		}
		return breaking("attribute-became-optional", "its Go field becomes a pointer")
	case "nillable":
		if new == "yes" {
			return additive("nillable-added", "xsi:nil is now accepted")
		}
		return breaking("nillable-removed", "old documents with xsi:nil are rejected")
	case "default":
		return breaking("default-changed", "an absent value now means something else")
	case "fixed":
		switch {
		case new == "":
			return additive("fixed-removed", "any value is now accepted")
		case old == "":
			return breaking("fixed-added", "old documents with another value are rejected")
		}
		return breaking("fixed-changed", "old documents with another value are rejected")
	case "type":
		return breaking("type-changed", "the value's type, and its Go type, changed")
	case "base":
		return breaking("base-changed", "the derivation changed: xsi:type substitution and inherited content differ")
	case "kind":
		return breaking("kind-changed", "the Go type changes shape")
	case "abstract":
		if new == "yes" {
			return breaking("became-abstract", "it can no longer appear in documents")
		}
		return additive("became-concrete", "it can now appear in documents")
	case "mixed", "content":
		return breaking("content-model-changed", "the Go fields holding the content change")
	case "group":
		return breaking("group-kind-changed", "sequence and choice items differ on the wire and in Go")
	case "choice":
		if rank(old, "", "optional choice", "required choice") > rank(new, "", "optional choice", "required choice") {
			return additive("choice-loosened", "fewer exclusions between siblings")
		}
		return breaking("choice-tightened", "it now excludes or requires siblings that old documents combine")
	case "namespaces":
		if wildcardCovers(new, old) {
			return additive("wildcard-widened", "more extension namespaces are accepted")
		}
		return breaking("wildcard-narrowed", "extension elements of some namespaces are rejected")
	case "processContents":
		if rank(new, "strict", "lax", "skip") > rank(old, "strict", "lax", "skip") {
			return additive("wildcard-loosened", "extension content is validated less strictly")
		}
		return breaking("wildcard-tightened", "extension content is validated more strictly")
	case "pattern":
		switch {
		case new == "":
			return additive("pattern-removed", "values need not match a pattern any more")
		case old == "":
			return breaking("pattern-added", "old values that do not match it are rejected")
		}
		return breaking("pattern-changed", "old values may not match the new pattern")
	case "length":
		if new == "" {
			return additive("facet-loosened", "length is no longer fixed")
		}
		return breaking("facet-tightened", "old values of another length are rejected")
	case "minLength", "minInclusive", "minExclusive":
		return bound(old, new, true)
	case "maxLength", "maxInclusive", "maxExclusive", "totalDigits", "fractionDigits":
		return bound(old, new, false)
	case "whiteSpace":
		return breaking("whitespace-changed", "values are normalised differently")
	case "portType":
		return cosmetic("porttype-renamed", "the portType name is not on the wire")
	case "soap":
		return breaking("soap-version-changed", "requests use another envelope")
	case "endpoint":
		return breaking("endpoint-changed", "the generated default address changed")
	case "soapAction", "action", "responseAction":
		return breaking("action-changed", "the server dispatches on the action")
	case "input", "output":
		return breaking("message-element-changed", "the body element of the message changed")
	case "faults":
		if setCovers(new, old) {
			return additive("fault-added", "a new declared fault")
		}
		return breaking("fault-removed", "a declared fault and its Go type disappear")
	case "mtomRequest", "mtomResponse":
		return breaking("mtom-changed", "the message is packaged differently (MTOM/XOP)")
	case "parts":
		return breaking("message-parts-changed", "the message parts changed")
	case "package":
		return breaking("package-changed", "the Go import path changed")
	case "prefix":
		return cosmetic("prefix-changed", "namespace prefixes are not significant on the wire")
	case "substitutionGroup":
		return breaking("substitution-group-changed", "the elements allowed in place of the head changed")
	}
	return breaking("changed", "unclassified property "+prop+" changed")
}

// bound classifies a lower (lower=true) or upper bound facet. An absent
// bound is unbounded; a value that is not a number is compared textually
// and any change is breaking.
func bound(was, now string, lower bool) verdict {
	switch {
	case now == "":
		return additive("facet-loosened", "the bound was removed")
	case was == "":
		return breaking("facet-tightened", "a bound was added")
	}
	o, ok1 := new(big.Rat).SetString(unquote(was))
	n, ok2 := new(big.Rat).SetString(unquote(now))
	if !ok1 || !ok2 {
		return breaking("facet-tightened", "the bound changed (not comparable as numbers)")
	}
	c := n.Cmp(o)
	if lower {
		c = -c
	}
	switch {
	case c == 0:
		return cosmetic("facet-rewritten", "the same bound, written differently")
	case c > 0:
		return additive("facet-loosened", "more values are accepted")
	}
	return breaking("facet-tightened", "old values beyond the new bound are rejected")
}

func unquote(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// maxValue orders maxOccurs values, unbounded last.
func maxValue(s string) int {
	if s == "unbounded" {
		return int(^uint(0) >> 1)
	}
	return atoi(s)
}

func rank(v string, order ...string) int {
	for i, o := range order {
		if o == v {
			return i
		}
	}
	return -1
}

// wildcardCovers reports whether the namespace constraint wide accepts
// every namespace narrow accepts (##other is only compared with ##any).
func wildcardCovers(wide, narrow string) bool {
	if wide == "##any" {
		return true
	}
	if strings.HasPrefix(wide, "##other") || strings.HasPrefix(narrow, "##other") || narrow == "##any" {
		return false
	}
	return setCovers(strings.ReplaceAll(wide, " ", ", "), strings.ReplaceAll(narrow, " ", ", "))
}

// setCovers reports whether the comma-separated list wide contains every item of narrow.
func setCovers(wide, narrow string) bool {
	have := map[string]bool{}
	for _, s := range strings.Split(wide, ", ") {
		have[s] = true
	}
	for _, s := range strings.Split(narrow, ", ") {
		if s != "" && !have[s] {
			return false
		}
	}
	return true
}

func sortedProps(a, b map[string]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]string{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
