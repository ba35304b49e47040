package xsdt

import (
	"testing"
	"time"
)

func TestParseDateTime(t *testing.T) {
	valid := []struct {
		in    string
		utc   string // Time() in UTC, RFC3339Nano; "" to skip
		hasTZ bool
	}{
		{"2019-06-26T08:08:55.469Z", "2019-06-26T08:08:55.469Z", true},
		{"2019-06-26T08:08:55", "2019-06-26T08:08:55Z", false},
		{"2019-06-26T10:08:55+02:00", "2019-06-26T08:08:55Z", true},
		{"2000-01-01T00:00:00+14:00", "1999-12-31T10:00:00Z", true},
		{"2000-01-01T00:00:00-14:00", "2000-01-01T14:00:00Z", true},
		{"1999-12-31T24:00:00Z", "2000-01-01T00:00:00Z", true},
		{"1999-12-31T24:00:00.000", "2000-01-01T00:00:00Z", false},
		{"2000-02-29T00:00:00", "2000-02-29T00:00:00Z", false},
		{"12345-01-01T00:00:00Z", "", true},
		{"-0001-01-01T00:00:00Z", "", true}, // 1 BCE
		{"-12345-03-01T00:00:00", "", false},
		{"2019-06-26T08:08:55.123456789123Z", "2019-06-26T08:08:55.123456789Z", true},
		{" 2019-06-26T08:08:55Z\n", "2019-06-26T08:08:55Z", true},
	}
	for _, tt := range valid {
		v, err := ParseDateTime(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if v.String() != trim(tt.in) || v.HasTZ() != tt.hasTZ {
			t.Errorf("%q: String %q HasTZ %v", tt.in, v.String(), v.HasTZ())
		}
		if tt.utc != "" {
			if got := v.Time().UTC().Format(time.RFC3339Nano); got != tt.utc {
				t.Errorf("%q: Time %s, want %s", tt.in, got, tt.utc)
			}
		}
	}
	invalid := []string{
		"", "2019-06-26", "2019-06-26T08:08", "2019-6-26T08:08:55", "19-06-26T08:08:55", "0000-01-01T00:00:00",
		"02019-01-01T00:00:00", "2019-13-01T00:00:00", "2019-00-01T00:00:00", "2019-02-29T00:00:00",
		"1900-02-29T00:00:00", "2019-04-31T00:00:00", "2019-01-01T24:00:01", "2019-01-01T24:00:00.1",
		"2019-01-01T23:60:00", "2019-01-01T23:59:60", "2019-01-01T25:00:00", "2019-01-01T00:00:00+14:01",
		"2019-01-01T00:00:00+15:00", "2019-01-01T00:00:00+0100", "2019-01-01T00:00:00z", "2019-01-01T00:00:00.",
		"2019-01-01T00:00:00Z ", // fine: trimmed — removed below
		"2019-01-01 00:00:00", "+2019-01-01T00:00:00", "2019-01-01T00:00:00ZZ", "1234567890-01-01T00:00:00",
	}
	for _, in := range invalid {
		if in == "2019-01-01T00:00:00Z " {
			continue
		}
		if _, err := ParseDateTime(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	// Leap years in BCE: -0001 is 1 BCE, astronomical year 0, a leap year.
	if _, err := ParseDateTime("-0001-02-29T00:00:00"); err != nil {
		t.Errorf("-0001-02-29: %v", err)
	}
	if _, err := ParseDateTime("-0002-02-29T00:00:00"); err == nil {
		t.Error("-0002-02-29 accepted")
	}
	if v, _ := ParseDateTime("-0001-01-01T00:00:00Z"); v.Time().Year() != 0 {
		t.Errorf("-0001 is astronomical year %d", v.Time().Year())
	}
}

func TestDateTimeOfAndZero(t *testing.T) {
	loc := time.FixedZone("", -(9*3600 + 30*60))
	v := DateTimeOf(time.Date(2024, 2, 29, 23, 5, 7, 120000000, loc))
	if v.String() != "2024-02-29T23:05:07.12-09:30" {
		t.Errorf("got %s", v)
	}
	if got := DateTimeOf(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)).String(); got != "2024-01-02T03:04:05Z" {
		t.Errorf("got %s", got)
	}
	if got := DateTimeOf(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)).String(); got != "-0001-01-01T00:00:00Z" {
		t.Errorf("year 0: %s", got)
	}
	if got := DateTimeOf(time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC)).String(); got != "12345-01-01T00:00:00Z" {
		t.Errorf("year 12345: %s", got)
	}
	if got := (DateTime{}).String(); got != "0001-01-01T00:00:00" {
		t.Errorf("zero value %s", got)
	}
	for _, s := range []string{"2024-02-29T23:05:07.12-09:30", "-0001-01-01T00:00:00Z", "0001-01-01T00:00:00"} {
		if _, err := ParseDateTime(s); err != nil {
			t.Errorf("canonical output %q does not parse: %v", s, err)
		}
	}
	if got := DateOf(time.Date(2024, 3, 1, 23, 0, 0, 0, time.FixedZone("", 3600))).String(); got != "2024-03-01+01:00" {
		t.Errorf("DateOf %s", got)
	}
	if got := DateOfNoTZ(time.Date(2024, 3, 1, 23, 0, 0, 0, time.UTC)).String(); got != "2024-03-01" {
		t.Errorf("DateOfNoTZ %s", got)
	}
	if got := TimeOf(time.Date(2024, 3, 1, 23, 0, 0, 5000, time.UTC)).String(); got != "23:00:00.000005Z" {
		t.Errorf("TimeOf %s", got)
	}
	if got := GYearOf(-44).String(); got != "-0044" {
		t.Errorf("GYearOf %s", got)
	}
}

