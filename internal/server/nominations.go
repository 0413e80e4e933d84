package server

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/internal/storage"
	"thidua/web"
)

// Nominations of individuals (issue 11): a focal point nominates its own
// unit's people for the campaign's individual awards and types the
// achievement report; staff receive or return each one with a reason. The
// report form is one multipart form (text first, then the two optional
// files), so a slow connection sends everything at once and a refusal of
// any part never loses what was typed: a refused file or submission still
// saves the draft, a form typed over an older version is merged field by
// field, and a field changed on both sides is shown in both versions.

// nominationFields are the controls of the new-nomination form, top to bottom.
var nominationNewFields = []string{"phase_id", "plan_id", "person_id"}

// nominationFormFields are the controls of the report form, top to bottom.
var nominationFormFields = append(append([]string{}, domain.ReportFields...), "report_file", "vote_file", "reason")

// nominationUploadPath reports whether path is a nomination's report form,
// which takes files (checkInput lets its multipart body through).
func nominationUploadPath(path string) bool {
	rest, ok := strings.CutPrefix(path, "/campaigns/")
	if !ok {
		return false
	}
	parts := strings.Split(rest, "/")
	return (len(parts) == 3 || len(parts) == 4 && parts[3] == "submit") && parts[1] == "nominations" && parts[0] != "" && parts[2] != ""
}

// nominations lists a campaign's nominations: a focal point's own unit's
// with the form to nominate one of its people, every unit's for staff.
func (s *Server) nominations(w http.ResponseWriter, r *http.Request) error {
	return s.renderNominations(w, r, http.StatusOK, postgres.NewNomination{}, web.Problems{})
}

func (s *Server) renderNominations(w http.ResponseWriter, r *http.Request, status int, typed postgres.NewNomination, problems web.Problems) error {
	ctx := r.Context()
	u := userFrom(ctx)
	c := campaignOf(r)
	staff := domain.CanReceiveNomination(u, accessOf(r))
	v := web.NominationsView{CampaignID: c.ID, Campaign: c.Title, Staff: staff, Problems: problems}
	var unitID int64
	if !staff {
		if u.UnitID == nil {
			return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
		}
		unitID = *u.UnitID
		v.UnitName = u.UnitName
	}
	list, err := s.db.Nominations(ctx, c.ID, unitID)
	if err != nil {
		return err
	}
	filter := r.URL.Query().Get("status")
	for _, st := range domain.NominationStatuses {
		n := 0
		for _, x := range list {
			if x.Status == st {
				n++
			}
		}
		if staff {
			v.Filters = append(v.Filters, web.Option{Value: string(st), Label: i18n.T(ctx, "nomination.status."+string(st)) + " (" + strconv.Itoa(n) + ")", Selected: filter == string(st)})
		}
	}
	for _, n := range list {
		if filter != "" && string(n.Status) != filter {
			continue
		}
		row := web.NominationRow{Href: paths.Nomination(c.ID, n.ID), Person: n.PersonName, Position: n.Report.Position, Unit: n.UnitName,
			Plan: n.PlanName, Phase: n.PhaseName, Status: string(n.Status), StatusKey: "nomination.status." + string(n.Status),
			Updated: i18n.DateTime(n.UpdatedAt), Reason: n.Reason}
		v.Rows = append(v.Rows, row)
	}
	if domain.CanNominate(u, accessOf(r)) {
		if c.Status != domain.StatusAnnounced {
			v.Closed = i18n.T(ctx, "nomination.campaign_closed")
		} else {
			v.CanNominate = true
			people, err := s.db.PeopleOfUnit(ctx, unitID, domain.DateOf(s.db.Now()))
			if err != nil {
				return err
			}
			for _, p := range people {
				label := p.FullName
				if p.Position != "" {
					label += " – " + p.Position
				}
				v.People = append(v.People, web.Option{Value: strconv.FormatInt(p.ID, 10), Label: label, Selected: p.ID == typed.PersonID})
			}
			plans, err := s.db.IndividualPlans(ctx, c.ID)
			if err != nil {
				return err
			}
			for _, p := range plans {
				v.Plans = append(v.Plans, web.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name, Selected: p.ID == typed.PlanID || len(plans) == 1})
			}
			phases, err := s.db.Phases(ctx, c.ID)
			if err != nil {
				return err
			}
			for _, p := range phases {
				v.Phases = append(v.Phases, web.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name, Selected: p.ID == typed.PhaseID || len(phases) == 1})
			}
		}
	}
	s.render(w, r, status, web.Nominations(s.chrome(r, i18n.T(ctx, "nomination.list.title")), v))
	return nil
}

