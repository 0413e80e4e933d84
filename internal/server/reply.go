package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// The reply stage of a form (giải trình bổ sung): the unit's focal point
// replies to the adjusted criteria, the appraiser (or staff) answers each
// reply and locks the result; staff may reopen a locked form with a reason.

// replyRole is who looks at a form's reply page.
type replyRole int

const (
	replyUnit      replyRole = iota + 1 // the unit's own focal point
	replyAppraiser                      // an appraiser assigned to the form
	replyStaff                          // staff (and administrators)
)

// replyTarget loads {assessmentID} for its reply page and says in which
// role the user sees it: anyone else gets the 404 of a missing form.
func (s *Server) replyTarget(r *http.Request) (*domain.Campaign, *domain.Assessment, replyRole, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	c := campaignOf(r)
	a, err := routeForm(r)
	if err != nil {
		return nil, nil, 0, err
	}
	// An appraiser of the form: assigned to it (not recused) and on the
	// campaign's appraisal team for its phase, whatever their global role.
	if u != nil && accessOf(r).Member(domain.MemberAppraiser, a.PhaseID) {
		asg, err := s.db.AssignmentOf(ctx, c.ID, a.ID, u.ID)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return nil, nil, 0, err
		}
		if err == nil && domain.CanAppraise(u, accessOf(r), asg) {
			return c, a, replyAppraiser, nil
		}
	}
	switch {
	case domain.CanReceive(u, accessOf(r)):
		return c, a, replyStaff, nil
	case domain.CanReply(u, a.UnitID) && c.Status.Public():
		return c, a, replyUnit, nil
	}
	return nil, nil, 0, domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
}

// replyState is what re-rendering the reply page needs besides the stored
// data: what was typed and what went wrong.
type replyState struct {
	replies   map[int64]string
	conflicts map[int64]postgres.Conflict
	answer    *typedAnswer
	reopen    string
	problems  []string
	errors    map[string]string
}

// typedAnswer is an answer as sent, shown back when it is refused.
type typedAnswer struct {
	criterionID      int64
	decision, value  string
	na               bool
	reason, errorKey string
}

func (s *Server) replyPage(w http.ResponseWriter, r *http.Request) error {
	c, a, role, err := s.replyTarget(r)
	if err != nil {
		return err
	}
	return s.renderReply(w, r, http.StatusOK, c, a, role, replyState{})
}

// valueText shows a criterion's value; percent: the measured value is a
// percentage (a criterion scored by tiers).
func valueText(ctx context.Context, v domain.Entry, percent bool) string {
	switch {
	case v.NA:
		return i18n.T(ctx, "score.na")
	case v.Points == nil:
		return "—"
	case v.Measured != nil && percent:
		return i18n.T(ctx, "reply.measured.percent", domain.Points(*v.Measured).String(), v.Points.String())
	case v.Measured != nil:
		return i18n.T(ctx, "reply.measured", domain.Points(*v.Measured).String(), v.Points.String())
	}
	return v.Points.String()
}

