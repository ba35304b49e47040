package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
)

// Report is the result of a comparison, ready to print.
type Report struct {
	// Old and New say what was compared, as the user named it.
	Old, New string
	Changes  []*Change
}

// Summary counts the changes per section.
type Summary struct {
	Breaking      int `json:"breaking"`
	Additive      int `json:"additive"`
	Cosmetic      int `json:"cosmetic"`
	Documentation int `json:"documentation"`
}

// Summary counts the changes of each class; documentation changes are
// counted apart from the other cosmetic ones.
func (r *Report) Summary() Summary {
	var s Summary
	for _, c := range r.Changes {
		switch {
		case c.Doc:
			s.Documentation++
		case c.Class == Breaking:
			s.Breaking++
		case c.Class == Additive:
			s.Additive++
		default:
			s.Cosmetic++
		}
	}
	return s
}

// section is one part of a report: breaking, additive, cosmetic or documentation changes.
type section struct {
	title   string
	changes []*Change
}

func (r *Report) sections() []section {
	secs := []section{{title: "Breaking"}, {title: "Additive"}, {title: "Cosmetic"}, {title: "Documentation"}}
	for _, c := range r.Changes {
		i := 2 - int(c.Class)
		if c.Doc {
			i = 3
		}
		secs[i].changes = append(secs[i].changes, c)
	}
	return secs
}

func (s Summary) String() string {
	return fmt.Sprintf("%d breaking, %d additive, %d cosmetic, %d documentation", s.Breaking, s.Additive, s.Cosmetic, s.Documentation)
}

// What says what happened: "removed", "added" or "aspect: old → new".
func (c *Change) What() string {
	if c.Op != Changed {
		return string(c.Op)
	}
	return fmt.Sprintf("%s: %s → %s", c.Aspect, short(c.Old), short(c.New))
}

// short shortens long values (documentation) for one-line reports.
func short(s string) string {
	if s == "" {
		return "(none)"
	}
	if r := []rune(s); len(r) > 72 {
		return string(r[:69]) + "..."
	}
	return s
}

func pos(p diag.Pos) string {
	if !p.IsValid() {
		return ""
	}
	p.Col = 0
	return p.String()
}

// WriteText prints the report for a terminal.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "dmpgen diff %s → %s\n%s\n", r.Old, r.New, r.Summary())
	for _, s := range r.sections() {
		if len(s.changes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s (%d)\n", s.title, len(s.changes))
		for _, c := range s.changes {
			target := ""
			if c.Target != "" {
				target = "[" + c.Target + "] "
			}
			fmt.Fprintf(&b, "  %s%s %s\n", target, c.Kind, c.Path)
			fmt.Fprintf(&b, "    %s: %s [%s]\n", c.What(), c.Why, c.Rule)
			if p := pos(c.OldPos); p != "" {
				fmt.Fprintf(&b, "    old: %s\n", p)
			}
			if p := pos(c.NewPos); p != "" {
				fmt.Fprintf(&b, "    new: %s\n", p)
			}
			if len(c.Go) > 0 {
				fmt.Fprintf(&b, "    go:  %s\n", strings.Join(few(c.Go), ", "))
			}
			if len(c.Also) > 0 {
				fmt.Fprintf(&b, "    also: %s\n", strings.Join(few(c.Also), ", "))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown prints the report for a merge-request description.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### dmpgen diff\n\n`%s` → `%s`: ", r.Old, r.New)
	s := r.Summary()
	if s.Breaking > 0 {
		fmt.Fprintf(&b, "**%d breaking**, ", s.Breaking)
	} else {
		b.WriteString("0 breaking, ")
	}
	fmt.Fprintf(&b, "%d additive, %d cosmetic, %d documentation\n", s.Additive, s.Cosmetic, s.Documentation)
	for _, sec := range r.sections() {
		if len(sec.changes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n#### %s (%d)\n\n", sec.title, len(sec.changes))
		b.WriteString("| Component | Change | Rule | Old | New | Go |\n|---|---|---|---|---|---|\n")
		for _, c := range sec.changes {
			comp := string(c.Kind) + " `" + c.Path + "`"
			if c.Target != "" {
				comp = c.Target + ": " + comp
			}
			if len(c.Also) > 0 {
				comp += " (also " + code(few(c.Also)) + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | `%s`: %s | %s | %s | %s |\n", cell(comp), cell(c.What()), c.Rule, cell(c.Why),
				cell(code1(pos(c.OldPos))), cell(code1(pos(c.NewPos))), cell(code(few(c.Go))))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// maxListed is how many identifiers or places the text and markdown
// reports list for one change (JSON lists them all).
const maxListed = 6

// few shortens a long list to its first maxListed items and a count.
func few(l []string) []string {
	if len(l) <= maxListed {
		return l
	}
	return append(l[:maxListed:maxListed], fmt.Sprintf("(%d more)", len(l)-maxListed))
}

func code1(s string) string {
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}

func code(l []string) string {
	var out []string
	for _, s := range l {
		if strings.HasPrefix(s, "(") {
			out = append(out, s) // "(N more)"
			continue
		}
		out = append(out, code1(s))
	}
	return strings.Join(out, ", ")
}

// cell escapes a markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// jsonChange is the stable JSON form of a change: every field is always present.
type jsonChange struct {
	Class         string   `json:"class"`
	Op            string   `json:"op"`
	Rule          string   `json:"rule"`
	Why           string   `json:"why"`
	Documentation bool     `json:"documentation"`
	Target        string   `json:"target"`
	Kind          string   `json:"kind"`
	Path          string   `json:"path"`
	Aspect        string   `json:"aspect"`
	Old           string   `json:"old"`
	New           string   `json:"new"`
	OldPos        string   `json:"oldPos"`
	NewPos        string   `json:"newPos"`
	Go            []string `json:"go"`
	Also          []string `json:"also"`
}

// WriteJSON prints the report as indented JSON with a fixed field order.
func (r *Report) WriteJSON(w io.Writer) error {
	out := struct {
		Old     string       `json:"old"`
		New     string       `json:"new"`
		Summary Summary      `json:"summary"`
		Changes []jsonChange `json:"changes"`
	}{Old: r.Old, New: r.New, Summary: r.Summary(), Changes: []jsonChange{}}
	for _, c := range r.Changes {
		j := jsonChange{Class: c.Class.String(), Op: string(c.Op), Rule: c.Rule, Why: c.Why, Documentation: c.Doc, Target: c.Target,
			Kind: string(c.Kind), Path: c.Path, Aspect: c.Aspect, Old: c.Old, New: c.New,
			OldPos: pos(c.OldPos), NewPos: pos(c.NewPos), Go: c.Go, Also: c.Also}
		if j.Go == nil {
			j.Go = []string{}
		}
		if j.Also == nil {
			j.Also = []string{}
		}
		out.Changes = append(out.Changes, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
