package xsdt

import (
	"strconv"
	"strings"
	"time"
)

// Which fields a date/time type has.
const (
	fYear = 1 << iota
	fMonth
	fDay
	fTime
)

type dtKind struct {
	name   string
	fields int
}

var (
	kDateTime   = dtKind{"dateTime", fYear | fMonth | fDay | fTime}
	kDate       = dtKind{"date", fYear | fMonth | fDay}
	kTime       = dtKind{"time", fTime}
	kGYear      = dtKind{"gYear", fYear}
	kGYearMonth = dtKind{"gYearMonth", fYear | fMonth}
	kGMonth     = dtKind{"gMonth", fMonth}
	kGMonthDay  = dtKind{"gMonthDay", fMonth | fDay}
	kGDay       = dtKind{"gDay", fDay}
)

const maxYear = 999_999_999

// moment is the seven-property model of the XSD date/time types. Fields a
// type lacks are zero. Years are as written: never 0, negative before 1 CE.
type moment struct {
	year                       int64
	month, day, hour, min, sec int8
	frac                       string // fractional second digits as written, without '.'
	tz                         int16  // offset in minutes when hasTZ
	hasTZ                      bool
	lex                        string // lexical form as read; "" when built from a Go value
}

func parseMoment(s string, k dtKind) (moment, error) {
	t := trim(s)
	bad := func(reason string) (moment, error) { return moment{}, lexErr(k.name, s, reason) }
	var m moment
	m.lex = t
	p := t
	num := func(n int) (int, bool) {
		if len(p) < n || !allDigits(p[:n]) {
			return 0, false
		}
		v, _ := strconv.Atoi(p[:n])
		p = p[n:]
		return v, true
	}
	lit := func(c byte) bool {
		if p == "" || p[0] != c {
			return false
		}
		p = p[1:]
		return true
	}
	if k.fields&fYear != 0 {
		neg := lit('-')
		n := 0
		for n < len(p) && p[n] >= '0' && p[n] <= '9' {
			n++
		}
		switch {
		case n < 4:
			return bad("the year needs at least 4 digits")
		case n > 4 && p[0] == '0':
			return bad("a year of more than 4 digits cannot start with 0")
		case n > 9:
			return bad("years beyond 9 digits are not supported")
		}
		y, _ := strconv.ParseInt(p[:n], 10, 64)
		p = p[n:]
		if y == 0 {
			return bad("there is no year 0000 in XSD 1.0")
		}
		if neg {
			y = -y
		}
		m.year = y
	} else if k.fields&(fMonth|fDay) != 0 && !lit('-') {
		return bad("")
	}
	if k.fields&fMonth != 0 {
		if !lit('-') {
			return bad("")
		}
		mo, ok := num(2)
		if !ok || mo < 1 || mo > 12 {
			return bad("invalid month")
		}
		m.month = int8(mo)
	}
	if k.fields&fDay != 0 {
		if !lit('-') {
			return bad("")
		}
		if k.fields&fMonth == 0 && !lit('-') { // gDay: ---DD
			return bad("")
		}
		d, ok := num(2)
		if !ok || d < 1 {
			return bad("invalid day")
		}
		if d > daysIn(m.year, int(m.month), k) {
			return bad("day out of range for the month")
		}
		m.day = int8(d)
	}
	if k.fields&fTime != 0 {
		if k.fields&fDay != 0 && !lit('T') {
			return bad("expected 'T'")
		}
		h, ok1 := num(2)
		ok2 := lit(':')
		mi, ok3 := num(2)
		ok4 := lit(':')
		sec, ok5 := num(2)
		if !(ok1 && ok2 && ok3 && ok4 && ok5) {
			return bad("expected hh:mm:ss")
		}
		if lit('.') {
			n := 0
			for n < len(p) && p[n] >= '0' && p[n] <= '9' {
				n++
			}
			if n == 0 {
				return bad("expected digits after '.'")
			}
			m.frac, p = p[:n], p[n:]
		}
		switch {
		case h == 24:
			if mi != 0 || sec != 0 || strings.Trim(m.frac, "0") != "" {
				return bad("24:00:00 is the only time allowed with hour 24")
			}
		case h > 23 || mi > 59 || sec > 59:
			return bad("time out of range")
		}
		m.hour, m.min, m.sec = int8(h), int8(mi), int8(sec)
	}
	if p != "" {
		switch {
		case lit('Z'):
			m.hasTZ = true
		case p[0] == '+' || p[0] == '-':
			sign := 1
			if p[0] == '-' {
				sign = -1
			}
			p = p[1:]
			h, ok1 := num(2)
			ok2 := lit(':')
			mi, ok3 := num(2)
			if !(ok1 && ok2 && ok3) || mi > 59 || h > 14 || h == 14 && mi != 0 {
				return bad("invalid time zone")
			}
			m.hasTZ = true
			m.tz = int16(sign * (h*60 + mi))
		}
		if p != "" {
			return bad("")
		}
	}
	return m, nil
}

