package xds

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/dmpgen/dmpgen/runtime/oid"
)

// maxSlotValue is the ebRIM limit on a slot value (IPF: 256 characters).
const maxSlotValue = 256

// many is an unbounded maximum.
const many = -1

// slotSpec returns the cardinality of a known slot.
type slotSpec func(name string) (min, max int)

// isExtraMetadata reports whether a slot name is extra metadata (IHE ITI
// TF-3 4.1.14): a URN outside the urn:ihe: namespace.
func isExtraMetadata(name string) bool {
	return strings.HasPrefix(name, "urn:") && !strings.HasPrefix(name, "urn:ihe:")
}

// slotCount is what an object says about one slot name.
type slotCount struct {
	occurrences int
	values      []string // of the last occurrence
}

// rawCount counts the slots kept raw with a name.
func rawCount(read []Slot, name string, sc slotCount) slotCount {
	for i := range read {
		if !read[i].Lifted && read[i].Name == name {
			sc.occurrences++
			sc.values = read[i].Values
		}
	}
	return sc
}

// slots checks the slots of an object: names, duplicates, value lengths,
// cardinalities of the known slots (typed or kept raw) and unknown names.
func (c *checker) slots(obj string, read []Slot, refs []slotRef, spec slotSpec) {
	raw := 0
	for i := range read {
		if !read[i].Lifted {
			raw++
		}
	}
	for k := range refs {
		var sc slotCount
		if v := refs[k].values(); len(v) > 0 {
			sc.occurrences, sc.values = 1, v
			c.slotValues(obj, p(refs[k].name), v)
		}
		if raw > 0 {
			sc = rawCount(read, refs[k].name, sc)
		}
		min, max := spec(refs[k].name)
		c.cardinality(obj, p(refs[k].name), refs[k].one != nil, sc, min, max)
	}
	if raw == 0 {
		return
	}
	for i := range read {
		s := &read[i]
		if s.Lifted {
			continue
		}
		c.slotValues(obj, p(s.Name), s.Values)
		switch {
		case s.Name == "":
			c.add(CodeMissingSlotName, obj, p("Slot"), "slot %d has no name", i+1)
		case slotIndex(refs, s.Name) >= 0, firstNamed(read, s.Name) != i:
			// a known slot (checked above), or a name already reported
		default:
			if n := rawCount(read, s.Name, slotCount{}).occurrences; n > 1 {
				c.add(CodeDuplicateSlotName, obj, p(s.Name), "slot %q occurs %d times", s.Name, n)
			}
			if !isExtraMetadata(s.Name) {
				c.add(CodeUnknownSlotName, obj, p(s.Name), "%q is not a slot of this object nor extra metadata (urn:, not urn:ihe:)", s.Name)
			}
		}
	}
}

func firstNamed(slots []Slot, name string) int {
	for i := range slots {
		if !slots[i].Lifted && slots[i].Name == name {
			return i
		}
	}
	return -1
}

// cardinality checks the occurrences and values of a known slot.
func (c *checker) cardinality(obj string, attr path, single bool, sc slotCount, min, max int) {
	switch {
	case sc.occurrences > 1:
		c.add(CodeDuplicateSlotName, obj, attr, "slot occurs %d times", sc.occurrences)
	case sc.occurrences == 0:
		if min > 0 {
			c.add(CodeWrongNumberOfSlotValues, obj, attr, "required slot missing")
		}
	case single && len(sc.values) == 1 && sc.values[0] == "":
		if attr.name == SlotURI {
			c.add(CodeEmptyURI, obj, attr, "empty URI")
		} else {
			c.add(CodeEmptySlotValue, obj, attr, "empty value")
		}
	case len(sc.values) < min || (max != many && len(sc.values) > max):
		c.add(CodeWrongNumberOfSlotValues, obj, attr, "%d value(s), want %s", len(sc.values), rangeString(min, max))
	}
}

func rangeString(min, max int) string {
	if max == many {
		return itoa(min) + "..*"
	}
	return itoa(min) + ".." + itoa(max)
}

