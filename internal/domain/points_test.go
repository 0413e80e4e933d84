package domain

import "testing"

// TestPointsString: points are written the Vietnamese way, with no
// trailing zero, and read back to the same value.
func TestPointsString(t *testing.T) {
	for p, want := range map[Points]string{
		0: "0", 5: "0,05", 50: "0,5", 100: "1", 1250: "12,5", 1225: "12,25", 10000: "100", 9999: "99,99",
		-5: "-0,05", -1250: "-12,5", -100: "-1", 123456789: "1234567,89",
	} {
		if got := p.String(); got != want {
			t.Errorf("Points(%d).String() = %q, want %q", p, got, want)
		}
		if back, ok := ParsePoints(want); p > -1 && p < 100_000_000 && (!ok || back != p) {
			t.Errorf("ParsePoints(%q) = %d, %v; want %d", want, back, ok, p)
		}
	}
}
