package soap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/uuid"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// Default limits of a Server (docs/limits.md). The XML of a request (its
// envelope: the whole body of a plain request, the root part of an MTOM
// one) is read into memory and is kept small; attachments are streamed to
// the handler and only the total size bounds them.
const (
	// DefaultMaxRequestSize bounds a request body, attachments included.
	DefaultMaxRequestSize = 256 << 20
	// DefaultMaxEnvelopeSize bounds the XML of a request. A TD3.1 response
	// of 1,000 entries is about 2 MB; a VIHF-carrying request a few KB.
	DefaultMaxEnvelopeSize = 16 << 20
	// DefaultMaxHeaderSize bounds the SOAP Header of a request (the VIHF,
	// WS-Addressing and WS-Security blocks: a few KB in practice).
	DefaultMaxHeaderSize = 256 << 10
	// DefaultMaxAttachments bounds the attachments of a request.
	DefaultMaxAttachments = 100
	// DefaultMaxConcurrent bounds the requests served at once; the next
	// ones get a 503 Receiver fault with Retry-After.
	DefaultMaxConcurrent = 64
	// DefaultBodyReadIdle is how long a read of the request body may wait
	// for data (a slow client that sends nothing for this long gets a
	// fault, however long the whole transfer takes).
	DefaultBodyReadIdle = 30 * time.Second
)

// WS-Addressing fault subcodes.
var (
	SubcodeActionNotSupported = xmltext.Name{Space: NamespaceWSA, Local: "ActionNotSupported"}
	SubcodeOnlyAnonymous      = xmltext.Name{Space: NamespaceWSA, Local: "OnlyAnonymousAddressSupported"}
	SubcodeInvalidAddressing  = xmltext.Name{Space: NamespaceWSA, Local: "InvalidAddressingHeader"}
)

// HandlerFunc handles one operation: req is the decoded request body; the
// returned value is encoded as the operation's response element. An error
// becomes a SOAP fault: a *FaultError as it is (with the detail of a
// declared fault), any other error as a Receiver fault carrying its text.
type HandlerFunc func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error)

// HeaderHook inspects a request before its body is decoded (runtime/wssec
// Verify on r.Envelope, for example). It may return a derived context for
// the handler. An error becomes a fault: a *FaultError as it is, any other
// error as a Sender fault.
type HeaderHook func(ctx context.Context, r *Request) (context.Context, error)

// Request describes the request being handled (RequestFromContext).
type Request struct {
	Operation *Operation
	Version   Version
	Action    string             // wsa:Action ("" when absent)
	MessageID string             // wsa:MessageID ("" when absent)
	To        string             // wsa:To
	Header    []*xmltext.Element // header blocks, each self-contained
	Envelope  []byte             // the envelope as received (the MTOM root part)
	HTTP      *http.Request
	// Warnings are the problems a lenient server (WithServerLenientDecoding)
	// tolerated in the envelope, header and body, each "line:col: message"
	// or a message. What the body's generated types do not know is kept in
	// their Unknown field, not dropped. Set once the body is decoded: the
	// handler sees them, a HeaderHook does not yet.
	Warnings []string
}

type route struct {
	op     *Operation
	newReq func() xmlbind.Value
	h      HandlerFunc
	hh     HeadersHandlerFunc // instead of h, for operations with bound headers
}

// Server dispatches SOAP requests to handlers. It implements http.Handler;
// register every operation before serving.
type Server struct {
	mu        sync.RWMutex
	byAction  map[string]*route
	byElement map[xmltext.Name][]*route

	hook       HeaderHook
	understood map[xmltext.Name]bool
	maxReq     int64
	maxEnv     int64
	maxHeader  int64
	maxAtts    int
	slots      chan struct{} // one per request in progress; nil: no limit
	readIdle   time.Duration
	anonOnly   bool
	lenient    bool
	prefixes   []func(*xmltext.Encoder)
	types      []func(xmltext.Name) xmltext.Unmarshaler // WithServerTypes
	wsdl       fs.FS
	wsdlMain   string
	logf       func(format string, args ...any)
	observe    func(Exchange)
}

