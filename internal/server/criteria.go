package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/postgres"
	"thidua/internal/tabular"
	"thidua/web"
)

func methodOptions(ctx context.Context) []web.Option {
	var opts []web.Option
	for _, m := range domain.Methods {
		opts = append(opts, web.Option{Value: string(m), Label: i18n.T(ctx, "method."+string(m))})
	}
	return opts
}

// setParam loads {setID} and checks it belongs to the campaign in the URL.
func (s *Server) setParam(r *http.Request, c *domain.Campaign) (*postgres.CriteriaSet, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "setID"), 10, 64)
	if err != nil || id <= 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "criteria.set.not_found")
	}
	set, err := s.db.CriteriaSetByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if set.CampaignID != c.ID {
		return nil, domain.Errorf(domain.ENOTFOUND, "criteria.set.not_found")
	}
	return set, nil
}

// setView builds one set of the editor.
func (s *Server) setView(ctx context.Context, set postgres.CriteriaSet, form web.CriterionForm) (web.CriteriaSetView, error) {
	nodes, err := s.db.Criteria(ctx, set.ID)
	if err != nil {
		return web.CriteriaSetView{}, err
	}
	measures, err := s.db.Measures(ctx)
	if err != nil {
		return web.CriteriaSetView{}, err
	}
	v := web.CriteriaSetView{ID: set.ID, Name: set.Name, Targets: targetsLabel(ctx, set), Total: domain.TreeTotal(nodes).String(),
		Frozen: set.Frozen, Version: set.Version, Form: form, Methods: methodOptions(ctx), Measures: measureOptions(measures)}
	depth := map[int64]int{}
	parents := map[int64]bool{}
	for _, n := range nodes {
		if n.ParentID != nil {
			parents[*n.ParentID] = true
		}
	}
	for _, n := range nodes {
		d := 0
		if n.ParentID != nil {
			d = depth[*n.ParentID] + 1
		}
		depth[n.ID] = d
		method := describeMethod(ctx, n)
		leaf := !parents[n.ID]
		if !leaf {
			method = i18n.T(ctx, "criteria.sum_of_children")
		} else if link := measureLink(ctx, measures, n); link != "" {
			method += " " + link
		}
		v.Rows = append(v.Rows, web.CriterionRow{ID: n.ID, Depth: d, Code: n.Code, Title: n.Title, Max: n.Max.String(), Method: method,
			Evidence: n.EvidenceRequired && leaf, NA: n.AllowNA && leaf, Leaf: leaf})
		v.Parents = append(v.Parents, web.Option{Value: n.Code, Label: n.Code + " " + n.Title})
	}
	tr := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
	for _, p := range domain.ValidateTree(nodes, true) {
		v.Problems = append(v.Problems, criteria.ProblemText(tr, p))
	}
	ams, err := s.db.Amendments(ctx, set.ID)
	if err != nil {
		return v, err
	}
	for _, a := range ams {
		v.Amendments = append(v.Amendments, i18n.T(ctx, "criteria.amendment.line", a.Version, a.Criterion, i18n.DateTime(a.At), a.ActorName, a.Reason))
	}
	return v, nil
}

// criteriaPage is the criteria editor of a campaign.
func (s *Server) criteriaPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaignParam(r)
	if err != nil {
		return err
	}
	return s.renderCriteria(w, r, http.StatusOK, c, 0, web.CriterionForm{}, "", nil)
}

// renderCriteria shows the editor; formSet is the set whose add form
// carries what was typed (and its problems).
func (s *Server) renderCriteria(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, formSet int64, form web.CriterionForm, problem string, setErrors []string) error {
	ctx := r.Context()
	sets, err := s.db.CriteriaSets(ctx, c.ID)
	if err != nil {
		return err
	}
	v := web.CriteriaView{CampaignID: c.ID, Title: c.Title, Error: problem, SetErrors: setErrors,
		Editable: c.Status == domain.StatusDraft || c.Status == domain.StatusAnnounced}
	for _, set := range sets {
		f := web.CriterionForm{Method: string(domain.MethodPoints), Step: "0,25", Explain: true, Evidence: true}
		if set.ID == formSet {
			f = form
		}
		sv, err := s.setView(ctx, set, f)
		if err != nil {
			return err
		}
		v.Sets = append(v.Sets, sv)
	}
	for _, t := range criteria.Templates {
		v.Templates = append(v.Templates, web.Option{Value: t.Key, Label: t.Name})
	}
	others, err := s.db.ListCampaigns(ctx, postgres.CampaignFilter{}, s.today())
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID == c.ID {
			continue
		}
		osets, err := s.db.CriteriaSets(ctx, o.ID)
		if err != nil {
			return err
		}
		for _, os := range osets {
			v.Sources = append(v.Sources, web.Option{Value: strconv.FormatInt(os.ID, 10), Label: o.PlanNumber + " — " + os.Name})
		}
	}
	v.Kinds = kindOptions(ctx, "")
	s.render(w, r, status, web.Criteria(s.chrome(r, i18n.T(ctx, "campaigns.criteria")), v))
	return nil
}

