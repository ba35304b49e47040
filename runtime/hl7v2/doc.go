// Package hl7v2 parses and formats the HL7 v2.5 datatypes that IHE XDS
// metadata carries in ebRIM slot values: CX (patient ids), CXi
// (referenceIdList), HD, XCN (authorPerson, legalAuthenticator), XON
// (authorInstitution), XTN (authorTelecommunication), CWE (the
// "code^display^scheme" form of authorSpecialty/authorRole) and DTM (XDS
// times YYYY[MM[DD[hh[mm[ss]]]]] in UTC).
//
// Parsing is structural and lossless: every component and subcomponent the
// datatype defines is kept, the escape sequences \F\ \S\ \T\ \R\ \E\ are
// decoded, and Format re-encodes them, so Format(Parse(s)) == s for every
// value in canonical form (no trailing empty components or subcomponents,
// which Parse drops). Other escape sequences (\Xhh\, \H\, \.br\ ...) and raw
// field or repetition separators ('|', '~') are rejected.
//
// Whether a parsed value meets the IHE XDS constraints (CX with only CX.1 and
// CX.4, an ISO assigning authority, ...) is checked separately by the
// Validate functions, under a Profile (strict IHE, or DMP with the
// relaxations seen in the official DMP messages).
//
// Every failure is an *Error with a stable Code (IPF ValidationMessage names
// where one fits) and the component/subcomponent position.
package hl7v2
