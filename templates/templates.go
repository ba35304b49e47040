// Package templates holds the handwritten sources that dmpgen renders into
// a vendor's module: dmp/ is the typed DMP transaction layer (dmp.Client and
// dmp/xdsrim), written against this repository's generated packages.
//
// The files are real Go, compiled only with the dmpgen_template build tag
// (go vet -tags dmpgen_template ./templates/...), so that they are not built
// twice: the package github.com/dmpgen/dmpgen/dmp is their rendering, kept
// fresh by dmpgen check. internal/render rewrites their imports to the
// packages a vendor's dmpgen.yaml generates.
//
// To change the API, edit templates/dmp (editors need the build tag:
// gopls's buildFlags ["-tags=dmpgen_template"]), then run
//
//	DMPGEN_KIT=… go run ./cmd/dmpgen generate            # renders dmp/
//	DMPGEN_KIT=… DMPGEN_UPDATE=1 go test -run TestManifestFresh ./internal/render
//
// The tests of the API stay in dmp/ and test the rendering.
package templates

import "embed"

// FS holds the template files (dmp/*.go, dmp/xdsrim/*.go) and the manifest
// of the generated identifiers they use (manifest.json).
//
//go:embed dmp manifest.json
var FS embed.FS
