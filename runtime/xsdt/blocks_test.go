package xsdt

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBlocksTableFresh runs the go:generate step of pattern.go (gen_blocks.go
// on the shipped Blocks.txt) in a temporary directory and compares its
// output with the committed blocks_table.go, byte for byte.
func TestBlocksTableFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "run", filepath.Join(wd, "gen_blocks.go"), filepath.Join(wd, "Blocks.txt"))
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run gen_blocks.go: %v\n%s", err, out)
	}
	got, err := os.ReadFile(filepath.Join(dir, "blocks_table.go"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("blocks_table.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("blocks_table.go differs from what go generate writes from Blocks.txt: run go generate ./runtime/xsdt")
	}
	if unicodeBlocksVersion != "Blocks-14.0.0" {
		t.Errorf("unicodeBlocksVersion = %q", unicodeBlocksVersion)
	}
}
