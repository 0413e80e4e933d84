package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"thidua/internal/pgtest"
)

var unitHeader = []string{"ma", "ten", "ten_viet_tat", "loai", "ma_cap_tren", "hieu_luc_tu", "hieu_luc_den"}

// fiveThousandUnits is a province, 49 districts (ended on 01/07/2025) and
// 4,950 communes: 5,000 rows, parents listed after some of their children
// to show that order does not matter.
func fiveThousandUnits() [][]string {
	rows := [][]string{}
	for d := 1; d <= 49; d++ {
		perDistrict := 101
		if d == 49 {
			perDistrict = 102 // 48 × 101 + 102 = 4,950 communes
		}
		for c := 1; c <= perDistrict; c++ {
			code := fmt.Sprintf("X%02d%03d", d, c)
			name := fmt.Sprintf("Ủy ban nhân dân xã Thử Nghiệm %d-%d", d, c)
			rows = append(rows, []string{code, name, "", "xã", fmt.Sprintf("H%02d", d), "01/01/2010", ""})
		}
		rows = append(rows, []string{fmt.Sprintf("H%02d", d), fmt.Sprintf("Ủy ban nhân dân huyện Thử Nghiệm %d", d), "", "huyện", "P1", "01/01/2010", "01/07/2025"})
	}
	rows = append(rows, []string{"P1", "Ủy ban nhân dân tỉnh Thử Nghiệm", "UBND tỉnh", "tỉnh", "", "01/01/2010", ""})
	return rows
}

