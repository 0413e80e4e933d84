package domain

import (
	_ "embed"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Password length limits, in characters, after NFC normalization.
const (
	PasswordMin = 8
	PasswordMax = 128
)

//go:embed common_passwords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// NormalizePassword returns the NFC form of a password, so that the same
// Vietnamese text typed on different keyboards hashes the same.
func NormalizePassword(pw string) string { return norm.NFC.String(pw) }

// ValidatePassword checks a (normalized) password against the policy and
// returns the catalogue key of the first problem, or "". own are the
// owner's details (e-mail, full name, unit name): a password built from
// them is refused. There are no composition rules (ASVS 5): length, a
// list of common passwords, context-specific words and trivial patterns.
func ValidatePassword(pw string, own ...string) string {
	n := RuneLen(pw)
	switch {
	case n < PasswordMin:
		return "password.too_short"
	case n > PasswordMax:
		return "password.too_long"
	case !ValidText(pw):
		return "password.invalid"
	case commonPasswords[strings.ToLower(pw)]:
		return "password.common"
	case trivialPassword(foldPassword(pw, false)):
		return "password.trivial"
	case personalPassword(pw, own):
		return "password.personal"
	}
	return ""
}

// portalWords are context-specific words every user of this portal might
// build a password from.
var portalWords = []string{"thidua", "khenthuong", "thiduakhenthuong", "noivu", "sonoivu"}

// foldPassword lowers case and removes Vietnamese accents (SearchKey); with
// alnum, it keeps letters and digits only, so "Trần Văn-Bình" and
// "tranvanbinh" compare equal.
func foldPassword(s string, alnum bool) string {
	f := SearchKey(s)
	if !alnum {
		return f
	}
	var b strings.Builder
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// passwordSequences are runs a person types without thinking: the
// alphabet, digits and the rows of a keyboard (plain and shifted).
var passwordSequences = []string{
	"abcdefghijklmnopqrstuvwxyz", "01234567890",
	"`1234567890-=", "~!@#$%^&*()_+", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./",
}

// trivialPassword reports a folded password that is repetitive (one block
// of up to four characters repeated, or at most two different characters)
// or sequential (a run of passwordSequences, either way, spaces aside).
func trivialPassword(f string) bool {
	if repetitive([]rune(f)) {
		return true
	}
	compact := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, f)
	if len(compact) < 4 {
		return true // mostly spaces
	}
	if repetitive([]rune(compact)) {
		return true
	}
	for _, seq := range passwordSequences {
		if strings.Contains(seq, compact) || strings.Contains(reverse(seq), compact) {
			return true
		}
	}
	return false
}

func repetitive(rs []rune) bool {
	distinct := map[rune]bool{}
	for _, r := range rs {
		distinct[r] = true
	}
	if len(distinct) <= 2 {
		return true
	}
	for p := 1; p <= 4 && 2*p <= len(rs); p++ {
		same := true
		for i := p; i < len(rs) && same; i++ {
			same = rs[i] == rs[i-p]
		}
		if same {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}

// personalPassword reports a password built from the owner's details or
// the portal's name: once every such word is taken out (the whole detail,
// the e-mail's local part and each word of three letters or more), what is
// left is short (a year, a PIN: under five letters and digits) or trivial.
// A sentence that merely mentions a name keeps enough of its own.
func personalPassword(pw string, own []string) bool {
	if len(own) == 0 {
		return false
	}
	words := append([]string(nil), portalWords...)
	for _, d := range own {
		if local, _, ok := strings.Cut(d, "@"); ok {
			words = append(words, foldPassword(local, true))
		}
		words = append(words, foldPassword(d, true))
		words = append(words, strings.FieldsFunc(SearchKey(d), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })...)
	}
	// Longest first, so that a whole name goes before its parts.
	sort.Slice(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
	f := foldPassword(pw, true)
	rest := f
	for _, w := range words {
		if len(w) >= 3 {
			rest = strings.ReplaceAll(rest, w, "")
		}
	}
	if rest == f {
		return false
	}
	return RuneLen(rest) < 5 || trivialPassword(rest)
}