func itoa(i int) string {
	if i < 10 && i >= 0 {
		return string(rune('0' + i))
	}
	var b [20]byte
	n := len(b)
	neg := i < 0
	if neg {
		i = -i
	}
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		n--
		b[n] = '-'
	}
	return string(b[n:])
}

func (c *checker) slotValues(obj string, attr path, values []string) {
	for _, v := range values {
		if len(v) > maxSlotValue && utf8.RuneCountInString(v) > maxSlotValue {
			c.add(CodeSlotValueTooLong, obj, attr, "value of %d characters, more than %d", utf8.RuneCountInString(v), maxSlotValue)
		}
	}
}

// classificationSpec describes the classifications an object may have.
type classificationSpec struct {
	authorScheme string
	// limited is the limited-metadata scheme of the object ("" for none).
	limited string
	// count returns the cardinality of a coded scheme.
	count func(scheme string) (min, max int)
}

// classifications checks the classifications of an object: their
// classified object, the typed codes and authors, the ones kept raw, and the
// number of each coded attribute.
func (c *checker) classifications(t typedObject, spec classificationSpec) {
	b := t.base()
	obj := b.EntryUUID
	for _, cl := range b.Extra.Classifications {
		c.classifiedObject(obj, cl)
		c.partSlots(obj, cl.Slots)
	}
	codes := t.codeRefs(&c.buf)
	for k := range codes {
		r := &codes[k]
		n := 0
		forCodes(r, func(i int, code *Code) {
			n++
			attr := p(r.attr)
			if r.many != nil {
				attr = at(r.attr, i)
			}
			c.code(obj, attr, code)
		})
		for _, cl := range b.Extra.Classifications {
			if cl.Lifted || !eq(cl.SchemeValue(), r.scheme) {
				continue
			}
			n++
			c.rawCode(obj, p(r.attr), cl)
		}
		min, max := spec.count(r.scheme)
		if n < min || (max != many && n > max) {
			c.add(CodeWrongNumberOfClassifications, obj, p(r.attr), "%d classification(s) with scheme %s, want %s", n, r.scheme, rangeString(min, max))
		}
	}
	if scheme, authors := t.authorRef(); authors != nil {
		for i := range *authors {
			c.author(obj, at("author", i), &(*authors)[i])
		}
		for _, cl := range b.Extra.Classifications {
			if !cl.Lifted && cl.SchemeValue() == scheme {
				c.rawAuthor(obj, cl)
			}
		}
	}
	for _, cl := range b.Extra.Classifications {
		if cl.Lifted || cl.Node != nil {
			continue
		}
		s := cl.SchemeValue()
		switch {
		case s == spec.authorScheme && s != "", codeIndex(codes, s) >= 0:
		case s == spec.limited && s != "":
			if c.o.Transaction != ITI18 {
				c.add(CodeLimitedMetadataProhibited, obj, p("limitedMetadata"), "limited metadata is only for XDR and XDM")
			}
		default:
			c.add(CodeUnknownClassificationScheme, obj, p("Classification "+cl.ID), "scheme %q is not one this object has", s)
		}
	}
}

func forCodes(r *codeRef, f func(int, *Code)) {
	if r.one != nil {
		if !r.one.IsZero() {
			f(0, r.one)
		}
		return
	}
	for i := range *r.many {
		f(i, &(*r.many)[i])
	}
}

func (c *checker) classifiedObject(obj string, cl *Classification) {
	switch cl.ClassifiedObject {
	case obj:
	case "":
		c.add(CodeNoClassifiedObj, obj, p("Classification "+cl.ID), "no classifiedObject")
	default:
		c.add(CodeWrongClassifiedObj, obj, p("Classification "+cl.ID), "classifiedObject %q is not the object that holds the classification", cl.ClassifiedObject)
	}
}

// partSlots checks the slots of a classification or an identifier: names,
// duplicates and value lengths.
func (c *checker) partSlots(obj string, slots []Slot) {
	for i := range slots {
		s := &slots[i]
		if s.Lifted {
			continue
		}
		c.slotValues(obj, p(s.Name), s.Values)
		if s.Name == "" {
			c.add(CodeMissingSlotName, obj, p("Slot"), "slot %d of a classification has no name", i+1)
		}
	}
}

