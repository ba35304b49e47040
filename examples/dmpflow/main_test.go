package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestFlow runs the example: publish, find, retrieve and archive against the
// test DMP over HTTPS with client certificates and a signed VIHF.
func TestFlow(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"TD2.1  published 1.2.250.1.213.1.1.9.1.42", "TD3.1  found 1 document(s); urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e \"Note de consultation\", status urn:oasis:names:tc:ebxml-regrep:StatusType:Approved",
		"TD3.2  retrieved", "(text/xml), identical", "TD3.3d archived urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e; TD3.1 finds 1 archived document(s)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
