package vet

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// Options configure a check.
type Options struct {
	// Trust holds the trust anchors (IGC-Santé / CPS roots) of the VIHF and
	// XAdES signatures; nil: signatures are not verified (an info finding
	// says so).
	Trust *x509.CertPool
	// At is the message time used when a capture has no HTTP Date header;
	// zero: the VIHF time window is only checked in captures with a Date.
	At time.Time
	// ClockSkew is the tolerance of the time checks; 2 minutes when zero.
	ClockSkew time.Duration
}

func (o *Options) skew() time.Duration {
	if o.ClockSkew == 0 {
		return 2 * time.Minute
	}
	return o.ClockSkew
}

// Run checks every capture named by paths; a directory is walked
// recursively in lexical order and each regular file in it is a capture.
// The error is about the paths themselves (one that does not exist);
// problems of the captures are findings.
func Run(paths []string, o Options) (*Report, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("vet: %w", err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("vet: walking %s: %w", p, err)
		}
	}
	r := &Report{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			c := &capture{file: f}
			r.Exchanges = append(r.Exchanges, &Exchange{File: f, Direction: Unknown,
				Findings: []Finding{c.at("capture.unreadable", 0, 0, "", err.Error())}})
			continue
		}
		r.Exchanges = append(r.Exchanges, Check(f, data, o))
	}
	pairExchanges(r.Exchanges)
	r.summarize()
	return r, nil
}

// Check checks one capture; file names it in positions.
func Check(file string, data []byte, o Options) *Exchange {
	ex := &Exchange{File: file, Direction: Unknown}
	c, fs := readCapture(file, data)
	ex.Findings = append(ex.Findings, fs...)
	if c == nil {
		return ex
	}
	ex.Kind, ex.Direction = c.kind, c.direction
	root := &sink{c: c, lineBase: c.rootLine, label: "root part"}
	if c.kind == "soap" {
		root.lineBase = 0
	}
	env, err := parseEnvelope(c.root, file)
	if err != nil {
		var xe *xmltext.Error
		if errors.As(err, &xe) {
			root.add("soap.not-envelope", xe.Line, xe.Col, "", xe.Msg)
		} else {
			root.add("soap.not-envelope", 0, 0, "", err.Error())
		}
		ex.Findings = append(ex.Findings, root.out...)
		return ex
	}
	action := env.header(nsWSA, "Action").text()
	ex.Action = action
	var det detection
	if env.body != nil {
		ex.Body = env.body.el.Name.String()
		det = detect(action, env.body.el)
	}
	if ex.Direction == Unknown {
		ex.Direction = det.direction
	}
	ex.TD, ex.Transaction = det.td()
	x := &exchange{o: &o, c: c, env: env, det: det, dir: ex.Direction, root: root}
	x.run()
	ex.Findings = append(ex.Findings, root.out...)
	x.pairInfo(ex)
	return ex
}

// exchange is the state of the layers over one capture.
type exchange struct {
	o    *Options
	c    *capture
	env  *envelope
	det  detection
	dir  Direction
	root *sink // findings positioned in the envelope (and the file)
}

// skipped records that a layer could not run, and why.
func (x *exchange) skipped(layer Layer, why string) {
	x.root.add("vet.layer-skipped", 0, 0, "", fmt.Sprintf("%s layer not run: %s", layer, why))
}

func (x *exchange) run() {
	x.checkPackaging()
	x.checkSOAP()
	x.checkWSA()
	var bodyRegs []registry
	if len(x.det.rows) > 0 {
		bodyRegs = x.det.rows[0].regs
	} else {
		bodyRegs = allBodyRegs()
	}
	dec := decodeEnvelope(x.root, x.c.root, bodyRegs)
	x.checkVIHF()
	x.checkXDS(dec)
}

// allBodyRegs are the bindings of every transaction, for a body whose
// transaction is unknown.
func allBodyRegs() []registry {
	var out []registry
	seen := map[string]bool{}
	for _, t := range transactions() {
		if !seen[t.TD+t.op.Name] {
			seen[t.TD+t.op.Name] = true
			out = append(out, t.regs...)
		}
	}
	return out
}
