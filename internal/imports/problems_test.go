package imports

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/tabular"
)

func dryRun(t *testing.T, kind, name string, content []byte) *domain.ImportReport {
	t.Helper()
	db := pgtest.NewDB(t)
	seedUnits(t, db)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := tabular.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	run := Units
	if kind == "people" {
		run = People
	}
	report, err := run(context.Background(), db, r, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	return report
}

// problemsOf lists a line's problems as "column message".
func problemsOf(report *domain.ImportReport, line int) []string {
	var out []string
	for _, p := range report.Problems {
		if p.Line == line {
			out = append(out, p.Column+" "+p.Message)
		}
	}
	return out
}

// TestDryRunReportsEveryProblemOfARow is issue 8 point 11: a row with a bad
// cell and an unknown parent (or unit) gets both problems in one dry run,
// not the second only once the first is fixed.
func TestDryRunReportsEveryProblemOfARow(t *testing.T) {
	t.Parallel()
	units := dryRun(t, "units", "don-vi.csv", []byte("ma,ten,loai,ma_cap_tren,hieu_luc_tu\n"+
		"A1,UBND xã Một,xã,U01,01/07/2025\n"+
		"A2,UBND xã Hai,làng,KHONG-CO,31/02/2025\n"+
		"A1,,xã,U01,01/07/2025\n"))
	want := []string{"loai import.unit.bad_kind", "hieu_luc_tu import.cell.bad_date", "ma_cap_tren import.unit.parent_missing"}
	if got := problemsOf(units, 3); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("line 3: %q, want %q", got, want)
	}
	want = []string{"ten field.required", "ma import.unit.duplicate_code"}
	if got := problemsOf(units, 4); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("line 4: %q, want %q", got, want)
	}
	if len(problemsOf(units, 2)) != 0 || units.Inserted != 0 {
		t.Errorf("line 2: %q; inserted %d", problemsOf(units, 2), units.Inserted)
	}

	people := dryRun(t, "people", "can-bo.csv", []byte("ho_ten,gioi_tinh,phan_loai,ma_don_vi,tu_ngay\n"+
		"Nguyễn Văn A,Nam,giám đốc,KHONG-CO,01/07/2025\n"+
		"Nguyễn Văn B,X,công chức,KHONG-CO,ngày mai\n"+
		"Nguyễn Văn C,Nữ,công chức,U01,không rõ\n"))
	want = []string{"phan_loai import.person.bad_category", "ma_don_vi import.person.unit_missing"}
	if got := problemsOf(people, 2); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("people line 2: %q, want %q", got, want)
	}
	want = []string{"gioi_tinh import.person.bad_gender", "tu_ngay import.cell.bad_date", "ma_don_vi import.person.unit_missing"}
	if got := problemsOf(people, 3); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("people line 3: %q, want %q", got, want)
	}
	// A unit that exists is not reported missing because the date is bad.
	want = []string{"tu_ngay import.cell.bad_date"}
	if got := problemsOf(people, 4); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("people line 4: %q, want %q", got, want)
	}
}

// TestWindows1258CSV is issue 8 point 11: a CSV saved by Excel in a
// Vietnamese Windows locale (Windows-1258, with its combining tone marks)
// is read as such, with a notice, and its names come out as NFC text.
func TestWindows1258CSV(t *testing.T) {
	t.Parallel()
	text := "ho_ten;gioi_tinh;phan_loai;ma_don_vi;tu_ngay\n" +
		"Nguyễn Thị Hồng Nhung;Nữ;công chức;U01;01/07/2025\n" +
		"Trần Đức Thắng;Nam;viên chức;U02;01/07/2025\n" +
		"Phạm Quỳnh Anh;Nữ;người lao động;U03;01/07/2025\n"
	// Windows-1258 spells most toned letters as a base letter and a
	// combining mark: encode the decomposed text.
	var enc strings.Builder
	for _, r := range decompose(text) {
		b, ok := charmap.Windows1258.EncodeRune(r)
		if !ok {
			t.Fatalf("%q has no Windows-1258 byte", r)
		}
		enc.WriteByte(b)
	}
	raw := []byte(enc.String())
	if strings.Contains(string(raw), "Nguyễn") {
		t.Fatal("the file is still UTF-8")
	}
	db := pgtest.NewDB(t)
	seedUnits(t, db)
	path := filepath.Join(t.TempDir(), "can-bo-1258.csv")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := tabular.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	report, err := People(context.Background(), db, r, false, nil)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !report.OK() || report.Inserted != 3 {
		t.Fatalf("Windows-1258 file: %+v", report)
	}
	var notices []string
	for _, n := range report.Notices {
		notices = append(notices, n.Message)
	}
	if strings.Join(notices, "|") != "import.file.windows1258" {
		t.Errorf("notices %q, want one saying the file was read as Windows-1258", notices)
	}
	for _, name := range []string{"Nguyễn Thị Hồng Nhung", "Trần Đức Thắng", "Phạm Quỳnh Anh"} {
		var n int
		_ = db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM people WHERE full_name = $1`, name).Scan(&n)
		if n != 1 {
			t.Errorf("%s: %d people with that exact (NFC) name", name, n)
		}
	}

	// Bytes that are neither UTF-8 nor Windows-1258 (0x81 and 0x8D are
	// undefined there) refuse the file as a whole.
	bad := append([]byte("ho_ten,phan_loai,ma_don_vi,tu_ngay\n"), 0x81, 0x8d, 0xe0, 'A')
	bad = append(bad, []byte(",cong chuc,U01,01/07/2025\n")...)
	path = filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tabular.Open(path); !errors.Is(err, tabular.ErrEncoding) {
		t.Errorf("neither encoding: %v", err)
	}
}

// decompose spells s as Windows-1258 does: a letter it has (ê, ơ, ă, …)
// followed by a combining tone mark where the toned letter is missing.
func decompose(s string) []rune {
	var out []rune
	for _, r := range s {
		if _, ok := charmap.Windows1258.EncodeRune(r); ok {
			out = append(out, r)
			continue
		}
		// The tone mark (grave, acute, tilde, hook, dot below) is kept
		// apart; the rest (ê, ơ, …) is composed.
		var rest []rune
		var tone rune
		for _, x := range norm.NFD.String(string(r)) {
			switch x {
			case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
				tone = x
			default:
				rest = append(rest, x)
			}
		}
		out = append(out, []rune(norm.NFC.String(string(rest)))...)
		out = append(out, tone)
	}
	return out
}
