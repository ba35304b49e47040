package cda

import (
	"slices"

	"github.com/dmpgen/dmpgen/runtime/xds"
)

// Complete fills the attributes e leaves empty with those the header
// derives (Entry), the supplied codes standing in for the ones e lacks;
// attributes e sets are kept, for Check to compare. A confidentialityCodes
// list with only DMP masking codes gets the header's code in front of
// them. The error is Entry's: what neither e, s nor the header gives.
func (h *Header) Complete(e *xds.DocumentEntry, s Supplied) error {
	for _, c := range []struct {
		from xds.Code
		to   *xds.Code
	}{
		{e.ClassCode, &s.ClassCode}, {e.FormatCode, &s.FormatCode},
		{e.PracticeSettingCode, &s.PracticeSettingCode}, {e.HealthcareFacilityTypeCode, &s.HealthcareFacilityTypeCode},
	} {
		if c.to.Code == "" {
			*c.to = c.from
		}
	}
	if s.Comments == "" {
		s.Comments = e.Comments.String()
	}
	d, err := h.Entry(s)
	if err != nil {
		return err
	}
	str := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	code := func(p *xds.Code, v xds.Code) {
		if p.IsZero() {
			*p = v
		}
	}
	if len(e.Title) == 0 {
		e.Title = d.Title
	}
	if len(e.Comments) == 0 {
		e.Comments = d.Comments
	}
	str(&e.MimeType, d.MimeType)
	str(&e.CreationTime, d.CreationTime)
	str(&e.ServiceStartTime, d.ServiceStartTime)
	str(&e.ServiceStopTime, d.ServiceStopTime)
	str(&e.LanguageCode, d.LanguageCode)
	str(&e.LegalAuthenticator, d.LegalAuthenticator)
	str(&e.SourcePatientID, d.SourcePatientID)
	str(&e.PatientID, d.PatientID)
	str(&e.UniqueID, d.UniqueID)
	if e.SourcePatientInfo == nil {
		e.SourcePatientInfo = d.SourcePatientInfo
	}
	if e.Authors == nil {
		e.Authors = d.Authors
	}
	if e.EventCodes == nil {
		e.EventCodes = d.EventCodes
	}
	code(&e.ClassCode, d.ClassCode)
	code(&e.TypeCode, d.TypeCode)
	code(&e.FormatCode, d.FormatCode)
	code(&e.HealthcareFacilityTypeCode, d.HealthcareFacilityTypeCode)
	code(&e.PracticeSettingCode, d.PracticeSettingCode)
	masking := func(c xds.Code) bool { return c.Scheme == MaskingScheme }
	if !slices.ContainsFunc(e.ConfidentialityCodes, func(c xds.Code) bool { return !masking(c) }) {
		var header []xds.Code
		for _, c := range d.ConfidentialityCodes {
			if !masking(c) {
				header = append(header, c)
			}
		}
		own := e.ConfidentialityCodes
		if own == nil {
			own = slices.DeleteFunc(slices.Clone(d.ConfidentialityCodes), func(c xds.Code) bool { return !masking(c) })
		}
		e.ConfidentialityCodes = append(header, own...)
	}
	return nil
}
