package domain

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEvidenceFileName(t *testing.T) {
	const (
		pdf  = "application/pdf"
		jpeg = "image/jpeg"
		docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		ole  = "application/x-ole-storage"
	)
	long := strings.Repeat("Báo cáo kết quả ", 30) // 480 characters
	for _, tc := range []struct {
		typed, contentType, want string
	}{
		{"bao-cao.pdf", pdf, "bao-cao.pdf"},
		{"Báo cáo CCHC quý IV.PDF", pdf, "Báo cáo CCHC quý IV.pdf"},
		// The extension follows the content, not the name typed.
		{"x.html", pdf, "x.pdf"},
		{"bao-cao.docx", pdf, "bao-cao.pdf"},
		{"kế hoạch", pdf, "kế hoạch.pdf"},
		{"ảnh chụp.jpeg", jpeg, "ảnh chụp.jpeg"},
		{"ảnh chụp.JPG", jpeg, "ảnh chụp.jpg"},
		{"ảnh chụp.png", jpeg, "ảnh chụp.jpg"},
		{"bảng.xls", ole, "bảng.xls"},
		{"bảng.exe", ole, "bảng.doc"},
		{"quyet-dinh.docx", docx, "quyet-dinh.docx"},
		{"tệp lạ.pdf", "application/x-unknown", "tệp lạ.bin"},
		// A dot in the name is not an extension unless it looks like one.
		{"Báo cáo 12.2025", pdf, "Báo cáo 12.2025.pdf"},
		{"v1.0 final.pdf", pdf, "v1.0 final.pdf"},
		// A right-to-left override makes "bao-cao<RLO>fdp.exe" look like "bao-caoexe.pdf".
		{"bao-cao\u202efdp.exe", pdf, "bao-caofdp.pdf"},
		{"\u2067tai-lieu\u2069\u200f.pdf", pdf, "tai-lieu.pdf"},
		{"zero\u200bwidth\ufeff.pdf", pdf, "zerowidth.pdf"},
		{"tab\there\x00nul\x7f.pdf", pdf, "tab herenul.pdf"},
		{"line\u2028break\nname.pdf", pdf, "line break name.pdf"},
		// Paths and characters file systems refuse.
		{"../../etc/passwd", pdf, "passwd.pdf"},
		{`C:\Users\ha\Desktop\to trinh.pdf`, pdf, "to trinh.pdf"},
		{`a<b>c:d"e|f?g*h.pdf`, pdf, "a_b_c_d_e_f_g_h.pdf"},
		{"  nhiều    khoảng   trắng  .pdf", pdf, "nhiều khoảng trắng.pdf"},
		// Nothing left of the name.
		{"", pdf, "tài liệu.pdf"},
		{".pdf", pdf, "tài liệu.pdf"},
		{"...", pdf, "tài liệu.pdf"},
		{"\u202e\u202d", jpeg, "tài liệu.jpg"},
		{"/", pdf, "tài liệu.pdf"},
		{"\xff\xfe.pdf", pdf, "tài liệu.pdf"},
		// Decomposed Vietnamese is stored composed.
		{"Ba\u0301o ca\u0301o.pdf", pdf, "Báo cáo.pdf"},
		// Shortening keeps the extension.
		{long + ".pdf", pdf, strings.TrimSpace(string([]rune(long)[:MaxFileName-4])) + ".pdf"},
		{long + ".html", pdf, strings.TrimSpace(string([]rune(long)[:MaxFileName-4])) + ".pdf"},
	} {
		got := EvidenceFileName(tc.typed, tc.contentType)
		if got != tc.want {
			t.Errorf("EvidenceFileName(%q, %s) = %q, want %q", tc.typed, tc.contentType, got, tc.want)
		}
		if n := utf8.RuneCountInString(got); n > MaxFileName {
			t.Errorf("EvidenceFileName(%q) has %d characters", tc.typed, n)
		}
		// A stored name cleaned again (at download) stays the same.
		if again := EvidenceFileName(got, tc.contentType); again != got {
			t.Errorf("EvidenceFileName is not stable: %q → %q", got, again)
		}
	}
}
