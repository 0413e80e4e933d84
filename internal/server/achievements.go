package server

import (
	"net/http"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/imports"
	"thidua/internal/paths"
	"thidua/web"
)

// The past-awards import shares the import pages and jobs of the registry.
func init() { importLayouts["awards"] = imports.AwardColumns }

// historyAwards turns an achievement history into its rows.
func historyAwards(list []domain.Achievement) []web.HistoryAward {
	var out []web.HistoryAward
	for _, a := range list {
		row := web.HistoryAward{Year: a.Year, Title: a.Title, Decision: a.DecisionNumber, Issuer: a.Issuer, Thematic: a.Thematic,
			SourceKey: "history.source." + a.Source, Via: a.Via}
		if a.DecisionDate != nil {
			row.DecisionDate = i18n.Day(*a.DecisionDate)
		}
		out = append(out, row)
	}
	return out
}

// unitAchievements shows a unit's achievement history: its awards and its
// published campaign results, with those of the units it came from
// (a commune merged in 2025 is seen from the commune it merged into).
func (s *Server) unitAchievements(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.unitParam(r)
	if err != nil {
		return err
	}
	awards, err := s.db.AchievementsOf(ctx, domain.Subject{UnitID: u.ID})
	if err != nil {
		return err
	}
	results, err := s.db.ResultsOf(ctx, u.ID)
	if err != nil {
		return err
	}
	preds, _, err := s.db.Lineage(ctx, u.ID)
	if err != nil {
		return err
	}
	user := userFrom(ctx)
	v := web.HistoryView{SubjectName: u.Name, SubjectHref: paths.Unit(u.ID), IsUnit: true, Awards: historyAwards(awards),
		CanImport: domain.CanImportAwards(user)}
	for _, p := range preds {
		if p.Kind == domain.EventMerge || p.Kind == domain.EventSplit {
			v.Preds = append(v.Preds, web.LinkItem{Href: paths.UnitAchievements(p.UnitID), Text: p.UnitName})
		}
	}
	staffView := domain.HasRole(user, domain.RoleStaff, domain.RoleLeader)
	for _, x := range results {
		href := paths.PublicResults(x.CampaignID)
		if staffView {
			href = paths.Results(x.CampaignID)
		}
		v.Results = append(v.Results, web.HistoryResult{Campaign: x.CampaignTitle, CampaignHref: href, Thematic: x.Thematic, Year: x.Year,
			Phase: x.PhaseName, Group: x.SetName, Rank: x.Rank, Of: x.Of, BandKey: "band." + x.Band, Band: x.Band,
			Final: x.Final.String(), UnitName: x.UnitName, Via: x.Via})
	}
	s.render(w, r, http.StatusOK, web.History(s.chrome(r, i18n.T(ctx, "history.title")+": "+u.Name), v))
	return nil
}

// personAchievements shows a person's achievement history, to those who
// may see the person.
func (s *Server) personAchievements(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.personParam(r)
	if err != nil {
		return err
	}
	awards, err := s.db.AchievementsOf(ctx, domain.Subject{PersonID: p.ID})
	if err != nil {
		return err
	}
	v := web.HistoryView{SubjectName: p.FullName, SubjectHref: paths.Person(p.ID), Awards: historyAwards(awards),
		CanImport: domain.CanImportAwards(userFrom(ctx))}
	s.render(w, r, http.StatusOK, web.History(s.chrome(r, i18n.T(ctx, "history.title")+": "+p.FullName), v))
	return nil
}

// awardRecords is the staff page of the recorded awards: the latest ones,
// and the way to import past awards.
func (s *Server) awardRecords(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, total, err := s.db.RecentAchievements(ctx, 100)
	if err != nil {
		return err
	}
	v := web.AwardRecordsView{Total: total}
	for _, a := range list {
		v.Items = append(v.Items, web.AwardRecordItem{Year: a.Year, Title: a.Title, Decision: a.DecisionNumber, SubjectName: a.SubjectName,
			SubjectHref: paths.SubjectAchievements(a.Subject.UnitID, a.Subject.PersonID), SourceKey: "history.source." + a.Source})
	}
	s.render(w, r, http.StatusOK, web.AwardRecords(s.chrome(r, i18n.T(ctx, "awards.title")), v))
	return nil
}