// ServerOption configures a Server.
type ServerOption func(*Server)

// WithHeaderHook sets the hook called on every request before decoding.
func WithHeaderHook(h HeaderHook) ServerOption { return func(s *Server) { s.hook = h } }

// WithUnderstoodHeaders declares header blocks that the header hook or the
// handlers process, so that they may be flagged mustUnderstand.
// WS-Addressing headers are always understood.
func WithUnderstoodHeaders(names ...xmltext.Name) ServerOption {
	return func(s *Server) {
		for _, n := range names {
			s.understood[n] = true
		}
	}
}

// WithMaxRequestSize limits a request body, attachments included (default
// DefaultMaxRequestSize; n < 0: no limit).
func WithMaxRequestSize(n int64) ServerOption { return func(s *Server) { s.maxReq = n } }

// WithMaxEnvelopeSize limits the XML of a request: a plain body, or the
// root part of an MTOM message (default DefaultMaxEnvelopeSize; n < 0: only
// the request limit applies).
func WithMaxEnvelopeSize(n int64) ServerOption { return func(s *Server) { s.maxEnv = n } }

// WithMaxHeaderSize limits the SOAP Header of a request (default
// DefaultMaxHeaderSize; n < 0: no limit).
func WithMaxHeaderSize(n int64) ServerOption { return func(s *Server) { s.maxHeader = n } }

// WithMaxAttachments limits the attachments of a request (default
// DefaultMaxAttachments; n < 0: no limit).
func WithMaxAttachments(n int) ServerOption { return func(s *Server) { s.maxAtts = n } }

// WithMaxConcurrent limits the requests served at once (default
// DefaultMaxConcurrent; n <= 0: no limit). A request over the limit is
// answered at once with HTTP 503, Retry-After and a Receiver fault.
func WithMaxConcurrent(n int) ServerOption { return func(s *Server) { s.setSlots(n) } }

// WithBodyReadIdle sets how long one read of a request body may wait for
// data (default DefaultBodyReadIdle; d <= 0: no deadline). It needs an
// http.ResponseWriter that supports read deadlines (net/http's does).
func WithBodyReadIdle(d time.Duration) ServerOption { return func(s *Server) { s.readIdle = d } }

func (s *Server) setSlots(n int) {
	s.slots = nil
	if n > 0 {
		s.slots = make(chan struct{}, n)
	}
}

// WithAnonymousOnly refuses requests whose wsa:ReplyTo or wsa:FaultTo is
// not the anonymous address (fault OnlyAnonymousAddressSupported). By
// default such a request is served and its response, or fault, is sent on
// the HTTP response all the same, addressed (wsa:To) to the address asked
// for; with the none address, the server answers 202 without a body.
func WithAnonymousOnly(on bool) ServerOption { return func(s *Server) { s.anonOnly = on } }

// WithServerLenientDecoding tolerates unknown elements and attributes,
// Latin-1 bytes and an envelope of the other SOAP version in requests.
func WithServerLenientDecoding(on bool) ServerOption { return func(s *Server) { s.lenient = on } }

// WithServerPrefixes registers preferred namespace prefixes for response
// bodies.
func WithServerPrefixes(f func(*xmltext.Encoder)) ServerOption {
	return func(s *Server) { s.prefixes = append(s.prefixes, f) }
}

// WithWSDL publishes a WSDL: GET ?wsdl returns the document main of fsys,
// GET ?wsdl=<path> and ?xsd=<path> the documents it imports (relative
// wsdl:import locations are rewritten to ?wsdl= URLs, xsd:import, include,
// redefine and override locations to ?xsd= URLs; paths stay inside fsys),
// and every soap:address location is rewritten to the URL of the request.
func WithWSDL(fsys fs.FS, main string) ServerOption {
	return func(s *Server) { s.wsdl, s.wsdlMain = fsys, main }
}

