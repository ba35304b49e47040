package soap

import (
	"fmt"
	"io"

	"github.com/dmpgen/dmpgen/runtime/mtom"
)

// Attachment is one MIME part of an MTOM message: the content that an
// xmlbind.Binary whose Include is ContentID stands for.
type Attachment struct {
	ContentID   string    // without angle brackets; equal to Binary.Include
	ContentType string    // "" means application/octet-stream
	Body        io.Reader // streamed once; the runtime does not close it
}

// checkAttachments checks that the xop:Include elements of an encoded
// envelope and the attachments match one to one.
func checkAttachments(env []byte, atts []Attachment) error {
	ids, err := includes(env)
	if err != nil {
		return protocolErr(ErrBadEnvelope, err, "scanning xop:Include elements")
	}
	have := make(map[string]bool, len(atts))
	for _, a := range atts {
		if _, err := mtom.ParseHref(mtom.Href(a.ContentID)); err != nil {
			return protocolErr(ErrAttachments, err, "attachment Content-ID")
		}
		if have[a.ContentID] {
			return protocolErr(ErrAttachments, mtom.ErrDuplicateContentID, "two attachments have Content-ID <%s>", a.ContentID)
		}
		if a.Body == nil {
			return protocolErr(ErrAttachments, nil, "attachment <%s> has no Body", a.ContentID)
		}
		have[a.ContentID] = true
	}
	referenced := make(map[string]bool, len(ids))
	for _, id := range ids {
		if !have[id] {
			return protocolErr(ErrAttachments, mtom.ErrUnknownCID, "xop:Include references <%s> but no attachment has this Content-ID", id)
		}
		referenced[id] = true
	}
	for _, a := range atts {
		if !referenced[a.ContentID] {
			return protocolErr(ErrAttachments, nil, "attachment <%s> is not referenced by any xop:Include (set Binary.Include to its ContentID)", a.ContentID)
		}
	}
	return nil
}

// writeMTOM writes the envelope as the root part and streams the
// attachments after it.
func writeMTOM(mw *mtom.Writer, env []byte, atts []Attachment) error {
	root, err := mw.CreateRoot()
	if err != nil {
		return err
	}
	if _, err := root.Write(env); err != nil {
		return fmt.Errorf("writing the MTOM root part: %w", err)
	}
	for _, a := range atts {
		if _, err := mw.WriteAttachment(&mtom.Part{ContentID: a.ContentID, ContentType: a.ContentType, Body: a.Body}); err != nil {
			return err
		}
	}
	return mw.Close()
}

// limitReader fails with a *TooLargeError once more than limit bytes have
// been read (limit < 0: no limit).
type limitReader struct {
	r     io.Reader
	n     int64 // bytes read
	limit int64
	what  string
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.limit < 0 {
		return l.r.Read(p)
	}
	if rest := l.limit + 1 - l.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.limit {
		return 0, &TooLargeError{Limit: l.limit, What: l.what}
	}
	return n, err
}
