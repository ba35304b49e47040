package xsd

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/xmldom"
)

// CatalogNS is the OASIS XML Catalogs 1.1 namespace.
const CatalogNS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"

// catalog is one parsed OASIS XML catalog file. Entries keep document order
// (groups are flattened); targets are absolute (resolved against xml:base or
// the catalog file).
type catalog struct {
	file    string
	entries []catEntry
}

type catKind int

const (
	catURI catKind = iota + 1
	catSystem
	catRewriteURI
	catRewriteSystem
	catURISuffix
	catSystemSuffix
	catDelegateURI
	catDelegateSystem
	catNext
)

type catEntry struct {
	kind   catKind
	match  string     // name, systemId, start string or suffix
	target string     // uri or rewrite prefix (absolute)
	cats   []*catalog // nextCatalog / delegate*: the referenced catalog
	pos    diag.Pos
}

// catalogSet is the ordered list of catalogs given in Config.Catalogs; every
// file, including those reached by nextCatalog and delegate entries, is loaded
// once by NewLoader so that a broken catalog is reported at once.
type catalogSet struct {
	roots []*catalog
}

// loadCatalogs reads the catalog files and those they reference.
func loadCatalogs(files []string, read func(string) ([]byte, error)) (*catalogSet, diag.List) {
	var errs diag.List
	byFile := map[string]*catalog{}
	var load func(file string, at diag.Pos) *catalog
	load = func(file string, at diag.Pos) *catalog {
		if c, ok := byFile[file]; ok {
			return c
		}
		c := &catalog{file: file}
		byFile[file] = c
		data, err := read(file)
		if err != nil {
			errs.Add(at, "cannot read XML catalog: %v", err)
			return c
		}
		doc, err := xmldom.Parse(file, data)
		if err != nil {
			errs.AddErr(diag.Pos{File: file}, err)
			return c
		}
		if !doc.Root.Is(CatalogNS, "catalog") {
			errs.Add(doc.Root.Pos, "not an OASIS XML catalog: root element is {%s}%s", doc.Root.Space, doc.Root.Local)
			return c
		}
		var walk func(e *xmldom.Element, base string)
		walk = func(e *xmldom.Element, base string) {
			for _, ch := range e.Children {
				if ch.Space != CatalogNS {
					continue // other namespaces are extensions (OASIS catalogs §6.4)
				}
				b := base
				if xb, ok := ch.AttrNS(xmldom.XMLNS, "base"); ok {
					b = resolveRef(base, xb)
				}
				abs := func(attr string) (string, bool) {
					v, ok := ch.Attr(attr)
					if !ok {
						errs.Add(ch.Pos, "catalog entry <%s> lacks the %s attribute", ch.Local, attr)
						return "", false
					}
					return resolveRef(b, v), true
				}
				str := func(attr string) (string, bool) {
					v, ok := ch.Attr(attr)
					if !ok {
						errs.Add(ch.Pos, "catalog entry <%s> lacks the %s attribute", ch.Local, attr)
					}
					return v, ok
				}
				add := func(k catKind, matchAttr, targetAttr string) {
					m, ok1 := str(matchAttr)
					t, ok2 := abs(targetAttr)
					if ok1 && ok2 {
						c.entries = append(c.entries, catEntry{kind: k, match: m, target: t, pos: ch.Pos})
					}
				}
				switch ch.Local {
				case "group":
					walk(ch, b)
				case "uri":
					add(catURI, "name", "uri")
				case "system":
					add(catSystem, "systemId", "uri")
				case "rewriteURI":
					add(catRewriteURI, "uriStartString", "rewritePrefix")
				case "rewriteSystem":
					add(catRewriteSystem, "systemIdStartString", "rewritePrefix")
				case "uriSuffix":
					add(catURISuffix, "uriSuffix", "uri")
				case "systemSuffix":
					add(catSystemSuffix, "systemIdSuffix", "uri")
				case "delegateURI", "delegateSystem", "nextCatalog":
					var (
						m  string
						ok = true
					)
					k := catNext
					switch ch.Local {
					case "delegateURI":
						k = catDelegateURI
						m, ok = str("uriStartString")
					case "delegateSystem":
						k = catDelegateSystem
						m, ok = str("systemIdStartString")
					}
					t, ok2 := abs("catalog")
					if ok && ok2 {
						p, err := localPath(t)
						if err != nil {
							errs.Add(ch.Pos, "catalog %q: %v", t, err)
							continue
						}
						c.entries = append(c.entries, catEntry{kind: k, match: m, pos: ch.Pos, cats: []*catalog{load(p, ch.Pos)}})
					}
				case "public", "delegatePublic", "dtddecl":
					// Public identifiers never occur in schema locations.
				default:
					errs.Add(ch.Pos, "unsupported XML catalog entry <%s>", ch.Local)
				}
			}
		}
		base := fileURI(file)
		if xb, ok := doc.Root.AttrNS(xmldom.XMLNS, "base"); ok {
			base = resolveRef(base, xb)
		}
		walk(doc.Root, base)
		return c
	}
	cs := &catalogSet{}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			errs.Add(diag.Pos{File: f}, "XML catalog: %v", err)
			continue
		}
		cs.roots = append(cs.roots, load(abs, diag.Pos{File: abs}))
	}
	return cs, errs
}

