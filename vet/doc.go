// Package vet checks captured DMP exchanges offline: a SOAP envelope, an
// MTOM package with its MIME headers, or a raw HTTP request or response dump.
// It detects the DMP transaction of each capture (TD number and name, from
// wsa:Action and the body's root element) and reports findings from every
// layer: the capture and its MTOM packaging, the SOAP envelope,
// WS-Addressing, strict decoding and Validate against the generated bindings,
// the VIHF, the XDS metadata with the DMP value sets, the attachments and the
// XAdES signature document.
//
// Each finding has a stable rule ID (Rules lists them), a severity, a
// position and the source of its rule. A layer that cannot run is itself a
// finding (vet.layer-skipped) saying why. Reports are written as text, JSON
// (schema.json), JUnit XML or a self-contained HTML page. Recording reads a
// recording of the test DMP (dmpgen-testdmp -record) and adds the evidence
// pack: the transactions covered, the refusals exercised, the TDs missing.
package vet
