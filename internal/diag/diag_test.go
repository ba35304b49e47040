package diag

import (
	"errors"
	"fmt"
	"testing"
)

func TestListSortDedupRel(t *testing.T) {
	var l List
	l.Add(Pos{File: "/k/b.xsd", Line: 2, Col: 1}, "second")
	l.Add(Pos{File: "/k/a.xsd", Line: 9, Col: 4}, "first")
	l.Add(Pos{File: "/k/b.xsd", Line: 2, Col: 1}, "second")
	l.AddErr(Pos{File: "/k/c.xsd"}, fmt.Errorf("wrapped: %w", Errorf(Pos{File: "/k/a.xsd", Line: 1}, "inner")))
	l.AddErr(Pos{File: "/k/c.xsd", Line: 3, Col: 7}, errors.New("plain"))
	l.Sort()
	got := l.Rel("/k").Error()
	want := "a.xsd:1: inner\na.xsd:9:4: first\nb.xsd:2:1: second\nc.xsd:3:7: plain"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if (List{}).Err() != nil {
		t.Fatal("empty list must be a nil error")
	}
}
