package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// appraisalPath is the appraisal list of a campaign, or one form's
// appraisal (id not 0).
func appraisalPath(campaignID, id int64) string {
	if id == 0 {
		return paths.Appraisal(campaignID)
	}
	return paths.AppraisalForm(campaignID, id)
}

// appraisalParam loads {assessmentID} for its appraisal: a submitted form
// of the campaign in the URL, and whether the user may appraise it
// (domain.CanAppraise: an active assignment, on the campaign's appraisal
// team). Staff read every submitted form; anyone else only the forms they
// may appraise. Any other form, of another campaign, not submitted or not
// assigned to the user, gets the 404 of a missing form.
func (s *Server) appraisalParam(r *http.Request) (*domain.Campaign, *domain.Assessment, bool, error) {
	ctx := r.Context()
	c := campaignOf(r)
	a, err := routeForm(r)
	if err != nil {
		return nil, nil, false, err
	}
	if !a.Submitted() {
		return nil, nil, false, domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
	}
	u := userFrom(ctx)
	asg, err := s.db.ActiveAssignment(ctx, a.ID, u.ID)
	if err != nil {
		return nil, nil, false, err
	}
	can := domain.CanAppraise(u, accessOf(r), asg)
	if !can && !domain.HasRole(u, domain.RoleStaff) {
		return nil, nil, false, domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
	}
	return c, a, can, nil
}

// appraisalList lists the forms to appraise: every submitted form of the
// campaign for staff, the forms assigned to them for an appraiser.
func (s *Server) appraisalList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	u := userFrom(ctx)
	staff := domain.HasRole(u, domain.RoleStaff)
	var appraiser int64
	if !staff {
		appraiser = u.ID
	}
	forms, err := s.db.AppraisalForms(ctx, c.ID, appraiser)
	if err != nil {
		return err
	}
	// The forms assigned to the user themself (staff may be appraisers
	// too): they may recuse from these.
	mine, err := s.db.AssignedAssessments(ctx, c.ID, u.ID)
	if err != nil {
		return err
	}
	assigned := map[int64]bool{}
	for _, f := range mine {
		assigned[f.AssessmentID] = true
	}
	v := web.AppraisalListView{CampaignID: c.ID, Campaign: c.Title, Staff: staff}
	var reminded map[[2]int64]string
	if staff {
		reminders, err := s.db.Reminders(ctx, c.ID)
		if err != nil {
			return err
		}
		reminded = remindedTexts(ctx, reminders, postgres.DeadlineReply)
	}
	for _, f := range forms {
		row := web.AppraisalListRow{Unit: f.UnitName, Phase: f.PhaseName, Status: string(f.Status), StatusKey: "assessment.status." + string(f.Status),
			Progress: strconv.Itoa(f.Appraised) + "/" + strconv.Itoa(f.Leaves), Adjusted: f.Adjusted,
			SelfTotal: f.Converted.String(), AppraisedTotal: "—", Appraisers: strings.Join(f.Appraisers, ", ")}
		if f.Appraised > 0 {
			row.AppraisedTotal = f.AppraisedConverted.String()
		}
		if f.Status.Submitted() { // a draft has nothing to appraise yet
			row.Href = appraisalPath(c.ID, f.ID)
		}
		row.ReplyHref, row.ReplyKey = replyLink(c.ID, &f.Assessment)
		row.Reminded = reminded[[2]int64{f.PhaseID, f.UnitID}]
		if assigned[f.ID] {
			row.RecuseHref = paths.Recuse(c.ID, f.ID)
		}
		if staff && f.Status == domain.AssessSubmitted {
			row.ReceiveURL = paths.AssessmentAction(c.ID, f.ID, "receive")
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, http.StatusOK, web.AppraisalList(s.chrome(r, i18n.T(ctx, "appraisal.list.title")), v))
	return nil
}

