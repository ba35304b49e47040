package soap_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

// TestResponseHeaderMissing: a bound response block that does not come back
// is an ErrHeader error, and a warning with a nil value for a lenient
// client (WS-I Basic Profile R2738).
func TestResponseHeaderMissing(t *testing.T) {
	srv := soap.NewServer()
	srv.Handle(&opEcho12, newMsg, func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
		return &msg{ID: "r", Text: "ok"}, nil
	})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	op := opEcho12
	op.ResponseHeaders = []soap.Header{{Part: "receipt", Element: tn("Receipt"), New: newMsg}}
	req := &msg{ID: "1", Text: "hi"}

	_, err := soap.NewClient(ts.URL).CallHeaders(context.Background(), &op, req, new(msg), nil)
	if !errors.Is(err, soap.ErrHeader) || !strings.Contains(err.Error(), "Receipt (part receipt) is missing") {
		t.Fatalf("strict: %v", err)
	}

	var warnings []string
	out, err := soap.NewClient(ts.URL, soap.WithLenientDecoding(true)).CallHeaders(context.Background(), &op, req, new(msg), nil, soap.CollectWarnings(&warnings))
	if err != nil {
		t.Fatalf("lenient: %v", err)
	}
	if len(out) != 1 || out[0] != nil {
		t.Errorf("lenient: header values %v, want one nil", out)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "R2738") {
		t.Errorf("lenient: warnings %q", warnings)
	}
}

// TestRequestHeaderNotGiven: a bound request block left nil is refused
// before anything is sent, and so is MustUnderstand naming an unbound block.
func TestRequestHeaderNotGiven(t *testing.T) {
	op := opEcho12
	op.RequestHeaders = []soap.Header{{Part: "ctx", Element: tn("Ctx"), New: newMsg}}
	c := soap.NewClient("http://127.0.0.1:1/never")
	var nilMsg *msg
	_, err := c.CallHeaders(context.Background(), &op, &msg{ID: "1"}, new(msg), []xmlbind.Value{nilMsg})
	if err == nil || !strings.Contains(err.Error(), "Ctx (part ctx) is missing") {
		t.Errorf("nil block: %v", err)
	}
	_, err = c.CallHeaders(context.Background(), &op, &msg{ID: "1"}, new(msg), []xmlbind.Value{&msg{ID: "c"}}, soap.MustUnderstand(tn("Other")))
	if err == nil || !strings.Contains(err.Error(), "not a bound request header block") {
		t.Errorf("MustUnderstand(Other): %v", err)
	}
}

// TestLenientServerMissingHeader: a lenient server hands a missing bound
// block to the handler as nil, with a warning; a strict one answers a
// Sender fault without calling it.
func TestLenientServerMissingHeader(t *testing.T) {
	op := opEcho12
	op.RequestHeaders = []soap.Header{{Part: "ctx", Element: tn("Ctx"), New: newMsg}}
	for _, lenient := range []bool{false, true} {
		called := false
		var warnings []string
		srv := soap.NewServer(soap.WithServerLenientDecoding(lenient))
		srv.HandleHeaders(&op, newMsg, func(ctx context.Context, req xmlbind.Value, in []xmlbind.Value) (xmlbind.Value, []xmlbind.Value, error) {
			called = true
			if len(in) != 1 || in[0] != nil {
				t.Errorf("lenient: header values %v, want one nil", in)
			}
			r, _ := soap.RequestFromContext(ctx)
			warnings = r.Warnings
			return &msg{ID: "r"}, nil, nil
		})
		ts := httptest.NewServer(srv)
		// The plain operation sends no header block.
		err := soap.NewClient(ts.URL).Call(context.Background(), &opEcho12, &msg{ID: "1"}, new(msg))
		ts.Close()
		if !lenient {
			var fe *soap.FaultError
			if !errors.As(err, &fe) || fe.Code != soap.CodeSender || !strings.Contains(fe.Reason, "R2738") || called {
				t.Errorf("strict: %v (handler called: %v)", err, called)
			}
			continue
		}
		if err != nil || !called {
			t.Fatalf("lenient: %v (handler called: %v)", err, called)
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0], "Ctx (part ctx) is missing") {
			t.Errorf("lenient: warnings %q", warnings)
		}
	}
}
