package xsd

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/xmldom"
)

// Config configures a Loader.
type Config struct {
	// Catalogs are OASIS XML catalog files consulted, in order, for every
	// schema and WSDL location before it is resolved as a relative path.
	// Supported entries: uri, system, rewriteURI, rewriteSystem, uriSuffix,
	// systemSuffix, delegateURI, delegateSystem, nextCatalog and group, with
	// xml:base. public and delegatePublic are read and never match (schema
	// locations are not public identifiers).
	Catalogs []string
	// ReadFile reads a file; nil means os.ReadFile. Tests and fuzzers inject
	// in-memory files here.
	ReadFile func(path string) ([]byte, error)
}

// Loader reads schema documents and resolves them into a Set.
//
// Add every input with AddSchemaFile or AddEmbedded, then call Finish once.
// Documents reached through xs:include, xs:import and xs:redefine are read
// by Finish, each once per (absolute path, effective target namespace);
// imports of the XML Schema namespace itself are satisfied by the built-in
// types and never read. All documents of one namespace form one symbol space;
// a name defined twice is an error naming both positions, except when both
// definitions are the same component (equal apart from positions and
// documentation, as happens with the many copies of xml.xsd). A Loader is
// not safe for concurrent use.
type Loader struct {
	read func(string) ([]byte, error)
	cat  *catalogSet

	docs    map[string]*docEntry  // parsed documents by absolute path
	schemas map[schemaKey]*Schema // documents read, per effective namespace
	queue   []*task               // documents still to read
	nsDocs  map[string]bool       // namespaces with at least one document
	noLoc   map[string]diag.Pos   // namespaces imported without schemaLocation
	refs    []*ref                // every QName reference, for Finish
	redefs  []*redefinition       // xs:redefine children, applied by Finish
	enums   []enumSite            // enumerations, for QName-typed values
	// simpleContent maps the facet holder of a simpleContent restriction to its complex type.
	simpleContent map[*SimpleType]*ComplexType
	errs          diag.List                  // errors so far
	set           *Set                       // being filled
	defs          map[defKey][]definition    // global definitions, duplicates included
	defPos        map[defKey]diag.Pos        // position of each global component kept
	dups          []Duplicate                // names defined twice, differently
	refsTo        map[string]map[string]bool // document → documents it includes, imports or redefines
	done          bool                       // Finish was called
	result        *Set
	resErrs       diag.List
}

type docEntry struct {
	doc      *xmldom.Document
	readErr  error // reading failed: reported at each reference
	reported bool  // parse error already reported
	parseErr error
}

type schemaKey struct {
	file      string
	line, col int // position of an embedded xs:schema; zero for a file
	ns        string
}

type taskKind int

const (
	taskFile taskKind = iota + 1
	taskEmbedded
	taskInclude
	taskImport
	taskRedefine
)

// task is a schema document to read.
type task struct {
	kind taskKind
	file string          // absolute path of the document (the WSDL for embedded)
	elem *xmldom.Element // embedded: the xs:schema element
	at   diag.Pos        // the reference (include/import/redefine element)
	ns   string          // include/redefine: the includer's namespace; import: the declared one
	// redefine: where the redefinitions were read (to find originals)
	redef *redefineSite
}

// NewLoader returns a Loader. It reads the catalogs at once and fails with
// every problem found in them (a diag.List).
func NewLoader(cfg Config) (*Loader, error) {
	read := cfg.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	l := &Loader{
		read:          read,
		docs:          map[string]*docEntry{},
		schemas:       map[schemaKey]*Schema{},
		nsDocs:        map[string]bool{},
		noLoc:         map[string]diag.Pos{},
		defs:          map[defKey][]definition{},
		defPos:        map[defKey]diag.Pos{},
		refsTo:        map[string]map[string]bool{},
		simpleContent: map[*SimpleType]*ComplexType{},
		set: &Set{
			Elements:        map[QName]*Element{},
			Types:           builtinTypes(),
			Attributes:      map[QName]*Attribute{},
			Groups:          map[QName]*Group{},
			AttributeGroups: map[QName]*AttributeGroup{},
			Substitutes:     map[QName][]*Element{},
		},
	}
	if len(cfg.Catalogs) > 0 {
		cat, errs := loadCatalogs(cfg.Catalogs, read)
		if len(errs) > 0 {
			errs.Sort()
			return nil, errs
		}
		l.cat = cat
	}
	return l, nil
}

