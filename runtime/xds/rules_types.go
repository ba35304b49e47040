package xds

import (
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
)

// dtm checks an XDS time; it returns the zero DTM when v is empty or invalid.
func (c *checker) dtm(obj, attr, v string) hl7v2.DTM {
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
func hl7Value[T any](c *checker, obj, attr, v string, parse func(string) (T, error), validate func(T, hl7v2.Profile) error) (x T, ok bool) {
	x, err := parse(v)
	if err != nil {
		c.addErr(obj, attr, err)
		return x, false
	}
	c.addErr(obj, attr, validate(x, c.o.Profile))
	return x, true
}

func (c *checker) cx(obj, attr, v string) {
	if v != "" {
		hl7Value(c, obj, attr, v, hl7v2.ParseCX, hl7v2.ValidateCX)
	}
}

func (c *checker) cxi(obj, attr, v string) {
	if x, ok := hl7Value(c, obj, attr, v, hl7v2.ParseCXi, hl7v2.ValidateCXi); ok && x.IdentifierTypeCode != "" {
		c.inValueSet(obj, attr, x.IdentifierTypeCode, "")
	}
}

func (c *checker) xcn(obj, attr, v string) {
	if v != "" {
		hl7Value(c, obj, attr, v, hl7v2.ParseXCN, hl7v2.ValidateXCN)
	}
}

func (c *checker) xon(obj, attr, v string) {
	hl7Value(c, obj, attr, v, hl7v2.ParseXON, hl7v2.ValidateXON)
}

func (c *checker) xtn(obj, attr, v string) {
	hl7Value(c, obj, attr, v, hl7v2.ParseXTN, hl7v2.ValidateXTN)
}

// cwe checks an authorRole or authorSpecialty value, and its code against
// the value set bound to binding.
func (c *checker) cwe(obj, attr, binding, v string) {
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
func (c *checker) pid(obj, attr, v string) {
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
func (c *checker) recipient(obj, attr, v string) {
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