// WithLogf sets where the server reports what it cannot tell the client
// (a response that failed while streaming, a handler panic). Default: none.
func WithLogf(f func(format string, args ...any)) ServerOption {
	return func(s *Server) { s.logf = f }
}

// Exchange is what a Server reports of each SOAP request it answered
// (WithExchangeLog).
type Exchange struct {
	HTTP      *http.Request
	Operation *Operation // nil when the request was not routed to one
	Action    string     // wsa:Action of the request ("" when absent or unreadable)
	MessageID string     // wsa:MessageID of the request
	Status    int        // HTTP status of the response
	Fault     *FaultError
	// Err is a failure after the response status was sent (an MTOM
	// response cut while streaming), which the client sees as truncated.
	Err      error
	Duration time.Duration // from the start of ServeHTTP to the end of the response
}

// WithExchangeLog sets a function called once for every POST request,
// after its response (or fault) is written, to log the exchange. It runs
// on the request's goroutine: it should not block.
func WithExchangeLog(f func(Exchange)) ServerOption {
	return func(s *Server) { s.observe = f }
}

// NewServer returns a server without operations.
func NewServer(opts ...ServerOption) *Server {
	s := &Server{byAction: map[string]*route{}, byElement: map[xmltext.Name][]*route{},
		understood: map[xmltext.Name]bool{}, maxReq: DefaultMaxRequestSize, maxEnv: DefaultMaxEnvelopeSize,
		maxHeader: DefaultMaxHeaderSize, maxAtts: DefaultMaxAttachments, readIdle: DefaultBodyReadIdle}
	s.setSlots(DefaultMaxConcurrent)
	for _, o := range opts {
		o(s)
	}
	return s
}

// Handle registers the handler of op; newReq returns a new value for the
// request element. It panics when op is invalid or its wsa:Action is
// already registered.
func (s *Server) Handle(op *Operation, newReq func() xmlbind.Value, h func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error)) {
	if h == nil {
		panic(fmt.Sprintf("soap: Handle %s: nil handler", op))
	}
	s.handle(op, newReq, h, nil)
}

