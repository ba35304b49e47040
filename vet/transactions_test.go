package vet

import (
	"slices"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/testdmp/devserver"
)

// TestTransactionsMatchTestDMP: for every operation the test DMP serves,
// vet's table gives the TD numbers of the test DMP's table.
func TestTransactionsMatchTestDMP(t *testing.T) {
	mine := map[*soap.Operation][]string{}
	for _, tr := range transactions() {
		if tr.TD != "" {
			mine[tr.op] = append(mine[tr.op], tr.TD)
		}
	}
	for op, want := range devserver.Transactions() {
		if op == nil {
			t.Fatal("the test DMP's table has an operation the generated code lacks")
		}
		got := mine[op]
		slices.Sort(got)
		w := strings.Split(want.TD, "/")
		if want.TD == "" {
			w = nil
		}
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("%s: vet says %v, the test DMP %v", op, got, w)
		}
	}
}
