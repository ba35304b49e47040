// Package cda derives the XDS DocumentEntry of a CDA R2 document from its
// header, following the CI-SIS mapping (docs/cda.md), and checks an
// existing entry against the header.
//
// Only the header is read: Read stops at the body (ClinicalDocument/
// component), so the cost is linear in the header and a large body is never
// loaded. Header elements present but not mapped are Warnings; attributes a
// header cannot carry (classCode, formatCode, and the codes an optional
// element may lack) are Supplied by the caller.
package cda
