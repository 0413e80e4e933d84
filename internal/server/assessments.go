package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// windowLabel describes a self-assessment window with its extension.
func windowLabel(r *http.Request, from, to, extended *time.Time) string {
	ctx := r.Context()
	if from == nil && to == nil {
		return i18n.T(ctx, "assessment.window.none")
	}
	var label string
	switch {
	case from != nil && to != nil:
		label = period(*from, *to)
	case to != nil:
		label = i18n.T(ctx, "phase.until", i18n.Day(*to))
	default:
		label = i18n.Day(*from) + " –"
	}
	label = i18n.T(ctx, "assessment.window", label)
	if extended != nil {
		label += " " + i18n.T(ctx, "assessment.extended", i18n.Day(*extended))
	}
	return label
}

// assessmentParam loads {assessmentID} of the campaign in the URL if the
// user may see it (domain.CanSeeAssessment). Anyone else gets the 404 of a
// missing form.
func (s *Server) assessmentParam(r *http.Request) (*domain.Assessment, error) {
	a, err := routeForm(r)
	if err != nil {
		return nil, err
	}
	if !domain.CanSeeAssessment(userFrom(r.Context()), accessOf(r), a.UnitID, nil) {
		return nil, domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
	}
	return a, nil
}

// editableAssessment is assessmentParam for writes: only the unit's own
// focal point fills its form.
func (s *Server) editableAssessment(r *http.Request) (*domain.Campaign, *domain.Assessment, error) {
	c := campaignOf(r)
	a, err := s.assessmentParam(r)
	if err != nil {
		return nil, nil, err
	}
	if !domain.CanEditAssessment(userFrom(r.Context()), a.UnitID) {
		return nil, nil, domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	return c, a, nil
}

// startAssessment opens the form of the focal point's unit for a phase
// (its route's policy is domain.CanRegister).
func (s *Server) startAssessment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	u := userFrom(ctx)
	phase, err := strconv.ParseInt(r.PostFormValue("phase_id"), 10, 64)
	if err != nil {
		return domain.Errorf(domain.EINVALID, "field.invalid")
	}
	id, err := s.db.StartAssessment(ctx, c.ID, phase, *u.UnitID)
	if err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			return refuse(ctx, err, nil, func(status int, p web.Problems) error {
				return s.renderRegistration(w, r, status, c, nil, p)
			})
		}
		return err
	}
	http.Redirect(w, r, paths.Assessment(c.ID, id), http.StatusSeeOther)
	return nil
}

// typedEntry is what the user sent for a criterion, kept as text so a
// refused form shows exactly what was typed.
type typedEntry struct {
	points, measured, expl string
	na                     bool
}

// formState is what re-rendering a form needs besides the stored data.
type formState struct {
	typed     map[int64]typedEntry
	problems  map[int64]string
	conflicts map[int64]postgres.Conflict
	// list is the summary at the top of the form: each criterion's
	// problems linked to its row (c-<id>), then those of the whole form
	// and of the staff tools.
	list web.Problems
	// notSubmitted: the entries were saved as a draft but the submission
	// was refused; the summary says so rather than "not saved".
	notSubmitted bool
	// submitConflict: the submission was refused by the form's state
	// (closed window, campaign no longer open).
	submitConflict bool
}

// noteTree adds the problems of a tree check, each beside its criterion
// and in the summary.
func (st *formState) noteTree(ctx context.Context, te domain.TreeErrors, nodes []domain.Criterion) {
	ids := make(map[string]int64, len(nodes))
	for _, n := range nodes {
		ids[n.Code] = n.ID
	}
	for _, p := range te {
		msg := i18n.T(ctx, p.Message, p.Args...)
		id := ids[p.Code]
		if id != 0 {
			if prev := st.problems[id]; prev != "" {
				st.problems[id] = prev + "; " + msg
			} else {
				st.problems[id] = msg
			}
		}
		st.note(ctx, id, p.Code, msg)
	}
}

