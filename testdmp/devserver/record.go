package devserver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dmpgen/dmpgen/runtime/soap"
)

// DefaultRecordMax is the default cap on the bodies of a recording (Config.RecordMax).
const DefaultRecordMax int64 = 8 << 30

// RecordIndex is the name of the recording's index: one JSON object
// (RecordEntry) per line, per exchange, in the order they ended.
const RecordIndex = "index.jsonl"

// TruncatedMarker ends a recorded body cut by the recording cap.
const TruncatedMarker = "\r\n[dmpgen-testdmp: body truncated: the recording cap (-record-max) was reached]\r\n"

// RecordEntry is one line of a recording's index.
type RecordEntry struct {
	Seq         int       `json:"seq"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Method      string    `json:"method"`
	Path        string    `json:"path"`
	TD          string    `json:"td"`
	Transaction string    `json:"transaction"`
	Operation   string    `json:"operation,omitempty"`
	Action      string    `json:"action"`
	MessageID   string    `json:"messageID"`
	Status      int       `json:"status"`
	// Fault is the SOAP fault code and subcodes (env:Sender/InvalidSecurity)
	// when the response is a fault.
	Fault       string `json:"fault,omitempty"`
	FaultReason string `json:"faultReason,omitempty"`
	// Request and Response are the dump files, relative to the directory.
	Request  string `json:"request"`
	Response string `json:"response"`
	// RequestBytes and ResponseBytes are the body bytes seen on the wire;
	// the Truncated flags say the file holds fewer (the cap was reached).
	RequestBytes      int64 `json:"requestBytes"`
	ResponseBytes     int64 `json:"responseBytes"`
	RequestTruncated  bool  `json:"requestTruncated,omitempty"`
	ResponseTruncated bool  `json:"responseTruncated,omitempty"`
	// RequestIncomplete: the server did not read the request body to its
	// end (a refusal before the body), so the dump holds what was read.
	RequestIncomplete bool   `json:"requestIncomplete,omitempty"`
	Err               string `json:"err,omitempty"`
}

// recorder writes every exchange of a handler to a directory.
type recorder struct {
	dir    string
	next   http.Handler
	log    *slog.Logger
	seq    atomic.Int64
	budget atomic.Int64 // body bytes the recording may still hold

	mu    sync.Mutex // serializes the index
	index *os.File
}

type recordKey struct{}

// drainMax is how much of a request body the handler did not read the
// recorder reads after it (net/http's own drain limit).
const drainMax = 256 << 10

// newRecorder creates dir (with parents) and its index.
func newRecorder(dir string, max int64, log *slog.Logger, next http.Handler) (*recorder, error) {
	if max <= 0 {
		max = DefaultRecordMax
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("devserver: -record: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, RecordIndex), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("devserver: -record: %w", err)
	}
	r := &recorder{dir: dir, next: next, log: log, index: f}
	r.budget.Store(max)
	// Continue the numbering of an existing recording.
	if names, err := filepath.Glob(filepath.Join(dir, "[0-9][0-9][0-9][0-9]*-request.http")); err == nil && len(names) > 0 {
		sort.Strings(names)
		var n int64
		fmt.Sscanf(filepath.Base(names[len(names)-1]), "%d", &n)
		r.seq.Store(n)
	}
	return r, nil
}

func (r *recorder) close() error { return r.index.Close() }

// take reserves up to n bytes of the budget, returning how many.
func (r *recorder) take(n int64) int64 {
	for {
		b := r.budget.Load()
		if b <= 0 {
			return 0
		}
		k := min(n, b)
		if r.budget.CompareAndSwap(b, b-k) {
			return k
		}
	}
}

// capped is a body file: writes beyond the budget are counted, not
// written, and the marker ends the file.
type capped struct {
	r         *recorder
	f         *bufio.Writer
	n         int64 // bytes seen
	truncated bool
	err       error
}

func (c *capped) write(p []byte) {
	c.n += int64(len(p))
	if c.truncated || c.err != nil {
		return
	}
	k := c.r.take(int64(len(p)))
	if _, err := c.f.Write(p[:k]); err != nil {
		c.err = err
		return
	}
	if k < int64(len(p)) {
		c.truncated = true
		_, c.err = c.f.WriteString(TruncatedMarker)
	}
}

// teeBody copies what the handler reads of the request body to the dump.
type teeBody struct {
	io.ReadCloser
	c   *capped
	eof bool
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	t.c.write(p[:n])
	if err == io.EOF {
		t.eof = true
	}
	return n, err
}

// recordWriter writes the response head and body to the dump as the
// handler sends them.
type recordWriter struct {
	http.ResponseWriter
	c      *capped
	status int
}

func (w *recordWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
		h := w.Header()
		if h.Get("Date") == "" {
			// The server would add it: set it so the dump shows it.
			h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
		}
		fmt.Fprintf(w.c.f, "HTTP/1.1 %d %s\r\n", code, http.StatusText(code))
		h.WriteSubset(w.c.f, map[string]bool{"Transfer-Encoding": true})
		w.c.f.WriteString("\r\n")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(p)
	w.c.write(p[:n])
	return n, err
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *recordWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeHTTP records a POST exchange around the wrapped handler; the
// exchange log (noteExchange) completes its entry with the transaction.
func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		// ?wsdl, ?xsd and the index page are not DMP exchanges.
		r.next.ServeHTTP(w, req)
		return
	}
	seq := int(r.seq.Add(1))
	e := &RecordEntry{Seq: seq, Start: time.Now().UTC(), Method: req.Method, Path: req.URL.Path}
	base := fmt.Sprintf("%04d", seq)
	reqName, respName := base+"-request.http", base+"-response.http"
	reqFile, err1 := os.OpenFile(filepath.Join(r.dir, reqName), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	respFile, err2 := os.OpenFile(filepath.Join(r.dir, respName), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err := errors.Join(err1, err2); err != nil {
		closeAll(reqFile, respFile)
		http.Error(w, "test DMP: cannot record the exchange: "+err.Error(), http.StatusInternalServerError)
		return
	}
	reqC := &capped{r: r, f: bufio.NewWriterSize(reqFile, 64<<10)}
	respC := &capped{r: r, f: bufio.NewWriterSize(respFile, 64<<10)}

	// Request head as received; a chunked body is recorded decoded.
	fmt.Fprintf(reqC.f, "%s %s %s\r\n", req.Method, req.URL.RequestURI(), req.Proto)
	fmt.Fprintf(reqC.f, "Host: %s\r\n", req.Host)
	req.Header.WriteSubset(reqC.f, nil)
	if req.ContentLength >= 0 && req.Header.Get("Content-Length") == "" {
		fmt.Fprintf(reqC.f, "Content-Length: %d\r\n", req.ContentLength)
	}
	reqC.f.WriteString("\r\n")
	tee := &teeBody{ReadCloser: req.Body, c: reqC}
	req.Body = tee
	rw := &recordWriter{ResponseWriter: w, c: respC}
	r.next.ServeHTTP(rw, req.WithContext(context.WithValue(req.Context(), recordKey{}, e)))
	if rw.status == 0 {
		rw.WriteHeader(http.StatusOK)
	}

	// Read what the handler left of the body as net/http would before
	// reusing the connection (up to drainMax), so that the dump holds the
	// MIME epilogue a parser stops before.
	if !tee.eof {
		io.CopyN(io.Discard, tee, drainMax+1)
	}
	e.End = time.Now().UTC()
	e.Status = rw.status
	e.RequestBytes, e.ResponseBytes = reqC.n, respC.n
	e.RequestTruncated, e.ResponseTruncated = reqC.truncated, respC.truncated
	e.RequestIncomplete = !tee.eof && req.ContentLength != 0
	var errs []error
	for _, c := range []struct {
		c *capped
		f *os.File
	}{{reqC, reqFile}, {respC, respFile}} {
		errs = append(errs, c.c.err, c.c.f.Flush(), c.f.Close())
	}
	if td := fileTD(e); td != "" {
		n1, n2 := base+"-"+td+"-request.http", base+"-"+td+"-response.http"
		errs = append(errs, os.Rename(filepath.Join(r.dir, reqName), filepath.Join(r.dir, n1)),
			os.Rename(filepath.Join(r.dir, respName), filepath.Join(r.dir, n2)))
		reqName, respName = n1, n2
	}
	e.Request, e.Response = reqName, respName
	if err := errors.Join(errs...); err != nil {
		e.Err = "recording: " + err.Error()
	}
	line, _ := json.Marshal(e)
	r.mu.Lock()
	_, err := r.index.Write(append(line, '\n'))
	r.mu.Unlock()
	if err != nil || e.Err != "" {
		// The exchange is answered; the log says the recording misses it.
		r.log.Error("recording", "seq", seq, "err", errors.Join(err, errors.New(e.Err)))
	}
}

// fileTD is the transaction part of the dump names: the TD number(s), or
// the operation for a transaction without one; "" when not routed.
func fileTD(e *RecordEntry) string {
	s := e.TD
	if s == "" {
		s = e.Operation
	}
	return strings.NewReplacer("/", "+", " ", "_", string(os.PathSeparator), "+").Replace(s)
}

func closeAll(fs ...*os.File) {
	for _, f := range fs {
		if f != nil {
			f.Close()
		}
	}
}

// noteExchange completes the recorded entry of x's request.
func noteExchange(x soap.Exchange, t Transaction) {
	if x.HTTP == nil {
		return
	}
	e, _ := x.HTTP.Context().Value(recordKey{}).(*RecordEntry)
	if e == nil {
		return
	}
	e.TD, e.Transaction = t.TD, t.Name
	if x.Operation != nil {
		e.Operation = x.Operation.Name
	}
	e.Action, e.MessageID = x.Action, x.MessageID
	if x.Fault != nil {
		e.Fault = faultCode(x.Fault)
		e.FaultReason = x.Fault.Reason
	}
	if x.Err != nil {
		e.Err = x.Err.Error()
	}
}

func faultCode(f *soap.FaultError) string {
	code := f.Code
	for _, sc := range f.Subcodes {
		code += "/" + sc.Local
	}
	return code
}
