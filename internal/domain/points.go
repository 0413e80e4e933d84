package domain

import (
	"strconv"
	"strings"
)

// Points are scores in hundredths, so 12,5 points is 1250: sums and
// comparisons stay exact, as a ranking that breaks no tie silently needs.
type Points int64

// ParsePoints reads points as people write them: "12,5" (Vietnamese decimal
// comma), "12.5" or "12"; at most two decimals.
func ParsePoints(s string) (Points, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" || strings.HasPrefix(s, "+") {
		return 0, false
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1_000_000 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	p := Points(w*100 + f)
	if neg {
		p = -p
	}
	return p, true
}

// String formats points the Vietnamese way: "12,5", "10", "0,25".
func (p Points) String() string {
	var b [24]byte
	return string(p.Append(b[:0]))
}

// Append appends p as String writes it (no fmt: a ranking writes tens of
// thousands of them per page).
func (p Points) Append(b []byte) []byte {
	if p < 0 {
		b, p = append(b, '-'), -p
	}
	whole, frac := int64(p/100), int64(p%100)
	b = strconv.AppendInt(b, whole, 10)
	switch {
	case frac == 0:
		return b
	case frac%10 == 0:
		return append(b, ',', byte('0'+frac/10))
	}
	return append(b, ',', byte('0'+frac/10), byte('0'+frac%10))
}

// Plain formats points with a decimal point, for files and inputs.
func (p Points) Plain() string { return strings.ReplaceAll(p.String(), ",", ".") }