// formID reads a whole number of a form, 0 when it is not one.
func formID(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// createNomination starts a draft for one of the unit's people; a second
// submission of the same choice opens the same nomination.
func (s *Server) createNomination(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	c := campaignOf(r)
	in := postgres.NewNomination{CampaignID: c.ID, UnitID: *u.UnitID, PhaseID: formID(r, "phase_id"), PlanID: formID(r, "plan_id"), PersonID: formID(r, "person_id")}
	id, err := s.db.CreateNomination(ctx, in)
	if err != nil {
		return refuse(ctx, err, nominationNewFields, func(status int, p web.Problems) error {
			return s.renderNominations(w, r, status, in, p)
		})
	}
	s.flash(ctx, "nomination.flash.created")
	http.Redirect(w, r, paths.Nomination(c.ID, id), http.StatusSeeOther)
	return nil
}

// nominationTarget loads {nominationID} of the campaign for a user who may
// see it: staff, or its unit's focal point. Anyone else gets the 404 of a
// missing nomination.
func (s *Server) nominationTarget(r *http.Request) (*domain.Nomination, error) {
	c := campaignOf(r)
	id, err := strconv.ParseInt(chi.URLParam(r, "nominationID"), 10, 64)
	if err != nil || id <= 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "nomination.not_found")
	}
	n, err := s.db.NominationByID(r.Context(), c.ID, id)
	if err != nil {
		return nil, err
	}
	if !domain.CanSeeNomination(userFrom(r.Context()), n.UnitID) {
		return nil, domain.Errorf(domain.ENOTFOUND, "nomination.not_found")
	}
	return n, nil
}

// nominationState is what re-rendering a nomination needs besides the
// stored data: what was typed, what conflicts, what went wrong.
type nominationState struct {
	typed     *domain.NominationReport
	conflicts map[string]string // field → the stored text it conflicts with
	readOnly  bool              // the typed text can no longer be saved: shown to copy
	notice    string
	reason    string // the return reason typed by staff
	problems  web.Problems
}

func (s *Server) nominationPage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.nominationTarget(r)
	if err != nil {
		return err
	}
	return s.renderNomination(w, r, http.StatusOK, n, nominationState{})
}

// fieldHints are the report's labels and hints, by field.
var reportRows = map[string]int{"position": 1, "tasks": 5, "achievements": 10, "initiatives": 5, "prior_awards": 4}

