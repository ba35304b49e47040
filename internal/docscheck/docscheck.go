// Package docscheck checks the repository's own documentation: that no file
// points readers to notes that are not in the repository, and that the links
// of the Markdown pages (README.md, docs/*.md) and the docs/… references of
// the sources lead to files and headings that exist. Its tests run these
// checks over the repository.
package docscheck

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Finding is one problem at a line of a file (a slash path relative to the
// repository root).
type Finding struct {
	File string
	Line int
	Msg  string
}

func (f Finding) String() string { return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Msg) }

// foreignNotes are the names, lower-cased, of the engineering notes kept
// outside the repository. They are split so that this file does not name
// them.
func foreignNotes() []string {
	return []string{
		"domain" + ".md",
		"runtime" + "-notes",
		"prior" + "-art",
		"style" + ".md",
		"shared" + "/design",
		"design" + " note",
	}
}

// foreignNoteWords are the upper-case short names of those notes, matched
// as whole words and in upper case only: section references often drop the
// file extension.
func foreignNoteWords() []string { return []string{"DOM" + "AIN", "STY" + "LE"} }

// ForeignNotes reports every mention of the engineering notes that live
// outside the repository: their file names in any case, or their short
// names in upper case. Users do not have them, so a reference to them
// explains nothing. file names the data in the findings.
func ForeignNotes(file string, data []byte) []Finding {
	var out []Finding
	find := func(text []byte, needle string, whole bool) {
		for off := 0; ; {
			i := bytes.Index(text[off:], []byte(needle))
			if i < 0 {
				return
			}
			at := off + i
			off = at + len(needle)
			if at > 0 && isWordByte(text[at-1]) || whole && off < len(text) && isWordByte(text[off]) {
				continue // part of a longer name
			}
			out = append(out, Finding{File: file, Line: lineOf(data, at),
				Msg: fmt.Sprintf("mentions %q, a note outside the repository: say it here or in docs/", data[at:off])})
		}
	}
	lower := bytes.ToLower(data)
	for _, n := range foreignNotes() {
		find(lower, n, false)
	}
	for _, w := range foreignNoteWords() {
		find(data, w, true)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

func isWordByte(b byte) bool {
	return b == '_' || b == '-' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func lineOf(data []byte, off int) int { return bytes.Count(data[:off], []byte("\n")) + 1 }

// Checker resolves links and references against a repository tree.
type Checker struct {
	// Root is the repository root.
	Root string
	// Pending are documentation pages (slash paths relative to Root) that
	// other changes add: a link to one of them is accepted while it does
	// not exist, and reported in Result.Pending.
	Pending map[string]bool

	anchors map[string]map[string]bool // per page, its heading ids
}

// Result is what a check found.
type Result struct {
	// Checked counts the links or references checked.
	Checked  int
	Findings []Finding
	// Pending are links to pages of Checker.Pending that do not exist yet.
	Pending []Finding
}

func (r *Result) add(other Result) {
	r.Checked += other.Checked
	r.Findings = append(r.Findings, other.Findings...)
	r.Pending = append(r.Pending, other.Pending...)
}

var (
	inlineLink = regexp.MustCompile(`\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	codeSpan   = regexp.MustCompile("`+[^`\n]*`+")
	// docRef is a reference to a documentation page in any file, e.g. in a
	// Go comment: docs/kit-defects.md#td21-request.
	docRef     = regexp.MustCompile(`docs/[A-Za-z0-9_.-]+\.md(?:#[\p{L}\p{N}_-]+)?`)
	htmlAnchor = regexp.MustCompile(`<a\s+(?:id|name)="([^"]+)"`)
	textOfLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
)

// Links checks the inline links of a Markdown page (file is its slash path
// relative to Root): relative targets must be files or directories inside
// the repository, and a #fragment into a Markdown page must be one of its
// headings. Links in code blocks and code spans are not links; URLs with a
// scheme are not checked.
func (c *Checker) Links(file string, data []byte) (Result, error) {
	var res Result
	for i, line := range markdownLines(data) {
		if line == "" {
			continue
		}
		for _, m := range inlineLink.FindAllStringSubmatch(codeSpan.ReplaceAllString(line, ""), -1) {
			r, err := c.link(file, i+1, m[1])
			if err != nil {
				return res, err
			}
			res.add(r)
		}
	}
	return res, nil
}

// link checks one link target of file.
func (c *Checker) link(file string, line int, target string) (Result, error) {
	res := Result{Checked: 1}
	bad := func(format string, args ...any) Result {
		res.Findings = append(res.Findings, Finding{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
		return res
	}
	if hasScheme(target) {
		return res, nil
	}
	p, frag, _ := strings.Cut(target, "#")
	p, err := url.PathUnescape(p)
	if err != nil {
		return bad("link %q: %v", target, err), nil
	}
	rel := file
	if p != "" {
		if path.IsAbs(p) {
			return bad("link %q: absolute path; use a path relative to %s", target, file), nil
		}
		rel = path.Clean(path.Join(path.Dir(file), p))
		if rel == ".." || strings.HasPrefix(rel, "../") {
			return bad("link %q points outside the repository", target), nil
		}
	}
	return c.resolve(file, line, target, rel, frag)
}

// resolve checks that rel (relative to Root) exists and, for a Markdown
// page and a non-empty frag, that frag is one of its heading ids.
func (c *Checker) resolve(file string, line int, target, rel, frag string) (Result, error) {
	res := Result{Checked: 1}
	st, err := os.Stat(filepath.Join(c.Root, filepath.FromSlash(rel)))
	switch {
	case os.IsNotExist(err) && c.Pending[rel]:
		res.Pending = append(res.Pending, Finding{File: file, Line: line, Msg: fmt.Sprintf("%q: %s is not written yet", target, rel)})
		return res, nil
	case os.IsNotExist(err):
		res.Findings = append(res.Findings, Finding{File: file, Line: line, Msg: fmt.Sprintf("%q: %s does not exist", target, rel)})
		return res, nil
	case err != nil:
		return res, err
	}
	if frag == "" || st.IsDir() || !strings.HasSuffix(rel, ".md") {
		return res, nil
	}
	ids, err := c.headingIDs(rel)
	if err != nil {
		return res, err
	}
	if !ids[frag] {
		res.Findings = append(res.Findings, Finding{File: file, Line: line, Msg: fmt.Sprintf("%q: %s has no heading #%s", target, rel, frag)})
	}
	return res, nil
}

func (c *Checker) headingIDs(rel string) (map[string]bool, error) {
	if ids, ok := c.anchors[rel]; ok {
		return ids, nil
	}
	data, err := os.ReadFile(filepath.Join(c.Root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	if c.anchors == nil {
		c.anchors = map[string]map[string]bool{}
	}
	ids := HeadingIDs(data)
	c.anchors[rel] = ids
	return ids, nil
}

// DocRefs checks the references to documentation pages that any file makes
// by path from the repository root ("docs/xds.md#rule-codes" in a Go
// comment, for instance): the page must exist, and the heading too when one
// is named.
func (c *Checker) DocRefs(file string, data []byte) (Result, error) {
	var res Result
	for _, loc := range docRef.FindAllIndex(data, -1) {
		if loc[0] > 0 && (isWordByte(data[loc[0]-1]) || data[loc[0]-1] == '/' || data[loc[0]-1] == '.') {
			continue // another folder named docs, or a relative link handled by Links
		}
		ref := string(data[loc[0]:loc[1]])
		rel, frag, _ := strings.Cut(ref, "#")
		r, err := c.resolve(file, lineOf(data, loc[0]), ref, rel, frag)
		if err != nil {
			return res, err
		}
		res.add(r)
	}
	return res, nil
}

// HeadingIDs returns the ids that a Markdown renderer such as GitHub's gives
// the ATX headings (# Title) of a page, and the ids of <a id="…"> or
// <a name="…"> anchors. A heading's id is its text, links reduced to their
// text, lower-cased, with spaces turned into hyphens and every character
// other than a letter, a digit, a hyphen or an underscore dropped; a
// repeated id gets -1, -2… appended.
func HeadingIDs(data []byte) map[string]bool {
	ids := map[string]bool{}
	seen := map[string]int{}
	for _, line := range markdownLines(data) {
		for _, m := range htmlAnchor.FindAllStringSubmatch(line, -1) {
			ids[m[1]] = true
		}
		text, ok := atxHeading(line)
		if !ok {
			continue
		}
		id := slug(textOfLink.ReplaceAllString(text, "$1"))
		if n := seen[id]; n > 0 {
			ids[fmt.Sprintf("%s-%d", id, n)] = true
		} else {
			ids[id] = true
		}
		seen[id]++
	}
	return ids
}

// atxHeading returns the text of an ATX heading line.
func atxHeading(line string) (string, bool) {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return "", false
	}
	n := len(t) - len(strings.TrimLeft(t, "#"))
	if n == 0 || n > 6 || (len(t) > n && t[n] != ' ' && t[n] != '\t') {
		return "", false
	}
	text := strings.TrimSpace(t[n:])
	if trimmed := strings.TrimRight(text, "#"); trimmed != text && (trimmed == "" || strings.HasSuffix(trimmed, " ")) {
		text = strings.TrimSpace(trimmed)
	}
	return text, true
}

func slug(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// markdownLines returns the lines of a Markdown page, with the lines of
// fenced code blocks (``` or ~~~) blanked so that nothing in them counts.
func markdownLines(data []byte) []string {
	lines := strings.Split(string(data), "\n")
	fence := ""
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
			lines[i] = ""
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			fence = t[:3]
			lines[i] = ""
		}
	}
	return lines
}

// hasScheme reports whether a link target is a URL with a scheme
// (https:, mailto:…), which is not checked.
func hasScheme(target string) bool {
	i := strings.IndexByte(target, ':')
	if i <= 0 {
		return false
	}
	for _, r := range target[:i] {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' || r == '.' || r == '-')) {
			return false
		}
	}
	return true
}

// RepositoryFiles lists the files of the repository at root, as slash paths
// relative to it: the files git tracks plus the new files it does not
// ignore (git ls-files --cached --others --exclude-standard), so that a
// check also covers what is about to be committed. Outside a git checkout it
// lists every regular file under root except the .git folder.
func RepositoryFiles(root string) ([]string, error) {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err == nil {
		var files []string
		for _, f := range strings.Split(string(out), "\x00") {
			if f == "" {
				continue
			}
			// A tracked file deleted in the working tree is not there to check.
			if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(f))); err == nil {
				files = append(files, f)
			}
		}
		return files, nil
	}
	var files []string
	walkErr := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if walkErr != nil {
		return nil, fmt.Errorf("docscheck: listing %s (git ls-files failed: %v): %w", root, err, walkErr)
	}
	return files, nil
}
