package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

const unitPageSize = 50

// today is the Vietnamese calendar day by the server clock.
func (s *Server) today() time.Time { return domain.DateOf(s.db.Now()) }

// dayParam reads the "as of" date (yyyy-mm-dd from a date input, or
// dd/mm/yyyy), defaulting to today.
func (s *Server) dayParam(r *http.Request) (time.Time, error) {
	v := strings.TrimSpace(r.URL.Query().Get("at"))
	if v == "" {
		return s.today(), nil
	}
	if d, ok := domain.ParseDate(v); ok {
		return d, nil
	}
	return time.Time{}, domain.Errorf(domain.EINVALID, "date.out_of_range")
}

func kindOptions(ctx context.Context, selected string) []web.Option {
	opts := make([]web.Option, 0, len(domain.UnitKinds))
	for _, k := range domain.UnitKinds {
		opts = append(opts, web.Option{Value: string(k), Label: i18n.T(ctx, kindKey(k)), Selected: string(k) == selected})
	}
	return opts
}

func validity(from time.Time, to *time.Time, ctx context.Context) string {
	s := i18n.Day(from) + " – "
	if to != nil {
		return s + i18n.Day(*to)
	}
	return s + i18n.T(ctx, "units.now")
}

// listUnits shows the tree as of a date, or the results of a search.
func (s *Server) listUnits(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	day, err := s.dayParam(r)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if domain.RuneLen(q) > 200 {
		return domain.Errorf(domain.EINVALID, "field.too_long")
	}
	v := web.UnitsView{At: isoDay(day), AtLabel: i18n.Day(day), Query: q, CanEdit: domain.CanEditRegistry(userFrom(ctx))}
	if q != "" {
		page := pageParam(r)
		res, err := s.db.SearchUnits(ctx, q, unitPageSize, (page-1)*unitPageSize)
		if err != nil {
			return err
		}
		v.Searched, v.Total = true, res.Total
		for _, u := range res.Units {
			v.Results = append(v.Results, web.UnitListRow{ID: u.ID, Name: u.Name, Code: u.Code, KindKey: kindKey(u.Kind),
				Validity: validity(u.ValidFrom, u.ValidTo, ctx), Ended: u.ValidTo != nil && !u.ValidTo.After(s.today())})
		}
		v.Pager = pager(r, page, res.Total, unitPageSize)
	} else {
		units, err := s.db.UnitsOn(ctx, day)
		if err != nil {
			return err
		}
		v.Roots, v.InForce = buildTree(units), len(units)
	}
	s.render(w, r, http.StatusOK, web.Units(s.chrome(r, i18n.T(ctx, "units.title")), v))
	return nil
}

// buildTree nests units under their parents; units whose parent is not in
// force that day are roots. Roots and their children start open.
func buildTree(units []postgres.Unit) []*web.TreeNode {
	nodes := make(map[int64]*web.TreeNode, len(units))
	for _, u := range units {
		nodes[u.ID] = &web.TreeNode{ID: u.ID, Name: u.Name, Code: u.Code, KindKey: kindKey(u.Kind)}
	}
	var roots []*web.TreeNode
	for _, u := range units { // already in Vietnamese name order
		n := nodes[u.ID]
		if u.ParentID != nil {
			if p, ok := nodes[*u.ParentID]; ok {
				p.Children = append(p.Children, n)
				continue
			}
		}
		n.Open = true
		roots = append(roots, n)
	}
	return roots
}

// unitParam reads {unitID} and loads the unit.
func (s *Server) unitParam(r *http.Request) (*domain.Unit, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "unitID"), 10, 64)
	if err != nil || id <= 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "unit.not_found")
	}
	return s.db.UnitByID(r.Context(), id)
}

// showUnit shows a unit as of a date.
func (s *Server) showUnit(w http.ResponseWriter, r *http.Request) error {
	u, err := s.unitParam(r)
	if err != nil {
		return err
	}
	day, err := s.dayParam(r)
	if err != nil {
		return err
	}
	return s.renderUnit(w, r, http.StatusOK, u, day, web.UnitForms{ChangeDate: isoDay(s.today()), DissolveDate: isoDay(s.today())})
}