// code checks a typed coded attribute.
func (c *checker) code(obj string, attr path, code *Code) {
	if code.Code == "" {
		c.add(CodeNodeRepresentationMissing, obj, attr, "no code (nodeRepresentation)")
	}
	if code.Scheme == "" {
		c.add(CodeWrongNumberOfSlotValues, obj, attr.dot("codingScheme", 0), "no coding scheme")
	}
	if c.o.RequireDisplayNames && code.Display == "" {
		c.add(CodeNoClassificationNameObj, obj, attr, "no display name")
	}
	if code.Code != "" {
		c.inValueSet(obj, attr, code.Code, code.Scheme)
	}
}

// rawCode explains why a coded classification could not be read as a code.
func (c *checker) rawCode(obj string, attr path, cl *Classification) {
	if cl.NodeRepresentation == nil || *cl.NodeRepresentation == "" {
		c.add(CodeNodeRepresentationMissing, obj, attr, "classification %s has no nodeRepresentation", cl.ID)
	}
	n, values := 0, 0
	for _, s := range cl.Slots {
		if s.Name == SlotCodingScheme {
			n++
			values = len(s.Values)
		}
	}
	switch {
	case n > 1:
		c.add(CodeDuplicateSlotName, obj, attr.dot("codingScheme", 0), "classification %s has %d codingScheme slots", cl.ID, n)
	case n == 0 || values != 1:
		c.add(CodeWrongNumberOfSlotValues, obj, attr.dot("codingScheme", 0), "classification %s: codingScheme needs exactly one value", cl.ID)
	}
}

// identifiers checks the external identifiers of an object.
func (c *checker) identifiers(t typedObject) {
	b := t.base()
	obj := b.EntryUUID
	refs := t.idRefs(&c.buf)
	for _, e := range b.Extra.ExternalIdentifiers {
		if e.RegistryObject != obj {
			c.add(CodeWrongRegistryObject, obj, p("ExternalIdentifier "+e.ID), "registryObject %q is not the object that holds the identifier", e.RegistryObject)
		}
		c.partSlots(obj, e.Slots)
		if e.Lifted {
			continue
		}
		k := -1
		for i := range refs {
			if refs[i].scheme == e.Scheme {
				k = i
			}
		}
		if k < 0 {
			c.add(CodeUnknownIdentificationScheme, obj, p("ExternalIdentifier "+e.ID), "identification scheme %q is not one this object has", e.Scheme)
		}
	}
	for k := range refs {
		n := 0
		for _, e := range b.Extra.ExternalIdentifiers {
			if !e.Lifted && e.Scheme == refs[k].scheme {
				n++
			}
		}
		switch {
		case n > 1:
			c.add(CodeDuplicateExternalIdentifier, obj, p(refs[k].attr), "%d identifiers with scheme %s", n, refs[k].scheme)
		case *refs[k].value == "" && refs[k].attr == "uniqueId":
			c.add(CodeUniqueIDMissing, obj, p("uniqueId"), "no uniqueId")
		case *refs[k].value == "" && !c.limited(t):
			c.add(CodeMissingExternalIdentifier, obj, p(refs[k].attr), "no %s (identification scheme %s)", refs[k].attr, refs[k].scheme)
		}
	}
}

// limited reports whether the object has the limited-metadata classification.
func (c *checker) limited(t typedObject) bool {
	var scheme string
	switch t.(type) {
	case *DocumentEntry:
		scheme = SchemeDocLimitedMetadata
	case *SubmissionSet:
		scheme = SchemeSetLimitedMetadata
	case *Folder:
		scheme = SchemeFolderLimited
	default:
		return false
	}
	for _, cl := range t.base().Extra.Classifications {
		if eq(cl.SchemeValue(), scheme) {
			return true
		}
	}
	return false
}

// oidValue checks an OID attribute.
func (c *checker) oidValue(obj string, attr path, v string) {
	if v == "" {
		return
	}
	c.addErr(obj, attr, oid.Validate(v))
}

// oidCode maps a runtime/oid failure to its rule code.
func oidCode(err error) RuleCode {
	var oe *oid.Error
	if errors.As(err, &oe) {
		return RuleCode(oe.Code)
	}
	return ""
}