// note adds a problem to the summary at the top of the form, linked to the
// criterion it is about when there is one (id 0 means the whole form). A
// criterion's later problems join its line, as they join beside it.
func (st *formState) note(ctx context.Context, id int64, code, msg string) {
	if id == 0 {
		st.list.Form(msg)
		return
	}
	anchor := paths.CriterionAnchor(id)
	text := i18n.T(ctx, "criteria.node") + " " + code + ": " + msg
	if prev := st.list.Of(anchor); prev != "" {
		// A criterion keeps one line: rebuild the summary with the two
		// joined, in the same place.
		var joined web.Problems
		for _, p := range st.list.Fields() {
			if p.Field == anchor {
				p.Text = prev + "; " + msg
			}
			joined.Field(p.Field, p.Text)
		}
		for _, m := range st.list.FormMessages() {
			joined.Form(m)
		}
		st.list = joined
		return
	}
	st.list.Field(anchor, text)
}

// noteRefusal adds the problems of a refused staff action (return,
// extend) to the summary, beside the staff tool's fields; false when err is
// not the user's to fix.
func (st *formState) noteRefusal(ctx context.Context, err error, rename map[string]string) bool {
	p, ok := problemsOf(ctx, err)
	if !ok {
		return false
	}
	for from, to := range rename {
		p.Rename(from, to)
	}
	for _, f := range p.Fields() {
		st.list.Field(f.Field, f.Text)
	}
	for _, m := range p.FormMessages() {
		st.list.Form(m)
	}
	return true
}

func pointsText(p *domain.Points) string {
	if p == nil {
		return ""
	}
	return p.String()
}

func measuredText(m *int64) string {
	if m == nil {
		return ""
	}
	return domain.Points(*m).String()
}

// renderAssessment shows a form: editable for its focal point within the
// window, read-only (with return and extend tools) for staff.
func (s *Server) renderAssessment(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, a *domain.Assessment, st formState) error {
	return s.renderAssessmentWith(w, r, status, c, a, nil, st)
}

