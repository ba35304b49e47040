package xsdt

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	valid := []struct {
		in, lex, canon string
		total, frac    int
	}{
		{"0", "0", "0", 1, 0},
		{"-0", "-0", "0", 1, 0},
		{"+0.000", "+0.000", "0", 1, 0},
		{".5", ".5", "0.5", 1, 1},
		{"1.", "1.", "1", 1, 0},
		{"+1", "+1", "1", 1, 0},
		{"007.50", "007.50", "7.5", 2, 1},
		{" \n-12.340\t", "-12.340", "-12.34", 4, 2},
		{"0.005", "0.005", "0.005", 3, 3},
		{"120", "120", "120", 3, 0},
		{"123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789",
			"123456789012345678901234567890.123456789", 39, 9},
	}
	for _, tt := range valid {
		d, err := ParseDecimal(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if d.String() != tt.lex || d.Canonical() != tt.canon || d.TotalDigits() != tt.total || d.FractionDigits() != tt.frac {
			t.Errorf("%q: lex %q canon %q digits %d/%d, want %q %q %d/%d", tt.in, d.String(), d.Canonical(),
				d.TotalDigits(), d.FractionDigits(), tt.lex, tt.canon, tt.total, tt.frac)
		}
	}
	for _, in := range []string{"", " ", ".", "-", "+", "1e5", "1,5", "1.2.3", "--1", "+-1", "1 2", "INF", "NaN", "0x10", "١"} {
		_, err := ParseDecimal(in)
		var le *LexicalError
		if !errors.As(err, &le) || le.Type != "decimal" {
			t.Errorf("%q: got %v, want a decimal LexicalError", in, err)
		}
	}
}

func TestDecimalOrderAndRat(t *testing.T) {
	order := []string{"-100", "-99.99", "-1", "-0.5", "-0.05", "0", "-0", "0.0", "0.01", "0.1", ".11", "1", "1.0", "9.9", "10", "100.001"}
	ds := make([]Decimal, len(order))
	for i, s := range order {
		ds[i], _ = ParseDecimal(s)
	}
	for i := range ds {
		for j := range ds {
			want := ds[i].Rat().Cmp(ds[j].Rat())
			if got := ds[i].Cmp(ds[j]); got != want {
				t.Errorf("Cmp(%s, %s) = %d, want %d", ds[i], ds[j], got, want)
			}
		}
	}
	if r := mustDec(t, "-12.5").Rat(); r.Cmp(big.NewRat(-25, 2)) != 0 {
		t.Errorf("Rat %v", r)
	}
	if !mustDec(t, "-0.00").IsZero() || mustDec(t, "0.001").IsZero() {
		t.Error("IsZero")
	}
}

