package rehearsal

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// Steps are the operations of the software under test that the rehearsal
// drives, one func per DMP transaction. ClientSteps gives them for a
// dmp.Client; a vendor whose software wraps dmp.Client (or does without)
// replaces the funcs with calls into its own code. A refusal of the DMP
// must come back as an error that carries the DMP's error code: a
// *dmp.Error holding it (errors.As), or an error whose text names it.
type Steps struct {
	// TestExistence runs TD0.2: whether the patient has a DMP.
	TestExistence func(ctx context.Context, patient hl7v2.CX) (bool, error)
	// CreateDMP creates the patient's dossier (GDP PatientAdd).
	CreateDMP func(ctx context.Context, d dmp.DossierData, author dmp.Professional) error
	// ReadDMP runs TD1.3a: reads the dossier's management data.
	ReadDMP func(ctx context.Context, patient hl7v2.CX) error
	// SetAuthorization runs TD0.3: adds (add) or removes the
	// professional's authorization on the dossier of the patient the VIHF
	// names.
	SetAuthorization func(ctx context.Context, add bool) error
	// ListAuthorizations runs TD1.6: the national ids of the professionals
	// authorized on the dossier of the patient the VIHF names.
	ListAuthorizations func(ctx context.Context) ([]string, error)
	// Publish runs TD2.1 with the XAdES signature (p.Sign) and returns the
	// uniqueId of the published document.
	Publish func(ctx context.Context, p dmp.Publication) (string, error)
	// FindDocuments runs TD3.1: the patient's Approved documents.
	FindDocuments func(ctx context.Context, patient hl7v2.CX) ([]*xds.DocumentEntry, error)
	// Retrieve runs TD3.2: the content of a document.
	Retrieve func(ctx context.Context, e *xds.DocumentEntry) ([]byte, error)
	// Mask and Unmask run TD3.3a: the entry masked to, or unmasked for,
	// health professionals (a new version of the entry).
	Mask   func(ctx context.Context, patient hl7v2.CX, e *xds.DocumentEntry) error
	Unmask func(ctx context.Context, patient hl7v2.CX, e *xds.DocumentEntry) error
	// Archive runs TD3.3d and Delete TD3.3c.
	Archive func(ctx context.Context, patient hl7v2.CX, e *xds.DocumentEntry) error
	Delete  func(ctx context.Context, patient hl7v2.CX, e *xds.DocumentEntry) error
}

// ClientSteps returns the steps run by c, whose ITI-57 submissions carry
// sub (its author and sourceId).
func ClientSteps(c *dmp.Client, sub dmp.Submission) Steps {
	status := func(f func(context.Context, dmp.StatusUpdate) error) func(context.Context, hl7v2.CX, *xds.DocumentEntry) error {
		return func(ctx context.Context, patient hl7v2.CX, e *xds.DocumentEntry) error {
			return f(ctx, dmp.StatusUpdate{Patient: patient, Submission: sub, EntryUUID: e.EntryUUID})
		}
	}
	update := func(f func(context.Context, dmp.MetadataUpdate) (*xds.DocumentEntry, error)) func(context.Context, hl7v2.CX, *xds.DocumentEntry) error {
		return func(ctx context.Context, patient hl7v2.CX, e *xds.DocumentEntry) error {
			_, err := f(ctx, dmp.MetadataUpdate{Patient: patient, Submission: sub, Entry: e})
			return err
		}
	}
	return Steps{
		TestExistence: func(ctx context.Context, patient hl7v2.CX) (bool, error) {
			ex, err := c.TestExistence(ctx, patient)
			return err == nil && ex.State != dmp.DossierNotFound, err
		},
		CreateDMP: func(ctx context.Context, d dmp.DossierData, author dmp.Professional) error {
			_, err := c.CreateDMP(ctx, d, author)
			return err
		},
		ReadDMP: func(ctx context.Context, patient hl7v2.CX) error {
			_, err := c.ReadDMP(ctx, patient)
			return err
		},
		SetAuthorization: func(ctx context.Context, add bool) error {
			action := dmp.AuthorizationRemove
			if add {
				action = dmp.AuthorizationAdd
			}
			_, err := c.SetAuthorization(ctx, action, dmp.RoleNone)
			return err
		},
		ListAuthorizations: func(ctx context.Context) ([]string, error) {
			list, err := c.ListAuthorizations(ctx, dmp.ModeActive)
			var ids []string
			for _, a := range list {
				ids = append(ids, a.NationalID)
			}
			return ids, err
		},
		Publish: func(ctx context.Context, p dmp.Publication) (string, error) {
			pub, err := c.Publish(ctx, p)
			if err != nil {
				return "", err
			}
			return pub.Documents[0].UniqueID, nil
		},
		FindDocuments: func(ctx context.Context, patient hl7v2.CX) ([]*xds.DocumentEntry, error) {
			res, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: patient})
			if err != nil {
				return nil, err
			}
			return res.Documents(), nil
		},
		Retrieve: func(ctx context.Context, e *xds.DocumentEntry) ([]byte, error) {
			var content []byte
			err := c.Retrieve(ctx, []dmp.DocumentRef{dmp.RefOf(e)}, func(_ dmp.RetrievedDocument, r io.Reader) error {
				var b bytes.Buffer
				if _, err := io.Copy(&b, r); err != nil {
					return fmt.Errorf("reading document %s: %w", e.UniqueID, err)
				}
				content = b.Bytes()
				return nil
			})
			return content, err
		},
		Mask:    update(c.Mask),
		Unmask:  update(c.Unmask),
		Archive: status(c.Archive),
		Delete:  status(c.Delete),
	}
}

// missing names the funcs of s left nil.
func (s Steps) missing() []string {
	var out []string
	for _, f := range []struct {
		name string
		nil  bool
	}{
		{"TestExistence", s.TestExistence == nil}, {"CreateDMP", s.CreateDMP == nil}, {"ReadDMP", s.ReadDMP == nil},
		{"SetAuthorization", s.SetAuthorization == nil}, {"ListAuthorizations", s.ListAuthorizations == nil}, {"Publish", s.Publish == nil},
		{"FindDocuments", s.FindDocuments == nil}, {"Retrieve", s.Retrieve == nil}, {"Mask", s.Mask == nil},
		{"Unmask", s.Unmask == nil}, {"Archive", s.Archive == nil}, {"Delete", s.Delete == nil},
	} {
		if f.nil {
			out = append(out, f.name)
		}
	}
	return out
}
