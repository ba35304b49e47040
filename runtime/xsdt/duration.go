package xsdt

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Duration is an xs:duration. The zero value is PT0S.
type Duration struct {
	p   DurationParts
	lex string
}

// DurationParts are the fields of a duration as written.
type DurationParts struct {
	Neg                                 bool
	Years, Months, Days, Hours, Minutes int64
	Seconds                             Decimal // non-negative
}

// ParseDuration parses an xs:duration: -?PnYnMnDTnHnMn.nS with at least one
// field, and at least one time field after T. Fields beyond int64 are
// rejected.
func ParseDuration(s string) (Duration, error) {
	t := trim(s)
	bad := func(reason string) (Duration, error) { return Duration{}, lexErr("duration", s, reason) }
	var d Duration
	d.lex = t
	p := t
	if p != "" && p[0] == '-' {
		d.p.Neg = true
		p = p[1:]
	}
	if p == "" || p[0] != 'P' {
		return bad("expected 'P'")
	}
	p = p[1:]
	fields := 0
	inTime := false
	order := 0 // position of the last designator, to enforce Y M D T H M S order
	for p != "" {
		if p[0] == 'T' {
			if inTime {
				return bad("duplicate 'T'")
			}
			inTime = true
			p = p[1:]
			if p == "" {
				return bad("'T' must be followed by a time field")
			}
			continue
		}
		n := 0
		for n < len(p) && (p[n] >= '0' && p[n] <= '9' || p[n] == '.') {
			n++
		}
		if n == 0 || n == len(p) {
			return bad("")
		}
		numText, des := p[:n], p[n]
		p = p[n+1:]
		pos := strings.IndexByte("YMD", des) + 1
		if inTime {
			pos = strings.IndexByte("HMS", des) + 4
			if pos == 3 {
				pos = 0
			}
		}
		if pos == 0 || pos <= order {
			return bad("fields out of order or repeated")
		}
		order = pos
		fields++
		if des == 'S' && inTime {
			sec, err := parseDigits(numText, "duration", true)
			if err != nil {
				return bad("invalid seconds")
			}
			sec.lex = ""
			d.p.Seconds = Decimal{sec}
			continue
		}
		if !allDigits(numText) {
			return bad("only seconds may have a fraction")
		}
		v, err := strconv.ParseInt(numText, 10, 64)
		if err != nil {
			return bad("field too large")
		}
		switch pos {
		case 1:
			d.p.Years = v
		case 2:
			d.p.Months = v
		case 3:
			d.p.Days = v
		case 4:
			d.p.Hours = v
		case 5:
			d.p.Minutes = v
		}
	}
	if fields == 0 {
		return bad("no field")
	}
	if inTime && order < 4 {
		return bad("'T' must be followed by a time field")
	}
	return d, nil
}

// DurationFromParts builds a duration from its fields (canonical String).
func DurationFromParts(p DurationParts) (Duration, error) {
	if p.Years < 0 || p.Months < 0 || p.Days < 0 || p.Hours < 0 || p.Minutes < 0 || p.Seconds.Sign() < 0 {
		return Duration{}, lexErr("duration", "", "fields must be non-negative (use Neg)")
	}
	p.Seconds.d.lex = ""
	return Duration{p: p}, nil
}

// DurationOf returns d as a duration of days, hours, minutes and seconds.
func DurationOf(d time.Duration) Duration {
	var p DurationParts
	u := uint64(d)
	if d < 0 {
		p.Neg = true
		u = uint64(-d) // two's complement also handles math.MinInt64
	}
	ns := u % 1e9
	s := u / 1e9
	p.Days = int64(s / 86400)
	p.Hours = int64(s % 86400 / 3600)
	p.Minutes = int64(s % 3600 / 60)
	sec := strconv.FormatUint(s%60, 10)
	if ns != 0 {
		sec += "." + strings.TrimRight(strconv.FormatUint(1e9+ns, 10)[1:], "0")
	}
	p.Seconds, _ = ParseDecimal(sec)
	p.Seconds.d.lex = ""
	return Duration{p: p}
}

// Parts returns the fields.
func (d Duration) Parts() DurationParts { return d.p }

// Neg reports whether the duration is negative (and not zero).
func (d Duration) Neg() bool { return d.p.Neg && !d.isZero() }

func (d Duration) isZero() bool {
	return d.p.Years == 0 && d.p.Months == 0 && d.p.Days == 0 && d.p.Hours == 0 && d.p.Minutes == 0 && d.p.Seconds.IsZero()
}

