package xmlcmp

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	base := `<a:r xmlns:a="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" x="1" y="2"><a:c xsi:type="a:T">t</a:c>
  <!-- comment --><a:d/></a:r>`
	for _, tc := range []struct{ name, other, want string }{
		{"prefixes, attribute order, whitespace, comments", `<b:r xmlns:b="urn:a" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" y="2" x="1"><b:c i:type="b:T">t</b:c><b:d/></b:r>`, ""},
		{"text", `<a:r xmlns:a="urn:a" x="1" y="2"><a:c xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="a:T">u</a:c><a:d/></a:r>`, `child 0: "t" vs u`},
		{"attribute", `<a:r xmlns:a="urn:a" x="1"><a:c/><a:d/></a:r>`, "attributes"},
		{"xsi:type resolved", `<a:r xmlns:a="urn:a" xmlns:o="urn:o" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" x="1" y="2"><a:c xsi:type="o:T">t</a:c><a:d/></a:r>`, "attributes"},
		{"order", `<a:r xmlns:a="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" x="1" y="2"><a:d/><a:c xsi:type="a:T">t</a:c></a:r>`, "element {urn:a}c vs {urn:a}d"},
		{"missing child", `<a:r xmlns:a="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" x="1" y="2"><a:c xsi:type="a:T">t</a:c></a:r>`, "2 vs 1 children"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Diff([]byte(base), []byte(tc.other))
			if err != nil {
				t.Fatal(err)
			}
			if (tc.want == "") != (d == "") || !strings.Contains(d, tc.want) {
				t.Fatalf("diff %q, want %q", d, tc.want)
			}
		})
	}
}
