package server

import (
	"net/http"
	"strconv"
	"time"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/imports"
	"thidua/internal/postgres"
	"thidua/internal/tabular"
)

// newTable starts a download of format ("csv" or "xlsx") named base: CSV
// for machines, XLSX for people (see tabular.Writer). The XLSX's first sheet
// is named sheet.
func newTable(w http.ResponseWriter, format, base, sheet string) (tabular.Writer, error) {
	if format == "xlsx" {
		attachment(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", base+".xlsx")
		return tabular.NewXLSX(w, sheet)
	}
	attachment(w, "text/csv; charset=utf-8", base+".csv")
	return tabular.NewCSV(w)
}

func header(cols []imports.Column) []string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.Name
	}
	return h
}

// importTemplate serves the empty layout of an import, with example rows
// typed as the exports type them.
func (s *Server) importTemplate(kind, format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		layout, rows, err := imports.Template(kind)
		if err != nil {
			return err
		}
		t, err := newTable(w, format, "mau-nhap-"+kind, "mau-nhap-"+kind)
		if err != nil {
			return err
		}
		if err := t.Header(header(layout)...); err != nil {
			return err
		}
		for _, row := range rows {
			if err := t.Row(row...); err != nil {
				return err
			}
		}
		return t.Close()
	}
}

// exportUnits downloads the units in force on a date in the import layout,
// parents first, so the file imports back as it is.
func (s *Server) exportUnits(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		day, err := s.dayParam(r)
		if err != nil {
			return err
		}
		base := "don-vi-" + day.Format("2006-01-02")
		t, err := newTable(w, format, base, base)
		if err != nil {
			return err
		}
		if err := t.Header(header(imports.UnitColumns)...); err != nil {
			return err
		}
		err = s.db.UnitsForExport(r.Context(), day, func(u postgres.Unit, parentCode string) error {
			return t.Row(u.Code, u.Name, u.ShortName, u.Kind.Word(), parentCode, tabular.Date(u.ValidFrom), tabular.DateOf(u.ValidTo))
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
		base := "can-bo-" + day.Format("2006-01-02")
		t, err := newTable(w, format, base, base)
		if err != nil {
			return err
		}
		if err := t.Header(header(imports.PersonColumns)...); err != nil {
			return err
		}
		err = s.db.PeopleForExport(r.Context(), day, func(p domain.Person, unitCode string, from time.Time) error {
			gender := map[string]string{"male": "Nam", "female": "Nữ"}[p.Gender]
			var year any
			if p.BirthYear != nil {
				year = *p.BirthYear
			}
			return t.Row(p.Code, p.FullName, gender, year, p.Position, p.Category.Word(), unitCode, tabular.Date(from))
		})
		if err != nil {
			return err
		}
		return t.Close()
	}
}

// exportAssessments downloads the status table of a campaign's forms, one
// row per form with its unit's code and totals; the XLSX has a second
// sheet with one row per form and criterion (the CSV of that sheet is
// exportAssessmentScores). Both stream from the database.
func (s *Server) exportAssessments(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		c := campaignOf(r)
		tr := func(k string) string { return i18n.T(ctx, k) }
		t, err := newTable(w, format, "ho-so-tu-cham-"+strconv.FormatInt(c.ID, 10), tr("export.sheet.forms"))
		if err != nil {
			return err
		}
		if err := t.Header(tr("export.col.unit_code"), tr("users.col.unit"), tr("phase.name"), tr("campaigns.col.status"), tr("assessment.scored"),
			tr("assessment.total"), tr("assessment.applicable_max"), tr("assessment.converted"), tr("assessment.submitted_at"), tr("assessment.late.column")); err != nil {
			return err
		}
		day := s.today()
		err = s.db.AssessmentsForExport(ctx, c.ID, func(a *domain.Assessment, unitCode string) error {
			late := ""
			if a.Late(day) {
				late = tr("assessment.late")
			}
			return t.Row(unitCode, a.UnitName, a.PhaseName, tr("assessment.status."+string(a.Status)), a.Scored,
				tabular.Hundredths(a.Points), tabular.Hundredths(a.ApplicableMax), tabular.Hundredths(a.Converted),
				tabular.DateTimeOf(a.SubmittedAt), late)
		})
		if err != nil {
			return err
		}
		if x, ok := t.(*tabular.XLSXWriter); ok {
			if err := x.NextSheet(tr("export.sheet.scores")); err != nil {
				return err
			}
			if err := s.writeScores(r, c.ID, x); err != nil {
				return err
			}
		}
		return t.Close()
	}
}

// exportAssessmentScores downloads, as CSV, one row per form and scorable
// criterion: the second sheet of the XLSX export.
func (s *Server) exportAssessmentScores(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	t, err := newTable(w, "csv", "diem-tieu-chi-"+strconv.FormatInt(c.ID, 10), "")
	if err != nil {
		return err
	}
	if err := s.writeScores(r, c.ID, t); err != nil {
		return err
	}
	return t.Close()
}

// writeScores writes the per-criterion table of a campaign's forms.
func (s *Server) writeScores(r *http.Request, campaignID int64, t tabular.Writer) error {
	ctx := r.Context()
	tr := func(k string) string { return i18n.T(ctx, k) }
	if err := t.Header(tr("export.col.unit_code"), tr("users.col.unit"), tr("phase.name"), tr("export.col.criterion_code"), tr("export.col.criterion"),
		tr("export.col.self_score"), tr("export.col.max"), tr("export.col.na"), tr("export.col.explanation"), tr("export.col.evidence")); err != nil {
		return err
	}
	yes := func(b bool) string {
		if b {
			return tr("export.yes")
		}
		return tr("export.no")
	}
	return s.db.ScoresForExport(ctx, campaignID, func(x *postgres.ScoreExportRow) error {
		var points any
		if x.Points != nil {
			points = tabular.Hundredths(*x.Points)
		}
		return t.Row(x.UnitCode, x.UnitName, x.PhaseName, x.Code, x.Title, points, tabular.Hundredths(x.Max), yes(x.NA), yes(x.HasExplanation), x.Evidence)
	})
}