// AddSchemaFile adds a top-level schema document. Problems are reported by
// Finish. Adding inputs after Finish is a programming error (panic).
func (l *Loader) AddSchemaFile(path string) {
	l.mustNotBeDone()
	abs, err := filepath.Abs(path)
	if err != nil {
		l.errs.Add(diag.Pos{File: path}, "%v", err)
		return
	}
	l.queue = append(l.queue, &task{kind: taskFile, file: abs, at: diag.Pos{File: abs}})
}

// AddEmbedded adds a schema embedded in another document, such as an
// xs:schema inside wsdl:types. schema is the xs:schema element of a document
// parsed with ReadDocument (or xmldom.Parse): its Scope carries the namespace
// bindings of its ancestors (wsdl:definitions), which QName references inside
// the schema may use. file is the absolute path of the containing document;
// relative schemaLocations are resolved against it.
func (l *Loader) AddEmbedded(schema *xmldom.Element, file string) {
	l.mustNotBeDone()
	l.queue = append(l.queue, &task{kind: taskEmbedded, file: file, elem: schema, at: schema.Pos})
}

func (l *Loader) mustNotBeDone() {
	if l.done {
		panic("xsd: input added to a Loader after Finish")
	}
}

// AddReference records that the document from refers to the document to
// (both absolute paths): xs:include, xs:import and xs:redefine are recorded
// by the loader; package wsdl records wsdl:import.
func (l *Loader) AddReference(from, to string) {
	if from == to {
		return
	}
	if l.refsTo[from] == nil {
		l.refsTo[from] = map[string]bool{}
	}
	l.refsTo[from][to] = true
}

