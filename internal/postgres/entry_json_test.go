package postgres

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"thidua/internal/domain"
)

// TestEntryJSON: the history's entries, written by hand, read back as
// encoding/json writes them, whatever the text holds.
func TestEntryJSON(t *testing.T) {
	p, m := domain.Points(1250), int64(-9500)
	for _, e := range []domain.Entry{
		{},
		{Points: &p, Explanation: "Đã ban hành kế hoạch"},
		{Measured: &m, NA: true, Explanation: "dấu \"ngoặc\", \\ gạch, <b>&</b>, dòng\nmới, \t tab, \u2028, \x01"},
	} {
		want, _ := json.Marshal(map[string]any{"points": e.Points, "measured": e.Measured, "na": e.NA, "explanation": e.Explanation})
		var got, exp map[string]any
		if err := json.Unmarshal(entryJSON(e), &got); err != nil {
			t.Fatalf("%s: %v", entryJSON(e), err)
		}
		_ = json.Unmarshal(want, &exp)
		if d := cmp.Diff(exp, got); d != "" {
			t.Errorf("%s (-encoding/json +by hand):\n%s", entryJSON(e), d)
		}
	}
}
