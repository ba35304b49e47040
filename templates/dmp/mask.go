//go:build dmpgen_template

package dmp

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/dmpgen/dmpgen/generated/valuesets"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// ErrAlreadyMasked reports a Mask of an entry that already has the
// confidentialityCode MASQUE_PS; nothing is sent.
var ErrAlreadyMasked = errors.New("the document is already masked to health professionals (MASQUE_PS)")

// ErrNotMasked reports an Unmask of an entry without the
// confidentialityCode MASQUE_PS; nothing is sent.
var ErrNotMasked = errors.New("the document is not masked to health professionals (no MASQUE_PS)")

// tdMask is the TD number of the metadata update: the kit's
// template_masquage.xml is an ITI-57 body, its TD3.3a mapping is a GUESS
// (docs/transactions.md#guesses-and-unverified-points).
const tdMask = "TD3.3a"

// MetadataUpdate is an ITI-57 metadata update (Update Document Set) of one
// DocumentEntry: the submission of its next version.
type MetadataUpdate struct {
	// Patient is the patient of the SubmissionSet. It must name the
	// entry's patient (same id and assigning authority); the new version
	// carries it as its patientId, as IHE wants the patientIds of a
	// submission identical (the DMP's stored ids carry a CX.7 date).
	Patient    hl7v2.CX
	Submission Submission
	// Entry is the current version of the DocumentEntry, as FindDocuments
	// or GetDocuments returned it: the new version copies its metadata, its
	// lid (its entryUUID for a first version), and its VersionInfo names
	// the PreviousVersion. Entry is not modified.
	Entry *xds.DocumentEntry
}

// newVersionID is the symbolic id of the new version, as in
// template_masquage.xml: the registry assigns its UUID.
const newVersionID = "Document01"

// Mask runs the DMP's masking to health professionals (masquage aux PS,
// TD3.3a by guess; docs/xds.md#iti-57-status-changes-and-new-versions):
// it submits the next version of the entry with the confidentialityCode
// MASQUE_PS (1.2.250.1.213.1.1.4.13, JDV_J08) added after its other
// confidentiality codes, which stay as they are. It
// returns the new version as sent (entryUUID "Document01": query the
// registry for the UUID it assigned). Masking a masked entry fails with
// ErrAlreadyMasked before anything is sent.
func (c *Client) Mask(ctx context.Context, u MetadataUpdate) (*xds.DocumentEntry, error) {
	return c.updateConfidentiality(ctx, u, true)
}

// Unmask runs the DMP's unmasking (démasquage aux PS, TD3.3a): as Mask,
// with the confidentialityCode MASQUE_PS removed and the others (N, R, V,
// INVISIBLE_PATIENT, ...) kept. Unmasking an entry that is not masked fails
// with ErrNotMasked before anything is sent.
func (c *Client) Unmask(ctx context.Context, u MetadataUpdate) (*xds.DocumentEntry, error) {
	return c.updateConfidentiality(ctx, u, false)
}

// IsMasked reports whether an entry has the confidentialityCode MASQUE_PS.
func IsMasked(e *xds.DocumentEntry) bool {
	for _, cc := range e.ConfidentialityCodes {
		if isMasquePS(cc) {
			return true
		}
	}
	return false
}

func masquePS() xds.Code {
	k, _ := valuesets.J08XdsConfidentialityCodeCISIS_MASQUE_PS.Concept()
	return xds.Code{Code: k.Code, Scheme: k.CodeSystem, Display: k.Display}
}

func isMasquePS(cc xds.Code) bool {
	m := masquePS()
	return cc.Code == m.Code && cc.Scheme == m.Scheme
}

func (c *Client) updateConfidentiality(ctx context.Context, u MetadataUpdate, mask bool) (*xds.DocumentEntry, error) {
	if c.registry == nil {
		return nil, &Error{Transaction: tdMask, Err: fmt.Errorf("%w: Registry", ErrNoEndpoint)}
	}
	if u.Entry == nil {
		return nil, &Error{Transaction: tdMask, Err: errors.New("no DocumentEntry to update")}
	}
	switch masked := IsMasked(u.Entry); {
	case mask && masked:
		return nil, &Error{Transaction: tdMask, Err: fmt.Errorf("entry %s: %w", u.Entry.EntryUUID, ErrAlreadyMasked)}
	case !mask && !masked:
		return nil, &Error{Transaction: tdMask, Err: fmt.Errorf("entry %s: %w", u.Entry.EntryUUID, ErrNotMasked)}
	}
	next, md, err := c.metadataUpdate(u, func(e *xds.DocumentEntry) {
		if mask {
			addConfidentialityCode(e, masquePS())
		} else {
			removeConfidentialityCodes(e, isMasquePS)
		}
	})
	if err != nil {
		return nil, &Error{Transaction: tdMask, Err: err}
	}
	if _, err := c.registry.UpdateDocumentSet(ctx, &lcm.SubmitObjectsRequest{RegistryObjectList: c.lower(md)}); err != nil {
		return nil, wrap(tdMask, err)
	}
	return next, nil
}

