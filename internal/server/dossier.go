package server

import (
	"context"
	"net/http"
	"strconv"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// The council's dossier of a posted list: the proposal (tờ trình) and the
// list (danh sách: STT, name, position, unit, proposed form, grounds) of the
// nominees sent to the council, as a printable page and as an XLSX.

// dossierOf loads a notice of the route's campaign with the nominees sent
// to the council.
func (s *Server) dossierOf(r *http.Request) (*postgres.NoticeInfo, []postgres.NoticeEntry, error) {
	ctx := r.Context()
	id, err := pathID(r, "noticeID", "notice.not_found")
	if err != nil {
		return nil, nil, err
	}
	n, err := s.db.NoticeByID(ctx, campaignOf(r).ID, id)
	if err != nil {
		return nil, nil, err
	}
	entries, err := s.db.CouncilEntries(ctx, n.ID)
	if err != nil {
		return nil, nil, err
	}
	return n, entries, nil
}

// dossierRows are the lines of the list.
func dossierRows(ctx context.Context, entries []postgres.NoticeEntry) []web.DossierRow {
	rows := make([]web.DossierRow, len(entries))
	for i, e := range entries {
		grounds := entryGrounds(ctx, e)
		if e.OverrideReason != "" {
			if grounds != "" {
				grounds += ". "
			}
			grounds += i18n.T(ctx, "notices.override", e.OverrideReason)
		}
		rows[i] = web.DossierRow{STT: i + 1, Name: e.Name, Position: e.Position, Unit: e.UnitName, Form: e.FormName, Grounds: grounds}
	}
	return rows
}

// dossier shows the proposal and the list, printable.
func (s *Server) dossier(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	n, entries, err := s.dossierOf(r)
	if err != nil {
		return err
	}
	objections, err := s.db.Objections(ctx, n.ID)
	if err != nil {
		return err
	}
	v := web.DossierView{BackHref: paths.NoticeSection(c.ID, n.ID), XLSXHref: paths.DossierXLSX(c.ID, n.ID), Issuer: n.IssuerName,
		SignerName: n.SignerName, SignerPosition: n.SignerPosition, Date: i18n.T(ctx, "dossier.date", s.today().Day(), int(s.today().Month()), s.today().Year()),
		CampaignTitle: n.CampaignTitle, PlanNumber: n.PlanNumber, FormName: n.FormName, PhaseName: n.PhaseName,
		Period: noticePeriod(n.Notice), WorkingDays: n.WorkingDays, Objections: len(objections), Rows: dossierRows(ctx, entries)}
	for _, o := range objections {
		switch o.Outcome {
		case domain.ObjectionUpheld:
			v.Upheld++
		case domain.ObjectionDismissed:
			v.Dismissed++
		}
	}
	for _, e := range entries {
		if e.Target == domain.TargetIndividual {
			v.Individuals++
		} else {
			v.Collectives++
		}
	}
	s.render(w, r, http.StatusOK, web.Dossier(s.chrome(r, i18n.T(ctx, "dossier.title")+" – "+n.FormName), v))
	return nil
}

// dossierXLSX is the list as a spreadsheet: one row per nominee, STT a
// number, the header bold and frozen.
func (s *Server) dossierXLSX(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	n, entries, err := s.dossierOf(r)
	if err != nil {
		return err
	}
	tr := func(k string, args ...any) string { return i18n.T(ctx, k, args...) }
	t, err := newTable(w, "xlsx", "danh-sach-de-nghi-"+strconv.FormatInt(n.CampaignID, 10)+"-"+strconv.FormatInt(n.ID, 10), tr("dossier.sheet"))
	if err != nil {
		return err
	}
	if err := t.Header(tr("dossier.col.stt"), tr("dossier.col.name"), tr("dossier.col.position"), tr("dossier.col.unit"),
		tr("dossier.col.form"), tr("dossier.col.grounds")); err != nil {
		return err
	}
	for _, row := range dossierRows(ctx, entries) {
		if err := t.Row(row.STT, row.Name, row.Position, row.Unit, row.Form, row.Grounds); err != nil {
			return err
		}
	}
	return t.Close()
}