// renderAssessmentWith is renderAssessment with the form's records when
// they were read with the form (FormWithRecords, with formHistoryShown
// history entries); nil reads them.
func (s *Server) renderAssessmentWith(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, a *domain.Assessment,
	recs *postgres.FormRecords, st formState) error {
	ctx := r.Context()
	u := userFrom(ctx)
	nodes, err := s.db.FormCriteria(ctx, a)
	if err != nil {
		return err
	}
	staff := domain.CanReceive(u, accessOf(r))
	// The history is for staff and the unit's focal point.
	history := staff || domain.CanEditAssessment(u, a.UnitID)
	if recs == nil {
		n := 0
		if history {
			n = formHistoryShown
		}
		if recs, err = s.db.FormRecords(ctx, a, n); err != nil {
			return err
		}
	} else if !history {
		recs.History, recs.HistoryTotal = nil, 0
	}
	stored, evidence := recs.Scores, recs.Evidence
	byCriterion := map[int64][]web.EvidenceItem{}
	counts := map[int64]int{}
	for _, e := range evidence {
		byCriterion[e.CriterionID] = append(byCriterion[e.CriterionID], web.EvidenceItem{Key: e.Key, Name: e.FileName, Size: humanSize(e.Size),
			Reference: e.Reference, Href: paths.EvidenceFile(e.Key)})
		counts[e.CriterionID]++
	}
	entries := map[int64]domain.Entry{}
	for id, sc := range stored {
		entries[id] = domain.Entry{Points: sc.Points, Measured: sc.Measured, NA: sc.NA, Explanation: sc.Explanation, Evidence: counts[id]}
	}
	totals := domain.ComputeTotals(nodes, entries)
	open, msg, args := a.Open(s.today())
	v := web.AssessmentView{CampaignID: c.ID, ID: a.ID, Campaign: c.Title, Unit: a.UnitName, Phase: a.PhaseName, Status: string(a.Status),
		StatusKey: "assessment.status." + string(a.Status), Window: windowLabel(r, a.WindowFrom, a.WindowTo, a.Deadline),
		Total: totals.Points.String(), Max: totals.ApplicableMax.String(), Converted: totals.Converted.String(),
		Scored: strconv.Itoa(totals.Scored) + "/" + strconv.Itoa(totals.Leaves), Problems: st.list, Conflicts: len(st.conflicts),
		Staff: staff, ProblemsKey: "assessment.problems"}
	switch {
	case st.notSubmitted:
		v.ProblemsKey = "assessment.submit_refused"
	case st.submitConflict:
		v.ProblemsKey = "assessment.submit_conflict"
	}
	v.Editable = domain.CanEditAssessment(u, a.UnitID) && !a.Submitted() && a.Status != domain.AssessLocked && open
	if !open && !a.Submitted() {
		v.Closed = i18n.T(ctx, msg, args...)
	}
	if a.Status == domain.AssessAppraised || a.Status == domain.AssessLocked {
		v.ReplyHref = paths.AssessmentAction(c.ID, a.ID, "reply")
	}
	if a.Submitted() {
		v.ReceiptHref = paths.AssessmentAction(c.ID, a.ID, "receipt")
	}
	parents := map[int64]bool{}
	for _, n := range nodes {
		if n.ParentID != nil {
			parents[*n.ParentID] = true
		}
	}
	depth := map[int64]int{}
	subtotals := subtotalsOf(nodes, entries)
	for _, n := range nodes {
		d := 0
		if n.ParentID != nil {
			d = depth[*n.ParentID] + 1
		}
		depth[n.ID] = d
		row := web.FormRow{ID: n.ID, Depth: d, Leaf: !parents[n.ID], Code: n.Code, Title: n.Title, Guidance: n.Guidance, Max: n.Max.String()}
		if !row.Leaf {
			row.Subtotal = subtotals[n.ID].String()
			v.Rows = append(v.Rows, row)
			continue
		}
		sc := stored[n.ID]
		row.Measured = n.Method == domain.MethodTiers || n.Method == domain.MethodTargetShare
		row.AllowNA, row.EvidenceReq, row.Evidence = n.AllowNA, n.EvidenceRequired, byCriterion[n.ID]
		row.MethodHint = describeMethod(ctx, n)
		row.YesNo = n.Method == domain.MethodYesNo
		row.EvidenceURL = paths.Evidence(c.ID, a.ID, n.ID)
		row.Points, row.MeasuredValue, row.Explanation, row.NA = pointsText(sc.Points), measuredText(sc.Measured), sc.Explanation, sc.NA
		row.OrigPoints, row.OrigMeasured, row.OrigExpl, row.OrigNA = row.Points, row.MeasuredValue, row.Explanation, row.NA
		row.Version = sc.Version
		if row.Measured && sc.Points != nil {
			row.Computed = sc.Points.String()
		}
		row.Locked = a.Status == domain.AssessReturned && !sc.Reopened
		if a.Status == domain.AssessReturned && sc.Reopened {
			row.Returned = sc.ReturnedReason
		}
		if t, ok := st.typed[n.ID]; ok {
			row.Points, row.MeasuredValue, row.Explanation, row.NA = t.points, t.measured, t.expl, t.na
		}
		row.Problem = st.problems[n.ID]
		if cf, ok := st.conflicts[n.ID]; ok {
			row.Conflict = &web.ConflictView{MinePoints: pointsText(cf.Mine.Points), MineMeasured: measuredText(cf.Mine.Measured), MineExpl: cf.Mine.Explanation,
				TheirPoints: pointsText(cf.Theirs.Points), TheirMeasured: measuredText(cf.Theirs.Measured), TheirExpl: cf.Theirs.Explanation,
				By: cf.Theirs.UpdatedBy, At: i18n.DateTime(cf.Theirs.UpdatedAt)}
		}
		v.Rows = append(v.Rows, row)
	}
	v.History = historyBox(ctx, recs, paths.AssessmentHistory(c.ID, a.ID))
	s.render(w, r, status, web.Assessment(s.chrome(r, i18n.T(ctx, "assessment.title", a.PhaseName)), v))
	return nil
}

