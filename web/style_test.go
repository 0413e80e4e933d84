package web

import (
	"strings"
	"testing"
)

// TestStylesheetBlocksClosed: every block of the stylesheet is closed
// before the next rule starts at the top level. An @media block left open
// by a merge swallows every rule after it (they then apply only when
// printing).
func TestStylesheetBlocksClosed(t *testing.T) {
	css, err := Static.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	depth, line := 0, 1
	inComment := false
	s := string(css)
	for i := 0; i < len(s); i++ {
		switch {
		case inComment:
			if strings.HasPrefix(s[i:], "*/") {
				inComment, i = false, i+1
			}
		case strings.HasPrefix(s[i:], "/*"):
			if depth > 0 && i > 0 && s[i-1] == '\n' {
				// A section comment at the start of a line inside a block:
				// the block above it was not closed.
				t.Errorf("line %d: a section starts inside an open block", line)
			}
			inComment, i = true, i+1
		case s[i] == '\n':
			line++
		case s[i] == '{':
			depth++
		case s[i] == '}':
			depth--
			if depth < 0 {
				t.Fatalf("line %d: } without {", line)
			}
		}
	}
	if depth != 0 {
		t.Errorf("%d block(s) left open at the end of style.css", depth)
	}
}
