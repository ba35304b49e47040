//go:build dmpgen_template

package dmp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/dochash"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xades"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xds/cda"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

// PublishDocument is one document of a TD2.1 submission.
type PublishDocument struct {
	// Entry is the document's metadata. Publish fills Hash and Size
	// (computed from Content), PatientID (the publication's patient) when
	// empty, EntryUUID ("DocumentNN") when empty and ObjectType (stable);
	// with CDA, the attributes its header carries.
	Entry xds.DocumentEntry
	// Content is read twice: once to compute the hash and size, then,
	// after seeking back to its start, streamed as the MTOM attachment.
	// Nothing is buffered, except when the submission is signed (the
	// XAdES signature needs the bytes).
	Content io.ReadSeeker
	// CDA, when not nil, says Content is a CDA R2 document: Publish reads
	// its header (then seeks back), fills the attributes Entry leaves empty
	// with those the header derives and the codes CDA supplies (classCode,
	// formatCode…; docs/cda.md), and refuses with a *CDAMismatchError,
	// before sending anything, an attribute of Entry that disagrees with
	// the header.
	CDA *cda.Supplied
}

// CDAMismatchError reports metadata of a document that disagrees with its
// CDA header (runtime/xds/cda.Check); nothing was sent.
type CDAMismatchError struct {
	Document   string // the entry's id
	Mismatches []cda.Mismatch
}

// Error lists the mismatches, one a line.
func (e *CDAMismatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "document %s: %d attribute(s) disagree with the CDA header; leave them empty to take the header's", e.Document, len(e.Mismatches))
	for _, m := range e.Mismatches {
		b.WriteString("\n\t" + m.String())
	}
	return b.String()
}

// Publication is a TD2.1 (ITI-41) submission.
type Publication struct {
	Patient    hl7v2.CX
	Submission Submission
	Documents  []PublishDocument
	// Sign, when not nil, adds the XAdES signature document of the
	// submission (runtime/xades.Sign with these options): a DocumentEntry
	// "Signature01" with the DSG metadata, linked to the SubmissionSet by a
	// "signs" association. Its other metadata (author, confidentiality,
	// facility and practice codes, legal authenticator) are those of the
	// first document; its service start and stop times the submission time.
	Sign *xades.Options
	// SignatureTitle is the Name of the signature entry ("Source" when "").
	SignatureTitle string
	// SignatureConfidentiality are the confidentialityCodes of the
	// signature entry (those of the first document when nil).
	SignatureConfidentiality []xds.Code
}

// Published is the result of Publish.
type Published struct {
	SubmissionSetUniqueID string
	// Documents are the published entries as sent (hash and size filled),
	// the signature entry last when the submission was signed.
	Documents []*xds.DocumentEntry
}

// Publish runs TD2.1: it submits the documents and their metadata
// (validated with the ITI-41 rules before sending) to the repository,
// each document an MTOM attachment.
func (c *Client) Publish(ctx context.Context, p Publication) (*Published, error) {
	const td = "TD2.1"
	if c.repository == nil {
		return nil, &Error{Transaction: td, Err: fmt.Errorf("%w: Repository", ErrNoEndpoint)}
	}
	pub, md, atts, docs, err := c.publication(p)
	if err != nil {
		return nil, &Error{Transaction: td, Err: err}
	}
	req := &xdsb.ProvideAndRegisterDocumentSetRequestType{SubmitObjectsRequest: &lcm.SubmitObjectsRequest{RegistryObjectList: c.lower(md)}, Document: docs}
	if _, err := c.repository.ProvideAndRegisterDocumentSetB(ctx, req, soap.WithAttachments(atts...)); err != nil {
		return nil, wrap(td, err)
	}
	return pub, nil
}