// createSet adds a criteria set to a campaign.
func (s *Server) createSet(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.campaignParam(r)
	if err != nil {
		return err
	}
	_, err = s.db.CreateCriteriaSet(ctx, c.ID, r.PostFormValue("name"), r.PostForm["target_kinds"], r.PostFormValue("individual") == "1")
	if err != nil {
		errs := map[string]string{}
		if !formError(ctx, err, errs) {
			return err
		}
		return s.renderCriteria(w, r, http.StatusUnprocessableEntity, c, 0, web.CriterionForm{}, "", formMessages(ctx, errs))
	}
	s.flash(ctx, "criteria.flash.set_created")
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(c.ID, 10)+"/criteria", http.StatusSeeOther)
	return nil
}

// parseCriterion reads the criterion form, resolving the parent by code
// among the set's nodes.
func parseCriterion(r *http.Request, ctx context.Context, nodes []domain.Criterion) (domain.Criterion, web.CriterionForm, []string) {
	f := web.CriterionForm{ParentCode: strings.TrimSpace(r.PostFormValue("parent_code")), Code: strings.TrimSpace(r.PostFormValue("code")),
		Title: r.PostFormValue("title"), Guidance: r.PostFormValue("guidance"), Max: r.PostFormValue("max"), Method: r.PostFormValue("method"),
		Step: r.PostFormValue("step"), Tiers: r.PostFormValue("tiers"), Target: r.PostFormValue("target"),
		Evidence: r.PostFormValue("evidence") == "1", Explain: r.PostFormValue("explain") == "1", NA: r.PostFormValue("na") == "1",
		Reason: r.PostFormValue("reason"), Measure: r.PostFormValue("measure"), MeasurePeriod: strings.TrimSpace(r.PostFormValue("measure_period"))}
	row := criteria.Row{Code: f.Code, Title: f.Title, Guidance: f.Guidance, Max: f.Max, Method: domain.Method(f.Method), Step: f.Step,
		Tiers: f.Tiers, Target: f.Target, Evidence: f.Evidence, NA: f.NA}
	var problems []string
	tr := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
	parsed, ps := criteria.Nodes([]criteria.Row{row})
	for _, p := range ps {
		if p.Message != "criteria.parent.missing" { // the parent is chosen below, not from the code
			problems = append(problems, criteria.ProblemText(tr, p))
		}
	}
	n := parsed[0]
	n.ID, n.ParentID, n.ExplainWithoutEvidence = 0, nil, f.Explain
	if f.ParentCode != "" {
		found := false
		for _, p := range nodes {
			if p.Code == f.ParentCode {
				id := p.ID
				n.ParentID, found = &id, true
			}
		}
		if !found {
			problems = append(problems, i18n.T(ctx, "criteria.parent.missing"))
		}
	}
	if f.Method != "" && !domain.Method(f.Method).Valid() {
		problems = append(problems, i18n.T(ctx, "criteria.method.invalid"))
	}
	if f.Measure != "" {
		id, err := strconv.ParseInt(f.Measure, 10, 64)
		year, perr := strconv.Atoi(f.MeasurePeriod)
		switch {
		case err != nil || id <= 0:
			problems = append(problems, i18n.T(ctx, "criteria.measure.unknown"))
		case perr != nil || !domain.ValidMeasurePeriod(year):
			problems = append(problems, i18n.T(ctx, "criteria.measure.period"))
		default:
			n.MeasureID, n.MeasurePeriod = id, year
		}
	}
	n.Seq = len(nodes) + 1
	return n, f, problems
}