func (s *Server) renderReply(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, a *domain.Assessment, role replyRole, st replyState) error {
	ctx := r.Context()
	names, err := s.db.ReplyNames(ctx, a.ID)
	if err != nil {
		return err
	}
	nodes, err := s.db.FormCriteria(ctx, a)
	if err != nil {
		return err
	}
	// The reply page shows each adjusted criterion's own changes: it reads
	// the history as far back as the form pages did before they showed
	// only its end.
	recs, err := s.db.FormRecords(ctx, a, replyHistory)
	if err != nil {
		return err
	}
	scores, evidence, history := recs.Scores, recs.Evidence, recs.History
	now := s.db.Now()
	day := domain.DateOf(now)
	base := paths.Assessment(c.ID, a.ID)
	v := web.ReplyView{CampaignID: c.ID, ID: a.ID, Campaign: c.Title, Unit: a.UnitName, Phase: a.PhaseName, FormHref: base, Action: base + "/reply",
		StatusKey: "reply.status." + string(a.Status), ForUnit: role == replyUnit, Problems: st.problems, Errors: st.errors, Reopen: st.reopen,
		Self: a.Converted.String(), Appraised: a.AppraisedConverted.String(), Final: a.FinalConverted.String()}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	if role != replyAppraiser {
		v.BackHref, v.BackKey = base, "assessment.back_to_form"
	} else {
		v.BackHref, v.BackKey = appraisalPath(c.ID, a.ID), "appraisal.back_to_form"
	}
	if a.Status == domain.AssessAppraised && a.ReplySent != nil {
		v.StatusKey = "reply.status.replied" // the appraiser's turn, no longer the unit's
	}
	appraiser := role == replyAppraiser || role == replyStaff // may lock
	switch {
	case a.Status != domain.AssessAppraised && a.Status != domain.AssessLocked:
		v.Notice = i18n.T(ctx, "reply.notice.not_appraised")
	case a.Status == domain.AssessLocked:
		v.Notice = i18n.T(ctx, "reply.notice.locked", i18n.DateTime(*a.LockedAt), orSystem(ctx, names.LockedBy))
	case a.ReplySent != nil:
		v.Notice = i18n.T(ctx, "reply.notice.sent", i18n.DateTime(*a.ReplySent), orSystem(ctx, names.ReplySentBy))
	case a.ReplyUntil != nil && !day.After(*a.ReplyUntil):
		v.Notice = i18n.T(ctx, "reply.notice.open", i18n.Day(*a.ReplyUntil))
	case a.ReplyUntil != nil:
		v.Notice = i18n.T(ctx, "reply.notice.over", i18n.Day(*a.ReplyUntil))
	}
	v.CanReply = role == replyUnit && a.Reply(day) == nil
	v.CanAnswer = role == replyAppraiser && a.CheckAnswer(day) == nil
	v.CanReopen = role == replyStaff && a.Status == domain.AssessLocked
	if appraiser && a.Status == domain.AssessAppraised {
		undecided := 0
		for _, sc := range scores {
			if sc.ReplyAt != nil && sc.ReplyDecision == "" {
				undecided++
			}
		}
		trial := *a // Lock changes the record: try it on a copy
		if _, err := trial.Lock(day, now, undecided); err != nil {
			key, args := domain.ErrorMessage(err)
			v.LockBlocked = i18n.T(ctx, key, args...)
		} else {
			v.CanLock = true
		}
	}
	byCriterion := map[int64][]web.EvidenceItem{}
	for _, e := range evidence {
		byCriterion[e.CriterionID] = append(byCriterion[e.CriterionID], web.EvidenceItem{Key: e.Key, Name: domain.EvidenceFileName(e.FileName, e.ContentType),
			Size: humanSize(e.Size), Reference: e.Reference, Href: "/evidence/" + e.Key, DuringReply: e.DuringReply})
	}
	// The form's latest changes, as on the form pages, and each criterion's
	// own changes beside it.
	all := paths.AssessmentHistory(c.ID, a.ID)
	if role == replyAppraiser {
		all = paths.AppraisalHistory(c.ID, a.ID)
	}
	v.History = web.HistoryBox{Total: recs.HistoryTotal, AllHref: all}
	byCode := map[string][]string{}
	for i, h := range history {
		line := historyLine(ctx, h)
		if i < formHistoryShown {
			v.History.Lines = append(v.History.Lines, line)
		}
		if h.Code != "" {
			byCode[h.Code] = append(byCode[h.Code], line)
		}
	}
	for _, n := range domain.Leaves(nodes) {
		sc, ok := scores[n.ID]
		if !ok || !sc.Adjusted(&n) {
			continue
		}
		id := strconv.FormatInt(n.ID, 10)
		percent := n.Method == domain.MethodTiers
		row := web.ReplyRow{ID: n.ID, Code: n.Code, Title: n.Title, Max: n.Max.String(), MethodHint: describeMethod(ctx, n),
			Self: valueText(ctx, sc.Self(), percent), SelfExpl: sc.Explanation, Appraised: valueText(ctx, sc.AppraisedEntry(), percent),
			Final:   valueText(ctx, sc.FinalEntry(), percent),
			Comment: sc.AppraisalComment, Source: sc.AppraisalSource, AppraisedBy: sc.AppraisedBy, Reply: sc.Reply, OrigReply: sc.Reply,
			Version: sc.Version, Decision: sc.ReplyDecision, Reason: sc.ReplyReason, Evidence: byCriterion[n.ID], History: byCode[n.Code],
			EvidenceURL: base + "/criteria/" + id + "/evidence", AnswerAction: base + "/reply/" + id + "/answer",
			YesNo: n.Method == domain.MethodYesNo, Measured: n.Method == domain.MethodTiers || n.Method == domain.MethodTargetShare,
			AllowNA: n.AllowNA}
		if sc.ReplyAt != nil {
			row.ReplyAt = i18n.DateTime(*sc.ReplyAt)
		}
		// The answer form starts from the current answer, or from the
		// unit's own value: accepting the reply usually means that.
		row.AnswerDecision = sc.ReplyDecision
		start := sc.Self()
		if sc.ReplyDecision == domain.ReplyAccepted {
			start = sc.FinalEntry()
		}
		if row.Measured {
			row.AnswerValue = measuredText(start.Measured)
		} else {
			row.AnswerValue = pointsText(start.Points)
		}
		row.AnswerNA = start.NA
		row.AnswerReason = sc.ReplyReason
		if t, ok := st.replies[n.ID]; ok {
			row.Reply = t
		}
		if cf, ok := st.conflicts[n.ID]; ok {
			row.Conflict = i18n.T(ctx, "reply.conflict", cf.Theirs.UpdatedBy, i18n.DateTime(cf.Theirs.UpdatedAt), cf.Theirs.Reply)
		}
		if t := st.answer; t != nil && t.criterionID == n.ID {
			row.AnswerDecision, row.AnswerValue, row.AnswerNA, row.AnswerReason = t.decision, t.value, t.na, t.reason
			row.AnswerError = t.errorKey
			row.AnswerOpen = true
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, status, web.Reply(s.chrome(r, i18n.T(ctx, "reply.title", a.UnitName)), v))
	return nil
}

func orSystem(ctx context.Context, name string) string {
	if name == "" {
		return i18n.T(ctx, "audit.system")
	}
	return name
}

// replyFailed shows the reply page again after a refused change: a
// conflict or a problem of input, with what was typed; anything else is an
// error page.
func (s *Server) replyFailed(w http.ResponseWriter, r *http.Request, c *domain.Campaign, a *domain.Assessment, role replyRole, st replyState, err error) error {
	ctx := r.Context()
	var ve *domain.ValidationError
	switch {
	case errors.As(err, &ve):
		if st.errors == nil {
			st.errors = map[string]string{}
		}
		for k, m := range ve.Fields {
			st.errors[k] = m
			st.problems = append(st.problems, i18n.T(ctx, m))
		}
		return s.renderReply(w, r, http.StatusUnprocessableEntity, c, a, role, st)
	case domain.ErrorCode(err) == domain.ECONFLICT:
		key, args := domain.ErrorMessage(err)
		st.problems = append(st.problems, i18n.T(ctx, key, args...))
		return s.renderReply(w, r, http.StatusConflict, c, a, role, st)
	}
	var te domain.TreeErrors
	if errors.As(err, &te) {
		for _, p := range te {
			st.problems = append(st.problems, p.Code+": "+i18n.T(ctx, p.Message, p.Args...))
		}
		return s.renderReply(w, r, http.StatusUnprocessableEntity, c, a, role, st)
	}
	return err
}

// saveReply saves the unit's replies as a draft (or, from the send button's
// route, sends them).
func (s *Server) saveReply(send bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		c, a, role, err := s.replyTarget(r)
		if err != nil {
			return err
		}
		if role != replyUnit {
			return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
		}
		st := replyState{replies: map[int64]string{}, conflicts: map[int64]postgres.Conflict{}}
		var edits []postgres.ScoreEdit
		for key, vals := range r.PostForm {
			if !strings.HasPrefix(key, "r_") || len(vals) == 0 {
				continue
			}
			id, err := strconv.ParseInt(strings.TrimPrefix(key, "r_"), 10, 64)
			if err != nil || id <= 0 {
				return domain.Errorf(domain.EINVALID, "field.invalid")
			}
			sid := strconv.FormatInt(id, 10)
			version, _ := strconv.Atoi(r.PostFormValue("v_" + sid))
			edits = append(edits, postgres.ScoreEdit{CriterionID: id, Entry: domain.Entry{Explanation: vals[0]},
				Orig: domain.Entry{Explanation: r.PostFormValue("o_" + sid)}, Version: version})
			st.replies[id] = vals[0]
		}
		sent, conflicts, err := s.db.SaveReplies(ctx, a.ID, edits, send)
		if err != nil {
			return s.replyFailed(w, r, c, a, role, st, err)
		}
		if len(conflicts) > 0 {
			for _, cf := range conflicts {
				st.conflicts[cf.CriterionID] = cf
			}
			st.problems = append(st.problems, i18n.T(ctx, "reply.conflicts", len(conflicts)))
			return s.renderReply(w, r, http.StatusConflict, c, a, role, st)
		}
		switch {
		case sent:
			s.flash(ctx, "reply.flash.sent")
		case send:
			s.flash(ctx, "reply.flash.already_sent")
		default:
			s.flash(ctx, "reply.flash.saved")
		}
		http.Redirect(w, r, paths.Assessment(c.ID, a.ID)+"/reply", http.StatusSeeOther)
		return nil
	}
}

