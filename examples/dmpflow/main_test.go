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
	for _, want := range []string{"TD2.1  published", "ResponseStatusType:Success", "TD3.1  found 1 document", "TD3.2  retrieved", "(MTOM), identical", "TD3.3d archived"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