func (s *Server) renderUnit(w http.ResponseWriter, r *http.Request, status int, u *domain.Unit, day time.Time, forms web.UnitForms) error {
	ctx := r.Context()
	user := userFrom(ctx)
	at := isoDay(day)
	href := func(id int64) string { return paths.UnitAt(id, at) }
	v := web.UnitView{
		ID: u.ID, Name: u.Name, ShortName: u.ShortName, Code: u.Code, KindKey: kindKey(u.Kind),
		ValidFrom: i18n.Day(u.ValidFrom), At: at, AtLabel: i18n.Day(day), InForceAt: u.ActiveOn(day),
		CanEdit: domain.CanEditRegistry(user), Version: u.Version, Forms: forms,
	}
	if u.ValidTo != nil {
		v.ValidTo = i18n.Day(*u.ValidTo)
	}
	// The name and parents the unit had on the day asked for.
	parent := u.ParentID
	if on, err := s.db.UnitOn(ctx, u.ID, day); err == nil {
		v.Name, v.ShortName, parent = on.Name, on.ShortName, on.ParentID
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	for depth := 0; parent != nil && depth < 20; depth++ {
		p, err := s.db.UnitOn(ctx, *parent, day)
		if err != nil {
			break
		}
		v.Breadcrumb = append([]web.LinkItem{{Href: href(p.ID), Text: p.Name}}, v.Breadcrumb...)
		parent = p.ParentID
	}
	v.StatusKey, v.StatusNote = s.unitStatus(ctx, u)
	if !v.InForceAt && v.StatusNote == "" {
		v.StatusNote = i18n.T(ctx, "units.not_in_force_at", v.AtLabel)
	}
	children, err := s.db.ChildrenOn(ctx, u.ID, day)
	if err != nil {
		return err
	}
	for _, c := range children {
		v.Children = append(v.Children, web.LinkItem{Href: href(c.ID), Text: c.Name, Note: i18n.T(ctx, kindKey(c.Kind))})
	}
	versions, err := s.db.UnitVersions(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, h := range versions {
		item := web.VersionItem{From: i18n.Day(h.ValidFrom), Name: h.Name, ParentName: h.ParentName}
		if h.ValidTo != nil {
			item.To = i18n.Day(*h.ValidTo)
		}
		if h.ParentID != nil {
			item.ParentHref = paths.UnitAt(*h.ParentID, isoDay(h.ValidFrom))
		}
		v.Versions = append(v.Versions, item)
	}
	preds, succs, err := s.db.Lineage(ctx, u.ID)
	if err != nil {
		return err
	}
	lineage := func(links []postgres.LineageLink, before bool) []web.LineageItem {
		var items []web.LineageItem
		for _, l := range links {
			d := l.Date
			if before {
				d = d.AddDate(0, 0, -1) // the old unit as it was on its last day
			}
			items = append(items, web.LineageItem{Href: paths.UnitAt(l.UnitID, isoDay(d)),
				Name: l.UnitName, Code: l.UnitCode, KindKey: "unit.event." + string(l.Kind), Date: i18n.Day(l.Date), Decision: l.Decision})
		}
		return items
	}
	v.Preds, v.Succs = lineage(preds, true), lineage(succs, false)

	if domain.CanSeePeopleOf(user, u.ID) {
		v.ShowPeople = true
		page, err := s.db.SearchPeople(ctx, postgres.PeopleFilter{UnitID: &u.ID, Day: day, Limit: 60})
		if err != nil {
			return err
		}
		v.PeopleTotal = page.Total
		for _, p := range page.People {
			v.People = append(v.People, web.LinkItem{Href: paths.Person(p.ID), Text: p.FullName, Note: p.Position})
		}
		v.PeopleHref = paths.PeopleOfUnit(u.ID, at)
		fps, err := s.db.FocalPointsOf(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, f := range fps {
			note := f.Email
			if f.Disabled() {
				note += " · " + i18n.T(ctx, "users.status.disabled")
			}
			v.FocalPoints = append(v.FocalPoints, web.LinkItem{Text: f.FullName, Note: note})
		}
	}
	if v.Forms.ChangeName == "" {
		v.Forms.ChangeName, v.Forms.ChangeShort = u.Name, u.ShortName
		if u.ParentID != nil {
			if p, err := s.db.UnitByID(ctx, *u.ParentID); err == nil {
				v.Forms.ChangeParent = p.Code
			}
		}
	}
	if v.Forms.Kind == "" {
		v.Forms.Code, v.Forms.Kind = u.Code, string(u.Kind)
	}
	v.Forms.Kinds = kindOptions(ctx, v.Forms.Kind)
	if err := s.historyOf(ctx, domain.Subject{UnitID: u.ID}, &u.ID, forms.Flag, forms.FlagLift, &v.Flags, &v.AwardCount); err != nil {
		return err
	}
	s.render(w, r, status, web.Unit(s.chrome(r, v.Name), v))
	return nil
}

// unitStatus says whether a unit is in force today, and if not, how it ended.
func (s *Server) unitStatus(ctx context.Context, u *domain.Unit) (key, note string) {
	today := s.today()
	switch {
	case u.ActiveOn(today):
		return "units.status.active", ""
	case u.ValidFrom.After(today):
		return "units.status.future", ""
	}
	kind, date, ok, err := s.db.EndingEvent(ctx, u.ID)
	if err != nil || !ok {
		return "units.status.ended", i18n.T(ctx, "units.ended_on", i18n.Day(*u.ValidTo))
	}
	_, succs, err := s.db.Lineage(ctx, u.ID)
	var into []string
	if err == nil {
		for _, l := range succs {
			if l.Date.Equal(date) {
				into = append(into, l.UnitName)
			}
		}
	}
	switch kind {
	case domain.EventMerge:
		return "units.status.merged", i18n.T(ctx, "units.merged_into", strings.Join(into, ", "), i18n.Day(date))
	case domain.EventSplit:
		return "units.status.split", i18n.T(ctx, "units.split_into", strings.Join(into, ", "), i18n.Day(date))
	}
	return "units.status.dissolved", i18n.T(ctx, "units.dissolved_on", i18n.Day(date))
}

// parentByCode resolves a parent code typed in a form, in force on day.
func (s *Server) parentByCode(ctx context.Context, code string, day time.Time) (*int64, string) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, ""
	}
	p, err := s.db.UnitByCode(ctx, code, day)
	if err != nil {
		return nil, "unit.parent.not_in_force"
	}
	return &p.ID, ""
}

// newUnitForm shows the form that registers a unit.
func (s *Server) newUnitForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := web.UnitFormView{ValidFrom: isoDay(s.today()), Kind: string(domain.KindCommune)}
	if id, err := strconv.ParseInt(r.URL.Query().Get("parent"), 10, 64); err == nil {
		if p, err := s.db.UnitByID(ctx, id); err == nil {
			v.ParentCode = p.Code
		}
	}
	v.Kinds = kindOptions(ctx, v.Kind)
	s.render(w, r, http.StatusOK, web.UnitNew(s.chrome(r, i18n.T(ctx, "units.new")), v))
	return nil
}