// answerReply records the appraiser's answer to one criterion's reply.
func (s *Server) answerReply(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, a, role, err := s.replyTarget(r)
	if err != nil {
		return err
	}
	if role != replyAppraiser { // nobody appraises a form not assigned to them (domain.CanAppraise)
		return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	cid, err := strconv.ParseInt(chi.URLParam(r, "criterionID"), 10, 64)
	if err != nil || cid <= 0 {
		return domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
	}
	t := &typedAnswer{criterionID: cid, decision: r.PostFormValue("decision"), value: r.PostFormValue("value"),
		na: r.PostFormValue("na") == "1", reason: r.PostFormValue("reason")}
	st := replyState{answer: t}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	ans := domain.ReplyAnswer{Decision: t.decision, Reason: t.reason, Value: domain.Entry{NA: t.na}}
	if ans.Decision == domain.ReplyAccepted && !t.na && strings.TrimSpace(t.value) != "" {
		p, ok := domain.ParsePoints(t.value)
		if !ok {
			t.errorKey = "score.invalid_number"
			st.problems = append(st.problems, i18n.T(ctx, "score.invalid_number"))
			return s.renderReply(w, r, http.StatusUnprocessableEntity, c, a, role, st)
		}
		nodes, err := s.db.FormCriteria(ctx, a)
		if err != nil {
			return err
		}
		for _, n := range nodes {
			if n.ID == cid && (n.Method == domain.MethodTiers || n.Method == domain.MethodTargetShare) {
				m := int64(p)
				ans.Value.Measured = &m
			}
		}
		if ans.Value.Measured == nil {
			ans.Value.Points = &p
		}
	}
	if err := s.db.AnswerReply(ctx, a.ID, cid, version, ans); err != nil {
		if ve := (*domain.ValidationError)(nil); errors.As(err, &ve) {
			for _, k := range []string{"decision", "value", "reason"} {
				if m, ok := ve.Fields[k]; ok && t.errorKey == "" {
					t.errorKey = m
				}
			}
		}
		return s.replyFailed(w, r, c, a, role, st, err)
	}
	s.flash(ctx, "reply.flash.answered")
	http.Redirect(w, r, paths.Assessment(c.ID, a.ID)+"/reply#c-"+strconv.FormatInt(cid, 10), http.StatusSeeOther)
	return nil
}

// lockResult locks the form's result ("Khóa kết quả").
func (s *Server) lockResult(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, a, role, err := s.replyTarget(r)
	if err != nil {
		return err
	}
	if role != replyAppraiser && role != replyStaff {
		return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	locked, err := s.db.LockAssessment(ctx, a.ID)
	if err != nil {
		return s.replyFailed(w, r, c, a, role, replyState{}, err)
	}
	if locked {
		s.flash(ctx, "reply.flash.locked")
	} else {
		s.flash(ctx, "reply.flash.already_locked")
	}
	http.Redirect(w, r, paths.Assessment(c.ID, a.ID)+"/reply", http.StatusSeeOther)
	return nil
}

// reopenResult reopens a locked form, staff only, with a reason.
func (s *Server) reopenResult(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, a, role, err := s.replyTarget(r)
	if err != nil {
		return err
	}
	if role != replyStaff {
		return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	reason := r.PostFormValue("reason")
	if err := s.db.ReopenAssessment(ctx, a.ID, reason); err != nil {
		return s.replyFailed(w, r, c, a, role, replyState{reopen: reason}, err)
	}
	s.flash(ctx, "reply.flash.reopened")
	http.Redirect(w, r, paths.Assessment(c.ID, a.ID)+"/reply", http.StatusSeeOther)
	return nil
}

// replyHistoryLine describes a line of the reply stage in a form's history.
func replyHistoryLine(ctx context.Context, h postgres.HistoryRecord, when, who string) (string, bool) {
	switch h.Action {
	case "reply", "reply_submit", "reply_answer", "lock", "reopen":
	default:
		return "", false
	}
	var v struct {
		Reply    string `json:"explanation"`
		Replies  int    `json:"replies"`
		Decision string `json:"decision"`
		Reason   string `json:"reason"`
		Final    struct {
			Points   *domain.Points `json:"points"`
			Measured *int64         `json:"measured"`
			NA       bool           `json:"na"`
		} `json:"final"`
		Converted domain.Points `json:"final_converted"`
	}
	_ = json.Unmarshal(h.New, &v)
	switch h.Action {
	case "reply":
		return i18n.T(ctx, "reply.history.reply", when, who, h.Code, v.Reply), true
	case "reply_submit":
		return i18n.T(ctx, "reply.history.submit", when, who, v.Replies), true
	case "reply_answer":
		final := valueText(ctx, domain.Entry{Points: v.Final.Points, Measured: v.Final.Measured, NA: v.Final.NA}, false)
		if v.Decision == domain.ReplyAccepted {
			return i18n.T(ctx, "reply.history.accepted", when, who, h.Code, final), true
		}
		return i18n.T(ctx, "reply.history.kept", when, who, h.Code, final, v.Reason), true
	case "lock":
		return i18n.T(ctx, "reply.history.lock", when, who, v.Converted.String()), true
	case "reopen":
		return i18n.T(ctx, "reply.history.reopen", when, who, v.Reason), true
	}
	return "", false
}