func (s *Server) renderNomination(w http.ResponseWriter, r *http.Request, status int, n *domain.Nomination, st nominationState) error {
	ctx := r.Context()
	u := userFrom(ctx)
	c := campaignOf(r)
	v := web.NominationView{CampaignID: c.ID, ID: n.ID, Campaign: c.Title, Person: n.PersonName, Unit: n.UnitName, Plan: n.PlanName,
		Phase: n.PhaseName, Status: string(n.Status), StatusKey: "nomination.status." + string(n.Status), Reason: n.Reason,
		Version: n.Version, Problems: st.problems, Notice: st.notice, ReturnReason: st.reason, MaxMB: s.cfg.MaxUploadBytes >> 20,
		Action: paths.Nomination(c.ID, n.ID), SubmitAction: paths.NominationAction(c.ID, n.ID, "submit"), Back: paths.Nominations(c.ID)}
	if n.UpdatedBy != "" {
		v.Updated = i18n.T(ctx, "nomination.updated", i18n.DateTime(n.UpdatedAt), n.UpdatedBy)
	}
	own := domain.CanEditNomination(u, n.UnitID)
	v.Editable = own && n.Status.Editable() && c.Status == domain.StatusAnnounced && !st.readOnly
	staff := domain.CanReceiveNomination(u, accessOf(r))
	v.CanReceive = staff && n.Status == domain.NominationSubmitted
	v.CanReturn = staff && (n.Status == domain.NominationSubmitted || n.Status == domain.NominationReceived)
	report := n.Report
	if st.typed != nil {
		report = *st.typed
	}
	for _, f := range domain.ReportFields {
		rf := web.ReportField{Name: f, Label: i18n.T(ctx, "nomination.field."+f), Hint: i18n.T(ctx, "nomination.hint."+f),
			Value: report.Field(f), Hash: domain.ReportHash(n.Report.Field(f)), Rows: reportRows[f], Max: domain.ReportLimit(f),
			Problem: st.problems.Of(f)}
		if theirs, ok := st.conflicts[f]; ok {
			rf.Theirs, rf.Conflict = theirs, true
			rf.TheirsBy = v.Updated
		}
		v.Fields = append(v.Fields, rf)
	}
	for _, f := range []struct {
		name string
		id   *int64
		dst  **web.NominationFile
	}{{"report_file", n.ReportFileID, &v.ReportFile}, {"vote_file", n.VoteFileID, &v.VoteFile}} {
		ef, err := s.db.NominationFile(ctx, f.id)
		if err != nil {
			return err
		}
		if ef != nil {
			*f.dst = &web.NominationFile{Name: domain.EvidenceFileName(ef.FileName, ef.ContentType), Size: humanSize(ef.Size), Href: paths.EvidenceFile(ef.Key)}
		}
	}
	steps, err := s.db.NominationSteps(ctx, n.ID)
	if err != nil {
		return err
	}
	for _, step := range steps {
		line := web.NominationStepLine{When: i18n.DateTime(step.At), Who: orSystem(ctx, step.Actor), To: i18n.T(ctx, "nomination.status."+string(step.To)),
			ToStatus: string(step.To), Reason: step.Reason}
		if step.From != "" {
			line.From = i18n.T(ctx, "nomination.status."+string(step.From))
		}
		v.Steps = append(v.Steps, line)
	}
	if own && c.Status != domain.StatusAnnounced {
		v.Closed = i18n.T(ctx, "nomination.campaign_closed")
	}
	s.render(w, r, status, web.NominationPage(s.chrome(r, i18n.T(ctx, "nomination.title", n.PersonName)), v))
	return nil
}

// nominationForm is the report form as sent.
type nominationForm struct {
	edit     postgres.NominationEdit
	problems web.Problems
	status   int // the status of the worst file problem
}