// createUnit registers a unit.
func (s *Server) createUnit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := web.UnitFormView{Name: r.PostFormValue("name"), ShortName: r.PostFormValue("short_name"), Code: r.PostFormValue("code"),
		Kind: r.PostFormValue("kind"), ParentCode: r.PostFormValue("parent_code"), ValidFrom: r.PostFormValue("valid_from")}
	in := domain.UnitInput{Name: v.Name, ShortName: v.ShortName, Code: v.Code, Kind: domain.UnitKind(v.Kind)}
	day, ok := domain.ParseDate(v.ValidFrom)
	if !ok {
		fieldProblem(ctx, &v.Problems, "valid_from", "date.out_of_range")
	}
	in.ValidFrom = day
	if ok {
		var msg string
		if in.ParentID, msg = s.parentByCode(ctx, v.ParentCode, day); msg != "" {
			fieldProblem(ctx, &v.Problems, "parent_code", msg)
		}
	}
	show := func(status int, p web.Problems) error {
		p.Rename("parent_id", "parent_code")
		p.Order(unitFields...)
		v.Problems, v.Kinds = p, kindOptions(ctx, v.Kind)
		s.render(w, r, status, web.UnitNew(s.chrome(r, i18n.T(ctx, "units.new")), v))
		return nil
	}
	if v.Problems.Any() {
		return show(http.StatusUnprocessableEntity, v.Problems)
	}
	id, err := s.db.CreateUnit(ctx, in)
	if err != nil {
		return refuse(ctx, err, nil, show)
	}
	s.flash(ctx, "units.flash.created")
	http.Redirect(w, r, paths.UnitAt(id, isoDay(day)), http.StatusSeeOther)
	return nil
}

// unitFields are the controls of the form that registers a unit.
var unitFields = []string{"name", "short_name", "code", "kind", "parent_code", "valid_from"}

// unitPageFields are the controls of the forms of a unit's page, top to
// bottom; the domain's field names are renamed to them by unitProblems.
var unitPageFields = []string{"change_date", "change_name", "change_short", "change_parent", "change_decision",
	"code", "kind", "dissolve_date", "dissolve_decision"}