func (s *Server) handle(op *Operation, newReq func() xmlbind.Value, h HandlerFunc, hh HeadersHandlerFunc) {
	if err := op.check(); err != nil {
		panic(err)
	}
	if newReq == nil {
		panic(fmt.Sprintf("soap: Handle %s: nil request constructor", op))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := &route{op: op, newReq: newReq, h: h, hh: hh}
	if op.Action != "" {
		if old := s.byAction[op.Action]; old != nil {
			panic(fmt.Sprintf("soap: Handle %s: wsa:Action %q is already registered by %s", op, op.Action, old.op))
		}
		s.byAction[op.Action] = rt
	}
	s.byElement[op.Request] = append(s.byElement[op.Request], rt)
}

func (s *Server) printf(format string, args ...any) {
	if s.logf != nil {
		s.logf(format, args...)
	}
}

// ServeHTTP serves SOAP requests (POST) and the WSDL (GET ?wsdl).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
		if s.slots != nil {
			select {
			case s.slots <- struct{}{}:
				defer func() { <-s.slots }()
			default:
				w.Header().Set("Retry-After", "1")
				x := &exchange{s: s, w: w, version: V12}
				if strings.Contains(r.Header.Get("Content-Type"), "text/xml") {
					x.version = V11
				}
				start := time.Now()
				x.fault(ReceiverFault(fmt.Sprintf("server busy: %d requests in progress (the limit); retry later", cap(s.slots))), http.StatusServiceUnavailable)
				if s.observe != nil {
					s.observe(Exchange{HTTP: r, Status: x.status, Fault: x.fe, Duration: time.Since(start)})
				}
				return
			}
		}
		s.serveSOAP(w, r)
	case http.MethodGet, http.MethodHead:
		if q := r.URL.Query(); s.wsdl != nil && (q.Has("wsdl") || q.Has("xsd")) {
			s.serveWSDL(w, r)
			return
		}
		http.Error(w, "POST a SOAP request, or GET ?wsdl", http.StatusMethodNotAllowed)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// exchange is one request being served.
type exchange struct {
	s       *Server
	w       http.ResponseWriter
	version Version    // of the request, V12 until known
	op      *Operation // once routed
	reqID   string     // wsa:MessageID of the request
	replyTo string     // wsa:ReplyTo when not anonymous
	faultTo string     // wsa:FaultTo (else ReplyTo) when not anonymous
	action  string     // wsa:Action of the request
	status  int        // HTTP status written
	fe      *FaultError
	err     error // failure after the status was written
}

func (s *Server) serveSOAP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{s: s, w: w, version: V12}
	if s.observe != nil {
		start := time.Now()
		defer func() {
			s.observe(Exchange{HTTP: r, Operation: x.op, Action: x.action, MessageID: x.reqID, Status: x.status,
				Fault: x.fe, Err: x.err, Duration: time.Since(start)})
		}()
	}
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		x.fault(SenderFault(fmt.Sprintf("bad Content-Type %q: %v", ct, err)), http.StatusUnsupportedMediaType)
		return
	}
	var in io.Reader = r.Body
	if s.readIdle > 0 {
		in = &idleReader{r: r.Body, rc: http.NewResponseController(w), idle: s.readIdle}
	}
	body := &limitReader{r: in, limit: s.maxReq, what: "request"}
	var root []byte
	var mr *mtom.Reader
	switch mt {
	case "multipart/related":
		lim := s.maxReq
		if lim < 0 {
			lim = 1 << 62
		}
		rootLim := lim
		if s.maxEnv >= 0 && s.maxEnv < rootLim {
			rootLim = s.maxEnv
		}
		parts := 0
		if s.maxAtts >= 0 {
			parts = s.maxAtts + 1
		}
		if strings.HasPrefix(params["start-info"], mtom.MediaTypeSOAP11) {
			x.version = V11
		}
		mr, err = mtom.NewReader(ct, body, &mtom.ReaderOptions{MaxRootSize: rootLim, MaxPartSize: lim, MaxParts: parts})
		if err == nil {
			root = mr.Root().Data
			if _, rp, err := mime.ParseMediaType(mr.Root().ContentType); err == nil && params["action"] == "" {
				params["action"] = rp["action"]
			}
		}
	case mtom.MediaTypeSOAP11, mtom.MediaTypeSOAP12, "application/xml":
		if mt == mtom.MediaTypeSOAP11 {
			x.version = V11
		}
		var env io.Reader = body
		if s.maxEnv >= 0 && (s.maxReq < 0 || s.maxEnv < s.maxReq) {
			env = &limitReader{r: body, limit: s.maxEnv, what: "request envelope"}
		}
		root, err = io.ReadAll(env)
	default:
		x.fault(SenderFault(fmt.Sprintf("unsupported Content-Type %q: want application/soap+xml, text/xml or multipart/related", ct)), http.StatusUnsupportedMediaType)
		return
	}
	if err != nil {
		x.fault(SenderFault(fmt.Sprintf("reading the request: %v", err)), tooLargeStatus(err))
		return
	}
	// The body is decoded once the operation is known: the resolver reads
	// its Types then.
	var routed *Operation
	types := chainTypes(append(s.types[:len(s.types):len(s.types)], func(n xmltext.Name) xmltext.Unmarshaler {
		if routed == nil || routed.Types == nil {
			return nil
		}
		return routed.Types(n)
	})...)
	env, err := parseEnvelope(root, s.lenient, max(s.maxHeader, 0), types)
	if err != nil {
		fe := SenderFault(err.Error())
		if errors.Is(err, ErrVersionMismatch) {
			x.version = V12
			fe.Code = CodeVersionMismatch
		}
		x.fault(fe, tooLargeStatus(err))
		return
	}
	x.version, x.reqID, x.action = env.version, env.wsa.MessageID, env.wsa.Action
	if env.wsa.hasReplyTo && env.wsa.ReplyTo != AnonymousAddress {
		x.replyTo, x.faultTo = env.wsa.ReplyTo, env.wsa.ReplyTo
	}
	if env.wsa.hasFaultTo {
		x.faultTo = ""
		if env.wsa.FaultTo != AnonymousAddress {
			x.faultTo = env.wsa.FaultTo
		}
	}
	httpAction := params["action"]
	if env.version == V11 {
		httpAction = strings.Trim(strings.TrimSpace(r.Header.Get("SOAPAction")), `"`)
	}
	rt, fe := s.route(env, httpAction)
	if fe != nil {
		x.fault(fe, 0)
		return
	}
	x.op, routed = rt.op, rt.op
	if fe := s.checkRequest(env, rt.op); fe != nil {
		x.fault(fe, 0)
		return
	}
	info := &Request{Operation: rt.op, Version: env.version, Action: env.wsa.Action, MessageID: env.wsa.MessageID,
		To: env.wsa.To, Header: env.header, Envelope: root, HTTP: r}
	atts := &Attachments{r: mr}
	out := &responseAttachments{}
	ctx := context.WithValue(r.Context(), ctxKey{}, &handlerState{req: info, in: atts, out: out})
	if s.hook != nil {
		if ctx, err = s.hook(ctx, info); err != nil {
			x.fault(asFault(err, CodeSender), 0)
			return
		}
	}
	var inHeaders []xmlbind.Value
	if len(rt.op.RequestHeaders) > 0 {
		vals, ws, err := decodeHeaders(root, s.lenient, rt.op.RequestHeaders, types)
		if err != nil {
			x.fault(SenderFault(protocolErr(ErrHeader, err, "request header").Error()), 0)
			return
		}
		inHeaders = vals
		info.Warnings = append(info.Warnings, ws...)
	}
	req := rt.newReq()
	if err := env.decodePayload(req); err != nil {
		x.fault(SenderFault(err.Error()), 0)
		return
	}
	if env.version != rt.op.Version {
		info.Warnings = append(info.Warnings, fmt.Sprintf("operation %s is bound to %v, the request is %v", rt.op.Name, rt.op.Version, env.version))
	}
	for _, w := range env.d.Warnings() {
		info.Warnings = append(info.Warnings, w.String())
	}
	resp, outHeaders, herr := s.invoke(ctx, rt, req, inHeaders)
	if err := atts.finish(); err != nil {
		x.fault(SenderFault(fmt.Sprintf("the request is incomplete or inconsistent: %v", err)), tooLargeStatus(err))
		return
	}
	if herr != nil {
		x.fault(asFault(herr, CodeReceiver), 0)
		return
	}
	x.respond(resp, outHeaders, out.list)
}

