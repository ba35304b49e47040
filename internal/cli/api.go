package cli

import (
	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/render"
	"github.com/dmpgen/dmpgen/templates"
)

// renderAPI renders the typed DMP API (the api: key) against the lowered
// targets, which must all have been generated without errors.
func renderAPI(cfg *config.Config, results []*Output, version string) (map[string][]byte, diag.List) {
	var errs diag.List
	pos := cfg.PosOf("api")
	var targets []render.Target
	for i, t := range cfg.Targets {
		pins := map[string]render.Pin{}
		for q, name := range t.Names {
			pins[q] = render.Pin{Name: name, Pos: t.PosOf("names", q)}
		}
		targets = append(targets, render.Target{Name: t.Name, Inputs: t.Inputs, Program: results[i].Program, Pins: pins})
	}
	out := outDir(cfg, cfg.API.Out)
	mod := cfg.API.Module
	if mod == "" {
		p, err := render.ImportPathOf(out)
		if err != nil {
			errs.Add(cfg.PosOf("api", "out"), "api: the import path of %s: %v; add module: to api:, or run go mod init", cfg.API.Out, err)
			return nil, errs
		}
		mod = p
	}
	vs := ""
	if cfg.ValueSets != nil {
		p, err := render.ImportPathOf(outDir(cfg, cfg.ValueSets.Out))
		if err != nil {
			errs.Add(cfg.PosOf("valuesets", "out"), "valuesets: the import path of %s, which the DMP API imports: %v; run go mod init", cfg.ValueSets.Out, err)
			return nil, errs
		}
		vs = p
	}
	data, err := templates.FS.ReadFile("manifest.json")
	if err != nil {
		errs.AddErr(pos, err)
		return nil, errs
	}
	m, err := render.ParseManifest(data)
	if err != nil {
		errs.AddErr(pos, err)
		return nil, errs
	}
	return render.Render(render.Input{
		Templates: templates.FS, Manifest: m, Out: out, ImportPath: mod, ValueSets: vs,
		Targets: targets, Pos: pos, Version: version,
	})
}
