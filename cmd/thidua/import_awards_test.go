package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"thidua/internal/pgtest"
)

// awardsHash fingerprints the achievement history.
func awardsHash(t *testing.T, url string) string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var h string
	if err := conn.QueryRow(context.Background(), `SELECT count(*) || md5(coalesce(string_agg(a::text, '|' ORDER BY id), ''))
		FROM achievements a`).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestImportAwardsCLI: `thidua import awards` reports a file's planted
// errors by line and writes nothing, dry run or not; a clean file imports
// once from CSV and again from XLSX without a change.
func TestImportAwardsCLI(t *testing.T) {
	url := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", url)
	dir := t.TempDir()
	units := filepath.Join(dir, "units.csv")
	writeCSV(t, units, unitHeader, [][]string{
		{"876", "UBND huyện Cao Lãnh", "", "huyện", "", "01/01/2010", "01/07/2025"},
		{"29995", "UBND thị trấn Mỹ Thọ", "", "thị trấn", "876", "01/01/2010", "01/07/2025"},
	})
	if out, err := runCmd(t, "import", "units", units); err != nil {
		t.Fatalf("units: %v\n%s", err, out)
	}
	header := []string{"ma_don_vi", "ma_can_bo", "nam", "hinh_thuc", "so_quyet_dinh", "ngay_quyet_dinh", "co_quan", "chuyen_de", "ghi_chu"}
	clean := [][]string{
		{"29995", "", "2023", "Tập thể lao động tiên tiến", "1045/QĐ-UBND", "15/01/2024", "Chủ tịch UBND huyện Cao Lãnh", "", ""},
		{"29995", "", "2024", "Tập thể lao động tiên tiến", "76/QĐ-UBND", "16/01/2025", "Chủ tịch UBND huyện Cao Lãnh", "", ""},
	}
	bad := append(append([][]string{}, clean...),
		[]string{"29995", "", "2026", "Giấy khen", "9/QĐ", "", "", "", ""}, // line 4: the town ended in 2025
		[]string{"", "", "2024", "Giấy khen", "10/QĐ", "", "", "", ""},     // line 5: no subject
		[]string{"29995", "", "2024", "", "11/QĐ", "", "", "", ""})         // line 6: no award
	badPath := filepath.Join(dir, "bad.csv")
	writeCSV(t, badPath, header, bad)
	empty := awardsHash(t, url)
	for _, args := range [][]string{{"import", "awards", "--dry-run", badPath}, {"import", "awards", badPath}} {
		out, err := runCmd(t, args...)
		if err == nil {
			t.Errorf("%v: no failure", args)
		}
		for _, line := range []string{
			"Dòng 4, cột ma_don_vi: Đơn vị mã 29995 (2026) không tồn tại",
			"Dòng 5, cột ma_don_vi: Cần mã đơn vị hoặc mã cán bộ.",
			"Dòng 6, cột hinh_thuc: Trường này là bắt buộc.",
			"5 rows, 3 problems",
		} {
			if !strings.Contains(out, line) {
				t.Errorf("%v: no %q in\n%s", args, line, out)
			}
		}
		if awardsHash(t, url) != empty {
			t.Fatalf("%v wrote awards", args)
		}
	}
	csvPath, xlsxPath := filepath.Join(dir, "awards.csv"), filepath.Join(dir, "awards.xlsx")
	writeCSV(t, csvPath, header, clean)
	writeXLSX(t, xlsxPath, header, clean)
	out, err := runCmd(t, "import", "awards", csvPath)
	if err != nil || !strings.Contains(out, "import: 2 rows, 0 problems; 2 new, 0 changed, 0 unchanged") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	once := awardsHash(t, url)
	out, err = runCmd(t, "import", "awards", xlsxPath)
	if err != nil || !strings.Contains(out, "import: 2 rows, 0 problems; 0 new, 0 changed, 2 unchanged") {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	if awardsHash(t, url) != once {
		t.Error("the second import changed the history")
	}
}
