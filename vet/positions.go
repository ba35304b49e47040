package vet

import (
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// positions maps the elements of a document to their line and column, so
// that a Validate violation (an XML path) is positioned in the file. Keys
// are paths of local names, every step indexed ("/Envelope[1]/Body[1]/x[2]").
type positions struct {
	at       map[string][2]int
	byOffset map[int64]string
}

// elementPositions reads the element positions of data (leniently; what
// cannot be read has no position).
func elementPositions(data []byte) *positions {
	p := &positions{at: map[string][2]int{}, byOffset: map[int64]string{}}
	d := xmltext.NewDecoder(data, xmltext.Options{Lenient: true})
	type frame struct {
		key   string
		count map[string]int
	}
	stack := []frame{{count: map[string]int{}}}
	for {
		tok, err := d.Next()
		if err != nil {
			return p
		}
		switch tok.Kind {
		case xmltext.StartElement:
			top := &stack[len(stack)-1]
			top.count[tok.Name.Local]++
			key := top.key + "/" + tok.Name.Local + "[" + strconv.Itoa(top.count[tok.Name.Local]) + "]"
			line, col := d.Position(tok.Offset)
			p.at[key] = [2]int{line, col}
			p.byOffset[tok.Offset] = key
			stack = append(stack, frame{key: key, count: map[string]int{}})
		case xmltext.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

// locate returns the position of the element a violation path names,
// relative to the element that starts at offset; 0, 0 when unknown. Steps
// without an index are the first (the element is not repeated); attribute
// steps position at their element.
func (p *positions) locate(offset int64, path string) (int, int) {
	key, ok := p.byOffset[offset]
	if !ok {
		return 0, 0
	}
	steps := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, s := range steps[1:] {
		if s == "" || strings.HasPrefix(s, "@") {
			break
		}
		if i := strings.IndexByte(s, ':'); i >= 0 {
			s = s[i+1:]
		}
		if !strings.HasSuffix(s, "]") {
			s += "[1]"
		}
		key += "/" + s
	}
	pos, ok := p.at[key]
	if !ok {
		return 0, 0
	}
	return pos[0], pos[1]
}
