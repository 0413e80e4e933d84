package domain

import "testing"

// TestFileWords is issue 8 points 12 and 23: every unit kind (thị trấn
// included) and category has a Vietnamese word that files use, and the
// import reads back both the word and the internal code.
func TestFileWords(t *testing.T) {
	for _, k := range UnitKinds {
		if k.Word() == string(k) {
			t.Errorf("kind %s has no Vietnamese word", k)
		}
		for _, s := range []string{k.Word(), string(k)} {
			if got, ok := ParseUnitKind(s); !ok || got != k {
				t.Errorf("ParseUnitKind(%q) = %q, %v; want %q", s, got, ok, k)
			}
		}
	}
	if k, ok := ParseUnitKind("Thị trấn"); !ok || k != KindTown {
		t.Errorf("thị trấn reads as %q, %v", k, ok)
	}
	for _, c := range Categories {
		if c.Word() == string(c) {
			t.Errorf("category %s has no Vietnamese word", c)
		}
		for _, s := range []string{c.Word(), string(c)} {
			if got, ok := ParseCategory(s); !ok || got != c {
				t.Errorf("ParseCategory(%q) = %q, %v; want %q", s, got, ok, c)
			}
		}
	}
}
