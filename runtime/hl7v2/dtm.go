package hl7v2

import (
	"fmt"
	"time"
)

// Precision is the number of significant parts of an XDS time.
type Precision uint8

// Precisions of a DTM, from the year to the second.
const (
	Year Precision = iota + 1
	Month
	Day
	Hour
	Minute
	Second
)

// digits returns the number of characters of a DTM of precision p.
func (p Precision) digits() int {
	if p <= Year {
		return 4
	}
	return 4 + 2*int(p-Year)
}

func (p Precision) String() string {
	switch p {
	case Year:
		return "year"
	case Month:
		return "month"
	case Day:
		return "day"
	case Hour:
		return "hour"
	case Minute:
		return "minute"
	case Second:
		return "second"
	}
	return fmt.Sprintf("Precision(%d)", uint8(p))
}

// DTM is an XDS time: YYYY[MM[DD[hh[mm[ss]]]]] in UTC (IHE ITI TF-3
// 4.2.3.1.6: no time zone, no fractional seconds).
type DTM struct {
	t time.Time
	p Precision
}

// NewDTM returns t in UTC truncated to precision p (Year to Second).
func NewDTM(t time.Time, p Precision) DTM {
	if p < Year || p > Second {
		panic(fmt.Sprintf("hl7v2.NewDTM: invalid precision %d", p))
	}
	t = t.UTC()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	switch p {
	case Year:
		mo, d, h, mi, s = 1, 1, 0, 0, 0
	case Month:
		d, h, mi, s = 1, 0, 0, 0
	case Day:
		h, mi, s = 0, 0, 0
	case Hour:
		mi, s = 0, 0
	case Minute:
		s = 0
	}
	return DTM{t: time.Date(y, mo, d, h, mi, s, 0, time.UTC), p: p}
}

// Time returns the instant (UTC; the parts below the precision are zero).
func (d DTM) Time() time.Time { return d.t }

// Precision returns the precision; 0 for the zero DTM.
func (d DTM) Precision() Precision { return d.p }

// IsZero reports whether d is the zero DTM.
func (d DTM) IsZero() bool { return d.p == 0 }

// Format encodes d as YYYY[MM[DD[hh[mm[ss]]]]]; "" for the zero DTM.
func (d DTM) Format() string {
	if d.p == 0 {
		return ""
	}
	y, mo, dd := d.t.Date()
	h, mi, s := d.t.Clock()
	full := fmt.Sprintf("%04d%02d%02d%02d%02d%02d", y, int(mo), dd, h, mi, s)
	return full[:d.p.digits()]
}

// String returns Format().
func (d DTM) String() string { return d.Format() }

// ParseDTM parses an XDS time. The error is an *Error with code
// INVALID_TIME whose Offset points at the offending character or part.
func ParseDTM(s string) (DTM, error) {
	fail := func(at int, format string, args ...any) (DTM, error) {
		return DTM{}, &Error{Code: CodeInvalidTime, Type: "DTM", Offset: at, Detail: fmt.Sprintf(format, args...)}
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			what := "only digits are allowed (YYYY[MM[DD[hh[mm[ss]]]]], UTC)"
			switch s[i] {
			case '+', '-':
				what = "time zone offsets are not allowed in XDS (UTC only)"
			case '.':
				what = "fractional seconds are not allowed in XDS"
			}
			return fail(i, "%s", what)
		}
	}
	var p Precision
	switch len(s) {
	case 4:
		p = Year
	case 6:
		p = Month
	case 8:
		p = Day
	case 10:
		p = Hour
	case 12:
		p = Minute
	case 14:
		p = Second
	default:
		return fail(len(s), "%d digits; want 4, 6, 8, 10, 12 or 14", len(s))
	}
	num := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	year := num(0)*100 + num(2)
	month, day, hour, minute, sec := 1, 1, 0, 0, 0
	if p >= Month {
		if month = num(4); month < 1 || month > 12 {
			return fail(4, "month %02d out of range", month)
		}
	}
	if p >= Day {
		day = num(6)
		last := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if day < 1 || day > last {
			return fail(6, "day %02d out of range for %04d-%02d", day, year, month)
		}
	}
	if p >= Hour {
		if hour = num(8); hour > 23 {
			return fail(8, "hour %02d out of range", hour)
		}
	}
	if p >= Minute {
		if minute = num(10); minute > 59 {
			return fail(10, "minute %02d out of range", minute)
		}
	}
	if p >= Second {
		if sec = num(12); sec > 59 {
			return fail(12, "second %02d out of range", sec)
		}
	}
	return DTM{t: time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC), p: p}, nil
}
