package server

import (
	"net/http"
	"strconv"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/postgres"
	"thidua/internal/tabular"
)

// exportRanking downloads a ranking (one campaign, phase and group) with
// one row per ranked participant: rank, whether it is tied, the three
// totals, the difference, the band and the per-area subtotals, in words a
// reader understands (band names, statuses, "Không áp dụng"), never codes.
// The XLSX has a second sheet with every criterion's values (the CSV of
// that sheet is exportRankingDetail). Both stream from the database.
func (s *Server) exportRanking(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		sc, err := s.rankingScopeOf(r)
		if err != nil {
			return err
		}
		c := sc.campaign
		nodes, areas, leafArea, err := s.db.RankingAreas(ctx, sc.set.ID)
		if err != nil {
			return err
		}
		tr := func(k string, args ...any) string { return i18n.T(ctx, k, args...) }
		base := "xep-hang-" + strconv.FormatInt(c.ID, 10) + "-" + strconv.FormatInt(sc.phase.ID, 10) + "-" + strconv.FormatInt(sc.set.ID, 10)
		t, err := newTable(w, format, base, tr("ranking.sheet.ranking"))
		if err != nil {
			return err
		}
		head := []string{tr("ranking.col.rank"), tr("ranking.col.tie"), tr("export.col.unit_code"), tr("users.col.unit"), tr("phase.name"),
			tr("ranking.col.group"), tr("ranking.col.status"), tr("ranking.col.self"), tr("ranking.col.appraised"), tr("ranking.col.final"),
			tr("ranking.col.difference"), tr("ranking.col.band")}
		for _, a := range areas {
			head = append(head, tr("ranking.col.area_named", a.Code, a.Title))
		}
		if err := t.Header(head...); err != nil {
			return err
		}
		statuses, bands := statusLabels(r), bandLabels(r)
		na, yes := tr("ranking.na"), tr("export.yes")
		cells := make([]any, len(head))
		err = s.db.Ranking(ctx, c.ID, sc.phase.ID, sc.set.ID, len(areas), leafArea, func(x *postgres.RankingRow) error {
			tied := ""
			if x.Tied {
				tied = yes
			}
			cells = append(cells[:0], x.Rank, tied, x.UnitCode, x.UnitName, sc.phase.Name, sc.set.Name, statuses[x.Status],
				tabular.Hundredths(x.Self), tabular.Hundredths(x.Appraised), tabular.Hundredths(x.Final),
				tabular.Hundredths(domain.Difference(x.Self, x.Appraised)), bands[c.Bands.Classify(x.Final)])
			for _, p := range x.Areas {
				if p == nil {
					cells = append(cells, na)
				} else {
					cells = append(cells, tabular.Hundredths(*p))
				}
			}
			return t.Row(cells...)
		})
		if err != nil {
			return err
		}
		if x, ok := t.(*tabular.XLSXWriter); ok {
			if err := x.NextSheet(tr("ranking.sheet.detail")); err != nil {
				return err
			}
			if err := s.writeRankingDetail(r, sc, nodes, x); err != nil {
				return err
			}
		}
		return t.Close()
	}
}

// exportRankingDetail downloads, as CSV, one row per ranked participant
// and criterion: the second sheet of the XLSX.
func (s *Server) exportRankingDetail(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.rankingScopeOf(r)
	if err != nil {
		return err
	}
	nodes, err := s.db.Criteria(r.Context(), sc.set.ID)
	if err != nil {
		return err
	}
	base := "xep-hang-tieu-chi-" + strconv.FormatInt(sc.campaign.ID, 10) + "-" + strconv.FormatInt(sc.phase.ID, 10) + "-" + strconv.FormatInt(sc.set.ID, 10)
	t, err := newTable(w, "csv", base, "")
	if err != nil {
		return err
	}
	if err := s.writeRankingDetail(r, sc, nodes, t); err != nil {
		return err
	}
	return t.Close()
}

// writeRankingDetail writes every criterion of every ranked form: its
// maximum, the self, appraised and final values (a number, or "Không áp
// dụng"), the appraisal's comment and the reply with its decision.
func (s *Server) writeRankingDetail(r *http.Request, sc *rankingScope, nodes []domain.Criterion, t tabular.Writer) error {
	ctx := r.Context()
	tr := func(k string) string { return i18n.T(ctx, k) }
	if err := t.Header(tr("ranking.col.rank"), tr("export.col.unit_code"), tr("users.col.unit"), tr("export.col.criterion_code"), tr("export.col.criterion"),
		tr("export.col.max"), tr("ranking.col.self_value"), tr("ranking.col.appraised_value"), tr("ranking.col.final_value"),
		tr("ranking.col.comment"), tr("ranking.col.reply_text"), tr("ranking.col.decision"), tr("ranking.col.reason")); err != nil {
		return err
	}
	na := tr("ranking.na")
	decisions := map[string]string{"": "", "accepted": tr("ranking.decision.accepted"), "kept": tr("ranking.decision.kept")}
	value := func(e domain.Entry) any {
		switch {
		case e.NA:
			return na
		case e.Points == nil:
			return nil
		}
		return tabular.Hundredths(*e.Points)
	}
	cells := make([]any, 13)
	return s.db.StreamRankingDetail(ctx, sc.campaign.ID, sc.phase.ID, sc.set.ID, nodes, func(x *postgres.RankingDetailRow) error {
		v := x.Values
		cells = append(cells[:0], x.Rank, x.UnitCode, x.UnitName, x.Criterion.Code, x.Criterion.Title, tabular.Hundredths(x.Criterion.Max),
			value(v.Self), value(v.Appraised), value(v.Final), v.AppraisalComment, v.Reply, decisions[v.ReplyDecision], v.ReplyReason)
		return t.Row(cells...)
	})
}