// idleReader sets a read deadline before each read of a request body, so
// that a client that stops sending is cut off while a long transfer that
// keeps making progress is not.
type idleReader struct {
	r    io.Reader
	rc   *http.ResponseController
	idle time.Duration
	off  bool      // the ResponseWriter has no deadline support
	set  time.Time // when the deadline was last moved
}

func (i *idleReader) Read(p []byte) (int, error) {
	// The deadline moves at most four times per idle period: a streamed
	// attachment makes thousands of reads, and the deadline stays at
	// least 3/4 of the idle limit away.
	if now := time.Now(); !i.off && now.Sub(i.set) >= i.idle/4 {
		i.set = now
		if err := i.rc.SetReadDeadline(now.Add(i.idle)); errors.Is(err, http.ErrNotSupported) {
			i.off = true
		}
	}
	n, err := i.r.Read(p)
	switch {
	case err == io.EOF && !i.off:
		// The body is read: the handler may take its time, and net/http
		// watches the connection for a close meanwhile.
		i.rc.SetReadDeadline(time.Time{})
	case err != nil && errors.Is(err, os.ErrDeadlineExceeded):
		err = fmt.Errorf("no data for %v (the body read idle limit): %w", i.idle, err)
	}
	return n, err
}

// tooLargeStatus is 413 for a request over the size limit, else 0 (the
// fault's own status).
func tooLargeStatus(err error) int {
	var tl *TooLargeError
	if errors.As(err, &tl) || errors.Is(err, mtom.ErrTooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return 0
}

// route finds the operation of a request: by wsa:Action, else by body
// element (and the HTTP-level action when several operations share it).
func (s *Server) route(env *envelope, httpAction string) (*route, *FaultError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if a := env.wsa.Action; a != "" {
		rt := s.byAction[a]
		if rt == nil {
			return nil, SenderFault(fmt.Sprintf("no operation has wsa:Action %q", a), SubcodeActionNotSupported)
		}
		return rt, nil
	}
	if env.payload.Kind != xmltext.StartElement {
		return nil, SenderFault("empty Body and no wsa:Action")
	}
	cands := s.byElement[env.payload.Name]
	if len(cands) == 0 {
		cands = s.byElement[xmltext.Name{}] // operations taking any element
	}
	if len(cands) == 1 {
		return cands[0], nil
	}
	var match []*route
	for _, rt := range cands {
		if httpAction != "" && rt.op.SOAPAction == httpAction {
			match = append(match, rt)
		}
	}
	if len(match) == 1 {
		return match[0], nil
	}
	if len(cands) == 0 {
		return nil, SenderFault(fmt.Sprintf("no operation takes body element %s", env.payload.Name))
	}
	return nil, SenderFault(fmt.Sprintf("body element %s is taken by %d operations and the request has no wsa:Action", env.payload.Name, len(cands)), SubcodeInvalidAddressing)
}

// checkRequest checks the envelope against the routed operation.
func (s *Server) checkRequest(env *envelope, op *Operation) *FaultError {
	if env.version != op.Version && !s.lenient {
		return SenderFault(fmt.Sprintf("operation %s is bound to %v, the request is %v", op.Name, op.Version, env.version))
	}
	if env.payload.Kind != xmltext.StartElement {
		return SenderFault(fmt.Sprintf("empty Body, want %s", op.Request))
	}
	if env.payload.Name != op.Request && !op.AnyRequest {
		return SenderFault(fmt.Sprintf("body element %s does not match operation %s, which takes %s", env.payload.Name, op.Name, op.Request))
	}
	understood := func(n xmltext.Name) bool {
		return n.Space == NamespaceWSA || s.understood[n] || bound(op.RequestHeaders, n)
	}
	if h := env.mustUnderstand(understood); h != nil {
		return &FaultError{Code: CodeMustUnderstand, Reason: fmt.Sprintf("header block %s is not understood", h.Name)}
	}
	for _, a := range []struct {
		name string
		has  bool
		addr string
	}{{"ReplyTo", env.wsa.hasReplyTo, env.wsa.ReplyTo}, {"FaultTo", env.wsa.hasFaultTo, env.wsa.FaultTo}} {
		if s.anonOnly && a.has && a.addr != AnonymousAddress {
			return SenderFault(fmt.Sprintf("wsa:%s %q: only the anonymous address is supported", a.name, a.addr), SubcodeOnlyAnonymous)
		}
	}
	return nil
}

// invoke calls the handler, turning a panic into an error.
func (s *Server) invoke(ctx context.Context, rt *route, req xmlbind.Value, in []xmlbind.Value) (resp xmlbind.Value, out []xmlbind.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.printf("soap: handler of %s panicked: %v", rt.op, p)
			resp, out, err = nil, nil, fmt.Errorf("handler of %s failed", rt.op.Name)
		}
	}()
	if rt.hh != nil {
		resp, out, err = rt.hh(ctx, req, in)
	} else {
		resp, err = rt.h(ctx, req)
	}
	if err == nil && isNil(resp) && !rt.op.oneWay() {
		err = fmt.Errorf("handler of %s returned no response", rt.op.Name)
	}
	return resp, out, err
}