// replyLink is where the appraisal of an appraised or locked form goes on:
// its reply page, named for what is to do there (nothing before).
func replyLink(campaignID int64, a *domain.Assessment) (href, key string) {
	switch {
	case a.Status == domain.AssessLocked:
		key = "appraisal.reply.view"
	case a.Status == domain.AssessAppraised && a.ReplySent != nil:
		key = "appraisal.reply.answer"
	case a.Status == domain.AssessAppraised:
		key = "appraisal.reply.open"
	default:
		return "", ""
	}
	return paths.AssessmentAction(campaignID, a.ID, "reply"), key
}

// appraisalState is what re-rendering the appraisal form needs besides the
// stored data: the form's own state, and the filter in the URL.
type appraisalState struct {
	formState
	filter string
	can    bool // the user may appraise the form (domain.CanAppraise)
}

// appraisalFilter reads ?filter=: "" (every criterion), "noevidence" or
// "adjusted".
func appraisalFilter(r *http.Request) (string, error) {
	switch f := r.URL.Query().Get("filter"); f {
	case "", "noevidence", "adjusted":
		return f, nil
	}
	return "", domain.Errorf(domain.EINVALID, "field.invalid")
}

// inlineEvidence reports whether a file opens in the browser (PDFs and
// images) rather than downloading.
func inlineEvidence(contentType string) bool {
	switch contentType {
	case "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// renderAppraisal shows the appraisal form of a submitted form.
func (s *Server) renderAppraisal(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, a *domain.Assessment, st appraisalState) error {
	ctx := r.Context()
	u := userFrom(ctx)
	nodes, err := s.db.FormCriteria(ctx, a)
	if err != nil {
		return err
	}
	recs, err := s.db.FormRecords(ctx, a, formHistoryShown)
	if err != nil {
		return err
	}
	stored, evidence := recs.Scores, recs.Evidence
	files := map[int64][]web.EvidenceLink{}
	for _, e := range evidence {
		files[e.CriterionID] = append(files[e.CriterionID], web.EvidenceLink{Name: e.FileName, Href: "/evidence/" + e.Key, Size: humanSize(e.Size),
			Reference: e.Reference, Inline: inlineEvidence(e.ContentType)})
	}
	appraised := map[int64]domain.Entry{}
	for id, sc := range stored {
		if sc.Appraised() {
			appraised[id] = sc.AppraisedEntry()
		}
	}
	base := appraisalPath(c.ID, a.ID)
	v := web.AppraisalView{CampaignID: c.ID, ID: a.ID, Campaign: c.Title, Unit: a.UnitName, Phase: a.PhaseName, Status: string(a.Status),
		StatusKey: "assessment.status." + string(a.Status), Action: base, FormHref: paths.Assessment(c.ID, a.ID), ListHref: appraisalPath(c.ID, 0),
		Filter: st.filter, Counts: map[string]int{}, Editable: st.can && a.Status == domain.AssessReceived, SelfTotal: a.Converted.String(),
		AppraisedTotal: a.AppraisedConverted.String(), Problems: st.list, Conflicts: len(st.conflicts)}
	if a.ReplyUntil != nil && a.Status == domain.AssessAppraised { // a locked form's window is over
		v.ReplyUntil = i18n.Day(*a.ReplyUntil)
	}
	v.ReplyHref, v.ReplyKey = replyLink(c.ID, a)
	if a.Status == domain.AssessSubmitted && domain.CanReceive(u, accessOf(r)) {
		v.ReceiveURL = paths.AssessmentAction(c.ID, a.ID, "receive")
	}
	subtotals := domain.Subtotals(nodes, appraised)
	parents := map[int64]bool{}
	for _, n := range nodes {
		if n.ParentID != nil {
			parents[*n.ParentID] = true
		}
	}
	depth := map[int64]int{}
	var pendingAreas []web.AppraisalRow // headings shown only above a criterion the filter keeps
	done, leaves := 0, 0
	for _, n := range nodes {
		d := 0
		if n.ParentID != nil {
			d = depth[*n.ParentID] + 1
		}
		depth[n.ID] = d
		if parents[n.ID] {
			for len(pendingAreas) > 0 && pendingAreas[len(pendingAreas)-1].Depth >= d {
				pendingAreas = pendingAreas[:len(pendingAreas)-1]
			}
			pendingAreas = append(pendingAreas, web.AppraisalRow{ID: n.ID, Depth: d, Code: n.Code, Title: n.Title, Max: subtotals[n.ID].ApplicableMax.String(),
				Subtotal: subtotals[n.ID].Points.String()})
			continue
		}
		leaves++
		sc := stored[n.ID]
		self := sc.Self()
		row := web.AppraisalRow{ID: n.ID, Leaf: true, Depth: d, Code: n.Code, Title: n.Title, Guidance: n.Guidance, Max: n.Max.String(),
			MethodHint: describeMethod(ctx, n), Measured: n.Method == domain.MethodTiers || n.Method == domain.MethodTargetShare,
			YesNo: n.Method == domain.MethodYesNo, AllowNA: n.AllowNA, Self: pointsText(self.Points), SelfNA: self.NA, SelfExpl: self.Explanation,
			Evidence: files[n.ID], Version: sc.Version, Source: sc.AppraisalSource, Appraised: sc.Appraised()}
		if row.Measured {
			row.SelfMeasured = measuredText(self.Measured)
		}
		if row.Appraised {
			done++
			ap := sc.AppraisedEntry()
			row.Adjusted = domain.AppraisalDiffers(&n, self, ap)
			row.Points, row.MeasuredValue, row.NA, row.Comment = pointsText(ap.Points), measuredText(ap.Measured), ap.NA, ap.Explanation
			if row.Measured && ap.Points != nil {
				row.Computed = ap.Points.String()
			}
		}
		row.OrigPoints, row.OrigMeasured, row.OrigNA, row.OrigComment = row.Points, row.MeasuredValue, row.NA, row.Comment
		if t, ok := st.typed[n.ID]; ok {
			row.Points, row.MeasuredValue, row.Comment, row.NA = t.points, t.measured, t.expl, t.na
		}
		row.Problem = st.problems[n.ID]
		if cf, ok := st.conflicts[n.ID]; ok {
			theirs := cf.Theirs.AppraisedEntry()
			row.Conflict = &web.ConflictView{MinePoints: pointsText(cf.Mine.Points), MineMeasured: measuredText(cf.Mine.Measured), MineExpl: cf.Mine.Explanation,
				TheirPoints: pointsText(theirs.Points), TheirMeasured: measuredText(theirs.Measured), TheirExpl: theirs.Explanation,
				By: cf.Theirs.UpdatedBy, At: i18n.DateTime(cf.Theirs.UpdatedAt)}
		}
		v.Counts["all"]++
		if len(row.Evidence) == 0 {
			v.Counts["noevidence"]++
		}
		if row.Adjusted {
			v.Counts["adjusted"]++
		}
		// A row with a problem or a conflict is always shown: what was
		// typed is never hidden by a filter.
		keep := st.filter == "" || st.filter == "noevidence" && len(row.Evidence) == 0 || st.filter == "adjusted" && row.Adjusted ||
			row.Problem != "" || row.Conflict != nil
		if !keep {
			continue
		}
		v.Rows = append(v.Rows, pendingAreas...)
		pendingAreas = pendingAreas[:0]
		v.Rows = append(v.Rows, row)
	}
	v.Progress = strconv.Itoa(done) + "/" + strconv.Itoa(leaves)
	v.AppraisedTotalKey = "appraisal.appraised_total"
	if done < leaves {
		// Running: the appraised values where there are some, the unit's
		// own elsewhere, so the appraiser sees what the adjustments do.
		running := map[int64]domain.Entry{}
		for id, sc := range stored {
			running[id] = sc.Self()
			if sc.Appraised() {
				running[id] = sc.AppraisedEntry()
			}
		}
		v.AppraisedTotal = domain.ComputeTotals(nodes, running).Converted.String()
		v.AppraisedTotalKey = "appraisal.running_total"
	}
	v.History = historyBox(ctx, recs, paths.AppraisalHistory(c.ID, a.ID))
	s.render(w, r, status, web.Appraisal(s.chrome(r, i18n.T(ctx, "appraisal.title", a.UnitName)), v))
	return nil
}

// showAppraisal shows one form's appraisal.
func (s *Server) showAppraisal(w http.ResponseWriter, r *http.Request) error {
	c, a, can, err := s.appraisalParam(r)
	if err != nil {
		return err
	}
	filter, err := appraisalFilter(r)
	if err != nil {
		return err
	}
	return s.renderAppraisal(w, r, http.StatusOK, c, a, appraisalState{filter: filter, can: can})
}

// acceptUnchanged adds, for every criterion sent with the form that has no
// appraised value yet and whose appraised inputs were left as loaded
// (untouched), the unit's own value as the appraised one.
func acceptUnchanged(nodes []domain.Criterion, stored map[int64]postgres.StoredScore, edits []postgres.ScoreEdit) []postgres.ScoreEdit {
	touched := map[int64]bool{}
	for _, e := range edits {
		if !domain.SameEntry(e.Entry, e.Orig) {
			touched[e.CriterionID] = true
		}
	}
	var out []postgres.ScoreEdit
	for _, e := range edits {
		sc := stored[e.CriterionID]
		if touched[e.CriterionID] || sc.Appraised() {
			out = append(out, e)
			continue
		}
		self := sc.Self()
		if self.Points == nil && !self.NA {
			out = append(out, e) // nothing to accept
			continue
		}
		value := domain.Entry{Points: self.Points, Measured: self.Measured, NA: self.NA, Explanation: e.Entry.Explanation}
		for _, n := range nodes {
			if n.ID == e.CriterionID && n.Method != domain.MethodTiers && n.Method != domain.MethodTargetShare {
				value.Measured = nil
			}
		}
		e.Entry = value
		out = append(out, e)
	}
	return out
}

// saveAppraisalForm saves what the appraiser changed (with accept, the
// untouched criteria take the unit's values) and reports whether to go on;
// otherwise it has rendered the form again with what was typed.
func (s *Server) saveAppraisalForm(w http.ResponseWriter, r *http.Request, c *domain.Campaign, a *domain.Assessment, accept bool) (bool, error) {
	ctx := r.Context()
	filter, err := appraisalFilter(r)
	if err != nil {
		return false, err
	}
	nodes, err := s.db.FormCriteria(ctx, a)
	if err != nil {
		return false, err
	}
	edits, fst := parseEntries(r, nodes, "a")
	st := appraisalState{formState: fst, filter: filter, can: true}
	if len(st.problems) > 0 {
		for _, n := range nodes {
			if key, ok := st.problems[n.ID]; ok {
				st.problems[n.ID] = i18n.T(ctx, key)
				st.note(ctx, n.ID, n.Code, st.problems[n.ID])
			}
		}
		return false, s.renderAppraisal(w, r, http.StatusUnprocessableEntity, c, a, st)
	}
	if accept {
		stored, err := s.db.Scores(ctx, a)
		if err != nil {
			return false, err
		}
		edits = acceptUnchanged(nodes, stored, edits)
	}
	conflicts, err := s.db.SaveAppraisal(ctx, a.ID, edits)
	var te domain.TreeErrors
	switch {
	case errors.As(err, &te):
		st.noteTree(ctx, te, nodes)
		return false, s.renderAppraisal(w, r, http.StatusUnprocessableEntity, c, a, st)
	case domain.ErrorCode(err) == domain.ECONFLICT:
		key, args := domain.ErrorMessage(err)
		st.note(ctx, 0, "", i18n.T(ctx, key, args...))
		fresh, ferr := s.db.AssessmentByID(ctx, a.ID)
		if ferr != nil {
			return false, ferr
		}
		return false, s.renderAppraisal(w, r, http.StatusConflict, c, fresh, st)
	case err != nil:
		return false, err
	}
	if len(conflicts) > 0 {
		st.conflicts = map[int64]postgres.Conflict{}
		for _, cf := range conflicts {
			st.conflicts[cf.CriterionID] = cf
		}
		for id := range st.typed {
			if _, clash := st.conflicts[id]; !clash {
				delete(st.typed, id)
			}
		}
		fresh, err := s.db.AssessmentByID(ctx, a.ID)
		if err != nil {
			return false, err
		}
		return false, s.renderAppraisal(w, r, http.StatusConflict, c, fresh, st)
	}
	return true, nil
}

// saveAppraisal saves an appraisal as a draft.
func (s *Server) saveAppraisal(w http.ResponseWriter, r *http.Request) error {
	return s.appraisalAction(w, r, false, false)
}

// acceptAllAppraisal saves what was typed and gives every untouched
// criterion still without an appraised value the unit's own value.
func (s *Server) acceptAllAppraisal(w http.ResponseWriter, r *http.Request) error {
	return s.appraisalAction(w, r, true, false)
}

// completeAppraisal saves what was typed, then completes the appraisal:
// refused while a criterion has no appraised value.
func (s *Server) completeAppraisal(w http.ResponseWriter, r *http.Request) error {
	return s.appraisalAction(w, r, false, true)
}

func (s *Server) appraisalAction(w http.ResponseWriter, r *http.Request, accept, complete bool) error {
	ctx := r.Context()
	c, a, can, err := s.appraisalParam(r)
	if err != nil {
		return err
	}
	if !can {
		// Staff read every form; they appraise only those assigned to them.
		return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	back := appraisalPath(c.ID, a.ID)
	if f := r.URL.Query().Get("filter"); f != "" {
		back += "?filter=" + f
	}
	if complete && a.Status == domain.AssessAppraised {
		http.Redirect(w, r, appraisalPath(c.ID, a.ID), http.StatusSeeOther) // a double click: the first completed it
		return nil
	}
	if err := a.CheckAppraisal(); err != nil {
		// Not (or no longer) in appraisal: nothing is written.
		filter, _ := appraisalFilter(r)
		st := appraisalState{formState: formState{problems: map[int64]string{}}, filter: filter, can: true}
		key, args := domain.ErrorMessage(err)
		st.note(ctx, 0, "", i18n.T(ctx, key, args...))
		return s.renderAppraisal(w, r, http.StatusConflict, c, a, st)
	}
	ok, err := s.saveAppraisalForm(w, r, c, a, accept)
	if !ok || err != nil {
		return err
	}
	if !complete {
		s.flash(ctx, "appraisal.flash.saved")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	if _, err := s.db.CompleteAppraisal(ctx, a.ID); err != nil {
		code := domain.ErrorCode(err)
		if code != domain.ECONFLICT && code != domain.EINVALID {
			return err
		}
		filter, _ := appraisalFilter(r)
		st := appraisalState{formState: formState{problems: map[int64]string{}}, filter: filter, can: true}
		key, args := domain.ErrorMessage(err)
		st.note(ctx, 0, "", i18n.T(ctx, key, args...))
		fresh, ferr := s.db.AssessmentByID(ctx, a.ID)
		if ferr != nil {
			return ferr
		}
		status := http.StatusConflict
		if code == domain.EINVALID {
			status = http.StatusUnprocessableEntity
		}
		return s.renderAppraisal(w, r, status, c, fresh, st)
	}
	s.flash(ctx, "appraisal.flash.completed")
	http.Redirect(w, r, appraisalPath(c.ID, a.ID), http.StatusSeeOther)
	return nil
}

// receiveAssessment marks a submitted form received (tiếp nhận), from the
// staff list of forms, the appraisal list or the form; back says where to
// return: "list" (the forms of the campaign), "appraisal" (the appraisal
// list) or the form's appraisal.
func (s *Server) receiveAssessment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r) // the route's policy is domain.CanReceive
	a, err := s.assessmentParam(r)
	if err != nil {
		return err
	}
	received, err := s.db.ReceiveAssessment(ctx, a.ID)
	if err != nil {
		return err
	}
	if received {
		s.flash(ctx, "appraisal.flash.received")
	}
	switch r.PostFormValue("back") {
	case "list":
		http.Redirect(w, r, paths.Assessments(c.ID), http.StatusSeeOther)
	case "appraisal":
		http.Redirect(w, r, appraisalPath(c.ID, 0), http.StatusSeeOther)
	default:
		http.Redirect(w, r, appraisalPath(c.ID, a.ID), http.StatusSeeOther)
	}
	return nil
}
