package mtom

import (
	"io"
	"net/textproto"
)

// NamespaceXOP is the namespace of the xop:Include element.
const NamespaceXOP = "http://www.w3.org/2004/08/xop/include"

// Part is one MIME part of an MTOM package other than the root. [Writer]
// reads it; [Reader.Next] returns it.
type Part struct {
	ContentID   string               // without angle brackets
	ContentType string               // Content-Type header value
	Header      textproto.MIMEHeader // all headers (read side); extra headers (write side)
	Body        io.Reader            // content, already transfer-decoded on the read side
}