// unitProblems puts the problems of one of a unit page's forms beside its
// controls: the forms share names (date, decision), so their ids carry a
// prefix.
func unitProblems(p web.Problems, prefix string) web.Problems {
	if prefix == "" { // the correction form: its controls are the domain's names
		p.Order(unitPageFields...)
		return p
	}
	for _, r := range [][2]string{{"date", "date"}, {"effective_date", "date"}, {"valid_from", "date"}, {"name", "name"},
		{"short_name", "short"}, {"parent_id", "parent"}, {"decision", "decision"}} {
		p.Rename(r[0], prefix+r[1])
	}
	p.Order(unitPageFields...)
	return p
}

// changeUnit renames a unit or moves it under another parent from a date:
// a move when the parent code differs from the current parent's.
func (s *Server) changeUnit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.unitParam(r)
	if err != nil {
		return err
	}
	forms := web.UnitForms{ChangeDate: r.PostFormValue("date"), ChangeName: r.PostFormValue("name"), ChangeShort: r.PostFormValue("short_name"),
		ChangeParent: strings.TrimSpace(r.PostFormValue("parent_code")), ChangeDecision: r.PostFormValue("decision"),
		DissolveDate: isoDay(s.today())}
	day, ok := domain.ParseDate(forms.ChangeDate)
	if !ok {
		fieldProblem(ctx, &forms.Problems, "change_date", "date.out_of_range")
	}
	change := postgres.UnitChange{Kind: domain.EventRename, Date: day, Name: forms.ChangeName, ShortName: forms.ChangeShort, Decision: forms.ChangeDecision}
	if ok {
		currentParent := ""
		if u.ParentID != nil {
			if p, err := s.db.UnitByID(ctx, *u.ParentID); err == nil {
				currentParent = p.Code
			}
		}
		if forms.ChangeParent != currentParent {
			change.Kind = domain.EventMove
			var msg string
			if change.ParentID, msg = s.parentByCode(ctx, forms.ChangeParent, day); msg != "" {
				fieldProblem(ctx, &forms.Problems, "change_parent", msg)
			}
		}
	}
	if forms.Problems.Any() {
		forms.Problems.Order(unitPageFields...)
		return s.renderUnit(w, r, http.StatusUnprocessableEntity, u, s.today(), forms)
	}
	if err := s.db.ChangeUnit(ctx, u.ID, change); err != nil {
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			forms.Problems = unitProblems(p, "change_")
			return s.renderUnit(w, r, status, u, s.today(), forms)
		})
	}
	s.flash(ctx, "units.flash."+string(change.Kind))
	http.Redirect(w, r, paths.UnitAt(u.ID, isoDay(day)), http.StatusSeeOther)
	return nil
}

// correctUnit corrects a unit's code and kind (not history: no date).
func (s *Server) correctUnit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.unitParam(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	forms := web.UnitForms{ChangeDate: isoDay(s.today()), DissolveDate: isoDay(s.today()), Code: strings.TrimSpace(r.PostFormValue("code")),
		Kind: r.PostFormValue("kind")}
	err = s.db.UpdateUnit(ctx, u.ID, postgres.UnitUpdate{Code: forms.Code, Kind: domain.UnitKind(forms.Kind), Version: version})
	if err != nil {
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			if status == http.StatusConflict {
				if fresh, ferr := s.db.UnitByID(ctx, u.ID); ferr == nil {
					u = fresh // the form now carries the current version
				}
			}
			forms.Problems = unitProblems(p, "")
			return s.renderUnit(w, r, status, u, s.today(), forms)
		})
	}
	s.flash(ctx, "users.flash.saved")
	http.Redirect(w, r, paths.Unit(u.ID), http.StatusSeeOther)
	return nil
}

// dissolveUnit ends a unit without successor.
func (s *Server) dissolveUnit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.unitParam(r)
	if err != nil {
		return err
	}
	forms := web.UnitForms{ChangeDate: isoDay(s.today()), DissolveDate: r.PostFormValue("date")}
	day, ok := domain.ParseDate(forms.DissolveDate)
	if !ok {
		fieldProblem(ctx, &forms.Problems, "dissolve_date", "date.out_of_range")
		return s.renderUnit(w, r, http.StatusUnprocessableEntity, u, s.today(), forms)
	}
	if err := s.db.DissolveUnit(ctx, u.ID, day, r.PostFormValue("decision")); err != nil {
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			forms.Problems = unitProblems(p, "dissolve_")
			return s.renderUnit(w, r, status, u, s.today(), forms)
		})
	}
	s.flash(ctx, "units.flash.dissolved")
	http.Redirect(w, r, paths.UnitAt(u.ID, isoDay(day.AddDate(0, 0, -1))), http.StatusSeeOther)
	return nil
}

