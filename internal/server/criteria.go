package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
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
	v := web.CriteriaSetView{ID: set.ID, Name: set.Name, Targets: targetsLabel(ctx, set), Total: domain.TreeTotal(nodes).String(),
		Frozen: set.Frozen, Version: set.Version, Form: form, Methods: methodOptions(ctx)}
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
	c := campaignOf(r)
	return s.renderCriteria(w, r, http.StatusOK, c, criteriaPageState{})
}

// criteriaPageState is what a refused form leaves on the criteria page:
// the set whose criterion form carries what was typed and its problems,
// the problems of a change of a whole tree, and the new set form as typed.
type criteriaPageState struct {
	formSet     int64
	form        web.CriterionForm
	problems    web.Problems
	setName     string
	setKinds    []string
	setIndiv    bool
	setProblems web.Problems
}

// renderCriteria shows the editor, with what a refused form left (st).
func (s *Server) renderCriteria(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, st criteriaPageState) error {
	ctx := r.Context()
	sets, err := s.db.CriteriaSets(ctx, c.ID)
	if err != nil {
		return err
	}
	v := web.CriteriaView{CampaignID: c.ID, Title: c.Title, Problems: st.problems,
		SetName: st.setName, SetIndividual: st.setIndiv, SetProblems: st.setProblems,
		Editable: c.Status == domain.StatusDraft || c.Status == domain.StatusAnnounced}
	for _, set := range sets {
		f := web.CriterionForm{Method: string(domain.MethodPoints), Step: "0,25", Explain: true, Evidence: true}
		if set.ID == st.formSet {
			f = st.form
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
	for i := range v.Kinds {
		v.Kinds[i].Selected = slices.Contains(st.setKinds, v.Kinds[i].Value)
	}
	s.render(w, r, status, web.Criteria(s.chrome(r, i18n.T(ctx, "campaigns.criteria")), v))
	return nil
}

// createSet adds a criteria set to a campaign.
func (s *Server) createSet(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	st := criteriaPageState{setName: r.PostFormValue("name"), setKinds: r.PostForm["target_kinds"], setIndiv: r.PostFormValue("individual") == "1"}
	_, err := s.db.CreateCriteriaSet(ctx, c.ID, st.setName, st.setKinds, st.setIndiv)
	if err != nil {
		return refuse(ctx, err, []string{"name", "target_kinds"}, func(status int, p web.Problems) error {
			st.setProblems = p
			return s.renderCriteria(w, r, status, c, st)
		})
	}
	s.flash(ctx, "criteria.flash.set_created")
	http.Redirect(w, r, paths.Criteria(c.ID), http.StatusSeeOther)
	return nil
}

// criterionFields are the controls of the criterion form, top to bottom.
var criterionFields = []string{"parent_code", "code", "max", "title", "guidance", "method", "step", "target", "tiers", "reason"}

// criterionFieldOf is the control a problem of a criterion is about, by
// its catalogue key; "" for the form as a whole.
func criterionFieldOf(key string) string {
	switch {
	case strings.HasPrefix(key, "criteria.code."):
		return "code"
	case key == "criteria.title.invalid":
		return "title"
	case key == "criteria.max.invalid" || strings.HasPrefix(key, "criteria.sum."):
		return "max"
	case key == "criteria.method.invalid":
		return "method"
	case key == "criteria.step.invalid":
		return "step"
	case key == "criteria.target.invalid":
		return "target"
	case strings.HasPrefix(key, "criteria.tiers."):
		return "tiers"
	case key == "criteria.parent.missing" || key == "criteria.too_deep" || key == "criteria.cycle":
		return "parent_code"
	}
	return ""
}

// criterionProblems collects the problems of a set's criterion form,
// each beside the control it is about (ids carry the set's id).
type criterionProblems struct {
	setID int64
	p     web.Problems
}

// add records a problem of a control; a second problem of the same
// control goes to the form, so none is lost.
func (cp *criterionProblems) add(field, text string) {
	id := web.CriterionFieldID(cp.setID, field)
	if field == "" || cp.p.Of(id) != "" {
		cp.p.Form(text)
		return
	}
	cp.p.Field(id, text)
}

// tree adds the problems of a criteria tree, by the control each is about.
func (cp *criterionProblems) tree(ctx context.Context, ps []domain.TreeProblem) {
	for _, tp := range ps {
		cp.add(criterionFieldOf(tp.Message), treeProblemText(ctx, tp))
	}
}

// refusal adds the problems of a refused save; false when err is not the
// user's to fix.
func (cp *criterionProblems) refusal(ctx context.Context, err error) bool {
	var te domain.TreeErrors
	if errors.As(err, &te) {
		cp.tree(ctx, te)
		return true
	}
	p, ok := problemsOf(ctx, err)
	if !ok {
		return false
	}
	for _, f := range p.Fields() {
		cp.add(f.Field, f.Text)
	}
	for _, m := range p.FormMessages() {
		cp.p.Form(m)
	}
	return true
}

// problems are the form's problems in form order.
func (cp *criterionProblems) problems() web.Problems {
	order := make([]string, len(criterionFields))
	for i, f := range criterionFields {
		order[i] = web.CriterionFieldID(cp.setID, f)
	}
	cp.p.Order(order...)
	return cp.p
}

// parseCriterion reads the criterion form, resolving the parent by code
// among the set's nodes.
func parseCriterion(r *http.Request, ctx context.Context, nodes []domain.Criterion, cp *criterionProblems) (domain.Criterion, web.CriterionForm) {
	f := web.CriterionForm{ParentCode: strings.TrimSpace(r.PostFormValue("parent_code")), Code: strings.TrimSpace(r.PostFormValue("code")),
		Title: r.PostFormValue("title"), Guidance: r.PostFormValue("guidance"), Max: r.PostFormValue("max"), Method: r.PostFormValue("method"),
		Step: r.PostFormValue("step"), Tiers: r.PostFormValue("tiers"), Target: r.PostFormValue("target"),
		Evidence: r.PostFormValue("evidence") == "1", Explain: r.PostFormValue("explain") == "1", NA: r.PostFormValue("na") == "1",
		Reason: r.PostFormValue("reason")}
	row := criteria.Row{Code: f.Code, Title: f.Title, Guidance: f.Guidance, Max: f.Max, Method: domain.Method(f.Method), Step: f.Step,
		Tiers: f.Tiers, Target: f.Target, Evidence: f.Evidence, NA: f.NA}
	parsed, ps := criteria.Nodes([]criteria.Row{row})
	for _, p := range ps {
		if p.Message != "criteria.parent.missing" { // the parent is chosen below, not from the code
			cp.tree(ctx, []domain.TreeProblem{p})
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
			cp.add("parent_code", i18n.T(ctx, "criteria.parent.missing"))
		}
	}
	if f.Method != "" && !domain.Method(f.Method).Valid() {
		cp.add("method", i18n.T(ctx, "criteria.method.invalid"))
	}
	n.Seq = len(nodes) + 1
	return n, f
}

// saveCriterion adds a node, or (with {nodeID}) changes one.
func (s *Server) saveCriterion(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	set, err := s.setParam(r, c)
	if err != nil {
		return err
	}
	nodes, err := s.db.Criteria(ctx, set.ID)
	if err != nil {
		return err
	}
	cp := &criterionProblems{setID: set.ID}
	n, form := parseCriterion(r, ctx, nodes, cp)
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
	status := http.StatusUnprocessableEntity
	if !cp.p.Any() {
		if _, err := s.db.SaveCriterion(ctx, set.ID, n, form.Reason); err != nil {
			if !cp.refusal(ctx, err) {
				return err
			}
			status = refusalStatus(err)
		}
	}
	if cp.p.Any() {
		form.Problems = cp.problems()
		if editing != nil {
			return s.renderCriterionEdit(w, r, status, c, set, form)
		}
		return s.renderCriteria(w, r, status, c, criteriaPageState{formSet: set.ID, form: form})
	}
	s.flash(ctx, "criteria.flash.saved")
	http.Redirect(w, r, paths.CriteriaSet(c.ID, set.ID), http.StatusSeeOther)
	return nil
}

// editCriterion shows the form of one node.
func (s *Server) editCriterion(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
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
	action := paths.CriterionNode(c.ID, set.ID, f.ID)
	s.render(w, r, status, web.CriterionEdit(s.chrome(r, f.Code), web.CriterionEditView{CampaignID: c.ID, Title: c.Title, Set: sv, Action: action}))
	return nil
}

// deleteCriterion removes a leaf of a set not yet in use.
func (s *Server) deleteCriterion(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	set, err := s.setParam(r, c)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(chi.URLParam(r, "nodeID"), 10, 64)
	if err := s.db.DeleteCriterion(ctx, set.ID, id); err != nil {
		if p, ok := problemsOf(ctx, err); ok {
			// Whatever the reason, the tree as it is stays: a conflict.
			return s.renderCriteria(w, r, http.StatusConflict, c, criteriaPageState{problems: p})
		}
		return err
	}
	s.flash(ctx, "criteria.flash.deleted")
	http.Redirect(w, r, paths.CriteriaSet(c.ID, set.ID), http.StatusSeeOther)
	return nil
}

// replaceTree loads a template, a copy or a file into a set not yet in use.
func (s *Server) replaceTree(source string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		c := campaignOf(r)
		set, err := s.setParam(r, c)
		if err != nil {
			return err
		}
		var nodes []domain.Criterion
		var problems web.Problems
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
				problems.Form(i18n.T(ctx, "import.at_line", p.Line) + ": " + i18n.T(ctx, p.Message, p.Args...))
			}
			var ps []domain.TreeProblem
			nodes, ps = criteria.Nodes(rows)
			for _, p := range ps {
				problems.Form(treeProblemText(ctx, p))
			}
		}
		if problems.Any() {
			return s.renderCriteria(w, r, http.StatusUnprocessableEntity, c, criteriaPageState{problems: problems})
		}
		if err := s.db.ReplaceCriteria(ctx, set.ID, nodes, source); err != nil {
			return refuse(ctx, err, nil, func(status int, p web.Problems) error {
				return s.renderCriteria(w, r, status, c, criteriaPageState{problems: p})
			})
		}
		s.flash(ctx, "criteria.flash.replaced")
		http.Redirect(w, r, paths.CriteriaSet(c.ID, set.ID), http.StatusSeeOther)
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
	c := campaignOf(r)
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