// asFault returns err as a fault: a *FaultError as is, else a fault of
// code carrying err's text.
func asFault(err error, code string) *FaultError {
	var fe *FaultError
	if errors.As(err, &fe) {
		return fe
	}
	return &FaultError{Code: code, Reason: err.Error()}
}

func newMessageID() string {
	id, err := uuid.New(nil)
	if err != nil {
		// crypto/rand does not fail on supported platforms.
		panic(err)
	}
	return id.URN()
}

// fault writes fe; status 0 means the SOAP binding's status for it.
func (x *exchange) fault(fe *FaultError, status int) {
	if status == 0 {
		status = faultStatus(x.version, fe)
	}
	x.fe = fe
	if x.faultTo == NoneAddress {
		x.status = http.StatusAccepted
		x.w.WriteHeader(http.StatusAccepted)
		return
	}
	msg := &outMessage{version: x.version, prefixes: x.s.prefixes,
		wsa: addressing{Action: FaultAction, MessageID: newMessageID(), RelatesTo: x.reqID, To: x.faultTo}}
	msg.body = func(e *xmltext.Encoder) error { return writeFault(e, x.version, fe, x.op) }
	typed, err := faultBlocks(x.op, fe)
	var env []byte
	if err == nil {
		msg.typed = typed
		env, err = msg.encode()
	}
	if err != nil {
		msg.typed = nil
		x.s.printf("soap: writing fault %v: %v", fe, err)
		plain := &FaultError{Code: fe.Code, Subcodes: fe.Subcodes, Reason: fe.Reason + " (fault detail not sent: " + err.Error() + ")"}
		msg.body = func(e *xmltext.Encoder) error { return writeFault(e, x.version, plain, nil) }
		if env, err = msg.encode(); err != nil {
			x.s.printf("soap: writing fault: %v", err)
			x.status = http.StatusInternalServerError
			http.Error(x.w, "cannot write the SOAP fault", http.StatusInternalServerError)
			return
		}
	}
	x.writePlain(env, status)
}

