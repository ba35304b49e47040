package xmlbind

// The version guard, as protobuf's protoimpl.EnforceVersion: the package
// doc.go of every generated package declares
//
//	const (
//		_ = xmlbind.EnforceVersion(6 - xmlbind.MinVersion) // the generated code is recent enough for this runtime
//		_ = xmlbind.EnforceVersion(xmlbind.MaxVersion - 6) // this runtime is recent enough for the generated code
//	)
//
// with 6 the GenVersion of the dmpgen that generated it. A version outside
// [MinVersion, MaxVersion] makes one constant negative, which does not
// convert to the unsigned EnforceVersion: the generated package does not
// compile, and the error points at the line of the check that failed
// (constant -1 overflows xmlbind.EnforceVersion). Regenerate with the
// dmpgen of the same module version as this runtime.
//
// Rules for maintainers: a change of the runtime that generated code must
// see raises GenVersion (and with it MaxVersion); MinVersion rises only when
// this runtime drops support for older generated code, after generated/ and
// the examples have been regenerated. Raising GenVersion alone keeps every
// existing generated package compiling, the generator's own dependencies
// included, so dmpgen can always be rebuilt to regenerate them.
const (
	// GenVersion is the version of generated code that this runtime's
	// dmpgen writes (internal/gen checks that it writes this one).
	GenVersion = 6
	// MinVersion is the oldest version of generated code this runtime supports.
	MinVersion = 1
	// MaxVersion is the newest version of generated code this runtime supports.
	MaxVersion = GenVersion
)

// EnforceVersion is the type generated code converts its version checks to:
// a negative (unsupported) difference does not compile.
type EnforceVersion uint

// SupportPackageIsVersion1 is what code generated before the version window
// refers to (generated-code version 1).
//
// Deprecated: generated code now uses EnforceVersion; regenerate.
const SupportPackageIsVersion1 = true