// metadataUpdate builds and validates the ITI-57 metadata of the next
// version of u.Entry, edited by edit: the SubmissionSet, its HasMember to
// the new version with PreviousVersion, and the new version.
func (c *Client) metadataUpdate(u MetadataUpdate, edit func(*xds.DocumentEntry)) (*xds.DocumentEntry, *xds.Metadata, error) {
	cur := u.Entry
	if !sameCX(cur.PatientID, u.Patient) {
		return nil, nil, fmt.Errorf("entry %s: patientId %q is not the patient %q", cur.EntryUUID, cur.PatientID, u.Patient.Format())
	}
	version, ok := cur.VersionNumber()
	if !ok {
		return nil, nil, fmt.Errorf("entry %s: no version number (VersionInfo/@versionName) to name as PreviousVersion: pass the entry a query returned", cur.EntryUUID)
	}
	ss, err := c.submissionSet(u.Submission, u.Patient)
	if err != nil {
		return nil, nil, err
	}
	next := cur.NewVersion(newVersionID)
	next.PatientID = u.Patient.Format()
	edit(next)
	md := &xds.Metadata{Items: []xds.Item{ss, &xds.Association{
		Base: xds.Base{EntryUUID: "association1", ObjectType: xds.ObjectTypeAssociation},
		Type: xds.AssocHasMember, Source: ss.EntryUUID, Target: next.EntryUUID,
		SubmissionSetStatus: xds.SubmissionSetStatusOriginal, PreviousVersion: strconv.Itoa(version),
	}, next}}
	if err := c.validate(md, xds.ITI57); err != nil {
		return nil, nil, err
	}
	return next, md, nil
}

// sameCX reports whether a CX value names the patient p (CX.1 and the OID
// of CX.4).
func sameCX(v string, p hl7v2.CX) bool {
	x, err := hl7v2.ParseCX(v)
	return err == nil && x.ID == p.ID && x.AssigningAuthority.UniversalID == p.AssigningAuthority.UniversalID
}

// addConfidentialityCode adds a code to an entry. In an entry read from a
// registry its classification goes right after the entry's other
// confidentialityCode classifications (the parts keep the order read).
func addConfidentialityCode(e *xds.DocumentEntry, code xds.Code) {
	code.Class = nil
	if cls := e.Extra.Classifications; len(cls) > 0 {
		scheme := xds.SchemeDocConfidentialityCode
		cl := &xds.Classification{
			Parts:  xds.Parts{ID: xds.GeneratedID(e.EntryUUID, "confidentialityCode", len(e.ConfidentialityCodes)+1)},
			Scheme: &scheme, ClassifiedObject: e.EntryUUID, Lifted: true,
		}
		at := len(cls)
		for i, c := range cls {
			if c.SchemeValue() == scheme {
				at = i + 1
			}
		}
		e.Extra.Classifications = append(cls[:at:at], append([]*xds.Classification{cl}, cls[at:]...)...)
		code.Class = cl
	}
	e.ConfidentialityCodes = append(e.ConfidentialityCodes, code)
}

// removeConfidentialityCodes removes the codes drop selects, and the
// classifications they were read from.
func removeConfidentialityCodes(e *xds.DocumentEntry, drop func(xds.Code) bool) {
	gone := map[*xds.Classification]bool{}
	var keep []xds.Code
	for _, cc := range e.ConfidentialityCodes {
		if drop(cc) {
			if cc.Class != nil {
				gone[cc.Class] = true
			}
			continue
		}
		keep = append(keep, cc)
	}
	e.ConfidentialityCodes = keep
	var cls []*xds.Classification
	for _, c := range e.Extra.Classifications {
		if !gone[c] {
			cls = append(cls, c)
		}
	}
	e.Extra.Classifications = cls
}
