package cda

import (
	"fmt"
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
)

// utc converts an HL7 v3 TS (YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+|-ZZZZ]) to
// an XDS DTM: times with an hour are converted to UTC with their offset;
// dates keep their digits (a date has no instant to convert). A time
// without offset is taken as UTC and a fraction of second is dropped, each
// with a warning.
func (h *Header) utc(n *node, ts string) (string, error) {
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("%s:%d:%d: %s/@value %q: %s", h.file, n.line, n.col, n.path, ts, why)
	}
	digits, zone := ts, ""
	if i := strings.IndexAny(ts, "+-"); i >= 0 {
		digits, zone = ts[:i], ts[i:]
	}
	if i := strings.IndexByte(digits, '.'); i >= 0 {
		if i != 14 {
			return bad("a fraction of second needs the seconds (YYYYMMDDHHMMSS.S)")
		}
		h.warn(n, fmt.Sprintf("fraction of second %s dropped: XDS times stop at the second", digits[i:]))
		digits = digits[:i]
	}
	d, err := hl7v2.ParseDTM(digits)
	if err != nil {
		return bad("not an HL7 time YYYY[MM[DD[HH[MM[SS]]]]][+|-ZZZZ]")
	}
	if zone == "" {
		if d.Precision() >= hl7v2.Hour {
			h.warn(n, "time without UTC offset taken as UTC: CI-SIS times with an hour carry their offset (+0100, +0200)")
		}
		return d.Format(), nil
	}
	if len(zone) != 5 || zone[1] > '1' || zone[3] > '5' {
		return bad("the offset is +HHMM or -HHMM (hours up to 14, minutes up to 59)")
	}
	off, err := time.Parse("-0700", zone)
	if err != nil {
		return bad("the offset is +HHMM or -HHMM")
	}
	if d.Precision() < hl7v2.Hour {
		return d.Format(), nil
	}
	_, secs := off.Zone()
	t := d.Time().Add(-time.Duration(secs) * time.Second)
	return hl7v2.NewDTM(t, d.Precision()).Format(), nil
}
