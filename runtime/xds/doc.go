// Package xds is the IHE XDS.b metadata layer of the DMP runtime: a typed
// model of DocumentEntry, SubmissionSet, Folder and Association with every
// IHE attribute, its lossless correspondence with ebRIM 3.0 objects, and the
// metadata rules (Open eHealth IPF's checklist, association completeness,
// unknown slot names, CI-SIS/DMP value sets) with stable violation codes.
//
// The package does not import the generated bindings (runtime/* never
// does): it works on a small mirror of the ebRIM parts XDS uses
// (RegistryObject, Slot, Classification, ExternalIdentifier). The package
// dmp/xdsrim converts between that mirror and generated/xds/rim, and binds
// the value sets of generated/valuesets.
//
// Reading: Lift interprets ebRIM objects as Metadata. Every well-formed
// IHE part goes into a typed field (DocumentEntry.ClassCode,
// DocumentEntry.CreationTime, ...); every other part (extra metadata slots,
// unknown classifications, a second classCode, a slot with the wrong number
// of values) stays in the object's Extra, in document order, so that
// nothing is lost. Writing: Lower gives back the ebRIM objects, parts read
// by Lift at their original place with their original ids, parts built in
// Go in the IHE order with generated ids.
//
// Checking: Validate applies the rules of a transaction (ITI-41, ITI-18
// response, ITI-57) and returns every Violation, each with its code (the
// IPF ValidationMessage name where IPF has the rule), the entryUUID of the
// object and the attribute concerned.
package xds