// treeProblems turns a save's error into messages naming the node.
func treeProblems(ctx context.Context, err error) ([]string, bool) {
	tr := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
	var te domain.TreeErrors
	if errors.As(err, &te) {
		var out []string
		for _, p := range te {
			out = append(out, criteria.ProblemText(tr, p))
		}
		return out, true
	}
	errs := map[string]string{}
	if formError(ctx, err, errs) {
		return formMessages(ctx, errs), true
	}
	return nil, false
}

// saveCriterion adds a node, or (with {nodeID}) changes one.
func (s *Server) saveCriterion(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.campaignParam(r)
	if err != nil {
		return err
	}
	set, err := s.setParam(r, c)
	if err != nil {
		return err
	}
	nodes, err := s.db.Criteria(ctx, set.ID)
	if err != nil {
		return err
	}
	n, form, problems := parseCriterion(r, ctx, nodes)
	var editing *domain.Criterion
	if raw := chi.URLParam(r, "nodeID"); raw != "" {
		id, _ := strconv.ParseInt(raw, 10, 64)
		for i := range nodes {
			if nodes[i].ID == id {
				editing = &nodes[i]
			}
		}
		if editing == nil {
			return domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
		}
		n.ID, n.Seq = editing.ID, editing.Seq
		form.ID = editing.ID
	}
	if len(problems) == 0 {
		if _, err := s.db.SaveCriterion(ctx, set.ID, n, form.Reason); err != nil {
			msgs, ok := treeProblems(ctx, err)
			if !ok {
				return err
			}
			problems = msgs
		}
	}
	if len(problems) > 0 {
		form.Errors = problems
		if editing != nil {
			return s.renderCriterionEdit(w, r, http.StatusUnprocessableEntity, c, set, form)
		}
		return s.renderCriteria(w, r, http.StatusUnprocessableEntity, c, set.ID, form, "", nil)
	}
	s.flash(ctx, "criteria.flash.saved")
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(c.ID, 10)+"/criteria#set-"+strconv.FormatInt(set.ID, 10), http.StatusSeeOther)
	return nil
}

// editCriterion shows the form of one node.
func (s *Server) editCriterion(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.campaignParam(r)
	if err != nil {
		return err
	}
	set, err := s.setParam(r, c)
	if err != nil {
		return err
	}
	nodes, err := s.db.Criteria(ctx, set.ID)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(chi.URLParam(r, "nodeID"), 10, 64)
	byID := map[int64]domain.Criterion{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	n, ok := byID[id]
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
	}
	row := criteria.RowOf(n)
	f := web.CriterionForm{ID: n.ID, Code: n.Code, Title: n.Title, Guidance: n.Guidance, Max: n.Max.String(), Method: string(n.Method),
		Step: strings.ReplaceAll(row.Step, ".", ","), Tiers: row.Tiers, Target: row.Target, Evidence: n.EvidenceRequired,
		Explain: n.ExplainWithoutEvidence, NA: n.AllowNA}
	if n.MeasureID != 0 {
		f.Measure, f.MeasurePeriod = strconv.FormatInt(n.MeasureID, 10), strconv.Itoa(n.MeasurePeriod)
	}
	if n.ParentID != nil {
		f.ParentCode = byID[*n.ParentID].Code
	}
	return s.renderCriterionEdit(w, r, http.StatusOK, c, set, f)
}

func (s *Server) renderCriterionEdit(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, set *postgres.CriteriaSet, f web.CriterionForm) error {
	sv, err := s.setView(r.Context(), *set, f)
	if err != nil {
		return err
	}
	action := "/campaigns/" + strconv.FormatInt(c.ID, 10) + "/criteria/" + strconv.FormatInt(set.ID, 10) + "/nodes/" + strconv.FormatInt(f.ID, 10)
	s.render(w, r, status, web.CriterionEdit(s.chrome(r, f.Code), web.CriterionEditView{CampaignID: c.ID, Title: c.Title, Set: sv, Action: action}))
	return nil
}