// subtotalsOf sums the points under each node.
func subtotalsOf(nodes []domain.Criterion, entries map[int64]domain.Entry) map[int64]domain.Points {
	sums := map[int64]domain.Points{}
	parent := make(map[int64]*int64, len(nodes))
	for _, n := range nodes {
		parent[n.ID] = n.ParentID
	}
	for _, leaf := range domain.Leaves(nodes) {
		e := entries[leaf.ID]
		if e.Points == nil || e.NA {
			continue
		}
		for p := leaf.ParentID; p != nil; p = parent[*p] {
			sums[*p] += *e.Points
		}
	}
	return sums
}

func historyLine(ctx context.Context, h postgres.HistoryRecord) string {
	when := i18n.DateTime(h.At)
	who := h.ActorName
	if who == "" {
		who = i18n.T(ctx, "audit.system")
	}
	if line, ok := replyHistoryLine(ctx, h, when, who); ok {
		return line
	}
	switch h.Action {
	case "score":
		return i18n.T(ctx, "assessment.history.score", when, who, h.Code, entryText(ctx, h.OldValue), entryText(ctx, h.NewValue))
	case "appraise":
		return i18n.T(ctx, "assessment.history.appraise", when, who, h.Code, entryText(ctx, h.OldValue), entryText(ctx, h.NewValue))
	}
	if h.Action == "amend" {
		var before, after struct {
			Converted domain.Points `json:"converted"`
			Version   int           `json:"version"`
			Reason    string        `json:"reason"`
		}
		_ = json.Unmarshal(h.Old, &before)
		_ = json.Unmarshal(h.New, &after)
		return i18n.T(ctx, "assessment.history.amend", when, who, h.Code, after.Version, after.Reason, before.Converted.String(), after.Converted.String())
	}
	var action string
	switch h.Action {
	case "submit":
		action = i18n.T(ctx, "assessment.history.submit")
	case "return":
		action = i18n.T(ctx, "assessment.history.return")
	case "evidence":
		action = i18n.T(ctx, "assessment.history.evidence")
	case "receive":
		action = i18n.T(ctx, "assessment.history.receive")
	case "appraisal_done":
		action = i18n.T(ctx, "assessment.history.appraisal_done")
	default:
		action = h.Action
	}
	if h.Code == "" {
		return i18n.T(ctx, "assessment.history.other", when, who, action)
	}
	return i18n.T(ctx, "assessment.history.criterion", when, who, action, h.Code)
}

func entryText(ctx context.Context, v postgres.HistoryValue) string {
	switch {
	case v.NA:
		return i18n.T(ctx, "score.na")
	case v.Measured != nil:
		return domain.Points(*v.Measured).String()
	case v.Points != nil:
		return v.Points.String()
	}
	return "—"
}

// showAssessment shows a form: the form came with the campaign
// (loadCampaign), its records are read in one round trip once the user may
// see it.
func (s *Server) showAssessment(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	a, err := s.assessmentParam(r)
	if err != nil {
		return err
	}
	recs, err := s.db.FormRecords(r.Context(), a, formHistoryShown)
	if err != nil {
		return err
	}
	return s.renderAssessmentWith(w, r, http.StatusOK, c, a, recs, formState{})
}

// parseScores reads the self-assessment form's criteria.
func parseScores(r *http.Request, nodes []domain.Criterion) ([]postgres.ScoreEdit, formState) {
	return parseEntries(r, nodes, "")
}