// readNominationForm reads the multipart report form: the texts, the
// hashes and version they were typed over, then the files, streamed into
// the evidence store (size limit, type sniffed by content, SHA-256). A
// refused file becomes a problem of its field; the texts are kept.
func (s *Server) readNominationForm(w http.ResponseWriter, r *http.Request) (*nominationForm, error) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, 2*s.cfg.MaxUploadBytes+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "import.upload.bad")
	}
	f := &nominationForm{edit: postgres.NominationEdit{Orig: map[string]string{}}}
	refuseFile := func(status int, field, key string, args ...any) {
		fieldProblem(ctx, &f.problems, field, key, args...)
		if status > f.status {
			f.status = status
		}
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			// What came before (the texts, first on the form) is kept.
			refuseFile(http.StatusRequestEntityTooLarge, "", "nomination.file.too_large", uploadLimit(s.cfg.MaxUploadBytes))
			return f, nil
		}
		if err != nil {
			return nil, uploadError(err)
		}
		name := part.FormName()
		switch {
		case domain.ReportLimit(name) > 0:
			// Four bytes a character at most; a little more tells "too long".
			b, err := io.ReadAll(io.LimitReader(part, int64(domain.ReportLimit(name))*4+4))
			if err != nil {
				return nil, uploadError(err)
			}
			f.edit.Report.SetField(name, string(b))
		case strings.HasPrefix(name, "h_"), name == "version", name == "remove_report_file", name == "remove_vote_file":
			b, err := io.ReadAll(io.LimitReader(part, 64))
			if err != nil {
				return nil, uploadError(err)
			}
			val := string(bytes.TrimSpace(b))
			switch name {
			case "version":
				f.edit.Version, _ = strconv.Atoi(val)
			case "remove_report_file":
				f.edit.RemoveReport = val == "1"
			case "remove_vote_file":
				f.edit.RemoveVote = val == "1"
			default:
				f.edit.Orig[strings.TrimPrefix(name, "h_")] = val
			}
		case name == "report_file" || name == "vote_file":
			typed := part.FileName()
			var contentType string
			sum, size, err := s.store.Put(ctx, part, s.cfg.MaxUploadBytes, func(f io.ReaderAt, size int64) error {
				var err error
				contentType, err = storage.SniffEvidence(f, size)
				return err
			})
			switch {
			case errors.Is(err, storage.ErrEmpty) && typed == "":
				continue // no file chosen
			case errors.Is(err, storage.ErrTooLarge), errors.As(err, &tooLarge):
				refuseFile(http.StatusRequestEntityTooLarge, name, "nomination.file.too_large", uploadLimit(s.cfg.MaxUploadBytes))
				if errors.As(err, &tooLarge) {
					return f, nil
				}
				continue
			case errors.Is(err, storage.ErrEmpty):
				refuseFile(http.StatusUnprocessableEntity, name, "assessment.evidence.empty", cleanFileName(typed))
				continue
			case errors.Is(err, storage.ErrUnsupported):
				refuseFile(http.StatusUnsupportedMediaType, name, "nomination.file.unsupported")
				continue
			case errors.Is(err, storage.ErrNoSpace):
				var full *storage.Error
				errors.As(err, &full)
				s.log.Error("evidence store out of space", "request_id", requestID(ctx), "store", full.Dir, "op", full.Op, "err", err)
				refuseFile(http.StatusInsufficientStorage, name, "error.no_space")
				continue
			case err != nil:
				var storeErr *storage.Error
				if errors.As(err, &storeErr) {
					return nil, err
				}
				return nil, uploadError(err)
			}
			ef := &postgres.EvidenceFile{Key: newIdempotencyKey() + newIdempotencyKey()[:16], SHA256: sum, Size: size, ContentType: contentType,
				FileName: domain.EvidenceFileName(typed, contentType)}
			if name == "report_file" {
				f.edit.ReportFile = ef
			} else {
				f.edit.VoteFile = ef
			}
		}
	}
}

