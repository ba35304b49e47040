package xds

import (
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
)

// dtm checks an XDS time; it returns the zero DTM when v is empty or invalid.
func (c *checker) dtm(obj string, attr path, v string) hl7v2.DTM {
	if v == "" {
		return hl7v2.DTM{}
	}
	t, err := hl7v2.ParseDTM(v)
	if err != nil {
		c.addErr(obj, attr, err)
		return hl7v2.DTM{}
	}
	return t
}

// hl7Value parses an HL7 v2 value and checks it under the profile; ok is
// false when it does not parse.
func hl7Value[T any](c *checker, obj string, attr path, v string, parse func(string) (T, error), validate func(T, hl7v2.Profile) error) (x T, ok bool) {
	x, err := parse(v)
	if err != nil {
		c.addErr(obj, attr, err)
		return x, false
	}
	c.addErr(obj, attr, validate(x, c.o.Profile))
	return x, true
}

// Kinds of memoized value checks.
const (
	memoCX uint8 = iota + 1
	memoCXi
	memoXCN
	memoXON
	memoXTN
	memoRole
	memoSpecialty
)

type memoKey struct {
	kind  uint8
	value string
}

// finding is a violation without the object and attribute it concerns.
type finding struct {
	code   RuleCode
	detail string
}

// memo runs check on v once per distinct value and kind in a Validate
// call: the same patient id, author or organisation recurs in every entry
// of a query response, and parsing HL7 v2 values is most of the rules'
// cost. Later occurrences get the first one's findings.
func (c *checker) memo(kind uint8, obj string, attr path, v string, check func(obj string, attr path, v string)) {
	key := memoKey{kind, v}
	if fs, ok := c.seen[key]; ok {
		for _, f := range fs {
			c.out = append(c.out, Violation{Code: f.code, Object: obj, Attr: attr.String(), Detail: f.detail})
		}
		return
	}
	start := len(c.out)
	check(obj, attr, v)
	var fs []finding
	for _, x := range c.out[start:] {
		fs = append(fs, finding{x.Code, x.Detail})
	}
	c.seen[key] = fs
}

func (c *checker) cx(obj string, attr path, v string) {
	if v != "" {
		c.memo(memoCX, obj, attr, v, func(obj string, attr path, v string) {
			hl7Value(c, obj, attr, v, hl7v2.ParseCX, hl7v2.ValidateCX)
		})
	}
}

func (c *checker) cxi(obj string, attr path, v string) {
	c.memo(memoCXi, obj, attr, v, func(obj string, attr path, v string) {
		if x, ok := hl7Value(c, obj, attr, v, hl7v2.ParseCXi, hl7v2.ValidateCXi); ok && x.IdentifierTypeCode != "" {
			c.inValueSet(obj, attr, x.IdentifierTypeCode, "")
		}
	})
}

func (c *checker) xcn(obj string, attr path, v string) {
	if v != "" {
		c.memo(memoXCN, obj, attr, v, func(obj string, attr path, v string) {
			hl7Value(c, obj, attr, v, hl7v2.ParseXCN, hl7v2.ValidateXCN)
		})
	}
}

func (c *checker) xon(obj string, attr path, v string) {
	c.memo(memoXON, obj, attr, v, func(obj string, attr path, v string) {
		hl7Value(c, obj, attr, v, hl7v2.ParseXON, hl7v2.ValidateXON)
	})
}

func (c *checker) xtn(obj string, attr path, v string) {
	c.memo(memoXTN, obj, attr, v, func(obj string, attr path, v string) {
		hl7Value(c, obj, attr, v, hl7v2.ParseXTN, hl7v2.ValidateXTN)
	})
}

// cwe checks an authorRole or authorSpecialty value, and its code against
// the value set bound to binding.
func (c *checker) cwe(obj string, attr path, binding, v string) {
	kind := memoRole
	if binding == "authorSpecialty" {
		kind = memoSpecialty
	}
	c.memo(kind, obj, attr, v, func(obj string, attr path, v string) { c.cweOnce(obj, attr, binding, v) })
}

func (c *checker) cweOnce(obj string, attr path, binding, v string) {
	x, err := hl7v2.ParseCWE(v)
	if err != nil {
		c.addErr(obj, attr, err)
		return
	}
	if err := hl7v2.ValidateCWE(x, c.o.Profile); err != nil {
		c.addErr(obj, attr, err)
		return
	}
	if b, ok := c.o.ValueSets[binding]; ok && b.Set != nil && !b.Set.Contains(x.Identifier, x.CodingSystem) {
		c.add(CodeCodeNotInValueSet, obj, attr, "%q (coding scheme %s) is not in %s", x.Identifier, x.CodingSystem, b.Name)
	}
}

// pid checks a sourcePatientInfo value "PID-n|field" (IPF PidValidator):
// PID-2, PID-4, PID-12 and PID-19 are not supported, nor fields above 39.
func (c *checker) pid(obj string, attr path, v string) {
	head, _, ok := strings.Cut(v, "|")
	n, err := strconv.Atoi(strings.TrimPrefix(head, "PID-"))
	if !ok || !strings.HasPrefix(head, "PID-") || err != nil || n < 1 {
		c.add(CodeInvalidPID, obj, attr, "%q is not PID-n|value", v)
		return
	}
	switch {
	case n == 2 || n == 4 || n == 12 || n == 19 || n > 39:
		c.add(CodeUnsupportedPID, obj, attr, "PID-%d is not allowed in sourcePatientInfo", n)
	}
}

// recipient checks an intendedRecipient value "XON|XCN|XTN" (IPF
// RecipientListValidator): at least one part, each valid.
func (c *checker) recipient(obj string, attr path, v string) {
	if v == "" {
		c.add(CodeRecipientEmpty, obj, attr, "empty intendedRecipient")
		return
	}
	parts := strings.Split(v, "|")
	if len(parts) > 3 || strings.Trim(v, "|") == "" {
		c.add(CodeInvalidRecipient, obj, attr, "%q is not XON|XCN|XTN", v)
		return
	}
	if parts[0] != "" {
		c.xon(obj, attr, parts[0])
	}
	if len(parts) > 1 && parts[1] != "" {
		c.xcn(obj, attr, parts[1])
	}
	if len(parts) > 2 && parts[2] != "" {
		c.xtn(obj, attr, parts[2])
	}
}