// publication builds the metadata, the xdsb:Document elements and the
// attachments of a submission.
func (c *Client) publication(p Publication) (*Published, *xds.Metadata, []soap.Attachment, []xdsb.ProvideAndRegisterDocumentSetRequestTypeDocument, error) {
	if len(p.Documents) == 0 {
		return nil, nil, nil, nil, errors.New("no document to publish")
	}
	ss, err := c.submissionSet(p.Submission, p.Patient)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	md := &xds.Metadata{Items: []xds.Item{ss}}
	pub := &Published{SubmissionSetUniqueID: ss.UniqueID}
	var atts []soap.Attachment
	var docs []xdsb.ProvideAndRegisterDocumentSetRequestTypeDocument
	var signed []xades.Document
	var assocs []xds.Item
	add := func(e *xds.DocumentEntry, body io.Reader) {
		md.Items = append(md.Items, e)
		pub.Documents = append(pub.Documents, e)
		cid := e.EntryUUID + "@dmpgen"
		atts = append(atts, soap.Attachment{ContentID: cid, ContentType: e.MimeType, Body: body})
		docs = append(docs, xdsb.ProvideAndRegisterDocumentSetRequestTypeDocument{Id: e.EntryUUID, Value: xmlbind.Binary{Include: cid}})
		assocs = append(assocs, &xds.Association{
			Base: xds.Base{EntryUUID: fmt.Sprintf("assoc%d", len(assocs)+1)},
			Type: xds.AssocHasMember, Source: ss.EntryUUID, Target: e.EntryUUID, SubmissionSetStatus: xds.SubmissionSetStatusOriginal,
		})
	}
	for i, d := range p.Documents {
		e := d.Entry
		if d.Content == nil {
			return nil, nil, nil, nil, fmt.Errorf("document %d: no content", i+1)
		}
		if e.EntryUUID == "" {
			e.EntryUUID = fmt.Sprintf("Document%02d", i+1)
		}
		if d.CDA != nil {
			if err := fromCDA(&e, d); err != nil {
				return nil, nil, nil, nil, err
			}
		}
		if e.PatientID == "" {
			e.PatientID = p.Patient.Format()
		}
		if e.ObjectType == "" {
			e.ObjectType = xds.ObjectTypeStable
		}
		var body io.Reader = d.Content
		if p.Sign != nil {
			b, err := io.ReadAll(d.Content)
			if err != nil {
				return nil, nil, nil, nil, fmt.Errorf("document %s: %w", e.EntryUUID, err)
			}
			signed = append(signed, xades.Document{UniqueID: e.UniqueID, Content: b})
			body = bytes.NewReader(b)
		}
		dg, err := dochash.Sum(body)
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("document %s: hashing: %w", e.EntryUUID, err)
		}
		if s, ok := body.(io.Seeker); ok {
			if _, err := s.Seek(0, io.SeekStart); err != nil {
				return nil, nil, nil, nil, fmt.Errorf("document %s: rewinding after hashing: %w", e.EntryUUID, err)
			}
		}
		e.Hash, e.Size = dg.SHA1, dg.SizeString()
		add(&e, body)
	}
	if p.Sign != nil {
		res, err := xades.Sign(signed, *p.Sign)
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("signing the submission: %w", err)
		}
		e, err := c.signatureEntry(p, ss, res.Bytes)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		add(e, bytes.NewReader(res.Bytes))
		assocs = append(assocs, &xds.Association{
			Base: xds.Base{EntryUUID: fmt.Sprintf("assoc%d", len(assocs)+1)},
			Type: xades.SignatureMetadata().SignsAssociationType, Source: e.EntryUUID, Target: ss.EntryUUID,
		})
	}
	md.Items = append(md.Items, assocs...)
	if err := c.validate(md, xds.ITI41); err != nil {
		return nil, nil, nil, nil, err
	}
	return pub, md, atts, docs, nil
}

// fromCDA completes e from the CDA header of d.Content and checks it
// against the header, leaving Content at its start.
func fromCDA(e *xds.DocumentEntry, d PublishDocument) error {
	h, err := cda.Read(d.Content, e.EntryUUID)
	if err != nil {
		return fmt.Errorf("document %s: reading its CDA header: %w", e.EntryUUID, err)
	}
	if _, err := d.Content.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("document %s: rewinding after reading the CDA header: %w", e.EntryUUID, err)
	}
	if err := h.Complete(e, *d.CDA); err != nil {
		return fmt.Errorf("document %s: metadata from the CDA header: %w", e.EntryUUID, err)
	}
	if ms := h.Check(e); len(ms) > 0 {
		return &CDAMismatchError{Document: e.EntryUUID, Mismatches: ms}
	}
	return nil
}

// signatureEntry is the DocumentEntry of the XAdES signature document.
func (c *Client) signatureEntry(p Publication, ss *xds.SubmissionSet, sig []byte) (*xds.DocumentEntry, error) {
	sm := xades.SignatureMetadata()
	first := p.Documents[0].Entry
	uid, err := c.opts.NewUniqueID()
	if err != nil {
		return nil, fmt.Errorf("signature uniqueId: %w", err)
	}
	title := p.SignatureTitle
	if title == "" {
		title = "Source"
	}
	dg, err := dochash.Sum(bytes.NewReader(sig))
	if err != nil {
		return nil, err
	}
	code := func(x xades.Code) xds.Code { return xds.Code{Code: x.Code, Scheme: x.Scheme, Display: x.DisplayName} }
	e := &xds.DocumentEntry{
		Base:     xds.Base{EntryUUID: "Signature01", ObjectType: xds.ObjectTypeStable, Title: c.text(title)},
		MimeType: sm.MimeType, CreationTime: ss.SubmissionTime, LanguageCode: sm.LanguageCode,
		Hash: dg.SHA1, Size: dg.SizeString(),
		SourcePatientID: p.Patient.Format(), PatientID: p.Patient.Format(), UniqueID: uid,
		Authors:   p.Submission.Authors,
		ClassCode: code(sm.ClassCode), TypeCode: code(sm.TypeCode), FormatCode: code(sm.FormatCode),
		HealthcareFacilityTypeCode: first.HealthcareFacilityTypeCode, PracticeSettingCode: first.PracticeSettingCode,
		ConfidentialityCodes: first.ConfidentialityCodes,
		LegalAuthenticator:   first.LegalAuthenticator,
		ServiceStartTime:     ss.SubmissionTime, ServiceStopTime: ss.SubmissionTime,
	}
	if p.SignatureConfidentiality != nil {
		e.ConfidentialityCodes = p.SignatureConfidentiality
	}
	for _, ev := range sm.EventCodes {
		e.EventCodes = append(e.EventCodes, code(ev))
	}
	return e, nil
}
