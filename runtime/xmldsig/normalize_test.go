package xmldsig

import (
	"bytes"
	"testing"
)

// FuzzAttrWhitespace: the fast detector never misses a document the
// rewriting pass would change.
func FuzzAttrWhitespace(f *testing.F) {
	for _, s := range []string{
		"<a b=\"x\ny\"/>", "<a b='\t'/>", "<!-- \" --><a b=\"\r\n\"/>", "<a><![CDATA[\"\n]]></a>",
		"<?p a=\"\n\"?><a/>", "<a b=\"1\">\n</a>", "<a b=\"x", "<!x", "<a b='\"\n'/>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if out := rewriteAttrWhitespace(b); !bytes.Equal(out, b) && !attrWhitespace(b) {
			t.Fatalf("detector missed a rewrite: %q -> %q", b, out)
		}
	})
}
