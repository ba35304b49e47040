package xmlbind

import (
	"bytes"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// TestWriteNodesKeepsEverything: mixed content kept as DOM (mixed: dom)
// is written back with its comments and processing instructions, at the
// top level as inside child elements.
func TestWriteNodesKeepsEverything(t *testing.T) {
	const doc = `<p>a<!-- top --><?pi top?><b>t<!-- in --><?pi in?></b>z</p>`
	d := xmltext.NewDecoder([]byte(doc), xmltext.Options{})
	start, err := d.Next()
	if err != nil {
		t.Fatal(err)
	}
	el, err := d.ReadElement(start)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	e.Start(start.Name)
	WriteNodes(e, el.Children)
	e.End()
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != doc {
		t.Errorf("got  %s\nwant %s", got, doc)
	}
}
