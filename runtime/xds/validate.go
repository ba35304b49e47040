package xds

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
)

// RuleCode is the stable code of a metadata rule: the name of Open eHealth
// IPF's ValidationMessage where IPF has the rule (docs/xds.md#rule-codes),
// the runtime/hl7v2 code for a datatype failure, or a dmpgen code for the
// checks IPF lacks (see Rules).
type RuleCode string

// Violation is a broken rule.
type Violation struct {
	Code RuleCode
	// Object is the entryUUID (ebRIM id) of the object concerned, "" for
	// a rule on the metadata as a whole.
	Object string
	// Attr is the attribute concerned: an IHE attribute name
	// ("classCode", "creationTime", "patientId"), indexed from 1 when
	// repeated ("confidentialityCode[2]", "author[1].authorPerson"), or an
	// ebRIM attribute ("entryUUID", "lid", "status", "mimeType").
	Attr   string
	Detail string
}

func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(string(v.Code))
	if v.Object != "" {
		fmt.Fprintf(&b, " %q", v.Object)
	}
	if v.Attr != "" {
		b.WriteString(" " + v.Attr)
	}
	if v.Detail != "" {
		b.WriteString(": " + v.Detail)
	}
	return b.String()
}

// Violations is what Validate found, in a stable order.
type Violations []Violation

// Has reports whether a violation has the code.
func (vs Violations) Has(c RuleCode) bool {
	for _, v := range vs {
		if v.Code == c {
			return true
		}
	}
	return false
}

// Err returns nil when there is no violation, else an *Error.
func (vs Violations) Err() error {
	if len(vs) == 0 {
		return nil
	}
	return &Error{Violations: vs}
}

// Error is the error form of Violations, for errors.As.
type Error struct {
	Violations Violations
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "XDS: %d rule violation(s)", len(e.Violations))
	for i, v := range e.Violations {
		if i == 10 {
			fmt.Fprintf(&b, "; and %d more", len(e.Violations)-i)
			break
		}
		b.WriteString("; " + v.String())
	}
	return b.String()
}

// Transaction selects the rules of an IHE transaction.
type Transaction uint8

// The transactions whose metadata the DMP exchanges.
const (
	// ITI41 is a Provide and Register Document Set-b request (TD2.1).
	ITI41 Transaction = iota + 1
	// ITI42 is a Register Document Set-b request (repository to registry).
	ITI42
	// ITI18 is a Registry Stored Query response (TD3.1).
	ITI18
	// ITI57 is an Update Document Set request (TD3.3c/d: availability status).
	ITI57
)

func (t Transaction) String() string {
	switch t {
	case ITI41:
		return "ITI-41"
	case ITI42:
		return "ITI-42"
	case ITI18:
		return "ITI-18"
	case ITI57:
		return "ITI-57"
	}
	return "Transaction(?)"
}

func (t Transaction) isQuery() bool { return t == ITI18 }

// ValueSet is a set of codes; generated/valuesets.ValueSet satisfies it.
type ValueSet interface {
	Contains(code, codeSystem string) bool
}

// Binding names the value set the codes of an attribute must belong to.
type Binding struct {
	Name string // e.g. "JDV_J57-ClassCode-DMP", for messages
	Set  ValueSet
}

// ValueSets binds attributes to value sets, by attribute name: classCode,
// typeCode, formatCode, healthcareFacilityTypeCode, practiceSettingCode,
// confidentialityCode, eventCodeList, contentTypeCode, codeList,
// authorSpecialty, authorRole (CWE values: code and coding scheme),
// availabilityStatus and referenceIdList (the identifier type, CX.5): the
// wire form of the last two carries no code system, and their Set is asked
// with codeSystem "".
type ValueSets map[string]Binding

// Options configure Validate.
type Options struct {
	Transaction Transaction
	// Profile selects the HL7 v2 datatype rules (runtime/hl7v2) and, for
	// hl7v2.DMP, accepts the DMP availability statuses (Archived, Deleted)
	// where IHE expects Approved or Deprecated.
	Profile hl7v2.Profile
	// ValueSets, when not nil, checks coded attributes (CODE_NOT_IN_VALUE_SET).
	ValueSets ValueSets
	// RequireDisplayNames reports coded attributes without a display name
	// (NO_CLASSIFICATION_NAME_OBJ): IPF requires them for Continua HRN only.
	RequireDisplayNames bool
}

