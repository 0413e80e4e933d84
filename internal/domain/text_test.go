package domain

import "testing"

func TestCleanTextDropsInvisibleEdges(t *testing.T) {
	for in, want := range map[string]string{
		"\u200b\u200c\u200d\ufeff":    "",
		"\u2060\u200b \u00a0\u200b\t": "",
		"\u202e\u202d\u2066\u2069":    "",
		"\u00ad\u3164\u2800":          "",
		"\u200bUBND xã Mỹ Thọ\ufeff":  "UBND xã Mỹ Thọ",
		"  Sở Tư pháp  ":              "Sở Tư pháp",
		"Mo\u0302\u0323t":             "Một",
		"A\u200bB":                    "A\u200bB", // inside a name it is kept (it may join scripts)
		"\u200b\u0301":                "\u0301",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