// parseEntries reads the criteria of a scoring form whose fields are named
// prefix+"p_"+id (points), "m_" (measured value), "na_" (not applicable),
// "e_" (the text: explanation, comment…), "v_" (the row version shown) and
// the same with an "o" in front for the values as loaded. Criteria whose
// text field was not sent (locked or filtered out) are left out; numbers
// that cannot be read are problems.
func parseEntries(r *http.Request, nodes []domain.Criterion, prefix string) ([]postgres.ScoreEdit, formState) {
	st := formState{typed: map[int64]typedEntry{}, problems: map[int64]string{}}
	var edits []postgres.ScoreEdit
	num := func(s string) (*int64, bool) {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, true
		}
		p, ok := domain.ParsePoints(s)
		v := int64(p)
		return &v, ok
	}
	for _, n := range domain.Leaves(nodes) {
		id := strconv.FormatInt(n.ID, 10)
		field := func(kind string) string { return r.PostFormValue(prefix + kind + "_" + id) }
		orig := func(kind string) string { return r.PostFormValue("o" + prefix + kind + "_" + id) }
		if _, sent := r.PostForm[prefix+"e_"+id]; !sent {
			continue
		}
		t := typedEntry{points: field("p"), measured: field("m"), expl: field("e"), na: field("na") == "1"}
		st.typed[n.ID] = t
		e := postgres.ScoreEdit{CriterionID: n.ID}
		e.Version, _ = strconv.Atoi(field("v"))
		var okP, okM, okOP, okOM bool
		var p, m, op, om *int64
		p, okP = num(t.points)
		m, okM = num(t.measured)
		op, okOP = num(orig("p"))
		om, okOM = num(orig("m"))
		if !okP || !okM || !okOP || !okOM {
			st.problems[n.ID] = "score.invalid_number"
			continue
		}
		toPoints := func(v *int64) *domain.Points {
			if v == nil {
				return nil
			}
			x := domain.Points(*v)
			return &x
		}
		e.Entry = domain.Entry{Points: toPoints(p), Measured: m, NA: t.na, Explanation: t.expl}
		e.Orig = domain.Entry{Points: toPoints(op), Measured: om, NA: orig("na") == "1", Explanation: orig("e")}
		if n.Method == domain.MethodTiers || n.Method == domain.MethodTargetShare {
			e.Entry.Points, e.Orig.Points = nil, nil // computed from the measured value
		} else {
			e.Entry.Measured, e.Orig.Measured = nil, nil
		}
		edits = append(edits, e)
	}
	return edits, st
}

// saveForm saves what the user changed and reports whether to go on (no
// problem, no conflict); otherwise it has rendered the form again with
// what was typed.
func (s *Server) saveForm(w http.ResponseWriter, r *http.Request, c *domain.Campaign, a *domain.Assessment, submitting bool) (bool, error) {
	ctx := r.Context()
	nodes, err := s.db.FormCriteria(ctx, a)
	if err != nil {
		return false, err
	}
	edits, st := parseScores(r, nodes)
	if len(st.problems) > 0 {
		for _, n := range nodes { // in the order of the form
			if key, ok := st.problems[n.ID]; ok {
				st.problems[n.ID] = i18n.T(ctx, key)
				st.note(ctx, n.ID, n.Code, st.problems[n.ID])
			}
		}
		return false, s.renderAssessment(w, r, http.StatusUnprocessableEntity, c, a, st)
	}
	conflicts, err := s.db.SaveScores(ctx, a.ID, edits)
	var te domain.TreeErrors
	switch {
	case errors.As(err, &te):
		st.noteTree(ctx, te, nodes)
		return false, s.renderAssessment(w, r, http.StatusUnprocessableEntity, c, a, st)
	case domain.ErrorCode(err) == domain.ECONFLICT:
		key, args := domain.ErrorMessage(err)
		if key == "assessment.submitted" && submitting {
			// The first click of a double submit got there first.
			http.Redirect(w, r, paths.AssessmentAction(c.ID, a.ID, "receipt"), http.StatusSeeOther)
			return false, nil
		}
		st.note(ctx, 0, "", i18n.T(ctx, key, args...))
		return false, s.renderAssessment(w, r, http.StatusConflict, c, a, st)
	case err != nil:
		return false, err
	}
	if len(conflicts) > 0 {
		st.conflicts = map[int64]postgres.Conflict{}
		for _, cf := range conflicts {
			st.conflicts[cf.CriterionID] = cf
		}
		// The others were saved: show the form as stored, with the user's
		// input kept only where it clashed.
		for id := range st.typed {
			if _, clash := st.conflicts[id]; !clash {
				delete(st.typed, id)
			}
		}
		fresh, err := s.db.AssessmentByID(ctx, a.ID)
		if err != nil {
			return false, err
		}
		return false, s.renderAssessment(w, r, http.StatusConflict, c, fresh, st)
	}
	return true, nil
}

