package soap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/uuid"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// DefaultMaxResponseSize is the default limit of a response, attachments
// included.
const DefaultMaxResponseSize = 256 << 20

// HeaderProvider adds a header block on the exact bytes sent
// (runtime/wssec.Provider implements it). The block must be one element that
// declares every namespace it uses; it is inserted verbatim after the
// WS-Addressing headers.
type HeaderProvider interface {
	HeaderBlock(ctx context.Context, action string) ([]byte, error)
}

// Client executes operations over HTTP. It is safe for concurrent use.
type Client struct {
	endpoint string
	hc       *http.Client
	headers  []HeaderProvider
	maxResp  int64
	maxEnv   int64
	lenient  bool
	noRelTo  bool // a response without wsa:RelatesTo is accepted
	prefixes []func(*xmltext.Encoder)
	to       *string
	types    []func(xmltext.Name) xmltext.Unmarshaler // WithTypes
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (its Transport holds the TLS
// configuration: see NewHTTPClient). The default is http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithHeader adds a header block provider; providers are called in the
// order they were added.
func WithHeader(h HeaderProvider) Option {
	return func(c *Client) { c.headers = append(c.headers, h) }
}

// WithMaxResponseSize limits the size of a response body, attachments
// included (default DefaultMaxResponseSize; n < 0: no limit). A larger
// response fails with a *TooLargeError.
func WithMaxResponseSize(n int64) Option { return func(c *Client) { c.maxResp = n } }

// WithMaxResponseEnvelopeSize limits the XML of a response: a plain body,
// or the root part of an MTOM message (default DefaultMaxEnvelopeSize; n <
// 0: only the response limit applies). A larger response fails with a
// *TooLargeError.
func WithMaxResponseEnvelopeSize(n int64) Option { return func(c *Client) { c.maxEnv = n } }

// WithLenientDecoding tolerates the documented quirks of real messages in
// responses: unknown elements and attributes, Latin-1 bytes, an envelope
// of the other SOAP version, a wsa:Action other than the expected one and
// a missing wsa:RelatesTo. Each tolerated problem is a warning
// (CollectWarnings).
func WithLenientDecoding(on bool) Option { return func(c *Client) { c.lenient = on } }

// WithOptionalRelatesTo accepts responses without wsa:RelatesTo in strict
// mode too, as a warning (CollectWarnings): some deployed services omit it.
// A wsa:RelatesTo that names another message is still an error. For one
// operation only, pass AllowMissingRelatesTo to its calls instead.
func WithOptionalRelatesTo(on bool) Option { return func(c *Client) { c.noRelTo = on } }

// AllowMissingRelatesTo is WithOptionalRelatesTo for one call.
func AllowMissingRelatesTo() CallOption { return func(c *call) { c.noRelTo = true } }

// WithPrefixes registers preferred namespace prefixes for request bodies
// (the Prefixes function of generated packages).
func WithPrefixes(f func(*xmltext.Encoder)) Option {
	return func(c *Client) { c.prefixes = append(c.prefixes, f) }
}

// WithAddressingTo sets the value of wsa:To, by default the endpoint URL.
// The DMP's official examples send an empty wsa:To: WithAddressingTo("")
// reproduces them.
func WithAddressingTo(to string) Option { return func(c *Client) { c.to = &to } }

// NewClient returns a client for endpoint ("" means the operation's
// Endpoint).
func NewClient(endpoint string, opts ...Option) *Client {
	c := &Client{endpoint: endpoint, hc: http.DefaultClient, maxResp: DefaultMaxResponseSize, maxEnv: DefaultMaxEnvelopeSize}
	for _, o := range opts {
		o(c)
	}
	return c
}

// CallOption configures one call.
type CallOption func(*call)

type call struct {
	noRelTo     bool
	attachments []Attachment
	onAttach    func(*mtom.Part) error
	spool       **mtom.Spool
	spoolDir    string
	warnings    *[]string
	header      *[]*xmltext.Element
	messageID   string
	sentIDs     []*string
	// Bound header blocks (CallHeaders, MustUnderstand).
	headersIn         []xmlbind.Value
	headersOut        *[]xmlbind.Value
	mustUnderstand    map[xmltext.Name]bool
	mustUnderstandAll bool
}

// WithAttachments sends attachments with an MTOMRequest operation. Each
// ContentID must be the Include of an xmlbind.Binary of the request, and
// every Include must have its attachment. Bodies are streamed after the
// envelope in the order given.
func WithAttachments(a ...Attachment) CallOption {
	return func(c *call) { c.attachments = append(c.attachments, a...) }
}

// OnAttachment streams each attachment of an MTOM response to f, in message
// order, after the response body was decoded and before Call returns.
// p.Body is valid until f returns; content f leaves unread is skipped. The
// call fails if f fails, or if the message turns out truncated or
// inconsistent afterwards: treat what f wrote as provisional until Call
// returns nil (or a *RegistryError).
func OnAttachment(f func(p *mtom.Part) error) CallOption {
	return func(c *call) { c.onAttach = f }
}

// SpoolAttachments stores the attachments of an MTOM response in a
// temporary file in dir ("" means os.TempDir()) and sets *dst once the
// whole message has been read and checked. The caller closes the spool.
func SpoolAttachments(dst **mtom.Spool, dir string) CallOption {
	return func(c *call) { c.spool, c.spoolDir = dst, dir }
}

// WithMessageID sends id as the request's wsa:MessageID instead of a new
// urn:uuid (an identifier the caller already logs, or a retry that must
// keep its identifier). It must be an absolute URI; the response's
// wsa:RelatesTo is checked against it.
func WithMessageID(id string) CallOption { return func(c *call) { c.messageID = id } }

// SentMessageID stores in *dst the wsa:MessageID of the request, generated
// or given, once the request is built: the identifier to quote in audit
// trails and support requests, also when the call fails afterwards.
func SentMessageID(dst *string) CallOption {
	return func(c *call) { c.sentIDs = append(c.sentIDs, dst) }
}

type callOptionsKey struct{}

// WithCallOptions returns a context that carries call options: every Call
// made with it applies them before its own. It reaches the calls of code
// that takes only a context, such as the dmp package:
//
//	var id string
//	res, err := c.FindDocuments(soap.WithCallOptions(ctx, soap.SentMessageID(&id)), q)
func WithCallOptions(ctx context.Context, opts ...CallOption) context.Context {
	all := append(append([]CallOption(nil), CallOptionsFrom(ctx)...), opts...)
	return context.WithValue(ctx, callOptionsKey{}, all)
}

// CallOptionsFrom returns the call options ctx carries (WithCallOptions).
func CallOptionsFrom(ctx context.Context) []CallOption {
	opts, _ := ctx.Value(callOptionsKey{}).([]CallOption)
	return opts
}

// CollectWarnings appends to *dst the problems tolerated in lenient mode.
func CollectWarnings(dst *[]string) CallOption { return func(c *call) { c.warnings = dst } }

// ResponseHeader stores the header blocks of the response in *dst. The
// caller then processes them: blocks flagged mustUnderstand are accepted.
func ResponseHeader(dst *[]*xmltext.Element) CallOption { return func(c *call) { c.header = dst } }

// Call sends req (encoded as op.Request) and decodes the response body
// element into resp (nil for a one-way operation).
//
// It returns nil only when the whole response was received, decoded and
// checked (and its attachments delivered). A SOAP fault is a *FaultError,
// a registry response whose status is not Success a *RegistryError (resp is
// decoded then, and also in the error).
func (c *Client) Call(ctx context.Context, op *Operation, req, resp xmlbind.Value, opts ...CallOption) error {
	if err := op.check(); err != nil {
		return err
	}
	var cl call
	for _, o := range CallOptionsFrom(ctx) {
		o(&cl)
	}
	for _, o := range opts {
		o(&cl)
	}
	err := c.call(ctx, op, req, resp, &cl)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
		return fmt.Errorf("soap: %s: %w", op, err)
	}
	return nil
}

func (c *Client) call(ctx context.Context, op *Operation, req, resp xmlbind.Value, cl *call) error {
	endpoint := c.endpoint
	if endpoint == "" {
		endpoint = op.Endpoint
	}
	if endpoint == "" {
		return errors.New("no endpoint: give one to NewClient or in the Operation")
	}
	if len(cl.attachments) > 0 && !op.MTOMRequest {
		return protocolErr(ErrAttachments, nil, "attachments given but the operation does not send MTOM")
	}
	if resp == nil && !op.oneWay() {
		return errors.New("nil response value")
	}
	messageID := cl.messageID
	if messageID == "" {
		id, err := uuid.New(nil)
		if err != nil {
			return err
		}
		messageID = id.URN()
	} else if u, err := url.Parse(messageID); err != nil || !u.IsAbs() || strings.ContainsAny(messageID, " \t\r\n") {
		return fmt.Errorf("wsa:MessageID %q is not an absolute URI", messageID)
	}
	for _, dst := range cl.sentIDs {
		*dst = messageID
	}
	msg := &outMessage{version: op.Version, request: true, prefixes: c.prefixes}
	msg.wsa = addressing{MessageID: messageID, Action: op.Action, To: endpoint, hasTo: true}
	if c.to != nil {
		msg.wsa.To = *c.to
	}
	typed, err := requestBlocks(op, cl)
	if err != nil {
		return err
	}
	msg.typed = typed
	for i, h := range c.headers {
		b, err := h.HeaderBlock(ctx, op.Action)
		if err != nil {
			return fmt.Errorf("header provider %d: %w", i, err)
		}
		if err := checkBlock(b); err != nil {
			return fmt.Errorf("header provider %d: %w", i, err)
		}
		msg.blocks = append(msg.blocks, b)
	}
	msg.body = func(e *xmltext.Encoder) error {
		if req == nil {
			return errors.New("nil request value")
		}
		return req.MarshalXMLText(e, op.Request)
	}
	env, err := msg.encode()
	if err != nil {
		return fmt.Errorf("encoding the request: %w", err)
	}
	if err := checkAttachments(env, cl.attachments); err != nil {
		return err
	}

	action := wireAction(op.SOAPAction, msg.wsa.Action)
	var body io.Reader = bytes.NewReader(env)
	var contentType string
	var done chan error
	var pr *io.PipeReader
	if op.MTOMRequest {
		var pw *io.PipeWriter
		pr, pw = io.Pipe()
		wo := mtom.WriterOptions{SOAP11: op.Version == V11}
		if op.Version == V12 {
			wo.Action = action
		}
		mw, err := mtom.NewWriter(pw, wo)
		if err != nil {
			return err
		}
		contentType = mw.ContentType()
		done = make(chan error, 1)
		go func() {
			err := writeMTOM(mw, env, cl.attachments)
			pw.CloseWithError(err)
			done <- err
		}()
		body = pr
	} else {
		contentType = plainContentType(op.Version, action)
		if contentType == "" {
			return fmt.Errorf("SOAP action %q cannot be sent in a Content-Type parameter", action)
		}
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, body)
	if err != nil {
		if pr != nil {
			pr.CloseWithError(err)
			<-done
		}
		return err
	}
	hreq.Header.Set("Content-Type", contentType)
	if op.Version == V11 {
		hreq.Header.Set("SOAPAction", `"`+action+`"`)
	}
	err = c.exchange(hreq, op, msg.wsa.MessageID, resp, cl)
	if pr != nil {
		pr.CloseWithError(errExchangeOver)
		if werr := <-done; werr != nil && err != nil && !errors.Is(werr, errExchangeOver) {
			// The request body failed (an attachment reader, for example):
			// that is the cause of the transport error.
			err = fmt.Errorf("sending the request: %w (%w)", werr, err)
		}
	}
	return err
}

// errExchangeOver stops the writer of a request body that the exchange no
// longer needs (the server answered before reading it all).
var errExchangeOver = errors.New("soap: the exchange is over")

// plainContentType returns the Content-Type of a non-MTOM message.
func plainContentType(v Version, action string) string {
	if v == V11 {
		return "text/xml; charset=utf-8"
	}
	params := map[string]string{"charset": "utf-8"}
	if action != "" {
		params["action"] = action
	}
	return mime.FormatMediaType(mtom.MediaTypeSOAP12, params)
}

// exchange sends hreq and reads the response.
func (c *Client) exchange(hreq *http.Request, op *Operation, messageID string, resp xmlbind.Value, cl *call) error {
	hresp, err := c.hc.Do(hreq)
	if err != nil {
		return err
	}
	defer func() {
		// Drain a little so that the connection can be reused.
		io.Copy(io.Discard, io.LimitReader(hresp.Body, 64<<10))
		hresp.Body.Close()
	}()
	body := &limitReader{r: hresp.Body, limit: c.maxResp, what: "response"}
	return c.readResponse(hresp, body, op, messageID, resp, cl)
}

func (c *Client) readResponse(hresp *http.Response, body io.Reader, op *Operation, messageID string, resp xmlbind.Value, cl *call) error {
	status := hresp.StatusCode
	ok := status >= 200 && status < 300
	ct := hresp.Header.Get("Content-Type")
	httpErr := func(err error) error {
		he := &HTTPError{StatusCode: status, Status: hresp.Status, ContentType: ct, Err: err}
		he.Body, _ = io.ReadAll(io.LimitReader(body, 4<<10))
		return he
	}
	if op.oneWay() && ok && ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	var root []byte
	var mr *mtom.Reader
	switch {
	case err != nil:
		perr := protocolErr(ErrNotSOAP, err, "response Content-Type %q", ct)
		if !ok {
			return httpErr(perr)
		}
		return perr
	case mt == "multipart/related":
		mr, err = mtom.NewReader(ct, body, &mtom.ReaderOptions{MaxRootSize: c.rootLimit(), MaxPartSize: c.partLimit()})
		if err != nil {
			return err
		}
		root = mr.Root().Data
	case mt == mtom.MediaTypeSOAP12 || mt == mtom.MediaTypeSOAP11 || mt == "application/xml":
		root, err = io.ReadAll(&limitReader{r: body, limit: c.rootLimit(), what: "response envelope"})
		if err != nil {
			return err
		}
	default:
		perr := protocolErr(ErrNotSOAP, nil, "response Content-Type %q", ct)
		if !ok {
			return httpErr(perr)
		}
		return perr
	}
	types := chainTypes(append(c.types[:len(c.types):len(c.types)], op.Types)...)
	env, err := parseEnvelope(root, c.lenient, 0, types)
	if err != nil {
		if !ok {
			he := &HTTPError{StatusCode: status, Status: hresp.Status, ContentType: ct, Err: err}
			he.Body = root[:min(len(root), 4<<10)]
			return he
		}
		return err
	}
	var warnings []string
	warn := func(err error) error {
		if !c.lenient {
			return err
		}
		warnings = append(warnings, err.Error())
		return nil
	}
	defer func() {
		if cl.warnings != nil {
			for _, w := range env.d.Warnings() {
				warnings = append(warnings, w.String())
			}
			*cl.warnings = append(*cl.warnings, warnings...)
		}
	}()
	if cl.header != nil {
		*cl.header = env.header
	}
	if env.wsa.hasRelatesTo && env.wsa.RelatesTo != messageID {
		return protocolErr(ErrAddressing, nil, "wsa:RelatesTo is %q, want the request's wsa:MessageID %q", env.wsa.RelatesTo, messageID)
	}
	if env.isFault() {
		fe, err := readFault(env, op, c.lenient, &warnings)
		if fe != nil {
			fe.HTTPStatus = status
		}
		if err != nil {
			return err
		}
		return fe
	}
	if !ok {
		he := &HTTPError{StatusCode: status, Status: hresp.Status, ContentType: ct,
			Err: protocolErr(ErrUnexpectedBody, nil, "HTTP error status with a SOAP envelope that is not a fault")}
		he.Body = root[:min(len(root), 4<<10)]
		return he
	}
	if env.version != op.Version {
		if err := warn(protocolErr(ErrVersionMismatch, nil, "response is %v, the operation is bound to %v", env.version, op.Version)); err != nil {
			return err
		}
	}
	if !env.wsa.hasRelatesTo {
		msg := "response has no wsa:RelatesTo"
		if c.noRelTo || cl.noRelTo {
			warnings = append(warnings, msg)
		} else if err := warn(protocolErr(ErrAddressing, nil, "%s (to accept it from this service: soap.WithOptionalRelatesTo, or soap.AllowMissingRelatesTo on the call)", msg)); err != nil {
			return err
		}
	}
	if op.ResponseAction != "" && env.wsa.Action != op.ResponseAction {
		if err := warn(protocolErr(ErrAddressing, nil, "response wsa:Action is %q, want %q", env.wsa.Action, op.ResponseAction)); err != nil {
			return err
		}
	}
	if cl.header == nil {
		understood := func(n xmltext.Name) bool {
			return n.Space == NamespaceWSA || cl.headersOut != nil && bound(op.ResponseHeaders, n)
		}
		if h := env.mustUnderstand(understood); h != nil {
			return protocolErr(ErrMustUnderstand, nil, "response header block %s is flagged mustUnderstand (use soap.ResponseHeader to process it)", h.Name)
		}
	}
	if cl.headersOut != nil && len(op.ResponseHeaders) > 0 {
		vals, ws, err := decodeHeaders(root, c.lenient, op.ResponseHeaders, types)
		if err != nil {
			return protocolErr(ErrHeader, err, "response header")
		}
		warnings = append(warnings, ws...)
		*cl.headersOut = vals
	}
	if op.oneWay() {
		if env.payload.Kind == xmltext.StartElement {
			return protocolErr(ErrUnexpectedBody, nil, "one-way operation answered with %s", env.payload.Name)
		}
		return env.finish()
	}
	if env.payload.Kind != xmltext.StartElement {
		return protocolErr(ErrUnexpectedBody, nil, "empty Body, want %s", op.Response)
	}
	if env.payload.Name != op.Response && !op.AnyResponse {
		return protocolErr(ErrUnexpectedBody, nil, "body element is %s, want %s", env.payload.Name, op.Response)
	}
	if err := env.decodePayload(resp); err != nil {
		return err
	}
	if err := receiveAttachments(mr, cl); err != nil {
		return err
	}
	re, err := registryStatus(root, c.lenient)
	if err != nil {
		return err
	}
	if re != nil {
		re.Response = resp
		return re
	}
	return nil
}

// partLimit is the limit of one attachment of a response.
func (c *Client) partLimit() int64 {
	if c.maxResp < 0 {
		return 1 << 62
	}
	return c.maxResp
}

// rootLimit is the limit of the XML of a response (an MTOM root part or
// a plain body).
func (c *Client) rootLimit() int64 {
	lim := int64(1 << 62)
	if c.maxResp >= 0 {
		lim = c.maxResp
	}
	if c.maxEnv >= 0 && c.maxEnv < lim {
		lim = c.maxEnv
	}
	return lim
}

// receiveAttachments streams the attachments of an MTOM response to the
// caller's sink, and checks that the message is complete.
func receiveAttachments(mr *mtom.Reader, cl *call) error {
	if mr == nil {
		return nil
	}
	if cl.spool != nil {
		s, err := mtom.SpoolAttachments(mr, cl.spoolDir, 0)
		if err != nil {
			return err
		}
		*cl.spool = s
		return nil
	}
	for {
		p, err := mr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if cl.onAttach == nil {
			return protocolErr(ErrAttachments, nil, "the response carries attachment <%s>: pass soap.OnAttachment or soap.SpoolAttachments to receive it", p.ContentID)
		}
		if err := cl.onAttach(p); err != nil {
			return fmt.Errorf("attachment <%s>: %w", p.ContentID, err)
		}
	}
}

// wireAction is the SOAP action of the HTTP request (SOAP 1.2 action=
// parameter, SOAP 1.1 SOAPAction header): the binding's soapAction, or the
// request's wsa:Action when the binding declares a different non-empty one.
// The WS-Addressing SOAP binding (§6.2, §6.3) requires the two to be
// identical; the DMP's Habilitations WSDL declares urn:hl7-org:v3:<operation>
// while its examples send the WS-Addressing default action.
func wireAction(soapAction, wsaAction string) string {
	if soapAction != "" && wsaAction != "" && soapAction != wsaAction {
		return wsaAction
	}
	return soapAction
}