func writeCSV(t *testing.T, path string, header []string, rows [][]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func writeXLSX(t *testing.T, path string, header []string, rows [][]string) {
	t.Helper()
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range append([][]string{header}, rows...) {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	err := run(context.Background(), args, strings.NewReader(""), &out, io.Discard)
	return out.String(), err
}

// tableHash fingerprints the registry tables, to prove an import wrote nothing.
func tableHash(t *testing.T, url string) string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var h string
	err = conn.QueryRow(context.Background(), `SELECT
		(SELECT md5(coalesce(string_agg(u::text, '|' ORDER BY id), '')) FROM units u) ||
		(SELECT md5(coalesce(string_agg(v::text, '|' ORDER BY unit_id, valid_from), '')) FROM unit_versions v) ||
		(SELECT count(*) FROM audit_log)::text`).Scan(&h)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestImportUnitsCLI is acceptance 1 of the registry: 5,000 units from CSV
// and from an equivalent XLSX through the CLI; a second import changes no
// row; a file with 20 planted errors is refused by the dry run with all 20
// reported by line, and nothing is written.
func TestImportUnitsCLI(t *testing.T) {
	dir := t.TempDir()
	rows := fiveThousandUnits()
	if len(rows) != 5000 {
		t.Fatalf("generator made %d rows", len(rows))
	}
	csvPath := filepath.Join(dir, "units.csv")
	xlsxPath := filepath.Join(dir, "units.xlsx")
	writeCSV(t, csvPath, unitHeader, rows)
	writeXLSX(t, xlsxPath, unitHeader, rows)

	for _, file := range []string{csvPath, xlsxPath} {
		url := pgtest.NewURL(t)
		t.Setenv("DATABASE_URL", url)
		emptyHash := tableHash(t, url)
		out, err := runCmd(t, "import", "units", "--dry-run", file)
		if err != nil || !strings.Contains(out, "dry run: 5000 rows, 0 problems; 5000 new") {
			t.Fatalf("%s dry run: %v\n%s", filepath.Base(file), err, out)
		}
		if tableHash(t, url) != emptyHash {
			t.Fatalf("%s: the dry run wrote to the database", filepath.Base(file))
		}
		out, err = runCmd(t, "import", "units", file)
		if err != nil || !strings.Contains(out, "import: 5000 rows, 0 problems; 5000 new, 0 changed, 0 unchanged") {
			t.Fatalf("%s import: %v\n%s", filepath.Base(file), err, out)
		}
		after := tableHash(t, url)
		out, err = runCmd(t, "import", "units", file)
		if err != nil || !strings.Contains(out, "0 new, 0 changed, 5000 unchanged") {
			t.Fatalf("%s second import: %v\n%s", filepath.Base(file), err, out)
		}
		// Units and versions unchanged; the audit log gains the import's line.
		if again := tableHash(t, url); again[:64] != after[:64] {
			t.Errorf("%s: the second import changed rows", filepath.Base(file))
		}
		// Districts ended on 01/07/2025: the tree as of that day has the
		// communes but no district.
		conn, _ := pgx.Connect(context.Background(), url)
		var districts, communes int
		_ = conn.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE kind = 'district' AND valid_to = '2025-07-01'),
			count(*) FILTER (WHERE kind = 'commune' AND parent_id IS NOT NULL) FROM units`).Scan(&districts, &communes)
		conn.Close(context.Background())
		if districts != 49 || communes != 4950 {
			t.Errorf("%s: %d districts ended, %d communes with parents", filepath.Base(file), districts, communes)
		}
	}
}

func TestImportUnitsPlantedErrors(t *testing.T) {
	dir := t.TempDir()
	rows := fiveThousandUnits()
	// Each planted error sits on a commune (a leaf), so no other row
	// depends on it. Line numbers count the header as line 1.
	planted := map[int]func(r []string) []string{}
	plant := func(index int, f func(r []string) []string) { planted[index+2] = f }
	leaf := func(n int) int { return n * 97 }                                              // indexes of communes spread over the file
	plant(leaf(1), func(r []string) []string { r[1] = ""; return r })                      // missing name
	plant(leaf(2), func(r []string) []string { r[1] = "   "; return r })                   // blank name
	plant(leaf(3), func(r []string) []string { r[3] = "thôn"; return r })                  // unknown kind
	plant(leaf(4), func(r []string) []string { r[3] = "quận"; return r })                  // unknown kind
	plant(leaf(5), func(r []string) []string { r[5] = "31/02/2020"; return r })            // bad date
	plant(leaf(6), func(r []string) []string { r[5] = "hôm qua"; return r })               // bad date
	plant(leaf(7), func(r []string) []string { r[6] = "2020-13-01"; return r })            // bad end date
	plant(leaf(8), func(r []string) []string { r[6] = "01/01/2009"; return r })            // ends before it starts
	plant(leaf(9), func(r []string) []string { r[4] = "KHONGCO1"; return r })              // missing parent
	plant(leaf(10), func(r []string) []string { r[4] = "KHONGCO2"; return r })             // missing parent
	plant(leaf(11), func(r []string) []string { r[4] = "KHONGCO3"; return r })             // missing parent
	plant(leaf(12), func(r []string) []string { r[0] = rows[leaf(12)-1][0]; return r })    // duplicate code
	plant(leaf(13), func(r []string) []string { r[0] = rows[leaf(13)-1][0]; return r })    // duplicate code
	plant(leaf(14), func(r []string) []string { r[0] = rows[leaf(14)-1][0]; return r })    // duplicate code
	plant(leaf(15), func(r []string) []string { r[4] = r[0]; return r })                   // its own parent
	plant(leaf(16), func(r []string) []string { r[0] = "mã có dấu"; return r })            // bad code
	plant(leaf(17), func(r []string) []string { r[4] = "H01;DROP"; return r })             // bad parent code
	plant(leaf(18), func(r []string) []string { r[1] = "Xã \xff\xfe hỏng"; return r })     // invalid UTF-8
	plant(leaf(19), func(r []string) []string { r[0], r[4] = "VONG1", "VONG2"; return r }) // cycle
	plant(leaf(20), func(r []string) []string { r[0], r[4] = "VONG2", "VONG1"; return r }) // cycle
	for line, f := range planted {
		rows[line-2] = f(append([]string(nil), rows[line-2]...))
	}
	path := filepath.Join(dir, "bad.csv")
	writeCSV(t, path, unitHeader, rows)
	url := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", url)
	before := tableHash(t, url)
	for _, args := range [][]string{{"import", "units", "--dry-run", path}, {"import", "units", path}} {
		out, err := runCmd(t, args...)
		if err != errProblems {
			t.Fatalf("%v: err %v, want problems\n%s", args, err, out)
		}
		var lines []int
		for _, l := range strings.Split(out, "\n") {
			var n int
			if _, err := fmt.Sscanf(l, "Dòng %d", &n); err == nil {
				lines = append(lines, n)
			}
		}
		var want []int
		for line := range planted {
			want = append(want, line)
		}
		sort.Ints(want)
		if diff := cmp.Diff(want, lines); diff != "" {
			t.Errorf("%v: reported lines (-planted +reported):\n%s\n%s", args, diff, out)
		}
		if !strings.Contains(out, "20 problems") {
			t.Errorf("%v: summary missing: %s", args, out)
		}
		if tableHash(t, url) != before {
			t.Errorf("%v wrote to the database", args)
		}
	}
}

// TestImportNFC is acceptance 5: an NFD name from a file arrives NFC, with
// a notice.
func TestImportNFC(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nfd.csv")
	writeCSV(t, path, unitHeader, [][]string{{"N1", "UBND xa\u0303 My\u0303 Tho\u0323", "", "xa\u0303", "", "01/07/2025", ""}})
	url := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", url)
	out, err := runCmd(t, "import", "units", path)
	if err != nil || !strings.Contains(out, "NFC") {
		t.Fatalf("%v\n%s", err, out)
	}
	conn, _ := pgx.Connect(context.Background(), url)
	defer conn.Close(context.Background())
	var name string
	var nfc bool
	_ = conn.QueryRow(context.Background(), `SELECT name, name IS NFC NORMALIZED FROM units WHERE code = 'N1'`).Scan(&name, &nfc)
	if name != "UBND xã Mỹ Thọ" || !nfc {
		t.Errorf("stored %q (NFC %v)", name, nfc)
	}
}

// TestImportMeasuresXLSX imports external index values from an XLSX file
// through the CLI: numbers typed as numbers and as text with the
// Vietnamese decimal comma read alike; a bad row makes the whole file
// write nothing.
func TestImportMeasuresXLSX(t *testing.T) {
	dir := t.TempDir()
	url := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", url)
	units := filepath.Join(dir, "units.csv")
	writeCSV(t, units, unitHeader, [][]string{
		{"29500", "Ủy ban nhân dân xã Mỹ Thọ", "UBND xã Mỹ Thọ", "xã", "", "01/07/2025", ""},
		{"29501", "Ủy ban nhân dân xã Tân Phú", "", "xã", "", "01/07/2025", ""},
	})
	if out, err := runCmd(t, "import", "units", units); err != nil {
		t.Fatalf("units: %v\n%s", err, out)
	}
	write := func(name string, rows [][]any) string {
		t.Helper()
		f := excelize.NewFile()
		header := []any{"ma_don_vi", "ten_don_vi", "ma_chi_so", "nam", "gia_tri", "nguon", "ngay_cong_bo"}
		for i, r := range append([][]any{header}, rows...) {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, name)
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	bad := write("bad.xlsx", [][]any{
		{"29500", "", "PAR_INDEX", 2025, 85.23, "", "15/04/2026"},
		{"29501", "", "SIPAS", 2025, "101", "", "15/04/2026"},
	})
	before := tableHash(t, url)
	out, err := runCmd(t, "import", "measures", bad)
	if err == nil || !strings.Contains(out, "Dòng 3, cột gia_tri: Giá trị 101 % nằm ngoài thang của SIPAS") {
		t.Fatalf("bad file: %v\n%s", err, out)
	}
	if tableHash(t, url) != before {
		t.Fatal("a file with a problem wrote to the database")
	}
	good := write("good.xlsx", [][]any{
		{"29500", "", "PAR_INDEX", 2025, 85.23, "", "15/04/2026"},
		{"", "UBND xã Mỹ Thọ", "SIPAS", 2025, "91,5", "Bộ Nội vụ", "15/04/2026"},
		{"29501", "", "PAPI_8", "2025", 7, "UNDP", "2026-05-01"},
	})
	if out, err := runCmd(t, "import", "measures", good); err != nil || !strings.Contains(out, "3 new") {
		t.Fatalf("good file: %v\n%s", err, out)
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var got string
	_ = conn.QueryRow(context.Background(), `SELECT string_agg(m.code || '=' || v.value, ' ' ORDER BY m.seq) FROM measure_values v
		JOIN measures m ON m.id = v.measure_id`).Scan(&got)
	if got != "PAR_INDEX=8523 SIPAS=9150 PAPI_8=700" {
		t.Errorf("stored values: %s", got)
	}
}
