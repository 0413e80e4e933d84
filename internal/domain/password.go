package domain

import (
	_ "embed"
	"strings"

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
// returns the catalogue key of the first problem, or "".
func ValidatePassword(pw string) string {
	n := RuneLen(pw)
	switch {
	case n < PasswordMin:
		return "password.too_short"
	case n > PasswordMax:
		return "password.too_long"
	case commonPasswords[strings.ToLower(pw)]:
		return "password.common"
	case !ValidText(pw):
		return "password.invalid"
	}
	return ""
}