// reorganizeForm shows the merge / split form, optionally with sources.
func (s *Server) reorganizeForm(w http.ResponseWriter, r *http.Request) error {
	v := web.ReorgView{Kind: "merge", Date: isoDay(s.today()), Sources: strings.ReplaceAll(r.URL.Query().Get("sources"), ",", "\n")}
	s.renderReorg(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) renderReorg(w http.ResponseWriter, r *http.Request, status int, v web.ReorgView) {
	ctx := r.Context()
	for len(v.Targets) < 5 {
		v.Targets = append(v.Targets, web.NewUnitRow{Kind: string(domain.KindCommune)})
	}
	v.Kinds = kindOptions(ctx, "")
	v.Problems.Rename("effective_date", "date")
	v.Problems.Rename("parent_id", "parent_code")
	v.Problems.Order(reorgFields...)
	s.render(w, r, status, web.Reorganize(s.chrome(r, i18n.T(ctx, "units.reorganize")), v))
}

// reorgFields are the controls of the reorganisation form, top to bottom.
var reorgFields = []string{"kind", "date", "decision", "sources", "into", "parent_code", "targets",
	"target_name", "target_short_name", "target_code", "target_kind", "note"}

// reorganize carries out a merge or a split as one transaction.
func (s *Server) reorganize(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := web.ReorgView{Kind: r.PostFormValue("kind"), Date: r.PostFormValue("date"), Decision: r.PostFormValue("decision"),
		Note: r.PostFormValue("note"), Sources: r.PostFormValue("sources"), IntoCode: strings.TrimSpace(r.PostFormValue("into")),
		ParentCode: strings.TrimSpace(r.PostFormValue("parent_code"))}
	names, shorts, codes, kinds := r.PostForm["target_name"], r.PostForm["target_short"], r.PostForm["target_code"], r.PostForm["target_kind"]
	if len(names) > 20 {
		return domain.Errorf(domain.EINVALID, "field.invalid")
	}
	for i := range names {
		row := web.NewUnitRow{Name: names[i]}
		if i < len(shorts) {
			row.ShortName = shorts[i]
		}
		if i < len(codes) {
			row.Code = codes[i]
		}
		if i < len(kinds) {
			row.Kind = kinds[i]
		}
		v.Targets = append(v.Targets, row)
	}
	day, ok := domain.ParseDate(v.Date)
	if !ok {
		fieldProblem(ctx, &v.Problems, "date", "date.out_of_range")
		s.renderReorg(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	reorg := domain.Reorganisation{Kind: domain.UnitEventKind(v.Kind), EffectiveDate: day, Decision: v.Decision, Note: v.Note}
	// Sources are ended on the day, so they are looked up as of the day before.
	for _, line := range strings.FieldsFunc(v.Sources, func(r rune) bool { return r == '\n' || r == ',' || r == ';' || r == '\r' }) {
		code := strings.TrimSpace(line)
		if code == "" {
			continue
		}
		u, err := s.db.UnitByCode(ctx, code, day.AddDate(0, 0, -1))
		if err != nil {
			fieldProblem(ctx, &v.Problems, "sources", "reorg.source.unknown")
			fieldProblem(ctx, &v.Problems, "form", "reorg.source.unknown_code", code)
			break
		}
		reorg.Sources = append(reorg.Sources, u.ID)
	}
	parentID, msg := s.parentByCode(ctx, v.ParentCode, day)
	if msg != "" {
		fieldProblem(ctx, &v.Problems, "parent_code", msg)
	}
	if v.IntoCode != "" {
		into, err := s.db.UnitByCode(ctx, v.IntoCode, day)
		if err != nil {
			fieldProblem(ctx, &v.Problems, "into", "unit.parent.not_in_force")
		} else {
			reorg.Into = &into.ID
		}
	}
	for _, t := range v.Targets {
		if strings.TrimSpace(t.Name) == "" && strings.TrimSpace(t.Code) == "" {
			continue
		}
		reorg.Targets = append(reorg.Targets, domain.UnitInput{Name: t.Name, ShortName: t.ShortName, Code: t.Code,
			Kind: domain.UnitKind(t.Kind), ParentID: parentID})
	}
	if v.Problems.Any() {
		s.renderReorg(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	_, created, err := s.db.Reorganise(ctx, reorg)
	if err != nil {
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			v.Problems = p
			s.renderReorg(w, r, status, v)
			return nil
		})
	}
	s.flash(ctx, "units.flash."+v.Kind)
	http.Redirect(w, r, paths.UnitAt(created[0], isoDay(day)), http.StatusSeeOther)
	return nil
}