// fileURI returns the file: URI of an absolute path.
func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// resolveRef resolves ref against base (both URI references).
func resolveRef(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// localPath converts a file: URI (or a plain path) into a local path; any
// other scheme is an error: dmpgen never uses the network.
func localPath(ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return "", fmt.Errorf("file URI with a remote host")
		}
		return filepath.FromSlash(u.Path), nil
	case "":
		return filepath.FromSlash(u.Path), nil
	}
	return "", fmt.Errorf("%s: URI scheme %q is not a local file (dmpgen never uses the network)", ref, u.Scheme)
}

// resolve maps a schema location through the catalogs: first as a URI
// reference (uri, rewriteURI, uriSuffix, delegateURI, nextCatalog), then as a
// system identifier (system, rewriteSystem, systemSuffix, delegateSystem,
// nextCatalog). It returns the mapped URI and whether any entry matched.
func (cs *catalogSet) resolve(ref string) (string, bool) {
	if cs == nil {
		return "", false
	}
	for _, sys := range []bool{false, true} {
		seen := map[*catalog]bool{}
		for _, c := range cs.roots {
			if r, ok := c.resolve(ref, sys, seen); ok {
				return r, true
			}
		}
	}
	return "", false
}

func (c *catalog) resolve(ref string, sys bool, seen map[*catalog]bool) (string, bool) {
	if seen[c] {
		return "", false
	}
	seen[c] = true
	exact, rewrite, suffix, delegate := catURI, catRewriteURI, catURISuffix, catDelegateURI
	if sys {
		exact, rewrite, suffix, delegate = catSystem, catRewriteSystem, catSystemSuffix, catDelegateSystem
	}
	for _, e := range c.entries {
		if e.kind == exact && e.match == ref {
			return e.target, true
		}
	}
	if best := longest(c.entries, rewrite, ref, strings.HasPrefix); best != nil {
		return best.target + ref[len(best.match):], true
	}
	if best := longest(c.entries, suffix, ref, strings.HasSuffix); best != nil {
		return best.target, true
	}
	var delegates []*catEntry
	for i := range c.entries {
		if e := &c.entries[i]; e.kind == delegate && strings.HasPrefix(ref, e.match) {
			delegates = append(delegates, e)
		}
	}
	if len(delegates) > 0 {
		// Longest prefix first; delegation is exclusive (OASIS catalogs §7.2.2 step 7).
		for i := 1; i < len(delegates); i++ {
			for j := i; j > 0 && len(delegates[j].match) > len(delegates[j-1].match); j-- {
				delegates[j], delegates[j-1] = delegates[j-1], delegates[j]
			}
		}
		for _, d := range delegates {
			if r, ok := d.cats[0].resolve(ref, sys, map[*catalog]bool{}); ok {
				return r, true
			}
		}
		return "", false
	}
	for _, e := range c.entries {
		if e.kind == catNext {
			if r, ok := e.cats[0].resolve(ref, sys, seen); ok {
				return r, true
			}
		}
	}
	return "", false
}

func longest(entries []catEntry, kind catKind, ref string, match func(s, m string) bool) *catEntry {
	var best *catEntry
	for i := range entries {
		e := &entries[i]
		if e.kind == kind && match(ref, e.match) && (best == nil || len(e.match) > len(best.match)) {
			best = e
		}
	}
	return best
}
