package xmldom

import "strings"

// PlainText turns documentation text (as returned by InnerText) into plain text: it drops leading and
// trailing blank lines and trailing blanks on each line, removes the
// indentation common to the lines (ignoring the first one when it starts on
// the line of the opening tag), and collapses runs of blank lines into one.
func PlainText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !strings.Contains(s, "\n") {
		return strings.TrimSpace(s)
	}
	lines := strings.Split(s, "\n")
	firstOnTagLine := strings.TrimSpace(lines[0]) != ""
	indent := -1
	for i, ln := range lines {
		ln = strings.TrimRight(ln, " \t\r")
		lines[i] = ln
		if ln == "" || (i == 0 && firstOnTagLine) {
			continue
		}
		if n := len(ln) - len(strings.TrimLeft(ln, " \t")); indent < 0 || n < indent {
			indent = n
		}
	}
	var b strings.Builder
	blank := false
	for i, ln := range lines {
		switch {
		case i == 0 && firstOnTagLine:
			ln = strings.TrimLeft(ln, " \t")
		case len(ln) >= indent && indent > 0:
			ln = ln[indent:]
		}
		if ln == "" {
			blank = true
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(ln)
	}
	return b.String()
}
