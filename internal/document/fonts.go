package document

import (
	"embed"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// The four faces of Liberation Serif (metric-compatible with Times New
// Roman, the face Nghị định 30/2020/NĐ-CP's samples use), from Debian's
// fonts-liberation2 2.1.5, under the SIL Open Font License 1.1
// (fonts/LICENSE). They are embedded so that a machine without the fonts
// package writes the same documents; every PDF embeds the subset it uses.
//
//go:embed fonts/LiberationSerif-Regular.ttf fonts/LiberationSerif-Bold.ttf fonts/LiberationSerif-Italic.ttf fonts/LiberationSerif-BoldItalic.ttf
var fontFiles embed.FS

// family is the name the writers give the embedded face.
const family = "LiberationSerif"

// faces maps an fpdf style to its file.
var faces = []struct{ style, file string }{
	{"", "fonts/LiberationSerif-Regular.ttf"},
	{"B", "fonts/LiberationSerif-Bold.ttf"},
	{"I", "fonts/LiberationSerif-Italic.ttf"},
	{"BI", "fonts/LiberationSerif-BoldItalic.ttf"},
}

// replacement stands in for a character the font cannot draw, so that the
// gap shows instead of an invisible or broken glyph.
const replacement = '?'

var coverage struct {
	once  sync.Once
	bytes map[string][]byte
	has   []bool // has[r] for r in the Basic Multilingual Plane: every face draws r
	err   error
}

// loadFonts reads the faces once and works out which characters all four
// can draw.
func loadFonts() (map[string][]byte, []bool, error) {
	coverage.once.Do(func() {
		coverage.bytes = make(map[string][]byte, len(faces))
		coverage.has = make([]bool, 0x10000)
		for i := range coverage.has {
			coverage.has[i] = true
		}
		var buf sfnt.Buffer
		for _, face := range faces {
			b, err := fontFiles.ReadFile(face.file)
			if err != nil {
				coverage.err = fmt.Errorf("document: font %s: %w", face.file, err)
				return
			}
			f, err := sfnt.Parse(b)
			if err != nil {
				coverage.err = fmt.Errorf("document: font %s: %w", face.file, err)
				return
			}
			for r := range coverage.has {
				if !coverage.has[r] {
					continue
				}
				g, err := f.GlyphIndex(&buf, rune(r))
				if err != nil || g == 0 {
					coverage.has[r] = false
				}
			}
			coverage.bytes[face.style] = b
		}
	})
	return coverage.bytes, coverage.has, coverage.err
}

// blanks is a run of three spaces or more: a deliberate blank, like the
// number left empty on a draft ("Quyết định số      /QĐ-UBND").
var blanks = regexp.MustCompile(` {3,}`)

// clean makes s printable with the embedded font: composed (NFC) so that
// Vietnamese letters decomposed by the sender ("e" + U+0302 + U+0301) print
// as the single glyph "ế"; a run of three spaces or more kept as a blank
// of the same width that wrapping does not squeeze; tabs and other white space as a plain space;
// other control characters dropped; a character the font lacks (an emoji,
// a CJK ideograph) shown as "?" rather than silently lost or drawn as an
// empty box.
func clean(s string, has []bool) string {
	s = norm.NFC.String(s)
	s = blanks.ReplaceAllStringFunc(s, func(run string) string {
		return strings.Repeat(string(nbsp), len(run))
	})
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\r':
			// "\r\n" is one line break
		case r == nbsp && has[r]:
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == '\u200b' || r == '\ufeff':
			// zero-width and control characters print nothing
		case int(r) < len(has) && has[r]:
			b.WriteRune(r)
		default:
			b.WriteRune(replacement)
		}
	}
	return b.String()
}