func (x *exchange) writePlain(env []byte, status int) {
	h := x.w.Header()
	h.Set("Content-Type", plainContentType(x.version, ""))
	h.Set("Content-Length", strconv.Itoa(len(env)))
	x.status = status
	x.w.WriteHeader(status)
	if _, err := x.w.Write(env); err != nil {
		x.s.printf("soap: writing the response of %s: %v", x.op, err)
	}
}

// respond writes the response of the operation and its bound header blocks.
func (x *exchange) respond(resp xmlbind.Value, headers []xmlbind.Value, atts []Attachment) {
	op := x.op
	if op.oneWay() || x.replyTo == NoneAddress {
		x.status = http.StatusAccepted
		x.w.WriteHeader(http.StatusAccepted)
		return
	}
	msg := &outMessage{version: x.version, prefixes: x.s.prefixes,
		wsa:  addressing{Action: op.ResponseAction, MessageID: newMessageID(), RelatesTo: x.reqID, To: x.replyTo},
		body: func(e *xmltext.Encoder) error { return resp.MarshalXMLText(e, op.Response) }}
	typed, err := responseBlocks(op, headers)
	if err != nil {
		x.fault(ReceiverFault(err.Error()), 0)
		return
	}
	msg.typed = typed
	env, err := msg.encode()
	if err != nil {
		x.fault(ReceiverFault(fmt.Sprintf("encoding the response: %v", err)), 0)
		return
	}
	if err := checkAttachments(env, atts); err != nil {
		x.fault(ReceiverFault(fmt.Sprintf("response attachments: %v", err)), 0)
		return
	}
	if !op.MTOMResponse && len(atts) == 0 {
		x.writePlain(env, http.StatusOK)
		return
	}
	mw, err := mtom.NewWriter(x.w, mtom.WriterOptions{SOAP11: x.version == V11})
	if err != nil {
		x.fault(ReceiverFault(err.Error()), 0)
		return
	}
	x.w.Header().Set("Content-Type", mw.ContentType())
	x.status = http.StatusOK
	x.w.WriteHeader(http.StatusOK)
	if err := writeMTOM(mw, env, atts); err != nil {
		x.err = err
		// Too late for a fault: the message stays without its close
		// delimiter, which the client reports as truncated.
		x.s.printf("soap: streaming the MTOM response of %s: %v", op, err)
	}
}

