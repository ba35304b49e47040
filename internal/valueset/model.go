// Package valueset turns the CI-SIS / DMP value sets (JDV) of the kit into Go
// code: Load reads ANS SVS XML (IHE SVS RetrieveValueSetResponse with the
// ANS extra attributes) and FHIR ValueSet / CodeSystem JSON, detecting the
// format from the content; Emit writes one gofmt'd Go file per value set
// plus a registry; Generate does both for the kit's files.
//
// Code systems. XDS classifications carry the code system as an OID (the
// codingScheme slot), but FHIR ValueSets name it by canonical URL
// (compose.include[].system). A URL is resolved to its OID through the
// CodeSystem resources among the inputs, then through the built-in table
// knownCodeSystems (code systems of the NOS terminology, their identifiers
// copied from the ANS CodeSystem resources). An unknown URL is an error:
// nothing is emitted with a guessed code system. "urn:oid:X" systems are
// taken as OID X. The NOS code systems TRE_A10-NomenclatureURN and
// TRE_A12-NomenclatureASTM have the identifiers "URN" and "ASTM", which are
// the literal codingScheme values of the DMP messages (TD2.1) and of the
// JDV_J07 SVS file; they are kept as they are.
//
// Precedence. When several inputs define the same value set OID (JDV_J65
// exists as an SVS file of 2022-07-29 and as a FHIR ValueSet of 2024-02-23),
// the definition with the latest revision date wins (FHIR "date"; SVS
// "revisionDate", else "dateMaj") and replaces the others whole: concepts
// are never merged across inputs. The losers are recorded in
// ValueSet.Superseded and named in the generated file. Equal or missing
// dates are an error, since no rule can choose.
package valueset

import (
	"time"

	"github.com/dmpgen/dmpgen/internal/diag"
)

// Format is the format of an input file.
type Format string

// Input formats.
const (
	FormatSVS            Format = "svs"
	FormatFHIRValueSet   Format = "fhir-valueset"
	FormatFHIRCodeSystem Format = "fhir-codesystem"
)

// ValueSet is a value set read from one input file.
type ValueSet struct {
	OID     string // the value set OID
	Name    string // the NOS name, e.g. "JDV_J06-XdsClassCode-CISIS"
	Version string // FHIR version, or SVS version attribute; may be empty
	Title   string // title, else description
	// Date is the revision date that decides precedence; zero when absent.
	Date time.Time
	// EndDate is the SVS dateFin (the value set is no longer maintained); zero when absent.
	EndDate time.Time
	// Status is the FHIR status ("active", "retired", ...); "" for SVS.
	Status   string
	Concepts []Concept
	Source   string   // the input file
	Format   Format   // the input format
	Pos      diag.Pos // where the value set is defined
	// Superseded lists the other inputs that defined the same OID and lost.
	Superseded []Superseded
}

// Retired reports whether the value set is marked retired (FHIR status) or
// ended (SVS dateFin).
func (v ValueSet) Retired() bool { return v.Status == "retired" || !v.EndDate.IsZero() }

// Superseded describes an input that lost to a newer definition of the same OID.
type Superseded struct {
	Source  string
	Format  Format
	Version string
	Date    time.Time
}

// Concept is a coded concept of a value set.
type Concept struct {
	Code string
	// CodeSystem is the value XDS puts in codingScheme: the code system OID,
	// or its literal identifier ("ASTM", "URN").
	CodeSystem string
	// CodeSystemName is the NOS name of the code system ("TRE_A03-ClasseDocument"),
	// "" when the inputs do not say.
	CodeSystemName string
	Display        string
	// ValidFrom and EndDate are the ANS dateValid and dateFin of the concept
	// (SVS only); zero when absent. A concept with an EndDate is retired.
	ValidFrom, EndDate time.Time
	Pos                diag.Pos
}

// CodeSystem is a code system known by canonical URL.
type CodeSystem struct {
	URL  string
	OID  string // identifier: an OID, or a literal ("ASTM", "URN")
	Name string // NOS name, e.g. "TRE_A03-ClasseDocument"
}
