package tabular

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// TestCSVCells: decimal point, ISO dates in Vietnam's zone, a byte-order
// mark, and the formula guard on text only.
func TestCSVCells(t *testing.T) {
	var b bytes.Buffer
	w, err := NewCSV(&b)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 31, 18, 30, 0, 0, time.UTC) // 01:30 on 1 April in Vietnam
	_ = w.Header("a", "b")
	_ = w.Row(Hundredths(7989), Hundredths(8000), Hundredths(-25), Hundredths(1250), 42, Date(at), DateTime(at), nil, "=1+1", "-5")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "\xef\xbb\xbfa,b\n79.89,80,-0.25,12.5,42,2026-03-31,2026-04-01T01:30:00+07:00,,'=1+1,'-5\n"
	if b.String() != want {
		t.Errorf("CSV:\n%q\nwant\n%q", b.String(), want)
	}
	if err := w.Row(struct{}{}); err == nil {
		t.Error("an unknown cell type was written")
	}
}

// TestXLSXReadsBack: what the writer types, a reader of the file finds.
func TestXLSXReadsBack(t *testing.T) {
	var b bytes.Buffer
	w, err := NewXLSX(&b, "Điểm: từng/tiêu chí [2026] rất dài quá mức")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 31, 18, 30, 0, 0, time.UTC)
	_ = w.Header("chữ", "điểm", "ngày", "lúc", "số")
	_ = w.Row("Xã A", Hundredths(7989), Date(at), DateTime(at), 3)
	if err := w.NextSheet("Hai"); err != nil {
		t.Fatal(err)
	}
	_ = w.Header("x")
	_ = w.Row(1)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "Điểm- từng-tiêu chí -2026- rất " || sheets[1] != "Hai" {
		t.Errorf("sheets %q", sheets)
	}
	s := sheets[0]
	for cell, want := range map[string]string{"A2": "Xã A", "B2": "79.89", "C2": "46112", "D2": "46113.0625", "E2": "3"} {
		if got, _ := f.GetCellValue(s, cell, excelize.Options{RawCellValue: true}); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	for cell, want := range map[string]string{"B2": "79.89", "C2": "31/03/2026", "D2": "01/04/2026 01:30"} {
		if got, _ := f.GetCellValue(s, cell); got != want {
			t.Errorf("%s shown as %q, want %q", cell, got, want)
		}
	}
	if panes, _ := f.GetPanes("Hai"); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("second sheet header not frozen: %+v", panes)
	}
}

// bombXLSX is a valid workbook whose sheet is n bytes of highly
// compressible XML: a few kilobytes on disk.
func bombXLSX(t *testing.T, n int) string {
	t.Helper()
	f := excelize.NewFile()
	_ = f.SetCellValue("Sheet1", "A1", "ma")
	var small bytes.Buffer
	if err := f.Write(&small); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(small.Bytes()), int64(small.Len()))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bom.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for _, e := range zr.File {
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if e.Name == "xl/worksheets/sheet1.xml" {
			head := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`
			tail := `</t></is></c></row></sheetData></worksheet>`
			_, _ = io.WriteString(w, head)
			chunk := strings.Repeat("A", 64<<10)
			for written := 0; written < n; written += len(chunk) {
				_, _ = io.WriteString(w, chunk)
			}
			_, _ = io.WriteString(w, tail)
			continue
		}
		rc, _ := e.Open()
		_, _ = io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestXLSXBombRefused is issue 8 point 29: an XLSX that would unpack far
// beyond its size is refused by the evidence check's limits before
// excelize unpacks anything; an ordinary workbook still opens.
func TestXLSXBombRefused(t *testing.T) {
	path := bombXLSX(t, 16<<20)
	fi, _ := os.Stat(path)
	if fi.Size() > 100<<10 {
		t.Fatalf("the test bomb is %d bytes on disk", fi.Size())
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // excelize unpacks large sheets there
	r, err := Open(path)
	if err == nil {
		r.Close()
	}
	if !errors.Is(err, ErrUnpackTooLarge) {
		t.Fatalf("a %d-byte file unpacking to 16 MiB opened: %v", fi.Size(), err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files written: %d", len(left))
	}

	// An ordinary workbook of 5,000 rows opens.
	ok := filepath.Join(t.TempDir(), "ok.xlsx")
	of, _ := os.Create(ok)
	w, _ := NewXLSX(of, "don-vi")
	_ = w.Header("ma", "ten", "hieu_luc_tu")
	for i := range 5000 {
		_ = w.Row(fmt.Sprintf("U%05d", i), fmt.Sprintf("Ủy ban nhân dân xã Thử Nghiệm %d", i), Date(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	of.Close()
	r, err = Open(ok)
	if err != nil {
		t.Fatalf("ordinary workbook: %v", err)
	}
	r.Close()
}

// TestCharsetSniffing: a UTF-8 file whose first accented letter straddles
// the read buffer is UTF-8; a Windows-1258 file is decoded and composed.
func TestCharsetSniffing(t *testing.T) {
	utf := "ma,ten\n" + strings.Repeat("x", 64<<10-8) + ",Nguyễn\n"
	header, rows, _, _ := readAll(t, utf)
	if header[0] != "ma" || rows[0][1] != "Nguyễn" {
		t.Errorf("UTF-8 across the buffer: %q", rows)
	}
	// "Nguyễn": ê (0xEA) then the combining tilde (0xDE).
	cp := []byte("ma,ten\n1,Nguy\xea\xden\n")
	if _, ok := charmap.Windows1258.EncodeRune('ê'); !ok {
		t.Fatal("ê")
	}
	path := filepath.Join(t.TempDir(), "cp.csv")
	_ = os.WriteFile(path, cp, 0o644)
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	row, err := r.Next()
	if err != nil || row[1] != "Nguyễn" || Charset(r) != Windows1258 {
		t.Errorf("Windows-1258 row %q (%v), charset %q", row, err, Charset(r))
	}
}