// Validate checks metadata against the rules of a transaction and returns
// every violation found (not only the first, unlike IPF).
func Validate(m *Metadata, o Options) Violations {
	if o.Transaction == 0 {
		return Violations{{Code: CodeInvalidOptions, Detail: "Options.Transaction is not set"}}
	}
	c := newChecker(m, o)
	c.submission()
	for _, it := range m.Items {
		switch x := it.(type) {
		case *DocumentEntry:
			c.documentEntry(x)
		case *SubmissionSet:
			c.submissionSet(x)
		case *Folder:
			c.folder(x)
		case *Association:
			c.association(x)
		}
	}
	return c.out
}

// checker holds what the rules share while checking one Metadata.
type checker struct {
	m    *Metadata
	o    Options
	out  Violations
	sets []*SubmissionSet
	ss   *SubmissionSet // the SubmissionSet when there is exactly one
	// objects by entryUUID
	docs    map[string]*DocumentEntry
	folders map[string]*Folder
	assocs  map[string]*Association
	setIDs  map[string]bool
	buf     refBuf
	seen    map[memoKey][]finding
}

func newChecker(m *Metadata, o Options) *checker {
	c := &checker{m: m, o: o, docs: map[string]*DocumentEntry{}, folders: map[string]*Folder{},
		assocs: map[string]*Association{}, setIDs: map[string]bool{}, seen: map[memoKey][]finding{}}
	for _, it := range m.Items {
		switch x := it.(type) {
		case *DocumentEntry:
			c.docs[x.EntryUUID] = x
		case *Folder:
			c.folders[x.EntryUUID] = x
		case *Association:
			c.assocs[x.EntryUUID] = x
		case *SubmissionSet:
			c.sets = append(c.sets, x)
			c.setIDs[x.EntryUUID] = true
		}
	}
	if len(c.sets) == 1 {
		c.ss = c.sets[0]
	}
	return c
}

func (c *checker) add(code RuleCode, obj string, attr path, format string, args ...any) {
	c.out = append(c.out, Violation{Code: code, Object: obj, Attr: attr.String(), Detail: fmt.Sprintf(format, args...)})
}

// addErr reports a datatype failure from runtime/hl7v2 or runtime/oid under
// its own code.
func (c *checker) addErr(obj string, attr path, err error) {
	if err == nil {
		return
	}
	var list hl7v2.Errors
	if errors.As(err, &list) {
		for _, e := range list {
			c.out = append(c.out, Violation{Code: RuleCode(e.Code), Object: obj, Attr: attr.String(), Detail: e.Error()})
		}
		return
	}
	code := CodeInvalidValue
	var he *hl7v2.Error
	if errors.As(err, &he) {
		code = RuleCode(he.Code)
	}
	if oc := oidCode(err); oc != "" {
		code = oc
	}
	c.out = append(c.out, Violation{Code: code, Object: obj, Attr: attr.String(), Detail: err.Error()})
}

// path names an attribute in a Violation: name, name[i], name[i].sub or
// name[i].sub[j] (indexes from 1, 0 for none). It is built on the stack and
// becomes a string only when a violation is recorded.
type path struct {
	name string
	i    int
	sub  string
	j    int
}

// p is the path of a plain attribute.
func p(name string) path { return path{name: name} }

// at is the path of the i-th (0-based) value of a repeated attribute.
func at(name string, i int) path { return path{name: name, i: i + 1} }

// dot is the path of a part of an attribute.
func (a path) dot(sub string, j int) path {
	a.sub, a.j = sub, j
	return a
}

func (a path) String() string {
	s := a.name
	if a.i > 0 {
		s += "[" + strconv.Itoa(a.i) + "]"
	}
	if a.sub != "" {
		s += "." + a.sub
		if a.j > 0 {
			s += "[" + strconv.Itoa(a.j) + "]"
		}
	}
	return s
}
