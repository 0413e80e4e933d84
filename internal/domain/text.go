package domain

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CleanText returns s NFC-normalized with surrounding white space removed:
// the form every name is stored in.
func CleanText(s string) string {
	return strings.TrimSpace(norm.NFC.String(s))
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
