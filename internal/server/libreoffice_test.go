package server

import (
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
)

// libreOffice finds LibreOffice for a test. `make test` installs it and
// sets THIDUA_NEED_LIBREOFFICE, so there the test never skips.
func libreOffice(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("libreoffice")
	if err != nil {
		if os.Getenv("THIDUA_NEED_LIBREOFFICE") != "" {
			t.Fatal("LibreOffice is needed for this test: apt-get install -y libreoffice-calc-nogui")
		}
		t.Skip("libreoffice is not on PATH (make test installs it)")
	}
	return path
}

// convertToCSV converts every sheet of XLSX files to CSV with one run of
// LibreOffice, as an official would open them (numbers as shown, en-US:
// decimal point), and returns the rows of each sheet by file base name and
// sheet name.
func convertToCSV(t *testing.T, lo string, xlsx ...string) map[string]map[string][][]string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "csv")
	// Filter options: comma, double quote, UTF-8, from line 1, default cell
	// formats, language en-US, …, save cell contents as shown, every sheet.
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1", "--outdir", out}
	cmd := exec.Command(lo, append(args, xlsx...)...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, msg)
	}
	files := map[string]map[string][][]string{}
	for _, x := range xlsx {
		base := strings.TrimSuffix(filepath.Base(x), ".xlsx")
		files[base] = readSheets(t, out, base)
	}
	return files
}

func readSheets(t *testing.T, out, base string) map[string][][]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, base+"-*.csv"))
	sheets := map[string][][]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\xef\xbb\xbf"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := strings.TrimPrefix(strings.TrimSuffix(filepath.Base(f), ".csv"), base+"-")
		sheets[name] = rows
	}
	return sheets
}

// pageNumber reads a number as a page shows it ("61,37").
func pageNumber(t *testing.T, s string) float64 {
	t.Helper()
	p, ok := domain.ParsePoints(strings.TrimSpace(s))
	if !ok {
		t.Fatalf("page number %q", s)
	}
	return float64(p) / 100
}

// TestLibreOfficeTotalsMatchThePages is issue 8 acceptance 2: the XLSX
// exports, converted by LibreOffice to CSV, give numbers that sum to the
// totals on the pages.
func TestLibreOfficeTotalsMatchThePages(t *testing.T) {
	t.Parallel()
	lo := libreOffice(t)
	fx := newExportFixture(t)
	dir := t.TempDir()
	for name, url := range map[string]string{"ho-so": fx.wk.page + "/assessments.xlsx", "don-vi": "/units/export.xlsx?at=2025-07-01"} {
		if err := os.WriteFile(filepath.Join(dir, name+".xlsx"), []byte(bodyOf(fx.staff.get(url))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	converted := convertToCSV(t, lo, filepath.Join(dir, "ho-so.xlsx"), filepath.Join(dir, "don-vi.xlsx"))
	sheets := converted["ho-so"]
	forms, scores := sheets["Hồ sơ tự chấm"], sheets["Điểm từng tiêu chí"]
	if len(forms) != 2 || len(scores) < 2 {
		t.Fatalf("converted sheets: %v", sheets)
	}
	num := func(s string) float64 {
		t.Helper()
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Errorf("LibreOffice reads %q as text, not a number", s)
		}
		return v
	}
	points, applicable, total100 := num(forms[1][5]), num(forms[1][6]), num(forms[1][7])
	if !strings.Contains(forms[1][8], "/") {
		t.Errorf("submission time shown as %q, want dd/mm/yyyy hh:mm", forms[1][8])
	}
	var sum, sumMax float64
	for _, r := range scores[1:] {
		if r[7] == "có" { // not applicable
			continue
		}
		sum += num(r[5])
		sumMax += num(r[6])
	}
	two := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	if two(sum) != two(points) || two(sumMax) != two(applicable) {
		t.Errorf("scores by criterion sum to %s of %s; the forms sheet says %s of %s", two(sum), two(sumMax), two(points), two(applicable))
	}
	// The form page and the dashboard show the same totals.
	form := htmlOf(t, fx.staff.get(fx.form))
	stats := map[string]string{}
	form.Find(".stat").Each(func(_ int, s *goquery.Selection) {
		stats[strings.TrimSpace(s.Find("dt").Text())] = s.Find("dd").Text()
	})
	if got := pageNumber(t, stats["Điểm tự chấm"]); two(got) != two(sum) {
		t.Errorf("the form page shows %s points, the export sums to %s", two(got), two(sum))
	}
	if got := pageNumber(t, stats["Điểm tối đa áp dụng"]); two(got) != two(sumMax) {
		t.Errorf("the form page shows %s applicable, the export sums to %s", two(got), two(sumMax))
	}
	dash := htmlOf(t, fx.staff.get(fx.wk.page+"/assessments"))
	if got := pageNumber(t, dash.Find("table.dashboard tbody tr td.num").First().Text()); two(got) != two(total100) {
		t.Errorf("the dashboard shows %s, the export %s", two(got), two(total100))
	}
	if two(total100) != two(float64(int64(sum/sumMax*10000+0.5))/100) {
		t.Errorf("converted %s is not %s ÷ %s × 100", two(total100), two(sum), two(sumMax))
	}

	// Units: the dates LibreOffice shows are the days of the registry.
	found := false
	for _, rows := range converted["don-vi"] {
		for _, r := range rows[1:] {
			if r[0] == "TT1" {
				found = true
				if r[3] != "thị trấn" || r[5] != "01/01/2010" {
					t.Errorf("town row as LibreOffice reads it: %q", r)
				}
			}
		}
	}
	if !found {
		t.Errorf("the town is missing from the converted units: %v", converted["don-vi"])
	}
}
