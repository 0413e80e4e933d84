package tabular

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Writer writes a table row by row, never holding it whole in memory. Two
// kinds exist: CSV for machines (decimal point, ISO dates, UTF-8 with a
// byte-order mark) and XLSX for people (numbers as numbers, dates as dates
// shown dd/mm/yyyy, the header row bold and frozen).
//
// A cell is one of: string (text), int or int64 (a whole number),
// Hundredths (a number with two decimals, such as points), float64, Date,
// DateTime, or nil (an empty cell).
type Writer interface {
	// Header writes the column names; it comes first in each sheet.
	Header(names ...string) error
	// Row writes one row of cells.
	Row(cells ...any) error
	// Close finishes the file (the XLSX is written out here).
	Close() error
}

// Hundredths is a number kept in hundredths, such as points (12,5 points
// is 1250): written with two decimals.
type Hundredths int64

// Date is a calendar day; its clock is ignored.
type Date time.Time

// DateTime is a moment, written in Vietnam's time zone.
type DateTime time.Time

// DateOf is the cell of an optional day: empty when d is nil.
func DateOf(d *time.Time) any {
	if d == nil {
		return nil
	}
	return Date(*d)
}

// DateTimeOf is the cell of an optional moment: empty when t is nil.
func DateTimeOf(t *time.Time) any {
	if t == nil {
		return nil
	}
	return DateTime(*t)
}

// vietnam is the zone moments are shown in (Vietnam has kept UTC+7 without
// daylight saving since 1975, so a fixed zone is exact and needs no tzdata).
var vietnam = time.FixedZone("ICT", 7*3600)

// ---- CSV ----

// CSVWriter writes CSV for machines.
type CSVWriter struct{ w *csv.Writer }

// NewCSV starts a CSV table on w, writing the UTF-8 byte-order mark first
// (spreadsheets then read the accents right).
func NewCSV(w io.Writer) (*CSVWriter, error) {
	if _, err := io.WriteString(w, "\xef\xbb\xbf"); err != nil {
		return nil, err
	}
	return &CSVWriter{csv.NewWriter(w)}, nil
}

// Header writes the column names.
func (c *CSVWriter) Header(names ...string) error {
	return c.Row(stringsToCells(names)...)
}

// Row writes one row. Text that a spreadsheet would run as a formula
// (starting with = + - @, or a tab or carriage return) is prefixed with an
// apostrophe, so opening an export never runs what someone typed; numbers
// and dates are written by the program and need no such guard.
func (c *CSVWriter) Row(cells ...any) error {
	rec := make([]string, len(cells))
	for i, v := range cells {
		s, err := csvCell(v)
		if err != nil {
			return err
		}
		rec[i] = s
	}
	return c.w.Write(rec)
}

// Close flushes the table.
func (c *CSVWriter) Close() error { c.w.Flush(); return c.w.Error() }

func csvCell(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x, nil
		}
		return x, nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case Hundredths:
		return x.decimal(), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case Date:
		return time.Time(x).Format("2006-01-02"), nil
	case DateTime:
		return time.Time(x).In(vietnam).Format(time.RFC3339), nil
	}
	return "", fmt.Errorf("tabular: unsupported cell %T", v)
}

// decimal writes h with a decimal point and only the decimals it needs:
// "12.5", "80", "79.89", "-0.25".
func (h Hundredths) decimal() string {
	sign := ""
	if h < 0 {
		sign, h = "-", -h
	}
	s := fmt.Sprintf("%s%d.%02d", sign, h/100, h%100)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func stringsToCells(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// ---- XLSX ----

// XLSXWriter streams rows into the sheets of a workbook: excelize keeps
// rows beyond a few megabytes in a temporary file, not in memory, and the
// workbook is written out on Close.
type XLSXWriter struct {
	out    io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	row    int
	sheets int
	styles struct{ header, decimal, date, dateTime int }
}

// NewXLSX starts a workbook whose first sheet is named sheet.
func NewXLSX(w io.Writer, sheet string) (*XLSXWriter, error) {
	f := excelize.NewFile()
	x := &XLSXWriter{out: w, f: f}
	var err error
	if x.styles.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, x.fail(err)
	}
	decimal, dmy, dmyhm := "0.00", "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
	if x.styles.decimal, err = f.NewStyle(&excelize.Style{CustomNumFmt: &decimal}); err != nil {
		return nil, x.fail(err)
	}
	if x.styles.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dmy}); err != nil {
		return nil, x.fail(err)
	}
	if x.styles.dateTime, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dmyhm}); err != nil {
		return nil, x.fail(err)
	}
	if err := f.SetSheetName("Sheet1", SheetName(sheet)); err != nil {
		return nil, x.fail(err)
	}
	if x.sw, err = f.NewStreamWriter(SheetName(sheet)); err != nil {
		return nil, x.fail(err)
	}
	x.sheets = 1
	return x, nil
}

func (x *XLSXWriter) fail(err error) error {
	_ = x.f.Close()
	return err
}

// SheetName makes s a valid sheet name: no []:*?/\ and at most 31
// characters.
func SheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	if s == "" {
		s = "Sheet1"
	}
	return s
}

// NextSheet finishes the current sheet and starts another named sheet.
func (x *XLSXWriter) NextSheet(sheet string) error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	name := SheetName(sheet)
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	x.sw, x.row = sw, 0
	x.sheets++
	return nil
}

// Header writes the column names in bold and freezes them above the rows,
// with columns wide enough for their names.
func (x *XLSXWriter) Header(names ...string) error {
	if x.row != 0 {
		return fmt.Errorf("tabular: the header must be the first row")
	}
	for i, n := range names {
		width := float64(utf8.RuneCountInString(n)) + 4
		if width < 12 {
			width = 12
		}
		if err := x.sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	cells := make([]any, len(names))
	for i, n := range names {
		cells[i] = excelize.Cell{StyleID: x.styles.header, Value: n}
	}
	return x.write(cells)
}

// Row writes one row of typed cells.
func (x *XLSXWriter) Row(cells ...any) error {
	out := make([]any, len(cells))
	for i, v := range cells {
		c, err := x.cell(v)
		if err != nil {
			return err
		}
		out[i] = c
	}
	return x.write(out)
}

func (x *XLSXWriter) write(cells []any) error {
	x.row++
	ref, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(ref, cells)
}

func (x *XLSXWriter) cell(v any) (any, error) {
	switch c := v.(type) {
	case nil:
		return nil, nil
	case string:
		return c, nil
	case int:
		return c, nil
	case int64:
		return c, nil
	case float64:
		return c, nil
	case Hundredths:
		return excelize.Cell{StyleID: x.styles.decimal, Value: float64(c) / 100}, nil
	case Date:
		d := time.Time(c)
		return excelize.Cell{StyleID: x.styles.date, Value: serial(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC))}, nil
	case DateTime:
		t := time.Time(c).In(vietnam)
		wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
		return excelize.Cell{StyleID: x.styles.dateTime, Value: serial(wall)}, nil
	}
	return nil, fmt.Errorf("tabular: unsupported cell %T", v)
}

// serial is a spreadsheet's day number of a wall-clock time (days since
// 30/12/1899, the fraction for the time of day), rounded to the second.
func serial(wall time.Time) float64 {
	d := wall.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC))
	return math.Round(d.Seconds()) / 86400
}

// Close finishes the last sheet and writes the workbook out.
func (x *XLSXWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	x.f.SetActiveSheet(0)
	_, err := x.f.WriteTo(x.out)
	return err
}
