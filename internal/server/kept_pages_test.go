package server

import (
	"bytes"
	"testing"
	"time"
)

// The pages kept stay within their bounds of count and size, a page kept
// again replaces the one before, and the size counts what is kept.
func TestPublicPagesBounded(t *testing.T) {
	var p keptPages[publicPageKey]
	day := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	page := bytes.Repeat([]byte("a"), 100<<10)
	for i := range 1000 {
		p.keep(publicPageKey{int64(i), "vi"}, &keptPage{revision: "1", day: day, body: page})
		if len(p.entries) > maxKeptPages || p.bytes > maxKeptBytes {
			t.Fatalf("after %d pages: %d kept, %d bytes", i+1, len(p.entries), p.bytes)
		}
	}
	p.keep(publicPageKey{999, "vi"}, &keptPage{revision: "2", day: day, body: []byte("x")})
	total := 0
	for _, e := range p.entries {
		total += len(e.body)
	}
	if total != p.bytes {
		t.Errorf("size counted %d, kept %d", p.bytes, total)
	}
	if e := p.entries[publicPageKey{999, "vi"}]; e == nil || e.revision != "2" {
		t.Error("the page kept again did not replace the one before")
	}
}
