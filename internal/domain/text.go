package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CleanText returns s NFC-normalized with surrounding white space and
// invisible characters removed: the form every name is stored in. A name
// typed as zero-width characters only is then empty, and refused as such
// by every Validate.
func CleanText(s string) string {
	return strings.TrimFunc(norm.NFC.String(s), Invisible)
}

// Invisible reports a character that shows nothing: white space, format
// characters (zero-width spaces and joiners, byte-order mark, bidi
// controls, soft hyphen: Unicode category Cf) and the blank letters and
// symbols that render as nothing (Hangul fillers, the blank braille cell).
func Invisible(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800:
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// RuneLen counts characters, not bytes, for length limits.
func RuneLen(s string) int { return utf8.RuneCountInString(s) }

// ValidText reports whether s is valid UTF-8 without NUL bytes or other
// control characters except tab and newlines.
func ValidText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return false
		}
	}
	return true
}

// SearchKey is the Go twin of the database's search_key(): lower case
// without Vietnamese accents, for matching words typed in files and forms.
func SearchKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		switch {
		case r == 'đ' || r == 'Đ':
			b.WriteRune('d')
		case r >= 0x300 && r <= 0x36f: // combining marks
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