func isLeap(year int64) bool {
	y := astro(year)
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

// astro converts an XSD 1.0 year (no year 0) to an astronomical year.
func astro(year int64) int64 {
	if year < 0 {
		return year + 1
	}
	return year
}

func daysIn(year int64, month int, k dtKind) int {
	switch month {
	case 0: // gDay
		return 31
	case 2:
		if k.fields&fYear == 0 || isLeap(year) { // gMonthDay allows --02-29
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func (m moment) format(k dtKind) string {
	if m.lex != "" {
		return m.lex
	}
	var b strings.Builder
	if k.fields&fYear != 0 {
		y := m.year
		if y == 0 {
			y = 1
		}
		if y < 0 {
			b.WriteByte('-')
			y = -y
		}
		ys := strconv.FormatInt(y, 10)
		b.WriteString(strings.Repeat("0", max(0, 4-len(ys))))
		b.WriteString(ys)
	} else if k.fields&(fMonth|fDay) != 0 {
		b.WriteByte('-')
	}
	two := func(v int8) {
		b.WriteByte(byte('0' + v/10))
		b.WriteByte(byte('0' + v%10))
	}
	if k.fields&fMonth != 0 {
		b.WriteByte('-')
		two(max(m.month, 1))
	}
	if k.fields&fDay != 0 {
		b.WriteByte('-')
		if k.fields&fMonth == 0 {
			b.WriteByte('-')
		}
		two(max(m.day, 1))
	}
	if k.fields&fTime != 0 {
		if k.fields&fDay != 0 {
			b.WriteByte('T')
		}
		two(m.hour)
		b.WriteByte(':')
		two(m.min)
		b.WriteByte(':')
		two(m.sec)
		if m.frac != "" {
			b.WriteByte('.')
			b.WriteString(m.frac)
		}
	}
	if m.hasTZ {
		if m.tz == 0 {
			b.WriteByte('Z')
		} else {
			tz := m.tz
			if tz < 0 {
				b.WriteByte('-')
				tz = -tz
			} else {
				b.WriteByte('+')
			}
			two(int8(tz / 60))
			b.WriteByte(':')
			two(int8(tz % 60))
		}
	}
	return b.String()
}

// daysFromCivil returns the days since 1970-01-01 of an astronomical date.
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// key returns the instant of m in seconds (local time minus offset) for
// ordering; absent fields take the reference values 1972-01-01T00:00:00.
func (m moment) key(tz int) (int64, string) {
	y, mo, d := m.year, int(m.month), int(m.day)
	if y == 0 {
		y = 1972
	}
	if mo == 0 {
		mo = 1
	}
	if d == 0 {
		d = 1
	}
	secs := daysFromCivil(astro(y), mo, d)*86400 + int64(m.hour)*3600 + int64(m.min)*60 + int64(m.sec)
	return secs - int64(tz)*60, strings.TrimRight(m.frac, "0")
}

// cmp orders two moments of the same type as XSD does: determinate when
// both or neither have a time zone, otherwise only beyond ±14 hours.
func (m moment) cmp(o moment) (int, bool) {
	cmpKeys := func(a int64, af string, b int64, bf string) int {
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return strings.Compare(af, bf)
	}
	if m.hasTZ == o.hasTZ {
		a, af := m.key(int(m.tz))
		b, bf := o.key(int(o.tz))
		return cmpKeys(a, af, b, bf), true
	}
	// Exactly one lacks a time zone: compare with its extreme offsets.
	p, q, flip := m, o, 1
	if !m.hasTZ {
		p, q, flip = o, m, -1
	}
	a, af := p.key(int(p.tz))
	lo, lf := q.key(14 * 60)  // earliest instant q can be
	hi, hf := q.key(-14 * 60) // latest instant q can be
	if cmpKeys(a, af, lo, lf) < 0 {
		return -flip, true
	}
	if cmpKeys(a, af, hi, hf) > 0 {
		return flip, true
	}
	return 0, false
}

func (m moment) time() time.Time {
	loc := time.UTC
	if m.hasTZ && m.tz != 0 {
		loc = time.FixedZone("", int(m.tz)*60)
	}
	y, mo, d := m.year, int(m.month), int(m.day)
	if y == 0 {
		y = 1
	}
	mo, d = max(mo, 1), max(d, 1)
	ns := 0
	if m.frac != "" {
		f := (m.frac + "000000000")[:9]
		ns, _ = strconv.Atoi(f)
	}
	return time.Date(int(astro(y)), time.Month(mo), d, int(m.hour), int(m.min), int(m.sec), ns, loc)
}

func momentOf(t time.Time) moment {
	_, off := t.Zone()
	if off%60 != 0 || off > 14*3600 || off < -14*3600 {
		t, off = t.UTC(), 0
	}
	y := int64(t.Year())
	if y <= 0 {
		y-- // astronomical 0 is XSD -0001
	}
	m := moment{
		year: y, month: int8(t.Month()), day: int8(t.Day()),
		hour: int8(t.Hour()), min: int8(t.Minute()), sec: int8(t.Second()),
		hasTZ: true, tz: int16(off / 60),
	}
	if ns := t.Nanosecond(); ns != 0 {
		m.frac = strings.TrimRight(strconv.Itoa(1_000_000_000 + ns)[1:], "0")
	}
	return m
}

// DateTime is an xs:dateTime. The zero value is 0001-01-01T00:00:00.
// Compare values with Cmp (== compares lexical forms and time zones).
type DateTime struct{ m moment }

// ParseDateTime parses an xs:dateTime, keeping its lexical form.
func ParseDateTime(s string) (DateTime, error) {
	m, err := parseMoment(s, kDateTime)
	return DateTime{m}, err
}

// DateTimeOf returns t as a DateTime with its time zone offset (UTC when the
// offset is not whole minutes or beyond ±14:00), fraction trimmed.
func DateTimeOf(t time.Time) DateTime { return DateTime{momentOf(t)} }

// String returns the lexical form read, or the canonical form.
func (v DateTime) String() string { return v.m.format(kDateTime) }

// Time returns the instant; without a time zone the wall clock is read as
// UTC. 24:00:00 is the next day's midnight; digits beyond nanoseconds are
// dropped.
func (v DateTime) Time() time.Time { return v.m.time() }

// HasTZ reports whether a time zone was given.
func (v DateTime) HasTZ() bool { return v.m.hasTZ }

// TZOffset returns the time zone offset in minutes and whether there is one.
func (v DateTime) TZOffset() (int, bool) { return int(v.m.tz), v.m.hasTZ }

// Cmp orders v and o per XSD; ok is false when the order is indeterminate
// (one value without time zone, less than 14 hours apart).
func (v DateTime) Cmp(o DateTime) (int, bool) { return v.m.cmp(o.m) }

// Date is an xs:date.
type Date struct{ m moment }

// ParseDate parses an xs:date.
func ParseDate(s string) (Date, error) {
	m, err := parseMoment(s, kDate)
	return Date{m}, err
}

// DateOf returns the date of t in t's location, with its time zone.
func DateOf(t time.Time) Date {
	m := momentOf(t)
	m.hour, m.min, m.sec, m.frac = 0, 0, 0, ""
	return Date{m}
}

// DateOfNoTZ returns the date of t in t's location, without time zone.
func DateOfNoTZ(t time.Time) Date {
	d := DateOf(t)
	d.m.hasTZ, d.m.tz = false, 0
	return d
}

// String returns the lexical form read, or the canonical form.
func (v Date) String() string { return v.m.format(kDate) }

// Time returns the start of the day (UTC when there is no time zone).
func (v Date) Time() time.Time { return v.m.time() }

// HasTZ reports whether a time zone was given.
func (v Date) HasTZ() bool { return v.m.hasTZ }

// Cmp orders v and o per XSD; ok is false when indeterminate.
func (v Date) Cmp(o Date) (int, bool) { return v.m.cmp(o.m) }

// Time is an xs:time.
type Time struct{ m moment }

// ParseTime parses an xs:time.
func ParseTime(s string) (Time, error) {
	m, err := parseMoment(s, kTime)
	return Time{m}, err
}

// TimeOf returns the time of day of t with its time zone.
func TimeOf(t time.Time) Time {
	m := momentOf(t)
	m.year, m.month, m.day = 0, 0, 0
	return Time{m}
}

// String returns the lexical form read, or the canonical form.
func (v Time) String() string { return v.m.format(kTime) }

// HasTZ reports whether a time zone was given.
func (v Time) HasTZ() bool { return v.m.hasTZ }

// Clock returns hour, minute, second and nanoseconds.
func (v Time) Clock() (hour, min, sec, nsec int) {
	t := v.m.time()
	if v.m.hour == 24 {
		return 24, 0, 0, 0
	}
	return t.Hour(), t.Minute(), t.Second(), t.Nanosecond()
}

// Cmp orders v and o per XSD; ok is false when indeterminate.
func (v Time) Cmp(o Time) (int, bool) { return v.m.cmp(o.m) }

// GYear is an xs:gYear.
type GYear struct{ m moment }

// ParseGYear parses an xs:gYear.
func ParseGYear(s string) (GYear, error) {
	m, err := parseMoment(s, kGYear)
	return GYear{m}, err
}

// GYearOf returns year (XSD numbering: no 0, -1 is 1 BCE) without time zone.
func GYearOf(year int) GYear { return GYear{moment{year: int64(year)}} }

// String returns the lexical form read, or the canonical form.
func (v GYear) String() string { return v.m.format(kGYear) }

// HasTZ reports whether a time zone was given.
func (v GYear) HasTZ() bool { return v.m.hasTZ }

// Year returns the year as written (no 0; -1 is 1 BCE).
func (v GYear) Year() int { return int(v.m.year) }

// Cmp orders v and o per XSD; ok is false when indeterminate.
func (v GYear) Cmp(o GYear) (int, bool) { return v.m.cmp(o.m) }

// GYearMonth is an xs:gYearMonth.
type GYearMonth struct{ m moment }

// ParseGYearMonth parses an xs:gYearMonth.
func ParseGYearMonth(s string) (GYearMonth, error) {
	m, err := parseMoment(s, kGYearMonth)
	return GYearMonth{m}, err
}

// String returns the lexical form read, or the canonical form.
func (v GYearMonth) String() string { return v.m.format(kGYearMonth) }

// HasTZ reports whether a time zone was given.
func (v GYearMonth) HasTZ() bool { return v.m.hasTZ }

// Cmp orders v and o per XSD; ok is false when indeterminate.
func (v GYearMonth) Cmp(o GYearMonth) (int, bool) { return v.m.cmp(o.m) }

// GMonth is an xs:gMonth (--MM).
type GMonth struct{ m moment }

// ParseGMonth parses an xs:gMonth.
func ParseGMonth(s string) (GMonth, error) {
	m, err := parseMoment(s, kGMonth)
	return GMonth{m}, err
}

// String returns the lexical form read, or the canonical form.
func (v GMonth) String() string { return v.m.format(kGMonth) }

// HasTZ reports whether a time zone was given.
func (v GMonth) HasTZ() bool { return v.m.hasTZ }

// Cmp orders v and o per XSD; ok is false when indeterminate.
func (v GMonth) Cmp(o GMonth) (int, bool) { return v.m.cmp(o.m) }

// GMonthDay is an xs:gMonthDay (--MM-DD).
type GMonthDay struct{ m moment }

// ParseGMonthDay parses an xs:gMonthDay.
func ParseGMonthDay(s string) (GMonthDay, error) {
	m, err := parseMoment(s, kGMonthDay)
	return GMonthDay{m}, err
}

// String returns the lexical form read, or the canonical form.
func (v GMonthDay) String() string { return v.m.format(kGMonthDay) }

// HasTZ reports whether a time zone was given.
func (v GMonthDay) HasTZ() bool { return v.m.hasTZ }

// Cmp orders v and o per XSD; ok is false when indeterminate.
func (v GMonthDay) Cmp(o GMonthDay) (int, bool) { return v.m.cmp(o.m) }

// GDay is an xs:gDay (---DD).
type GDay struct{ m moment }

// ParseGDay parses an xs:gDay.
func ParseGDay(s string) (GDay, error) {
	m, err := parseMoment(s, kGDay)
	return GDay{m}, err
}

// String returns the lexical form read, or the canonical form.
func (v GDay) String() string { return v.m.format(kGDay) }

// HasTZ reports whether a time zone was given.
func (v GDay) HasTZ() bool { return v.m.hasTZ }

// Cmp orders v and o per XSD; ok is false when indeterminate.
func (v GDay) Cmp(o GDay) (int, bool) { return v.m.cmp(o.m) }