type ctxKey struct{}

type handlerState struct {
	req *Request
	in  *Attachments
	out *responseAttachments
}

func state(ctx context.Context) *handlerState {
	st, _ := ctx.Value(ctxKey{}).(*handlerState)
	return st
}

// RequestFromContext returns the request being handled, in a handler or
// the header hook.
func RequestFromContext(ctx context.Context) (*Request, bool) {
	if st := state(ctx); st != nil {
		return st.req, true
	}
	return nil, false
}

// Attachments are the attachments of an MTOM request, in message order.
// The server reads what the handler leaves unread after it returns, and
// answers with a fault when the message turns out truncated or
// inconsistent.
type Attachments struct {
	r    *mtom.Reader
	done bool
	err  error
}

// RequestAttachments returns the attachments of the request being handled
// (none for a plain request or outside a handler).
func RequestAttachments(ctx context.Context) *Attachments {
	if st := state(ctx); st != nil {
		return st.in
	}
	return &Attachments{}
}

// Next returns the next attachment; p.Body streams its content and is valid
// until the next call. It returns io.EOF once the whole message has been
// read and every xop:Include has been matched.
func (a *Attachments) Next() (*mtom.Part, error) {
	if a.r == nil || a.done {
		return nil, io.EOF
	}
	if a.err != nil {
		return nil, a.err
	}
	p, err := a.r.Next()
	switch {
	case err == io.EOF:
		a.done = true
	case err != nil:
		a.err = err
	}
	return p, err
}

// Spool stores the remaining attachments in a temporary file in dir (see
// mtom.SpoolAttachments); the caller closes the spool.
func (a *Attachments) Spool(dir string, maxTotal int64) (*mtom.Spool, error) {
	if a.r == nil || a.done {
		return mtom.SpoolAttachments(emptyReader(), dir, maxTotal)
	}
	s, err := mtom.SpoolAttachments(a.r, dir, maxTotal)
	if err != nil {
		a.err = err
		return nil, err
	}
	a.done = true
	return s, nil
}

// emptyReader returns an mtom.Reader without attachments.
func emptyReader() *mtom.Reader {
	r, _ := mtom.NewReader(mtom.MediaTypeSOAP12, strings.NewReader("<e/>"), nil)
	return r
}

// finish reads the attachments left unread.
func (a *Attachments) finish() error {
	for {
		if _, err := a.Next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

type responseAttachments struct {
	mu   sync.Mutex
	list []Attachment
}

// AttachResponse adds attachments to the response of the operation being
// handled; an xmlbind.Binary of the response refers to each by its
// ContentID (Include). The response is then sent as MTOM. It fails outside
// a Server handler.
func AttachResponse(ctx context.Context, a ...Attachment) error {
	st := state(ctx)
	if st == nil {
		return errors.New("soap: AttachResponse outside a Server handler")
	}
	st.out.mu.Lock()
	st.out.list = append(st.out.list, a...)
	st.out.mu.Unlock()
	return nil
}
