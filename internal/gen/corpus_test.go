package gen

import "testing"

// TestCorpus checks each set of the generality corpus (testdata/corpus,
// public WSDLs and schemas of other services, listed in SOURCES.md) that
// dmpgen generates (cmd.txt "exit: 0"): the generated packages type-check,
// the set's messages/*.xml round-trip (decode, Validate, encode, compare)
// and, where messages/schemas.txt names a schema, xmllint finds our
// encodings valid. The sets dmpgen refuses are checked by internal/cli's
// TestCorpus against their stderr.txt.
func TestCorpus(t *testing.T) {
	if runCases(t, "corpus", false) == 0 {
		t.Fatal("no set of testdata/corpus generates successfully")
	}
}