// deleteCriterion removes a leaf of a set not yet in use.
func (s *Server) deleteCriterion(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.campaignParam(r)
	if err != nil {
		return err
	}
	set, err := s.setParam(r, c)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(chi.URLParam(r, "nodeID"), 10, 64)
	if err := s.db.DeleteCriterion(ctx, set.ID, id); err != nil {
		if msgs, ok := treeProblems(ctx, err); ok {
			return s.renderCriteria(w, r, http.StatusConflict, c, 0, web.CriterionForm{}, strings.Join(msgs, " "), nil)
		}
		return err
	}
	s.flash(ctx, "criteria.flash.deleted")
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(c.ID, 10)+"/criteria#set-"+strconv.FormatInt(set.ID, 10), http.StatusSeeOther)
	return nil
}

// replaceTree loads a template, a copy or a file into a set not yet in use.
func (s *Server) replaceTree(source string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		c, err := s.campaignParam(r)
		if err != nil {
			return err
		}
		set, err := s.setParam(r, c)
		if err != nil {
			return err
		}
		var nodes []domain.Criterion
		var problems []string
		tr := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
		switch source {
		case "template":
			tpl, ok := criteria.TemplateByKey(r.PostFormValue("template"))
			if !ok {
				return domain.Errorf(domain.EINVALID, "field.invalid")
			}
			nodes, _ = criteria.Nodes(tpl.Rows)
		case "copy":
			from, err := strconv.ParseInt(r.PostFormValue("source"), 10, 64)
			if err != nil {
				return domain.Errorf(domain.EINVALID, "field.invalid")
			}
			if _, err := s.db.CriteriaSetByID(ctx, from); err != nil {
				return err
			}
			if nodes, err = s.db.Criteria(ctx, from); err != nil {
				return err
			}
		case "import":
			rows, fileProblems, err := s.readCriteriaUpload(w, r)
			if err != nil {
				return err
			}
			for _, p := range fileProblems {
				problems = append(problems, i18n.T(ctx, "import.at_line", p.Line)+": "+i18n.T(ctx, p.Message, p.Args...))
			}
			var ps []domain.TreeProblem
			nodes, ps = criteria.Nodes(rows)
			for _, p := range ps {
				problems = append(problems, criteria.ProblemText(tr, p))
			}
		}
		if len(problems) == 0 {
			if err := s.db.ReplaceCriteria(ctx, set.ID, nodes, source); err != nil {
				msgs, ok := treeProblems(ctx, err)
				if !ok {
					return err
				}
				problems = msgs
			}
		}
		if len(problems) > 0 {
			return s.renderCriteria(w, r, http.StatusUnprocessableEntity, c, 0, web.CriterionForm{}, strings.Join(problems, " · "), nil)
		}
		s.flash(ctx, "criteria.flash.replaced")
		http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(c.ID, 10)+"/criteria#set-"+strconv.FormatInt(set.ID, 10), http.StatusSeeOther)
		return nil
	}
}

// readCriteriaUpload reads an uploaded criteria file (XLSX or CSV).
func (s *Server) readCriteriaUpload(w http.ResponseWriter, r *http.Request) ([]criteria.Row, []domain.ImportProblem, error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, domain.Errorf(domain.EINVALID, "import.upload.bad")
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, nil, uploadError(err)
		}
		if part.FormName() != "file" {
			continue
		}
		path, err := s.saveUpload(part)
		defer removeIfSet(path)
		if err != nil {
			return nil, nil, uploadError(err)
		}
		t, err := tabular.Open(path)
		if err != nil {
			msg := "import.unreadable"
			if errors.Is(err, tabular.ErrEncoding) {
				msg = "import.file.not_utf8"
			} else if errors.Is(err, tabular.ErrUnpackTooLarge) {
				msg = "import.unpack_too_large"
			}
			return nil, []domain.ImportProblem{{Line: 1, Message: msg}}, nil
		}
		defer t.Close()
		return criteria.Read(t)
	}
}

// exportTree downloads a set as XLSX in the import layout.
func (s *Server) exportTree(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaignParam(r)
	if err != nil {
		return err
	}
	set, err := s.setParam(r, c)
	if err != nil {
		return err
	}
	nodes, err := s.db.Criteria(r.Context(), set.ID)
	if err != nil {
		return err
	}
	t, err := newTable(w, "xlsx", "tieu-chi-"+strconv.FormatInt(set.ID, 10), "tieu-chi")
	if err != nil {
		return err
	}
	if err := t.Header(criteria.Columns...); err != nil {
		return err
	}
	for _, n := range nodes {
		if err := t.Row(criteria.Cells(criteria.RowOf(n))...); err != nil {
			return err
		}
	}
	return t.Close()
}
