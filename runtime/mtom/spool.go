package mtom

import (
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"os"
)

// Spool holds the attachments of a message in one temporary file, for
// callers that need them in random order or more than once. Close removes
// the file.
type Spool struct {
	f     *os.File
	parts []*SpooledPart
	byID  map[string]*SpooledPart
}

// SpooledPart is one attachment kept in a [Spool].
type SpooledPart struct {
	ContentID   string
	ContentType string
	Header      textproto.MIMEHeader
	Size        int64 // content bytes
	f           *os.File
	off         int64
}

// Open returns a reader over the content. Readers of the same or of
// different parts may be used concurrently; they are valid until the Spool
// is closed.
func (p *SpooledPart) Open() *io.SectionReader { return io.NewSectionReader(p.f, p.off, p.Size) }

// SpoolAttachments reads every remaining attachment of r into a new
// temporary file in dir ("" means os.TempDir()) and returns them once the
// whole message has been read and checked. maxTotal > 0 limits the total
// content size (an [*Error] of kind [ErrTooLarge] beyond it); the Reader's
// own limits apply too. On error the file is removed and nothing is
// returned.
func SpoolAttachments(r *Reader, dir string, maxTotal int64) (*Spool, error) {
	f, err := os.CreateTemp(dir, "mtom-spool-*")
	if err != nil {
		return nil, fmt.Errorf("mtom: creating spool file: %w", err)
	}
	s := &Spool{f: f, byID: map[string]*SpooledPart{}}
	if err := s.fill(r, maxTotal); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	return s, nil
}

// fill copies the attachments of r into the spool file.
func (s *Spool) fill(r *Reader, maxTotal int64) error {
	var off int64
	for {
		p, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		src := p.Body
		if maxTotal > 0 {
			src = io.LimitReader(p.Body, plusOne(maxTotal-off))
		}
		n, err := io.Copy(s.f, src)
		if err != nil {
			return fmt.Errorf("mtom: spooling <%s>: %w", p.ContentID, err)
		}
		if maxTotal > 0 && off+n > maxTotal {
			return &Error{Kind: ErrTooLarge, Part: -1, ContentID: p.ContentID,
				Msg: fmt.Sprintf("attachments exceed the spool limit of %d bytes", maxTotal)}
		}
		sp := &SpooledPart{ContentID: p.ContentID, ContentType: p.ContentType, Header: p.Header, Size: n, f: s.f, off: off}
		s.parts = append(s.parts, sp)
		s.byID[sp.ContentID] = sp
		off += n
	}
}

// Part returns the attachment with the given Content-ID.
func (s *Spool) Part(contentID string) (*SpooledPart, bool) {
	p, ok := s.byID[contentID]
	return p, ok
}

// Parts returns the attachments in message order.
func (s *Spool) Parts() []*SpooledPart { return s.parts }

// Close closes and removes the temporary file.
func (s *Spool) Close() error {
	return errors.Join(s.f.Close(), os.Remove(s.f.Name()))
}