// Reached returns the documents reached from file through references,
// file included, sorted.
func (l *Loader) Reached(file string) []string {
	seen := map[string]bool{file: true}
	queue := []string{file}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		for to := range l.refsTo[f] {
			if !seen[to] {
				seen[to] = true
				queue = append(queue, to)
			}
		}
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Duplicate is a global name defined twice with different definitions.
// Finish reports each as an error (Err) at the later definition; callers
// that know where the documents came from may report them better.
type Duplicate struct {
	Kind  string // "type", "element", "attribute", "group" or "attribute group"
	Name  QName
	Pos   diag.Pos    // the later definition, where Err is
	First diag.Pos    // the definition kept
	Err   *diag.Error // the error in the list Finish returned
}

// Duplicates returns the conflicting definitions found by Finish, sorted by position.
func (l *Loader) Duplicates() []Duplicate { return l.dups }

// ReadDocument reads and parses the XML document at the absolute path, once:
// later calls return the same tree. It is exported for package wsdl, which
// shares the loader's file access and cache.
func (l *Loader) ReadDocument(path string) (*xmldom.Document, error) {
	d := l.docs[path]
	if d == nil {
		d = &docEntry{}
		l.docs[path] = d
		data, err := l.read(path)
		if err != nil {
			d.readErr = err
		} else {
			d.doc, d.parseErr = xmldom.Parse(path, data)
		}
	}
	if d.readErr != nil {
		return nil, d.readErr
	}
	return d.doc, d.parseErr
}

// readDoc reads a document for a reference at pos and reports problems: a
// read error at pos, a parse error once, in the document itself.
func (l *Loader) readDoc(path string, pos diag.Pos) *xmldom.Document {
	doc, err := l.ReadDocument(path)
	d := l.docs[path]
	switch {
	case d.readErr != nil:
		l.errs.Add(pos, "cannot read %s: %v%s", path, unwrapPathError(err), resourceRootHint(path, l.stat))
		return nil
	case d.parseErr != nil:
		if !d.reported {
			d.reported = true
			l.errs.AddErr(diag.Pos{File: path}, d.parseErr)
		}
		return nil
	}
	return doc
}

// catalogHint says how to map an absolute URL to a local copy.
func catalogHint(loc string) string {
	dir := loc[:strings.LastIndex(loc, "/")+1]
	ext := path.Ext(loc[len(dir):])
	if ext == "" {
		ext = ".xsd"
	}
	return fmt.Sprintf("map it to a local copy with an XML catalog entry such as "+
		"<uri name=%q uri=\"LOCAL/PATH"+ext+"\"/>, or <rewriteURI uriStartString=%q rewritePrefix=\"LOCAL/DIR/\"/> for its whole folder "+
		"(paths relative to the catalog file), and name the catalog in catalogs: of dmpgen.yaml or with -catalog FILE", loc, dir)
}

// resourceRootHint looks for the file a missing path names with one, two
// or three of its directories left out: a location written relative to a
// resource root (Java classpath style) rather than to the importing file.
// When one exists, it returns the catalog entry that maps the one to the
// other; else "".
func resourceRootHint(path string, stat func(string) bool) string {
	dir, file := filepath.Split(filepath.Clean(path))
	parts := strings.Split(strings.Trim(filepath.ToSlash(dir), "/"), "/")
	for n := 1; n <= 3; n++ {
		for i := len(parts) - n; i >= 1; i-- {
			cand := append(append(append([]string{}, parts[:i]...), parts[i+n:]...), file)
			found := "/" + strings.Join(cand, "/")
			if !stat(filepath.FromSlash(found)) {
				continue
			}
			root := "/" + strings.Join(parts[:i], "/")
			missing := strings.Join(append(append([]string{}, parts[i:]...), file), "/")
			have := strings.Join(append(append([]string{}, parts[i+n:]...), file), "/")
			return fmt.Sprintf("; %s exists: if the location is relative to a resource root rather than to the importing file, "+
				"map it with an XML catalog entry <uriSuffix uriSuffix=%q uri=%q/> in a catalog file placed in %s, "+
				"and name the catalog in catalogs: of dmpgen.yaml or with -catalog FILE",
				filepath.FromSlash(found), missing, have, filepath.FromSlash(root))
		}
	}
	return ""
}

// stat reports whether a regular file exists at path (read through the
// loader's ReadFile for tests that inject one).
func (l *Loader) stat(path string) bool {
	_, err := l.read(path)
	return err == nil
}

// unwrapPathError drops the path from *os.PathError (the message names it already).
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// ResolveLocation maps a schemaLocation or wsdl:import location to an
// absolute local path: through the catalogs first, then relative to baseFile.
// An absolute URL that no catalog maps is an error: the loader never uses the
// network.
func (l *Loader) ResolveLocation(loc, baseFile string) (string, error) {
	loc = strings.TrimSpace(loc)
	if loc == "" {
		return "", fmt.Errorf("empty location")
	}
	if r, ok := l.cat.resolve(loc); ok {
		p, err := localPath(r)
		if err != nil {
			return "", fmt.Errorf("the XML catalog maps %q to %q: %w", loc, r, err)
		}
		return filepath.Clean(p), nil
	}
	u, err := url.Parse(loc)
	if err != nil {
		return "", fmt.Errorf("invalid location %q: %w", loc, err)
	}
	if u.Scheme != "" && u.Scheme != "file" {
		hint := catalogHint(loc)
		if l.cat == nil {
			return "", fmt.Errorf("%q is an absolute URL and no XML catalog is configured (dmpgen never uses the network); %s", loc, hint)
		}
		return "", fmt.Errorf("%q is not mapped by the XML catalog (dmpgen never uses the network); %s", loc, hint)
	}
	abs := resolveRef(fileURI(baseFile), loc)
	if r, ok := l.cat.resolve(abs); ok {
		abs = r
	}
	p, err := localPath(abs)
	if err != nil {
		return "", err
	}
	return filepath.Clean(p), nil
}

// drain reads every queued document; reading one may queue more.
func (l *Loader) drain() {
	for len(l.queue) > 0 {
		t := l.queue[0]
		l.queue = l.queue[1:]
		l.load(t)
	}
}

// load reads one document and its top-level components.
func (l *Loader) load(t *task) {
	root := t.elem
	if root == nil {
		doc := l.readDoc(t.file, t.at)
		if doc == nil {
			return
		}
		root = doc.Root
	}
	if t.kind == taskFile {
		t.at = root.Pos // a top-level document: report at its root
	}
	if !root.Is(NS, "schema") {
		l.errs.Add(t.at, "%s is not an XML Schema document: its root element is {%s}%s", t.file, root.Space, root.Local)
		return
	}
	own, hasTNS := root.Attr("targetNamespace")
	if hasTNS && own == "" {
		l.errs.Add(root.Pos, "targetNamespace must not be empty (omit it for a schema without namespace)")
		return
	}
	eff, chameleon := own, false
	switch t.kind {
	case taskInclude, taskRedefine:
		what := "included"
		if t.kind == taskRedefine {
			what = "redefined"
		}
		switch {
		case own == "" && t.ns != "":
			eff, chameleon = t.ns, true
		case own != t.ns:
			l.errs.Add(t.at, "the %s document %s has targetNamespace %s, not the including schema's %s", what, t.file, nsText(own), nsText(t.ns))
			return
		}
	case taskImport:
		if own != t.ns {
			l.errs.Add(t.at, "the imported document %s has targetNamespace %s, but xs:import declares %s", t.file, nsText(own), nsText(t.ns))
			return
		}
	}
	if eff == NS {
		l.errs.Add(root.Pos, "schema documents for the XML Schema namespace are not read: its components are built in")
		return
	}
	key := schemaKey{file: t.file, ns: eff}
	if t.kind == taskEmbedded {
		key.line, key.col = root.Pos.Line, root.Pos.Col
	}
	if s := l.schemas[key]; s != nil {
		if t.redef != nil {
			t.redef.target = s
		}
		return
	}
	s := &Schema{
		Pos:             root.Pos,
		File:            t.file,
		TargetNamespace: eff,
		Chameleon:       chameleon,
		Prefixes:        root.Scope.Bindings(),
	}
	l.schemas[key] = s
	l.nsDocs[eff] = true
	if t.redef != nil {
		t.redef.target = s
	}
	c := newDocCtx(l, s, root)
	c.schemaChildren(root)
}

// nsText formats a namespace for messages.
func nsText(ns string) string {
	if ns == "" {
		return "no namespace"
	}
	return fmt.Sprintf("%q", ns)
}

// schemaRef handles xs:include, xs:import and xs:redefine of the document c.
func (c *docCtx) schemaRef(e *xmldom.Element) {
	l := c.l
	var t *task
	switch e.Local {
	case "include":
		c.checkAttrs(e, "id", "schemaLocation")
		t = &task{kind: taskInclude, ns: c.tns}
	case "redefine":
		c.checkAttrs(e, "id", "schemaLocation")
		t = &task{kind: taskRedefine, ns: c.tns, redef: c.redefine(e)}
	case "import":
		c.checkAttrs(e, "id", "namespace", "schemaLocation")
		ns, hasNS := e.Attr("namespace")
		if hasNS && ns == "" {
			l.errs.Add(e.Pos, "xs:import namespace must not be empty (omit it to import components without namespace)")
			return
		}
		if ns == c.tns {
			l.errs.Add(e.Pos, "xs:import of the schema's own target namespace %s (use xs:include)", nsText(ns))
			return
		}
		if ns == NS {
			return // the built-in types
		}
		if _, ok := e.Attr("schemaLocation"); !ok {
			if p, seen := l.noLoc[ns]; !seen || e.Pos.Less(p) {
				l.noLoc[ns] = e.Pos
			}
			return
		}
		t = &task{kind: taskImport, ns: ns}
	}
	loc, ok := e.Attr("schemaLocation")
	if !ok {
		l.errs.Add(e.Pos, "xs:%s without schemaLocation", e.Local)
		return
	}
	base := c.schema.File
	path, err := l.ResolveLocation(loc, base)
	if err != nil {
		l.errs.Add(e.Pos, "schemaLocation %q: %v", loc, err)
		return
	}
	t.file, t.at = path, e.Pos
	l.AddReference(c.schema.File, path)
	l.queue = append(l.queue, t)
}

// RequireElement records a reference to a global element made outside the
// schemas, such as a WSDL message part element="p:X": Finish reports it at
// pos, like a schema reference, when no such element exists. attr and
// written are the attribute name and value as written, for the message.
func (l *Loader) RequireElement(q QName, pos diag.Pos, attr, written string) {
	l.mustNotBeDone()
	l.refs = append(l.refs, &ref{kind: refElement, q: &q, pos: pos, attr: attr, raw: written})
}

// RequireType is RequireElement for a type reference (part type="p:T").
func (l *Loader) RequireType(q QName, pos diag.Pos, attr, written string) {
	l.mustNotBeDone()
	l.refs = append(l.refs, &ref{kind: refType, q: &q, pos: pos, attr: attr, raw: written})
}
