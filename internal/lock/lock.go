// Package lock records the kit files a generation read, with their SHA-256,
// and compares a recorded lock with the kit at hand: `dmpgen check` uses it
// to name the kit files that changed since the output was generated.
//
// The lock file is text, one line per file, sorted by path:
//
//	# comment lines
//	dmpgen-kit-lock 1
//	kit-version <label>    (optional: the config's lock.kitVersion)
//	<sha256 hex>  <path relative to the kit, slash-separated>  <target>[,<target>…]
package lock

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// magic is the first non-comment line of a lock file.
const magic = "dmpgen-kit-lock 1"

// Entry is one kit file.
type Entry struct {
	Path    string   // relative to the kit, slash-separated
	SHA256  string   // lowercase hex
	Targets []string // targets that read it, sorted
}

// Lock is the set of kit files one generation read, sorted by path.
type Lock struct {
	// KitVersion is a label of the kit version given by the configuration
	// ("" for none).
	KitVersion string
	Entries    []Entry
}

// versionPrefix starts the optional kit version line.
const versionPrefix = "kit-version "

// Recorder collects the files read during a generation. It is safe for
// concurrent use (targets are generated concurrently).
type Recorder struct {
	kit   string
	mu    sync.Mutex
	files map[string]*Entry
}

// NewRecorder records files under the kit root kit (absolute).
func NewRecorder(kit string) *Recorder {
	return &Recorder{kit: kit, files: map[string]*Entry{}}
}

// Read records that target read the file at path (absolute) with content b.
// Files outside the kit (absolute inputs elsewhere) are not recorded.
func (r *Recorder) Read(target, path string, b []byte) {
	rel, err := filepath.Rel(r.kit, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return
	}
	rel = filepath.ToSlash(rel)
	sum := sha256.Sum256(b)
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.files[rel]
	if e == nil {
		e = &Entry{Path: rel, SHA256: hex.EncodeToString(sum[:])}
		r.files[rel] = e
	}
	for _, t := range e.Targets {
		if t == target {
			return
		}
	}
	e.Targets = append(e.Targets, target)
}

// Lock returns what was recorded.
func (r *Recorder) Lock() *Lock {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := &Lock{}
	for _, e := range r.files {
		c := *e
		c.Targets = append([]string(nil), e.Targets...)
		sort.Strings(c.Targets)
		l.Entries = append(l.Entries, c)
	}
	sort.Slice(l.Entries, func(i, j int) bool { return l.Entries[i].Path < l.Entries[j].Path })
	return l
}

// Format returns the lock file's content.
func (l *Lock) Format() []byte {
	var b bytes.Buffer
	b.WriteString("# Kit lock written by dmpgen generate: every kit file the generation read,\n")
	b.WriteString("# with its SHA-256 and the targets that read it. dmpgen check compares the\n")
	b.WriteString("# kit with it. Do not edit.\n")
	b.WriteString(magic + "\n")
	if l.KitVersion != "" {
		b.WriteString(versionPrefix + l.KitVersion + "\n")
	}
	for _, e := range l.Entries {
		fmt.Fprintf(&b, "%s  %s  %s\n", e.SHA256, e.Path, strings.Join(e.Targets, ","))
	}
	return b.Bytes()
}

// Parse reads a lock file; name is used in errors, which are positioned
// (name:line: message).
func Parse(name string, data []byte) (*Lock, error) {
	l := &Lock{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	header := false
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case !header:
			if line != magic {
				return nil, fmt.Errorf("%s:%d: not a dmpgen kit lock (want %q first); delete it and run dmpgen generate", name, n, magic)
			}
			header = true
			continue
		case strings.HasPrefix(line, versionPrefix) && len(l.Entries) == 0 && l.KitVersion == "":
			l.KitVersion = strings.TrimPrefix(line, versionPrefix)
			continue
		}
		// <sha256>, two spaces, the path (which may hold spaces), two
		// spaces, the targets (after the last two spaces).
		var f [3]string
		i := strings.LastIndex(line, "  ")
		if len(line) < 68 || line[64:66] != "  " || i < 66 {
			return nil, fmt.Errorf("%s:%d: want \"<sha256>  <path>  <targets>\"; run dmpgen generate to rewrite it", name, n)
		}
		f[0], f[1], f[2] = line[:64], line[66:i], line[i+2:]
		if f[1] == "" || f[2] == "" {
			return nil, fmt.Errorf("%s:%d: want \"<sha256>  <path>  <targets>\"; run dmpgen generate to rewrite it", name, n)
		}
		if _, err := hex.DecodeString(f[0]); err != nil {
			return nil, fmt.Errorf("%s:%d: bad SHA-256 %q; run dmpgen generate to rewrite it", name, n, f[0])
		}
		if k := len(l.Entries); k > 0 && l.Entries[k-1].Path >= f[1] {
			return nil, fmt.Errorf("%s:%d: %s is out of order or repeated; run dmpgen generate to rewrite it", name, n, f[1])
		}
		l.Entries = append(l.Entries, Entry{Path: f[1], SHA256: f[0], Targets: strings.Split(f[2], ",")})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if !header {
		return nil, fmt.Errorf("%s: empty lock; run dmpgen generate to write it", name)
	}
	return l, nil
}

// Change is a kit file that differs between two locks.
type Change struct {
	Path    string
	What    string   // "changed", "added" (read now, not then), "removed" (read then, not now)
	Targets []string // of the newer lock, or of the older for "removed"
}

// Compare lists the files of now that differ from then, sorted by path.
func Compare(then, now *Lock) []Change {
	old := map[string]Entry{}
	for _, e := range then.Entries {
		old[e.Path] = e
	}
	var out []Change
	for _, e := range now.Entries {
		o, ok := old[e.Path]
		delete(old, e.Path)
		switch {
		case !ok:
			out = append(out, Change{e.Path, "added", e.Targets})
		case o.SHA256 != e.SHA256:
			out = append(out, Change{e.Path, "changed", e.Targets})
		}
	}
	for _, o := range old {
		out = append(out, Change{o.Path, "removed", o.Targets})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// String is one line of a check report.
func (c Change) String() string {
	return fmt.Sprintf("%s %s (target %s)", c.What, c.Path, strings.Join(c.Targets, ", "))
}