// saveNomination saves the report as a draft or, from the submit button's
// route, saves and submits it.
func (s *Server) saveNomination(submit bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		u := userFrom(ctx)
		c := campaignOf(r)
		n, err := s.nominationTarget(r)
		if err != nil {
			return err
		}
		if !domain.CanEditNomination(u, n.UnitID) {
			return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
		}
		form, err := s.readNominationForm(w, r)
		if err != nil {
			return err
		}
		typed := form.edit.Report
		// A refused file: the draft is saved, not submitted.
		form.edit.Submit = submit && !form.problems.Any()
		res, err := s.db.SaveNomination(ctx, c.ID, n.ID, n.UnitID, form.edit)
		if err != nil {
			st := nominationState{typed: &typed, problems: form.problems}
			if domain.ErrorCode(err) == domain.ECONFLICT && !errors.Is(err, postgres.ErrUploadGone) {
				st.readOnly = true // no longer the unit's to change: shown to copy
			}
			return refuse(ctx, err, nominationFormFields, func(status int, p web.Problems) error {
				for _, q := range p.Fields() {
					st.problems.Field(q.Field, q.Text)
				}
				for _, m := range p.FormMessages() {
					st.problems.Form(m)
				}
				if n2, err := s.db.NominationByID(ctx, c.ID, n.ID); err == nil {
					n = n2
				}
				return s.renderNomination(w, r, status, n, st)
			})
		}
		switch {
		case len(res.Conflicts) > 0:
			st := nominationState{typed: &res.Typed, conflicts: map[string]string{}, problems: form.problems}
			for _, f := range res.Conflicts {
				st.conflicts[f] = res.Current.Report.Field(f)
			}
			st.problems.Form(i18n.T(ctx, "nomination.conflicts", len(res.Conflicts)))
			return s.renderNomination(w, r, http.StatusConflict, res.Current, st)
		case form.problems.Any():
			st := nominationState{problems: form.problems, notice: i18n.T(ctx, "nomination.notice.saved_without_file")}
			if submit {
				st.problems.Form(i18n.T(ctx, "nomination.notice.not_submitted"))
			}
			return s.renderNomination(w, r, form.status, res.Current, st)
		case res.SubmitRefused != nil:
			return refuse(ctx, res.SubmitRefused, nominationFormFields, func(status int, p web.Problems) error {
				return s.renderNomination(w, r, status, res.Current, nominationState{problems: p, notice: i18n.T(ctx, "nomination.notice.saved_not_submitted")})
			})
		case res.AlreadySubmitted:
			s.flash(ctx, "nomination.flash.already_submitted")
		case res.Submitted:
			s.flash(ctx, "nomination.flash.submitted")
		case res.Merged:
			s.flash(ctx, "nomination.flash.merged")
		default:
			s.flash(ctx, "nomination.flash.saved")
		}
		http.Redirect(w, r, paths.Nomination(c.ID, n.ID), http.StatusSeeOther)
		return nil
	}
}

// receiveNomination marks a submitted nomination received (staff).
func (s *Server) receiveNomination(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	n, err := s.nominationTarget(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	already, err := s.db.ReceiveNomination(ctx, c.ID, n.ID, version)
	if err != nil {
		return s.nominationRefused(w, r, n, "", err)
	}
	if already {
		s.flash(ctx, "nomination.flash.already_received")
	} else {
		s.flash(ctx, "nomination.flash.received")
	}
	http.Redirect(w, r, paths.Nomination(c.ID, n.ID), http.StatusSeeOther)
	return nil
}

// returnNomination returns a nomination to its unit with a reason (staff).
func (s *Server) returnNomination(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	n, err := s.nominationTarget(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	reason := r.PostFormValue("reason")
	already, err := s.db.ReturnNomination(ctx, c.ID, n.ID, version, reason)
	if err != nil {
		return s.nominationRefused(w, r, n, reason, err)
	}
	if already {
		s.flash(ctx, "nomination.flash.already_returned")
	} else {
		s.flash(ctx, "nomination.flash.returned")
	}
	http.Redirect(w, r, paths.Nomination(c.ID, n.ID), http.StatusSeeOther)
	return nil
}

// nominationRefused shows the nomination again after staff's action was
// refused, with the reason typed.
func (s *Server) nominationRefused(w http.ResponseWriter, r *http.Request, n *domain.Nomination, reason string, err error) error {
	ctx := r.Context()
	return refuse(ctx, err, []string{"reason"}, func(status int, p web.Problems) error {
		if n2, err := s.db.NominationByID(ctx, n.CampaignID, n.ID); err == nil {
			n = n2
		}
		return s.renderNomination(w, r, status, n, nominationState{problems: p, reason: reason})
	})
}
