package mtom

import (
	"errors"
	"fmt"
	"strings"
)

// Kinds of [Error]. Test with errors.Is(err, mtom.ErrTruncated) and so on.
var (
	// ErrMalformed reports a Content-Type or MIME structure that cannot be
	// parsed, an unsupported media type or Content-Transfer-Encoding, or
	// badly encoded part content.
	ErrMalformed = errors.New("malformed message")
	// ErrMissingBoundary reports a multipart Content-Type without a boundary
	// parameter.
	ErrMissingBoundary = errors.New("missing multipart boundary")
	// ErrTruncated reports a body that ends before the close delimiter.
	ErrTruncated = errors.New("message truncated")
	// ErrMissingRoot reports a message without its root part: no part at all,
	// a start parameter naming no part or a part other than the first, or a
	// writer closed before its root was written.
	ErrMissingRoot = errors.New("missing root part")
	// ErrRootNotXML reports a root part whose media type is not XML or whose
	// content is not a well-formed XML document.
	ErrRootNotXML = errors.New("root part is not XML")
	// ErrUnknownCID reports an xop:Include whose Content-ID names no part of
	// the message.
	ErrUnknownCID = errors.New("unknown cid reference")
	// ErrDuplicateContentID reports two parts with the same Content-ID.
	ErrDuplicateContentID = errors.New("duplicate Content-ID")
	// ErrInvalidContentID reports a missing or syntactically invalid
	// Content-ID, or a cid: href that cannot be decoded.
	ErrInvalidContentID = errors.New("invalid Content-ID")
	// ErrTooLarge reports a part, a message or a spool larger than its
	// configured limit, or too many parts.
	ErrTooLarge = errors.New("size limit exceeded")
	// ErrBoundaryInData reports content that contains the multipart boundary
	// delimiter, which would corrupt the message being written.
	ErrBoundaryInData = errors.New("content contains the multipart boundary")
)

// Error describes a malformed, inconsistent or over-limit MTOM message, or a
// misuse of [Writer]. errors.Is(err, e.Kind) holds for it.
type Error struct {
	Kind      error  // one of the Err* sentinels of this package
	Part      int    // index of the MIME part concerned (0 is the root), or -1
	ContentID string // Content-ID of the part concerned, when known
	Msg       string // what exactly is wrong
	Err       error  // underlying cause, or nil
}

// Error formats the error as "mtom: part N <cid>: kind: msg: cause".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("mtom: ")
	if e.Part >= 0 {
		fmt.Fprintf(&b, "part %d", e.Part)
		if e.ContentID != "" {
			fmt.Fprintf(&b, " <%s>", e.ContentID)
		}
		b.WriteString(": ")
	} else if e.ContentID != "" {
		fmt.Fprintf(&b, "<%s>: ", e.ContentID)
	}
	b.WriteString(e.Kind.Error())
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is reports whether target is the Kind of e.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// errorf builds an *Error not tied to a part.
func errorf(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Part: -1, Msg: fmt.Sprintf(format, args...)}
}
