package server

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"thidua/internal/domain"
	"thidua/internal/imports"
	"thidua/internal/postgres"
)

// tableWriter writes rows to CSV or XLSX.
type tableWriter interface {
	Write(row []string) error
	Close() error
}

type csvTable struct{ w *csv.Writer }

// Write writes a row; a cell that a spreadsheet would run as a formula
// (starting with = + - @, or a tab or carriage return) is prefixed with an
// apostrophe, so opening an export never runs what someone typed.
func (t csvTable) Write(row []string) error {
	for i, v := range row {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			row[i] = "'" + v
		}
	}
	return t.w.Write(row)
}
func (t csvTable) Close() error { t.w.Flush(); return t.w.Error() }

// xlsxTable streams rows into a sheet; excelize keeps them in a temporary
// file, not in memory, and the workbook is written out at the end.
type xlsxTable struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
	w   http.ResponseWriter
}

func (t *xlsxTable) Write(row []string) error {
	t.row++
	cells := make([]any, len(row))
	for i, v := range row {
		cells[i] = v
	}
	cell, _ := excelize.CoordinatesToCellName(1, t.row)
	return t.sw.SetRow(cell, cells)
}

func (t *xlsxTable) Close() error {
	defer t.f.Close()
	if err := t.sw.Flush(); err != nil {
		return err
	}
	_, err := t.f.WriteTo(t.w)
	return err
}

// newTable starts a download of format ("csv" or "xlsx") named base.
func newTable(w http.ResponseWriter, format, base string) (tableWriter, error) {
	if format == "xlsx" {
		attachment(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", base+".xlsx")
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			return nil, err
		}
		return &xlsxTable{f: f, sw: sw, w: w}, nil
	}
	attachment(w, "text/csv; charset=utf-8", base+".csv")
	// A byte-order mark lets Excel open the UTF-8 file with its accents.
	_, _ = w.Write([]byte("\xef\xbb\xbf"))
	return csvTable{csv.NewWriter(w)}, nil
}

func header(cols []imports.Column) []string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.Name
	}
	return h
}

// importTemplate serves the empty layout of an import, with an example row.
func (s *Server) importTemplate(kind, format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sample, err := imports.TemplateCSV(kind)
		if err != nil {
			return err
		}
		rows, err := csv.NewReader(strings.NewReader(sample)).ReadAll()
		if err != nil {
			return err
		}
		t, err := newTable(w, format, "mau-nhap-"+kind)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if err := t.Write(row); err != nil {
				return err
			}
		}
		return t.Close()
	}
}

func dayCell(d *time.Time) string {
	if d == nil {
		return ""
	}
	return d.Format("02/01/2006")
}

// exportUnits downloads the units in force on a date in the import layout,
// parents first, so the file imports back as it is.
func (s *Server) exportUnits(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		day, err := s.dayParam(r)
		if err != nil {
			return err
		}
		t, err := newTable(w, format, "don-vi-"+day.Format("2006-01-02"))
		if err != nil {
			return err
		}
		if err := t.Write(header(imports.UnitColumns)); err != nil {
			return err
		}
		err = s.db.UnitsForExport(r.Context(), day, func(u postgres.Unit, parentCode string) error {
			from := u.ValidFrom
			return t.Write([]string{u.Code, u.Name, u.ShortName, string(u.Kind), parentCode, dayCell(&from), dayCell(u.ValidTo)})
		})
		if err != nil {
			return err
		}
		return t.Close()
	}
}

// exportPeople downloads the people (staff only) with their unit on a date.
func (s *Server) exportPeople(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		day, err := s.dayParam(r)
		if err != nil {
			return err
		}
		t, err := newTable(w, format, "can-bo-"+day.Format("2006-01-02"))
		if err != nil {
			return err
		}
		if err := t.Write(header(imports.PersonColumns)); err != nil {
			return err
		}
		err = s.db.PeopleForExport(r.Context(), day, func(p domain.Person, unitCode string, from time.Time) error {
			gender := map[string]string{"male": "Nam", "female": "Nữ"}[p.Gender]
			year := ""
			if p.BirthYear != nil {
				year = strconv.Itoa(*p.BirthYear)
			}
			return t.Write([]string{p.Code, p.FullName, gender, year, p.Position, string(p.Category), unitCode, dayCell(&from)})
		})
		if err != nil {
			return err
		}
		return t.Close()
	}
}