// saveAssessment saves a form as a draft.
func (s *Server) saveAssessment(w http.ResponseWriter, r *http.Request) error {
	c, a, err := s.editableAssessment(r)
	if err != nil {
		return err
	}
	ok, err := s.saveForm(w, r, c, a, false)
	if !ok || err != nil {
		return err
	}
	s.flash(r.Context(), "assessment.flash.saved")
	http.Redirect(w, r, paths.Assessment(c.ID, a.ID), http.StatusSeeOther)
	return nil
}

// submitAssessment saves what was typed, then checks and locks the form.
// A second click finds it submitted and shows the same receipt.
func (s *Server) submitAssessment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, a, err := s.editableAssessment(r)
	if err != nil {
		return err
	}
	receipt := paths.AssessmentAction(c.ID, a.ID, "receipt")
	if a.Submitted() && a.Status != domain.AssessLocked {
		// A double submit; a locked form is refused below (409).
		http.Redirect(w, r, receipt, http.StatusSeeOther)
		return nil
	}
	ok, err := s.saveForm(w, r, c, a, true)
	if !ok || err != nil {
		return err
	}
	if _, err := s.db.SubmitAssessment(ctx, a.ID); err != nil {
		var te domain.TreeErrors
		if errors.As(err, &te) || domain.ErrorCode(err) == domain.ECONFLICT {
			st := formState{problems: map[int64]string{}, notSubmitted: te != nil, submitConflict: te == nil}
			status := http.StatusConflict
			if te != nil {
				nodes, err := s.db.FormCriteria(ctx, a)
				if err != nil {
					return err
				}
				st.noteTree(ctx, te, nodes)
				status = http.StatusUnprocessableEntity
			} else {
				key, args := domain.ErrorMessage(err)
				st.note(ctx, 0, "", i18n.T(ctx, key, args...))
			}
			fresh, ferr := s.db.AssessmentByID(ctx, a.ID)
			if ferr != nil {
				return ferr
			}
			return s.renderAssessment(w, r, status, c, fresh, st)
		}
		return err
	}
	s.flash(ctx, "assessment.flash.submitted")
	http.Redirect(w, r, receipt, http.StatusSeeOther)
	return nil
}

// receipt shows the proof of a submission: its number in the campaign, its
// band, and the totals and entries as they were submitted. When a criteria
// amendment has changed the form's totals since, the current total is shown
// beside the submitted one with the amendments that moved it.
func (s *Server) receipt(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	a, err := s.assessmentParam(r)
	if err != nil {
		return err
	}
	if !a.Submitted() || a.SubmittedAt == nil {
		return domain.Errorf(domain.ENOTFOUND, "assessment.not_submitted")
	}
	rc, err := s.db.LatestReceipt(ctx, a.ID)
	if err != nil {
		return err
	}
	v := web.ReceiptView{AssessmentView: web.AssessmentView{CampaignID: c.ID, ID: a.ID, Campaign: c.Title, Unit: a.UnitName, Phase: a.PhaseName,
		Total: rc.Points.String(), Max: rc.ApplicableMax.String(), Converted: rc.Converted.String(), Scored: strconv.Itoa(rc.Scored) + "/" + strconv.Itoa(rc.Leaves)},
		Number: domain.ReceiptNumber(rc.Number), Plan: c.PlanNumber, SubmittedAt: i18n.DateTime(rc.SubmittedAt), SubmittedBy: rc.SubmittedBy,
		Band: i18n.T(ctx, "band."+rc.Band), Bands: bandsText(ctx, c.Bands)}
	for _, l := range rc.Lines {
		line := web.ReceiptLine{Code: l.Code, Title: l.Title, Max: l.Max.String(), Area: l.ParentID == nil, Leaf: l.Leaf, Points: pointsText(l.Points)}
		switch {
		case l.NA:
			line.Points = i18n.T(ctx, "score.na")
		case l.Leaf && l.Measured != nil:
			line.Measured = measuredText(l.Measured)
		}
		if l.Leaf {
			line.Evidence = strconv.Itoa(l.Evidence)
		} else {
			line.Max = l.ApplicableMax.String()
		}
		if l.ParentID == nil {
			v.Areas = append(v.Areas, web.ReceiptArea{Code: l.Code, Title: l.Title, Points: pointsText(l.Points), Max: l.ApplicableMax.String()})
		}
		v.Lines = append(v.Lines, line)
	}
	amendments, err := s.db.AmendmentsSince(ctx, a.SetID, rc.SubmittedAt)
	if err != nil {
		return err
	}
	if len(amendments) > 0 || a.Converted != rc.Converted {
		v.Amended = &web.AmendedTotals{Total: a.Points.String(), Max: a.ApplicableMax.String(), Converted: a.Converted.String(),
			Band: i18n.T(ctx, "band."+c.Bands.Classify(a.Converted))}
		for _, am := range amendments {
			who := am.ActorName
			if who == "" {
				who = i18n.T(ctx, "audit.system")
			}
			v.Amended.Reasons = append(v.Amended.Reasons, i18n.T(ctx, "assessment.receipt.amendment", am.Criterion, am.Version, i18n.DateTime(am.At), who, am.Reason))
		}
	}
	s.render(w, r, http.StatusOK, web.Receipt(s.chrome(r, i18n.T(ctx, "assessment.receipt.title")), v))
	return nil
}

