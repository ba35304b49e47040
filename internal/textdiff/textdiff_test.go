package textdiff

import (
	"math/rand"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	for _, tc := range []struct{ name, old, new, want string }{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"change", "a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nD\ne\nf\ng\nh\n",
			"--- old\n+++ new\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n"},
		{"from empty", "", "x\ny\n", "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n"},
		{"to empty", "x\n", "", "--- old\n+++ new\n@@ -1 +0,0 @@\n-x\n"},
		{"no newline", "a\nb", "a\nb\n", "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n",
			"--- old\n+++ new\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n@@ -9,4 +10,3 @@\n 9\n 10\n 11\n-12\n"}, // as GNU diff -u prints it
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Unified("old", "new", []byte(tc.old), []byte(tc.new)); got != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestLinesMinimal compares the edit script with a dynamic-programming LCS
// on random inputs: the script rebuilds both sides and is as short as possible.
func TestLinesMinimal(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	gen := func() []string {
		n := r.Intn(30)
		out := make([]string, n)
		for i := range out {
			out[i] = string(rune('a' + r.Intn(4)))
		}
		return out
	}
	for iter := 0; iter < 3000; iter++ {
		a, b := gen(), gen()
		edits := Lines(a, b)
		var ra, rb []string
		changes := 0
		for _, e := range edits {
			switch e.Op {
			case Equal:
				if a[e.A] != b[e.B] {
					t.Fatalf("%q %q: equal edit on different lines", a, b)
				}
				ra, rb = append(ra, a[e.A]), append(rb, b[e.B])
			case Delete:
				ra = append(ra, a[e.A])
				changes++
			case Insert:
				rb = append(rb, b[e.B])
				changes++
			}
		}
		if strings.Join(ra, "") != strings.Join(a, "") || strings.Join(rb, "") != strings.Join(b, "") {
			t.Fatalf("%q %q: script does not rebuild the inputs", a, b)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); changes != want {
			t.Fatalf("%q %q: %d changes, minimal is %d", a, b, changes, want)
		}
	}
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// TestUnifiedApplies applies random diffs with patch(1)'s rules, read back
// from the unified text, and checks the result is the new text.
func TestUnifiedApplies(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for iter := 0; iter < 500; iter++ {
		var a, b strings.Builder
		for i := r.Intn(60); i > 0; i-- {
			a.WriteString(string(rune('a'+r.Intn(5))) + "\n")
		}
		for i := r.Intn(60); i > 0; i-- {
			b.WriteString(string(rune('a'+r.Intn(5))) + "\n")
		}
		d := Unified("a", "b", []byte(a.String()), []byte(b.String()))
		if got := apply(t, a.String(), d); got != b.String() {
			t.Fatalf("applying\n%s\nto %q gives %q, want %q", d, a.String(), got, b.String())
		}
	}
}

// apply is a minimal patch for diffs of newline-terminated lines.
func apply(t *testing.T, old, diff string) string {
	a := splitLines(old)
	var out []string
	next := 0 // next old line to copy
	lines := splitLines(diff)
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "--- "), strings.HasPrefix(l, "+++ "):
		case strings.HasPrefix(l, "@@ "):
			var as, al int
			f := strings.Fields(l)[1][1:]
			if n, _ := fmtSscan(f, &as, &al); n == 1 {
				al = 1
			}
			start := as - 1
			if al == 0 {
				start = as
			}
			out = append(out, a[next:start]...)
			next = start
		case l[0] == ' ':
			out = append(out, a[next])
			next++
		case l[0] == '-':
			next++
		case l[0] == '+':
			out = append(out, l[1:])
		default:
			t.Fatalf("bad line %q", l)
		}
	}
	out = append(out, a[next:]...)
	return strings.Join(out, "")
}

func fmtSscan(s string, a, b *int) (int, error) {
	start, n, ok := strings.Cut(s, ",")
	if _, err := fmtAtoi(start, a); err != nil {
		return 0, err
	}
	if !ok {
		return 1, nil
	}
	_, err := fmtAtoi(n, b)
	return 2, err
}

func fmtAtoi(s string, v *int) (int, error) {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	*v = n
	return n, nil
}

func BenchmarkUnifiedLarge(b *testing.B) {
	var old strings.Builder
	for i := 0; i < 50000; i++ {
		old.WriteString("line " + string(rune('a'+i%26)) + strings.Repeat("x", i%7) + "\n")
	}
	o := old.String()
	n := strings.Replace(strings.Replace(o, "line cxx\n", "line CXX\n", 3), "line q\n", "", 5)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Unified("a", "b", []byte(o), []byte(n))
	}
}
