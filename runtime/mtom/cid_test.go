package mtom

import (
	"errors"
	"testing"
)

func TestHref(t *testing.T) {
	cases := []struct{ id, href string }{
		{"b857abb7-a2c3-4db8-bd69-d5ff76826e72-2@urn:ihe:iti:xds-b:2007", "cid:b857abb7-a2c3-4db8-bd69-d5ff76826e72-2@urn%3Aihe%3Aiti%3Axds-b%3A2007"},
		{"WS_DMP_TD2.1-DocumentME2.xml", "cid:WS_DMP_TD2.1-DocumentME2.xml"},
		{"a%b/c?d#e&f\"g@h", "cid:a%25b%2Fc%3Fd%23e%26f%22g@h"},
		{"x!$'()*+,;=~@y", "cid:x!$'()*+,;=~@y"},
	}
	for _, c := range cases {
		if got := Href(c.id); got != c.href {
			t.Errorf("Href(%q) = %q, want %q", c.id, got, c.href)
		}
		if got, err := ParseHref(c.href); err != nil || got != c.id {
			t.Errorf("ParseHref(%q) = %q, %v; want %q", c.href, got, err, c.id)
		}
	}
}

func TestParseHref(t *testing.T) {
	ok := map[string]string{
		"CID:a@b":      "a@b",
		" cid:a@b\n":   "a@b",
		"cid:a%3ab@c":  "a:b@c",
		"cid:a+b@c":    "a+b@c", // '+' is not a space in a URL path
		"cid:%41%42@c": "AB@c",
	}
	for in, want := range ok {
		if got, err := ParseHref(in); err != nil || got != want {
			t.Errorf("ParseHref(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "cid:", "mid:a@b", "a@b", "cid:a%zz", "cid:%41%42@%5", "cid:a%20b", "cid:%3Ca%3E", "cid:%C3%A9"} {
		_, err := ParseHref(in)
		var me *Error
		if !errors.As(err, &me) || me.Kind != ErrInvalidContentID {
			t.Errorf("ParseHref(%q): err = %v, want ErrInvalidContentID", in, err)
		}
	}
}
