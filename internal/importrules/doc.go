// Package importrules holds the test that enforces the import structure of
// the repository (go list, without test files):
//
//   - cmd/dmpgen links no generated/ package and no testdmp package: the
//     generator does not depend on its own output (dmpgen testdmp runs the
//     separate command cmd/dmpgen-testdmp);
//   - runtime/... imports nothing from internal/ or generated/: it is the
//     library that generated code and users import;
//   - internal/gen (emission) imports neither internal/xsd nor
//     internal/wsdl: it works from the IR only;
//   - internal/ir imports nothing else from the repository.
//
// Known exceptions are listed in the test with their reason; the test fails
// on a new violation and on an exception that is no longer needed.
package importrules
