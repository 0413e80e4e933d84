package domain

import (
	"fmt"
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
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	whole, frac := p/100, p%100
	switch {
	case frac == 0:
		return fmt.Sprintf("%s%d", sign, whole)
	case frac%10 == 0:
		return fmt.Sprintf("%s%d,%d", sign, whole, frac/10)
	}
	return fmt.Sprintf("%s%d,%02d", sign, whole, frac)
}

// Plain formats points with a decimal point, for files and inputs.
func (p Points) Plain() string { return strings.ReplaceAll(p.String(), ",", ".") }