// String returns the lexical form read, or the canonical form.
func (d Duration) String() string {
	if d.lex != "" {
		return d.lex
	}
	if d.isZero() {
		return "PT0S"
	}
	var b strings.Builder
	if d.p.Neg {
		b.WriteByte('-')
	}
	b.WriteByte('P')
	field := func(v int64, des byte) {
		if v != 0 {
			b.WriteString(strconv.FormatInt(v, 10))
			b.WriteByte(des)
		}
	}
	field(d.p.Years, 'Y')
	field(d.p.Months, 'M')
	field(d.p.Days, 'D')
	if d.p.Hours != 0 || d.p.Minutes != 0 || !d.p.Seconds.IsZero() {
		b.WriteByte('T')
		field(d.p.Hours, 'H')
		field(d.p.Minutes, 'M')
		if !d.p.Seconds.IsZero() {
			b.WriteString(d.p.Seconds.Canonical())
			b.WriteByte('S')
		}
	}
	return b.String()
}

// Std returns the duration as a time.Duration when it has no years or months
// and fits; digits beyond nanoseconds are dropped.
func (d Duration) Std() (time.Duration, bool) {
	if d.p.Years != 0 || d.p.Months != 0 {
		return 0, false
	}
	secs, ok := d.seconds()
	if !ok || secs > math.MaxInt64/int64(time.Second)-1 {
		return 0, false
	}
	total := time.Duration(secs)*time.Second + time.Duration(d.nanos())
	if d.p.Neg {
		total = -total
	}
	return total, true
}

// seconds returns days, hours, minutes and whole seconds in seconds.
func (d Duration) seconds() (int64, bool) {
	whole, ok := d.p.Seconds.Integer()
	if !ok {
		return 0, false
	}
	const max = math.MaxInt64 / 4
	if d.p.Days > max/86400 || d.p.Hours > max/3600 || d.p.Minutes > max/60 || whole > max {
		return 0, false
	}
	return d.p.Days*86400 + d.p.Hours*3600 + d.p.Minutes*60 + whole, true
}

func (d Duration) nanos() int64 {
	f := d.p.Seconds.d.frac
	if f == "" {
		return 0
	}
	n, _ := strconv.ParseInt((f + "000000000")[:9], 10, 64)
	return n
}

// Integer returns the integer part of d and whether it fits in an int64.
func (d Decimal) Integer() (int64, bool) {
	if d.d.int == "" {
		return 0, true
	}
	v, err := strconv.ParseInt(d.d.int, 10, 64)
	if err != nil {
		return 0, false
	}
	if d.d.neg {
		v = -v
	}
	return v, true
}

// durationRefs are the four reference instants XSD orders durations with.
var durationRefs = [4]time.Time{
	time.Date(1696, 9, 1, 0, 0, 0, 0, time.UTC),
	time.Date(1697, 2, 1, 0, 0, 0, 0, time.UTC),
	time.Date(1903, 3, 1, 0, 0, 0, 0, time.UTC),
	time.Date(1903, 7, 1, 0, 0, 0, 0, time.UTC),
}

// addTo adds d to t; ok is false when a field is too large to add.
func (d Duration) addTo(t time.Time) (time.Time, bool) {
	secs, ok := d.seconds()
	const limit = 1 << 40 // keeps AddDate and Add far from overflow
	if !ok || d.p.Years > limit || d.p.Months > limit || secs/86400 > limit {
		return t, false
	}
	sign := int64(1)
	if d.p.Neg {
		sign = -1
	}
	t = t.AddDate(int(sign*d.p.Years), int(sign*d.p.Months), int(sign*(secs/86400)))
	return t.Add(time.Duration(sign) * (time.Duration(secs%86400)*time.Second + time.Duration(d.nanos()))), true
}

// Cmp orders d and o as XSD does, by adding both to four reference
// instants; ok is false when the order is indeterminate (P1M vs P30D) or a
// field is too large. Digits beyond nanoseconds are ignored.
func (d Duration) Cmp(o Duration) (int, bool) {
	res := 0
	for i, ref := range durationRefs {
		a, ok1 := d.addTo(ref)
		b, ok2 := o.addTo(ref)
		if !ok1 || !ok2 {
			return 0, false
		}
		c := a.Compare(b)
		if i > 0 && c != res {
			return 0, false
		}
		res = c
	}
	return res, true
}