func TestDateTimeCmp(t *testing.T) {
	mk := func(s string) DateTime {
		v, err := ParseDateTime(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		a, b string
		c    int
		ok   bool
	}{
		{"2000-01-01T12:00:00Z", "2000-01-01T13:00:00+01:00", 0, true},
		{"2000-01-01T12:00:00Z", "2000-01-01T12:00:00.001Z", -1, true},
		{"2000-01-01T12:00:00", "2000-01-01T12:00:00.000", 0, true},
		{"1999-12-31T24:00:00Z", "2000-01-01T00:00:00Z", 0, true},
		{"2000-01-01T12:00:00Z", "2000-01-01T12:00:00", 0, false}, // within 14h
		{"2000-01-01T12:00:00Z", "2000-01-02T03:00:00", -1, true}, // beyond 14h
		{"2000-01-02T03:00:00Z", "2000-01-01T12:00:00", 1, true},  // beyond 14h
		{"2000-01-01T12:00:00", "2000-01-01T00:00:00Z", 0, false}, // within 14h
		{"-0001-12-31T23:59:59Z", "0001-01-01T00:00:00Z", -1, true},
		{"10000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", 1, true},
	}
	for _, tt := range tests {
		c, ok := mk(tt.a).Cmp(mk(tt.b))
		if ok != tt.ok || ok && c != tt.c {
			t.Errorf("Cmp(%s, %s) = %d,%v want %d,%v", tt.a, tt.b, c, ok, tt.c, tt.ok)
		}
	}
}

func TestOtherDateTypes(t *testing.T) {
	type parser func(string) (interface {
		String() string
		HasTZ() bool
	}, error)
	wrap := func(f any) parser {
		return func(s string) (interface {
			String() string
			HasTZ() bool
		}, error) {
			switch f := f.(type) {
			case func(string) (Date, error):
				return f(s)
			case func(string) (Time, error):
				return f(s)
			case func(string) (GYear, error):
				return f(s)
			case func(string) (GYearMonth, error):
				return f(s)
			case func(string) (GMonth, error):
				return f(s)
			case func(string) (GMonthDay, error):
				return f(s)
			case func(string) (GDay, error):
				return f(s)
			}
			panic("type")
		}
	}
	tests := []struct {
		name      string
		parse     parser
		good, bad []string
	}{
		{"date", wrap(ParseDate), []string{"2019-06-26", "2019-06-26Z", "2019-06-26-05:00", "-0044-03-15", "2000-02-29"},
			[]string{"2019-06-26T00:00:00", "2019-02-29", "2019-6-26", "0000-01-01", "2019-06-26+14:30"}},
		{"time", wrap(ParseTime), []string{"08:08:55", "24:00:00", "00:00:00.5Z", "23:59:59.999+14:00"},
			[]string{"8:08:55", "24:00:01", "12:00", "12:00:00+", "T12:00:00"}},
		{"gYear", wrap(ParseGYear), []string{"2019", "-0001", "12345Z", "2019+01:00"}, []string{"19", "0000", "02019", "2019-01"}},
		{"gYearMonth", wrap(ParseGYearMonth), []string{"2019-06", "2019-12Z"}, []string{"2019-13", "2019", "2019-6"}},
		{"gMonth", wrap(ParseGMonth), []string{"--06", "--12Z", "--01-05:00"}, []string{"--13", "-06", "--6", "--06--"}},
		{"gMonthDay", wrap(ParseGMonthDay), []string{"--02-29", "--12-31Z"}, []string{"--02-30", "--04-31", "--1-01", "02-29"}},
		{"gDay", wrap(ParseGDay), []string{"---01", "---31", "---15Z"}, []string{"---32", "---00", "--01", "---1"}},
	}
	for _, tt := range tests {
		for _, s := range tt.good {
			v, err := tt.parse(s)
			if err != nil {
				t.Errorf("%s %q: %v", tt.name, s, err)
				continue
			}
			if v.String() != s {
				t.Errorf("%s %q: String %q", tt.name, s, v.String())
			}
		}
		for _, s := range tt.bad {
			if _, err := tt.parse(s); err == nil {
				t.Errorf("%s %q accepted", tt.name, s)
			}
		}
	}
	a, _ := ParseDate("2000-01-01Z")
	b, _ := ParseDate("2000-01-02+13:00")
	if c, ok := a.Cmp(b); !ok || c != -1 { // 2000-01-02T00:00+13:00 is 2000-01-01T11:00Z
		t.Errorf("date Cmp %d %v", c, ok)
	}
	tm, _ := ParseTime("24:00:00")
	if h, _, _, _ := tm.Clock(); h != 24 {
		t.Errorf("Clock %d", h)
	}
}

func TestDuration(t *testing.T) {
	valid := []struct {
		in, canon string
		std       time.Duration
		stdOK     bool
	}{
		{"P1Y2M3DT4H5M6.7S", "P1Y2M3DT4H5M6.7S", 0, false},
		{"-P0D", "PT0S", 0, true},
		{"PT0S", "PT0S", 0, true},
		{"P0Y", "PT0S", 0, true},
		{"PT36H", "PT36H", 36 * time.Hour, true},
		{"-PT1.5S", "-PT1.5S", -1500 * time.Millisecond, true},
		{"P1D", "P1D", 24 * time.Hour, true},
		{"PT.5S", "PT0.5S", 500 * time.Millisecond, true},
		{"PT5.S", "PT5S", 5 * time.Second, true},
		{"P1M", "P1M", 0, false},
		{"PT1M", "PT1M", time.Minute, true},
		{"P10000000000000D", "P10000000000000D", 0, false},
	}
	for _, tt := range valid {
		d, err := ParseDuration(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if d.String() != tt.in {
			t.Errorf("%q: String %q", tt.in, d.String())
		}
		p := d.Parts()
		re, err := DurationFromParts(p)
		if err != nil || re.String() != tt.canon {
			t.Errorf("%q: canonical %q %v, want %q", tt.in, re.String(), err, tt.canon)
		}
		std, ok := d.Std()
		if ok != tt.stdOK || ok && std != tt.std {
			t.Errorf("%q: Std %v %v", tt.in, std, ok)
		}
	}
	for _, in := range []string{"", "P", "PT", "-P", "P1", "1Y", "P1S", "PT1D", "P1H", "P1M1Y", "P1Y1Y", "PT1H1H", "P-1Y", "P1.5Y",
		"PT1.5H", "P1YT", "PTT1H", "P 1Y", "p1Y", "P1DT1H1D", "P99999999999999999999Y", "+P1Y", "PT.S"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	for _, td := range []time.Duration{0, time.Nanosecond, -90 * time.Minute, 49*time.Hour + 1500*time.Millisecond} {
		d := DurationOf(td)
		back, err := ParseDuration(d.String())
		if err != nil {
			t.Errorf("DurationOf(%v) = %q: %v", td, d, err)
			continue
		}
		if std, ok := back.Std(); !ok || std != td {
			t.Errorf("DurationOf(%v) = %q reads back as %v", td, d, std)
		}
	}
	cmpTests := []struct {
		a, b string
		c    int
		ok   bool
	}{
		{"P1Y", "P12M", 0, true},
		{"P1M", "P30D", 0, false},
		{"P1M", "P32D", -1, true},
		{"PT24H", "P1D", 0, true},
		{"-P1D", "PT0S", -1, true},
		{"P1Y", "P365D", 0, false},
		{"P1Y", "P367D", -1, true},
	}
	for _, tt := range cmpTests {
		a, _ := ParseDuration(tt.a)
		b, _ := ParseDuration(tt.b)
		c, ok := a.Cmp(b)
		if ok != tt.ok || ok && c != tt.c {
			t.Errorf("Cmp(%s, %s) = %d,%v want %d,%v", tt.a, tt.b, c, ok, tt.c, tt.ok)
		}
	}
}

func TestGTypesCmpAndAccessors(t *testing.T) {
	y1, _ := ParseGYear("-0044")
	y2, _ := ParseGYear("2019Z")
	if c, ok := y1.Cmp(y2); ok { // one without time zone, but years apart: determinate
		if c != -1 {
			t.Errorf("gYear Cmp %d", c)
		}
	} else {
		t.Error("gYear Cmp indeterminate")
	}
	if y1.Year() != -44 || y1.HasTZ() || !y2.HasTZ() {
		t.Error("gYear accessors")
	}
	ym1, _ := ParseGYearMonth("2019-01")
	ym2, _ := ParseGYearMonth("2019-02")
	m1, _ := ParseGMonth("--01Z")
	m2, _ := ParseGMonth("--01+01:00")
	md1, _ := ParseGMonthDay("--02-28")
	md2, _ := ParseGMonthDay("--02-29")
	d1, _ := ParseGDay("---01")
	d2, _ := ParseGDay("---02")
	t1, _ := ParseTime("12:00:00Z")
	t2, _ := ParseTime("13:00:00+01:00")
	results := []struct {
		name string
		c    int
		ok   bool
		want int
	}{
		{"gYearMonth", first(ym1.Cmp(ym2)), second(ym1.Cmp(ym2)), -1},
		{"gMonth", first(m1.Cmp(m2)), second(m1.Cmp(m2)), 1},
		{"gMonthDay", first(md1.Cmp(md2)), second(md1.Cmp(md2)), -1},
		{"gDay", first(d1.Cmp(d2)), second(d1.Cmp(d2)), -1},
		{"time", first(t1.Cmp(t2)), second(t1.Cmp(t2)), 0},
	}
	for _, r := range results {
		if !r.ok || r.c != r.want {
			t.Errorf("%s Cmp = %d,%v want %d", r.name, r.c, r.ok, r.want)
		}
	}
	for _, v := range []interface{ HasTZ() bool }{ym1, md1, d1} {
		if v.HasTZ() {
			t.Errorf("%v HasTZ", v)
		}
	}
	dt, _ := ParseDateTime("2019-01-01T00:00:00-05:30")
	if off, ok := dt.TZOffset(); !ok || off != -330 {
		t.Errorf("TZOffset %d %v", off, ok)
	}
	if dd, _ := ParseDate("2019-01-02"); dd.HasTZ() || dd.Time().Day() != 2 {
		t.Error("Date accessors")
	}
	if d, _ := ParseDuration("-P0D"); d.Neg() {
		t.Error("-P0D is not negative")
	}
	if d, _ := ParseDuration("-PT1S"); !d.Neg() {
		t.Error("-PT1S is negative")
	}
	if f := DecimalFromInt(3).Float64(); f != 3 {
		t.Errorf("Float64 %v", f)
	}
}

func first(c int, _ bool) int    { return c }
func second(_ int, ok bool) bool { return ok }