func mustDec(t *testing.T, s string) Decimal {
	t.Helper()
	d, err := ParseDecimal(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecimalConstructors(t *testing.T) {
	tests := []struct {
		r     *big.Rat
		scale int
		want  string
	}{
		{big.NewRat(1, 3), 2, "0.33"},
		{big.NewRat(2, 3), 2, "0.67"},
		{big.NewRat(5, 2), 0, "2"},   // half to even
		{big.NewRat(7, 2), 0, "4"},   // half to even
		{big.NewRat(-5, 2), 0, "-2"}, // half to even
		{big.NewRat(-1, 8), 2, "-0.12"},
		{big.NewRat(1, 200), 2, "0.00"}, // rounds to zero: "0.00"
		{big.NewRat(1250, 100), 3, "12.500"},
		{big.NewRat(-3, 1000), 3, "-0.003"},
	}
	for _, tt := range tests {
		if got := DecimalFromRat(tt.r, tt.scale).String(); got != tt.want {
			t.Errorf("DecimalFromRat(%v, %d) = %s, want %s", tt.r, tt.scale, got, tt.want)
		}
	}
	if got := DecimalFromInt(-42).String(); got != "-42" {
		t.Errorf("DecimalFromInt %s", got)
	}
	if got := DecimalFromInt(math.MinInt64).String(); got != "-9223372036854775808" {
		t.Errorf("DecimalFromInt(min) %s", got)
	}
	if got := (Decimal{}).String(); got != "0" {
		t.Errorf("zero value %q", got)
	}
}

func TestInteger(t *testing.T) {
	i, err := ParseInteger(" +00123456789012345678901234567890 ")
	if err != nil || i.String() != "+00123456789012345678901234567890" || i.Big().String() != "123456789012345678901234567890" {
		t.Fatalf("%v %v", i, err)
	}
	if _, ok := i.Int64(); ok {
		t.Error("Int64 overflow not reported")
	}
	if v, ok := IntegerFromInt64(-7).Int64(); !ok || v != -7 {
		t.Error("Int64")
	}
	for _, in := range []string{"1.0", "", "+", "1e3", "12a"} {
		if _, err := ParseInteger(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	if a, b := IntegerFromInt64(-3), IntegerFromInt64(2); a.Cmp(b) != -1 || b.Cmp(a) != 1 || a.Sign() != -1 {
		t.Error("Cmp/Sign")
	}
	checks := []struct {
		f    func(string) (Integer, error)
		good []string
		bad  []string
	}{
		{ParseNonNegativeInteger, []string{"0", "-0", "+5"}, []string{"-1"}},
		{ParsePositiveInteger, []string{"1", "+0001"}, []string{"0", "-0", "-1"}},
		{ParseNegativeInteger, []string{"-1"}, []string{"0", "-0", "1"}},
		{ParseNonPositiveInteger, []string{"0", "-0", "-9"}, []string{"1"}},
	}
	for _, c := range checks {
		for _, s := range c.good {
			if _, err := c.f(s); err != nil {
				t.Errorf("%q: %v", s, err)
			}
		}
		for _, s := range c.bad {
			if _, err := c.f(s); err == nil {
				t.Errorf("%q accepted", s)
			}
		}
	}
}

func TestBoundedInts(t *testing.T) {
	good := []struct {
		in   string
		bits int
		want int64
	}{
		{"127", 8, 127}, {"-128", 8, -128}, {"+0042", 16, 42}, {" 2147483647\n", 32, math.MaxInt32},
		{"-9223372036854775808", 64, math.MinInt64}, {"-0", 32, 0},
	}
	for _, tt := range good {
		if v, err := ParseInt(tt.in, tt.bits); err != nil || v != tt.want {
			t.Errorf("ParseInt(%q, %d) = %d, %v", tt.in, tt.bits, v, err)
		}
	}
	for _, in := range []struct {
		s    string
		bits int
	}{{"128", 8}, {"-129", 8}, {"2147483648", 32}, {"1.0", 32}, {"", 64}, {"0x1", 64}, {"1_000", 64}} {
		if _, err := ParseInt(in.s, in.bits); err == nil {
			t.Errorf("ParseInt(%q, %d) accepted", in.s, in.bits)
		}
	}
	if v, err := ParseUint("-0", 8); err != nil || v != 0 {
		t.Errorf("ParseUint(-0) %v", err)
	}
	if v, err := ParseUint("18446744073709551615", 64); err != nil || v != math.MaxUint64 {
		t.Errorf("ParseUint(max) %v", err)
	}
	for _, s := range []string{"-1", "256", "+"} {
		if _, err := ParseUint(s, 8); err == nil {
			t.Errorf("ParseUint(%q, 8) accepted", s)
		}
	}
	var le *LexicalError
	if _, err := ParseInt("300", 8); !errors.As(err, &le) || le.Type != "byte" || le.Reason != "out of range" {
		t.Errorf("error %v", err)
	}
}

func TestBooleanAndDouble(t *testing.T) {
	for in, want := range map[string]bool{"true": true, "1": true, " false ": false, "0": false} {
		if v, err := ParseBoolean(in); err != nil || v != want {
			t.Errorf("%q: %v %v", in, v, err)
		}
	}
	for _, in := range []string{"TRUE", "yes", "", "01"} {
		if _, err := ParseBoolean(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	doubles := map[string]float64{
		"1": 1, "-1.5E3": -1500, ".5e-1": 0.05, "1.": 1, "+2": 2, "INF": math.Inf(1), "+INF": math.Inf(1),
		"-INF": math.Inf(-1), "1e400": math.Inf(1), "-0": math.Copysign(0, -1), "12.5e+2": 1250,
	}
	for in, want := range doubles {
		v, err := ParseDouble(in, 64)
		if err != nil || v != want || math.Signbit(v) != math.Signbit(want) {
			t.Errorf("ParseDouble(%q) = %v %v, want %v", in, v, err, want)
		}
	}
	if v, err := ParseDouble("NaN", 64); err != nil || !math.IsNaN(v) {
		t.Error("NaN")
	}
	for _, in := range []string{"inf", "Infinity", "nan", "1e", "e5", "0x1p3", "1_0", "", ".", "1.5f", "- 1"} {
		if _, err := ParseDouble(in, 64); err == nil {
			t.Errorf("ParseDouble(%q) accepted", in)
		}
	}
	if v, _ := ParseDouble("0.1", 32); v != float64(float32(0.1)) {
		t.Errorf("float rounding %v", v)
	}
	for _, f := range []float64{0, 1, -1.5, 0.1, 1e21, 1e-7, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1)} {
		s := FormatDouble(f, 64)
		if back, err := ParseDouble(s, 64); err != nil || back != f {
			t.Errorf("FormatDouble(%v) = %q does not read back: %v %v", f, s, back, err)
		}
	}
	if FormatDouble(math.NaN(), 64) != "NaN" || FormatDouble(math.Inf(-1), 32) != "-INF" {
		t.Error("special values")
	}
}