// bandsText describes a campaign's classification thresholds.
func bandsText(ctx context.Context, b domain.Bands) string {
	return i18n.T(ctx, "assessment.receipt.bands", i18n.T(ctx, "band.excellent"), b.Excellent.String(), i18n.T(ctx, "band.good"), b.Good.String(),
		i18n.T(ctx, "band.fair"), b.Fair.String(), i18n.T(ctx, "band.average"), b.Average.String(), i18n.T(ctx, "band.weak"))
}

// returnAssessment sends a submitted form back with reasons per criterion.
func (s *Server) returnAssessment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	a, err := s.assessmentParam(r)
	if err != nil {
		return err
	}
	reasons := map[int64]string{}
	for key, vals := range r.PostForm {
		if !strings.HasPrefix(key, "r_") || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		id, err := strconv.ParseInt(key[2:], 10, 64)
		if err != nil {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
		reasons[id] = vals[0]
	}
	var until *time.Time
	if v := strings.TrimSpace(r.PostFormValue("until")); v != "" {
		d, ok := domain.ParseDate(v)
		if !ok {
			var st formState
			fieldProblem(ctx, &st.list, "return_until", "date.out_of_range")
			return s.renderAssessment(w, r, http.StatusUnprocessableEntity, c, a, st)
		}
		until = &d
	}
	if err := s.db.ReturnAssessment(ctx, a.ID, reasons, until); err != nil {
		var st formState
		if !st.noteRefusal(ctx, err, map[string]string{"until": "return_until", "reasons": ""}) {
			return err
		}
		return s.renderAssessment(w, r, refusalStatus(err), c, a, st)
	}
	s.flash(ctx, "assessment.flash.returned")
	http.Redirect(w, r, paths.Assessment(c.ID, a.ID), http.StatusSeeOther)
	return nil
}

// extendAssessment moves one unit's deadline.
func (s *Server) extendAssessment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	a, err := s.assessmentParam(r)
	if err != nil {
		return err
	}
	until, ok := domain.ParseDate(r.PostFormValue("until"))
	if !ok {
		var st formState
		fieldProblem(ctx, &st.list, "until", "date.out_of_range")
		return s.renderAssessment(w, r, http.StatusUnprocessableEntity, c, a, st)
	}
	if err := s.db.ExtendAssessment(ctx, a.ID, until, r.PostFormValue("reason")); err != nil {
		var ve *domain.ValidationError
		var st formState
		if !errors.As(err, &ve) || !st.noteRefusal(ctx, err, nil) {
			return err
		}
		return s.renderAssessment(w, r, http.StatusUnprocessableEntity, c, a, st)
	}
	s.flash(ctx, "assessment.flash.extended")
	http.Redirect(w, r, paths.Assessment(c.ID, a.ID), http.StatusSeeOther)
	return nil
}
