package hl7v2

import (
	"errors"
	"testing"
	"time"
)

func TestDTM(t *testing.T) {
	tests := []struct {
		in   string
		p    Precision
		want time.Time
	}{
		{"2010", Year, time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"201003", Month, time.Date(2010, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"20100319", Day, time.Date(2010, 3, 19, 0, 0, 0, 0, time.UTC)},
		{"2010031918", Hour, time.Date(2010, 3, 19, 18, 0, 0, 0, time.UTC)},
		{"201003191832", Minute, time.Date(2010, 3, 19, 18, 32, 0, 0, time.UTC)},
		{"20100319183244", Second, time.Date(2010, 3, 19, 18, 32, 44, 0, time.UTC)},
		{"20240229235959", Second, time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)},
		{"0000", Year, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		d, err := ParseDTM(tt.in)
		if err != nil {
			t.Fatalf("ParseDTM(%q): %v", tt.in, err)
		}
		if d.Precision() != tt.p || !d.Time().Equal(tt.want) || d.Time().Location() != time.UTC {
			t.Errorf("ParseDTM(%q) = %v %v, want %v %v", tt.in, d.Time(), d.Precision(), tt.want, tt.p)
		}
		if got := d.Format(); got != tt.in {
			t.Errorf("Format = %q, want %q", got, tt.in)
		}
	}
}

func TestDTMErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
	}{
		{"", 0},
		{"201", 3},
		{"2010031", 7},
		{"201003191832445", 15},
		{"20100319183244.123", 14},
		{"20100319183244+0100", 14},
		{"2010-03-19", 4},
		{"201013", 4},
		{"201000", 4},
		{"20100230", 6},
		{"20230229", 6},
		{"20100100", 6},
		{"2010031924", 8},
		{"201003192360", 10},
		{"20100319235960", 12},
		{" 2010", 0},
	}
	for _, tt := range tests {
		_, err := ParseDTM(tt.in)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeInvalidTime || e.Offset != tt.offset {
			t.Errorf("ParseDTM(%q) = %v, want INVALID_TIME at byte %d", tt.in, err, tt.offset)
		}
	}
}

func TestNewDTM(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	in := time.Date(2021, 6, 4, 10, 24, 15, 999, paris)
	for p, want := range map[Precision]string{Year: "2021", Month: "202106", Day: "20210604", Hour: "2021060409",
		Minute: "202106040924", Second: "20210604092415"} {
		d := NewDTM(in, p)
		if d.Format() != want {
			t.Errorf("NewDTM(%v, %v) = %q, want %q", in, p, d.Format(), want)
		}
		back, err := ParseDTM(want)
		if err != nil || back != d {
			t.Errorf("ParseDTM(%q) = %+v, %v; want %+v", want, back, err, d)
		}
	}
	if (DTM{}).Format() != "" || !(DTM{}).IsZero() {
		t.Fatal("zero DTM")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("NewDTM with precision 0 must panic")
		}
	}()
	NewDTM(in, 0)
}
