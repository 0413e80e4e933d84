package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"thidua/internal/document"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// The award decision, staff's and leaders' side: the list, the draft from
// a closed session's passing nominees, its page (staff edit a draft, a
// leader who did not draft it signs, staff revoke a signed one by a new
// decision), its PDF and certificates, and the issuing bodies.

// decisionOf loads the decision of the route.
func (s *Server) decisionOf(r *http.Request) (*postgres.DecisionInfo, error) {
	id, err := pathID(r, "decisionID", "decision.not_found")
	if err != nil {
		return nil, err
	}
	return s.db.DecisionByID(r.Context(), id)
}

// vnDate writes a date as the place-and-date line of Nghị định 30/2020
// does: days under 10 and the months January and February with a leading
// zero ("ngày 05 tháng 02 năm 2026", "ngày 15 tháng 6 năm 2026").
func vnDate(d time.Time) string {
	month := strconv.Itoa(int(d.Month()))
	if d.Month() <= 2 {
		month = "0" + month
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", d.Day(), month, d.Year())
}

// placeDate is the place-and-date line; a draft leaves the date blank.
func placeDate(place string, d *time.Time) string {
	if d == nil {
		return place + ", ngày      tháng      năm      "
	}
	return place + ", " + vnDate(*d)
}

// decisionHeading names a decision: its number and date, or "Dự thảo".
func decisionHeading(ctx context.Context, d *postgres.DecisionInfo) string {
	if d.Number == "" {
		return i18n.T(ctx, "decision.heading.draft", d.Title)
	}
	return i18n.T(ctx, "decision.heading.signed", d.Number, i18n.Day(*d.Date))
}

// numberAndDate is "05/QĐ-UBND ngày 05/12/2026".
func numberAndDate(ctx context.Context, number string, date *time.Time) string {
	if date == nil {
		return number
	}
	return i18n.T(ctx, "decision.number_date", number, i18n.Day(*date))
}

// lines splits a stored multi-line text.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// firstArticle is Điều 1 of a decision: the awards, or the revocation.
func (s *Server) firstArticle(ctx context.Context, d *postgres.DecisionInfo, awardees []domain.Awardee) (string, error) {
	if d.Kind == domain.DecisionRevocation {
		orig, err := s.db.DecisionByID(ctx, *d.RevokesID)
		if err != nil {
			return "", err
		}
		title := orig.Title
		if rest, ok := strings.CutPrefix(title, "Về việc"); ok {
			title = "về việc" + rest
		}
		return i18n.T(ctx, "decision.article1.revoke", numberAndDate(ctx, orig.Number, orig.Date), orig.Issuer.Name, title,
			strings.TrimSuffix(d.Reason, ".")), nil
	}
	var forms []string
	seen := map[string]bool{}
	persons, units := 0, 0
	for _, a := range awardees {
		if !seen[a.FormName] {
			seen[a.FormName] = true
			forms = append(forms, a.FormName)
		}
		if a.Target == domain.TargetIndividual {
			persons++
		} else {
			units++
		}
	}
	var who string
	switch {
	case persons > 0 && units > 0:
		who = i18n.T(ctx, "decision.who.both", persons, units)
	case persons > 0:
		who = i18n.T(ctx, "decision.who.persons", persons)
	default:
		who = i18n.T(ctx, "decision.who.units", units)
	}
	achievement := strings.TrimSuffix(d.Achievement, ".")
	return i18n.T(ctx, "decision.article1.award", strings.Join(forms, ", "), who, achievement), nil
}

// awardeeSections puts awardees in the appendix's sections: I. Cá nhân,
// II. Tập thể (numbered as they appear). certs, when not nil, links each
// one's certificate.
func awardeeSections(ctx context.Context, awardees []domain.Awardee, certs func(awardeeID int64) string) []web.AwardeeSection {
	var persons, units web.AwardeeSection
	for _, a := range awardees {
		row := web.AwardeeRow{Name: a.Name, Position: a.Position, Form: a.FormName}
		if a.Amount != nil {
			row.Amount = domain.Money(*a.Amount)
		}
		if certs != nil {
			row.CertificateHref = certs(a.ID)
		}
		if a.Target == domain.TargetIndividual {
			row.No = len(persons.Rows) + 1
			persons.Rows = append(persons.Rows, row)
		} else {
			row.No = len(units.Rows) + 1
			units.Rows = append(units.Rows, row)
		}
	}
	var out []web.AwardeeSection
	n := 0
	for _, sec := range []struct {
		s   web.AwardeeSection
		key string
	}{{persons, "decision.section.persons"}, {units, "decision.section.units"}} {
		if len(sec.s.Rows) == 0 {
			continue
		}
		n++
		sec.s.Heading = roman(n) + ". " + i18n.T(ctx, sec.key)
		out = append(out, sec.s)
	}
	return out
}

func roman(n int) string {
	return [...]string{"", "I", "II", "III", "IV"}[min(n, 4)]
}

// signerBlock is the signature block as printed: authority, title,
// "(Đã ký)" once signed, the name.
func signerBlock(ctx context.Context, d *postgres.DecisionInfo) []string {
	var out []string
	if d.SignerAuthority != "" {
		out = append(out, strings.ToUpper(d.SignerAuthority))
	}
	if d.SignerTitle != "" {
		out = append(out, strings.ToUpper(d.SignerTitle))
	}
	if d.Status != domain.DecisionDraft {
		out = append(out, i18n.T(ctx, "decision.signed_mark"))
	}
	if d.SignerName != "" {
		out = append(out, d.SignerName)
	}
	return out
}

// decisionText fills the parts of a decision's page every reader sees;
// public says the links go to the public pages.
func (s *Server) decisionText(r *http.Request, d *postgres.DecisionInfo, public bool) (web.DecisionView, []domain.Awardee, error) {
	ctx := r.Context()
	day := s.today()
	if d.Date != nil {
		day = *d.Date
	}
	awardees, err := s.db.DecisionAwardees(ctx, d.ID, day)
	if err != nil {
		return web.DecisionView{}, nil, err
	}
	first, err := s.firstArticle(ctx, d, awardees)
	if err != nil {
		return web.DecisionView{}, nil, err
	}
	decisionHref, pdf := paths.Decision, paths.DecisionPDF
	if public {
		decisionHref, pdf = paths.PublicDecision, paths.PublicDecisionPDF
	}
	v := web.DecisionView{ID: d.ID, Heading: decisionHeading(ctx, d), Status: string(d.Status), StatusKey: "decision.status." + string(d.Status),
		KindKey: "decision.kind." + string(d.Kind), Number: d.Number, Issuer: d.Issuer.Name, Campaign: d.CampaignTitle, DraftedBy: d.DraftedByName,
		SignedBy: d.SignedByName, PDFHref: pdf(d.ID), PlaceDate: placeDate(d.Place, d.Date),
		Authority: domain.DecisionAuthority(d.SignerAuthority, d.SignerTitle, d.Issuer.Name), Title: d.Title, Grounds: lines(d.Grounds),
		Proposal: d.Proposal, Articles: append([]string{first}, lines(d.Articles)...), Recipients: lines(d.Recipients), SignerBlock: signerBlock(ctx, d)}
	if d.Date != nil {
		v.Date = i18n.Day(*d.Date)
	}
	if d.SignedAt != nil && d.SignedByName != "" {
		v.SignedBy = d.SignedByName + " · " + i18n.DateTime(*d.SignedAt)
	}
	var certs func(int64) string
	if !public && d.Status == domain.DecisionSigned && d.Kind == domain.DecisionAward {
		certs = func(a int64) string { return paths.Certificate(d.ID, a) }
		v.CertsHref = paths.Certificates(d.ID)
	}
	v.Sections = awardeeSections(ctx, awardees, certs)
	if d.Status == domain.DecisionDraft && len(awardees) > 0 {
		v.AmountNote = i18n.T(ctx, "decision.amount.preview", i18n.Day(day))
	}
	if d.RevokesID != nil {
		v.Revokes = i18n.T(ctx, "decision.link", d.RevokesNumber, dayOr(d.RevokesDate))
		v.RevokesHref = decisionHref(*d.RevokesID)
	}
	if d.RevokedByID != nil {
		v.RevokedBy = i18n.T(ctx, "decision.link", d.RevokedByNumber, dayOr(d.RevokedByDate))
		v.RevokedByHref = decisionHref(*d.RevokedByID)
	}
	if !public && d.PendingRevocation != nil {
		v.PendingHref = paths.Decision(*d.PendingRevocation)
	}
	if !public && d.Status != domain.DecisionDraft {
		v.PublicHref = paths.PublicDecision(d.ID)
	}
	return v, awardees, nil
}

func dayOr(d *time.Time) string {
	if d == nil {
		return ""
	}
	return i18n.Day(*d)
}

// issuerOptions are the issuers to choose from, selected marked.
func (s *Server) issuerOptions(ctx context.Context, selected int64) ([]web.Option, error) {
	issuers, err := s.db.Issuers(ctx)
	if err != nil {
		return nil, err
	}
	var out []web.Option
	for _, i := range issuers {
		out = append(out, web.Option{Value: strconv.FormatInt(i.ID, 10), Label: i.Name + " (" + i.Code + ")", Selected: i.ID == selected})
	}
	return out, nil
}

// decisionInput reads a draft's form.
func decisionInput(r *http.Request) domain.DecisionInput {
	issuer, _ := strconv.ParseInt(r.PostFormValue("issuer"), 10, 64)
	return domain.DecisionInput{IssuerID: issuer, Place: r.PostFormValue("place"), Title: r.PostFormValue("title"),
		Grounds: r.PostFormValue("grounds"), Proposal: r.PostFormValue("proposal"), Achievement: r.PostFormValue("achievement"),
		Articles: r.PostFormValue("articles"), Recipients: r.PostFormValue("recipients"), SignerAuthority: r.PostFormValue("signer_authority"),
		SignerTitle: r.PostFormValue("signer_title"), SignerName: r.PostFormValue("signer_name"), Reason: r.PostFormValue("reason")}
}

// formOf fills a draft form with in.
func formOf(in domain.DecisionInput, issuers []web.Option) web.DecisionFormView {
	for i := range issuers {
		issuers[i].Selected = issuers[i].Value == strconv.FormatInt(in.IssuerID, 10)
	}
	return web.DecisionFormView{Issuers: issuers, Place: in.Place, Title: in.Title, Grounds: in.Grounds, Proposal: in.Proposal,
		Achievement: in.Achievement, Articles: in.Articles, Recipients: in.Recipients, SignerAuthority: in.SignerAuthority,
		SignerTitle: in.SignerTitle, SignerName: in.SignerName, Reason: in.Reason}
}

// decisionFilters are the tabs of the list.
var decisionFilters = []string{"", "draft", "signed", "revoked"}

// decisions lists the decisions; staff also see the closed sessions that
// wait for one.
func (s *Server) decisions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	filter := r.URL.Query().Get("status")
	known := false
	for _, f := range decisionFilters {
		known = known || f == filter
	}
	if !known {
		filter = ""
	}
	v := web.DecisionsView{Filter: filter, CanDraft: domain.CanDraftDecision(u), IssuersHref: paths.DecisionIssuers()}
	for _, f := range decisionFilters {
		href := paths.Decisions()
		if f != "" {
			href += "?status=" + f
		}
		label := i18n.T(ctx, "decisions.filter.all")
		if f != "" {
			label = i18n.T(ctx, "decision.status."+f)
		}
		v.Filters = append(v.Filters, web.FilterLink{Href: href, Label: label, Current: f == filter})
	}
	list, err := s.db.Decisions(ctx, domain.DecisionStatus(filter))
	if err != nil {
		return err
	}
	for _, d := range list {
		row := web.DecisionRow{Href: paths.Decision(d.ID), Number: d.Number, Title: d.Title, Issuer: d.Issuer.Name, Campaign: d.CampaignTitle,
			Status: string(d.Status), StatusKey: "decision.status." + string(d.Status), KindKey: "decision.kind." + string(d.Kind),
			Awardees: d.Awardees, DraftedBy: d.DraftedByName}
		if d.Date != nil {
			row.Date = i18n.Day(*d.Date)
		}
		v.Rows = append(v.Rows, row)
	}
	if v.CanDraft {
		awaiting, err := s.db.SessionsAwaitingDecision(ctx)
		if err != nil {
			return err
		}
		for _, a := range awaiting {
			v.Awaiting = append(v.Awaiting, web.AwaitingSessionRow{Href: paths.DecisionNewFrom(a.SessionID), HeldOn: i18n.Day(a.HeldOn),
				Council: a.CouncilName, Campaign: a.CampaignTitle, Passed: a.Passed})
		}
	}
	s.render(w, r, http.StatusOK, web.Decisions(s.chrome(r, i18n.T(ctx, "decisions.title")), v))
	return nil
}

// sessionParam reads the session a draft is made from.
func sessionParam(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "decision.session_not_found")
	}
	return id, nil
}

// draftDefaults are the texts a new draft starts from: the issuer's place
// and signature block, the usual grounds (the law, the decree, the
// campaign's plan), the proposal and articles to complete.
func draftDefaults(ctx context.Context, src *postgres.DecisionSource, issuer *domain.Issuer) domain.DecisionInput {
	in := i18n.DecisionDefaults(ctx, src.CampaignTitle, src.PlanNumber, src.CampaignIssuer)
	if issuer != nil {
		in.IssuerID, in.Place, in.SignerAuthority, in.SignerTitle = issuer.ID, issuer.Place, issuer.SignerAuthority, issuer.SignerTitle
	}
	return in
}

// sessionLabel names a session on the draft form.
func sessionLabel(ctx context.Context, src *postgres.DecisionSource) string {
	return i18n.T(ctx, "decision.new.session", src.CouncilName, i18n.Day(src.HeldOn), src.CampaignTitle)
}

// sourceSections are the passing nominees as the draft will list them.
func sourceSections(ctx context.Context, src *postgres.DecisionSource) []web.AwardeeSection {
	var as []domain.Awardee
	for _, n := range src.Nominees {
		as = append(as, domain.Awardee{Target: n.Target, Name: n.Name, Position: n.Position, FormName: n.FormName})
	}
	return awardeeSections(ctx, as, nil)
}

func (s *Server) renderDecisionNew(w http.ResponseWriter, r *http.Request, status int, src *postgres.DecisionSource, in domain.DecisionInput,
	formKey string, p web.Problems) error {
	ctx := r.Context()
	issuers, err := s.issuerOptions(ctx, in.IssuerID)
	if err != nil {
		return err
	}
	f := formOf(in, issuers)
	f.Action, f.SessionID, f.FormKey, f.Problems = paths.Decisions(), src.SessionID, formKey, p
	v := web.DecisionNewView{Session: sessionLabel(ctx, src), Sections: sourceSections(ctx, src), Form: f, NoIssuer: len(issuers) == 0}
	s.render(w, r, status, web.DecisionNew(s.chrome(r, i18n.T(ctx, "decision.new.title")), v))
	return nil
}

// newDecision shows the draft form of a closed session's decision.
func (s *Server) newDecision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sessionID, err := sessionParam(r.URL.Query().Get("session"))
	if err != nil {
		return err
	}
	src, err := s.db.DecisionSourceOf(ctx, sessionID)
	if err != nil {
		return err
	}
	var issuer *domain.Issuer
	if src.IssuerID != nil {
		if issuer, err = s.db.IssuerByID(ctx, *src.IssuerID); err != nil {
			return err
		}
	}
	return s.renderDecisionNew(w, r, http.StatusOK, src, draftDefaults(ctx, src, issuer), newIdempotencyKey(), web.Problems{})
}

// createDecision drafts the decision of a closed session.
func (s *Server) createDecision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sessionID, err := sessionParam(r.PostFormValue("session"))
	if err != nil {
		return err
	}
	in := decisionInput(r)
	formKey := r.PostFormValue("form_key")
	if n := len(formKey); n < 16 || n > 64 {
		formKey = ""
	}
	id, err := s.db.DraftDecision(ctx, sessionID, in, formKey)
	if err != nil {
		src, serr := s.db.DecisionSourceOf(ctx, sessionID)
		if serr != nil {
			return err
		}
		if formKey == "" {
			formKey = newIdempotencyKey()
		}
		return refuse(ctx, err, web.DecisionFieldOrder(), func(status int, p web.Problems) error {
			return s.renderDecisionNew(w, r, status, src, in, formKey, p)
		})
	}
	s.flash(ctx, "decision.flash.drafted")
	http.Redirect(w, r, paths.Decision(id), http.StatusSeeOther)
	return nil
}

// decisionPage builds a decision's page for the signed-in user; adjust
// puts a refused form in place.
func (s *Server) renderDecision(w http.ResponseWriter, r *http.Request, status int, d *postgres.DecisionInfo, adjust func(*web.DecisionView)) error {
	ctx := r.Context()
	u := userFrom(ctx)
	v, _, err := s.decisionText(r, d, false)
	if err != nil {
		return err
	}
	if d.Status == domain.DecisionDraft {
		if domain.CanDraftDecision(u) {
			issuers, err := s.issuerOptions(ctx, d.IssuerID)
			if err != nil {
				return err
			}
			f := formOf(domain.DecisionInput{IssuerID: d.IssuerID, Place: d.Place, Title: d.Title, Grounds: d.Grounds, Proposal: d.Proposal,
				Achievement: d.Achievement, Articles: d.Articles, Recipients: d.Recipients, SignerAuthority: d.SignerAuthority,
				SignerTitle: d.SignerTitle, SignerName: d.SignerName, Reason: d.Reason}, issuers)
			f.Action, f.Version, f.Revocation = paths.Decision(d.ID), d.Version, d.Kind == domain.DecisionRevocation
			v.Edit = &f
		}
		switch {
		case domain.CanSignDecision(u, &d.Decision):
			v.CanSign, v.SignAction, v.SignVersion = true, paths.DecisionSign(d.ID), d.Version
		case u != nil && u.Role == domain.RoleLeader:
			v.NoSign = i18n.T(ctx, "decision.drafter_cannot_sign")
		default:
			v.NoSign = i18n.T(ctx, "decision.sign.waiting")
		}
	}
	if d.Status == domain.DecisionSigned && d.Kind == domain.DecisionAward && d.PendingRevocation == nil && domain.CanDraftDecision(u) {
		v.CanRevoke, v.RevokeAction, v.RevokeFormKey = true, paths.DecisionRevoke(d.ID), newIdempotencyKey()
	}
	if adjust != nil {
		adjust(&v)
	}
	s.render(w, r, status, web.DecisionPage(s.chrome(r, v.Heading), v))
	return nil
}

// showDecision shows a decision.
func (s *Server) showDecision(w http.ResponseWriter, r *http.Request) error {
	d, err := s.decisionOf(r)
	if err != nil {
		return err
	}
	return s.renderDecision(w, r, http.StatusOK, d, nil)
}

// updateDecision saves staff's changes to a draft; a signed decision is
// refused (409), as is a stale form.
func (s *Server) updateDecision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.decisionOf(r)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return domain.Errorf(domain.EINVALID, "error.stale")
	}
	in := decisionInput(r)
	if err := s.db.UpdateDecision(ctx, d.ID, version, in); err != nil {
		return refuse(ctx, err, web.DecisionFieldOrder(), func(status int, p web.Problems) error {
			fresh, ferr := s.db.DecisionByID(ctx, d.ID)
			if ferr != nil {
				return ferr
			}
			return s.renderDecision(w, r, status, fresh, func(v *web.DecisionView) {
				if v.Edit == nil {
					// Signed meanwhile: the problem goes above the text.
					v.SignProblems = p
					return
				}
				issuers := v.Edit.Issuers
				f := formOf(in, issuers)
				f.Action, f.Version, f.Revocation, f.Problems = v.Edit.Action, version, v.Edit.Revocation, p
				if domain.ErrorCode(err) == domain.ECONFLICT {
					// A stale form: the next save is against the version
					// now stored, what was typed is kept.
					f.Version = fresh.Version
				}
				v.Edit = &f
			})
		})
	}
	s.flash(ctx, "decision.flash.saved")
	http.Redirect(w, r, paths.Decision(d.ID), http.StatusSeeOther)
	return nil
}

// signDecision signs a draft: a leader who did not draft it (403 for the
// drafter), once (409 when already signed or changed since read).
func (s *Server) signDecision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.decisionOf(r)
	if err != nil {
		return err
	}
	if !domain.CanSignDecision(userFrom(ctx), &d.Decision) {
		return domain.Errorf(domain.EFORBIDDEN, "decision.drafter_cannot_sign")
	}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return domain.Errorf(domain.EINVALID, "error.stale")
	}
	res, err := s.db.SignDecision(ctx, d.ID, version, s.today())
	if err != nil {
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			fresh, ferr := s.db.DecisionByID(ctx, d.ID)
			if ferr != nil {
				return ferr
			}
			return s.renderDecision(w, r, status, fresh, func(v *web.DecisionView) { v.SignProblems = p })
		})
	}
	s.log.Info("decision signed", "request_id", requestID(ctx), "decision_id", d.ID, "number", res.Number)
	s.flash(ctx, "decision.flash.signed")
	http.Redirect(w, r, paths.Decision(d.ID), http.StatusSeeOther)
	return nil
}

// revocationDefaults are the texts of a revocation drafted for d.
func revocationDefaults(ctx context.Context, d *postgres.DecisionInfo, reason string) domain.DecisionInput {
	return domain.DecisionInput{IssuerID: d.IssuerID, Place: d.Place,
		Title: i18n.T(ctx, "decision.default.revoke_title", numberAndDate(ctx, d.Number, d.Date)),
		Grounds: strings.Join([]string{
			i18n.T(ctx, "decision.default.ground_law"),
			i18n.T(ctx, "decision.default.ground_decree"),
		}, "\n"),
		Proposal:        i18n.T(ctx, "decision.default.proposal"),
		Articles:        i18n.T(ctx, "decision.default.revoke_article2") + "\n" + i18n.T(ctx, "decision.default.article3"),
		Recipients:      d.Recipients,
		SignerAuthority: d.SignerAuthority, SignerTitle: d.SignerTitle, Reason: reason}
}

// revokeDecision drafts the decision that revokes a signed one, with the
// reason typed; it takes effect when a leader signs it.
func (s *Server) revokeDecision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.decisionOf(r)
	if err != nil {
		return err
	}
	reason := r.PostFormValue("reason")
	formKey := r.PostFormValue("form_key")
	if n := len(formKey); n < 16 || n > 64 {
		formKey = ""
	}
	id, err := s.db.DraftRevocation(ctx, d.ID, revocationDefaults(ctx, d, reason), formKey)
	if err != nil {
		return refuse(ctx, err, []string{"reason"}, func(status int, p web.Problems) error {
			return s.renderDecision(w, r, status, d, func(v *web.DecisionView) {
				v.RevokeProblems, v.RevokeReason = p, reason
				if formKey != "" {
					v.RevokeFormKey = formKey
				}
				if !v.CanRevoke {
					v.SignProblems = p
				}
			})
		})
	}
	s.flash(ctx, "decision.flash.revocation_drafted")
	http.Redirect(w, r, paths.Decision(id), http.StatusSeeOther)
	return nil
}

// decisionDocument is a decision as the document package prints it.
func (s *Server) decisionDocument(r *http.Request, d *postgres.DecisionInfo) (document.Decision, error) {
	ctx := r.Context()
	v, awardees, err := s.decisionText(r, d, true)
	if err != nil {
		return document.Decision{}, err
	}
	doc := document.Decision{ParentName: strings.ToUpper(d.Issuer.ParentName), IssuerName: strings.ToUpper(d.Issuer.Name), Number: d.Number,
		IssuerCode: d.Issuer.Code, PlaceDate: v.PlaceDate, Draft: d.Status == domain.DecisionDraft, Title: d.Title, Authority: v.Authority,
		Grounds: v.Grounds, Proposal: d.Proposal, Articles: v.Articles, Recipients: v.Recipients, SignerAuthority: strings.ToUpper(d.SignerAuthority),
		SignerTitle: strings.ToUpper(d.SignerTitle), SignerName: d.SignerName, Signed: d.Status != domain.DecisionDraft}
	if len(awardees) > 0 {
		app := &document.Appendix{Title: i18n.T(ctx, "decision.appendix.title"),
			Subtitle: i18n.T(ctx, "decision.appendix.subtitle", numberAndDate(ctx, d.Number, d.Date), v.Authority)}
		if d.Number == "" {
			app.Subtitle = i18n.T(ctx, "decision.appendix.subtitle_draft", v.Authority)
		}
		for _, sec := range v.Sections {
			as := document.AppendixSection{Heading: sec.Heading}
			for _, row := range sec.Rows {
				as.Rows = append(as.Rows, document.AppendixRow{No: row.No, Name: row.Name, Position: row.Position, Form: row.Form, Amount: row.Amount})
			}
			app.Sections = append(app.Sections, as)
		}
		doc.Appendix = app
	}
	return doc, nil
}

// pdfName is the file name a decision's PDF downloads as (ASCII).
func pdfName(d *postgres.DecisionInfo, what string) string {
	n := d.Number
	if n == "" {
		n = "du-thao-" + strconv.FormatInt(d.ID, 10)
	}
	n = strings.NewReplacer("/", "-", "Đ", "D", "đ", "d").Replace(n)
	return what + "-" + n + ".pdf"
}

// writePDF sends a PDF written by write, whole or not at all.
func writePDF(w http.ResponseWriter, name string, write func(*bytes.Buffer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
	return nil
}

// decisionPDF sends a decision in the official layout (a draft prints
// "DỰ THẢO" and no number).
func (s *Server) decisionPDF(w http.ResponseWriter, r *http.Request) error {
	d, err := s.decisionOf(r)
	if err != nil {
		return err
	}
	return s.sendDecisionPDF(w, r, d)
}

func (s *Server) sendDecisionPDF(w http.ResponseWriter, r *http.Request, d *postgres.DecisionInfo) error {
	doc, err := s.decisionDocument(r, d)
	if err != nil {
		return err
	}
	return writePDF(w, pdfName(d, "quyet-dinh"), func(b *bytes.Buffer) error { return document.WriteDecision(b, doc) })
}

// certificateForm is the word a certificate prints large.
func certificateForm(formName string) string {
	switch {
	case strings.HasPrefix(formName, "Bằng khen"):
		return "BẰNG KHEN"
	case strings.HasPrefix(formName, "Giấy khen"):
		return "GIẤY KHEN"
	}
	return strings.ToUpper(formName)
}

// certificates sends the certificates of a signed award decision, all of
// them or one awardee's (awardeeID not 0: another decision's is 404).
func (s *Server) certificates(one bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		d, err := s.decisionOf(r)
		if err != nil {
			return err
		}
		var awardeeID int64
		if one {
			if awardeeID, err = pathID(r, "awardeeID", "decision.awardee_not_found"); err != nil {
				return err
			}
		}
		if d.Kind != domain.DecisionAward || d.Status != domain.DecisionSigned {
			return domain.Errorf(domain.ECONFLICT, "decision.certificates.unsigned")
		}
		awardees, err := s.db.DecisionAwardees(ctx, d.ID, *d.Date)
		if err != nil {
			return err
		}
		authority := domain.DecisionAuthority(d.SignerAuthority, d.SignerTitle, d.Issuer.Name)
		var cs []document.Certificate
		for _, a := range awardees {
			if one && a.ID != awardeeID {
				continue
			}
			cs = append(cs, document.Certificate{IssuerName: authority, FormName: certificateForm(a.FormName), Awardee: a.Name, Position: a.Position,
				Achievement: capitalize(d.Achievement), DecisionLine: i18n.T(ctx, "decision.certificate.line", d.Number, i18n.Day(*d.Date)),
				PlaceDate: placeDate(d.Place, d.Date), SignerAuthority: strings.ToUpper(d.SignerAuthority), SignerTitle: strings.ToUpper(d.SignerTitle),
				SignerName: d.SignerName})
		}
		if len(cs) == 0 {
			return domain.Errorf(domain.ENOTFOUND, "decision.awardee_not_found")
		}
		name := pdfName(d, "bang-khen")
		if one {
			name = strings.TrimSuffix(name, ".pdf") + "-" + strconv.FormatInt(awardeeID, 10) + ".pdf"
		}
		return writePDF(w, name, func(b *bytes.Buffer) error { return document.WriteCertificates(b, cs) })
	}
}

// capitalize puts the first letter of s in capitals.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}

// issuerRow is an issuer's edit form.
func issuerRow(i domain.Issuer) web.IssuerRow {
	return web.IssuerRow{ID: i.ID, Action: paths.DecisionIssuer(i.ID), Name: i.Name, ParentName: i.ParentName, Code: i.Code, Place: i.Place,
		SignerAuthority: i.SignerAuthority, SignerTitle: i.SignerTitle}
}

func (s *Server) renderIssuers(w http.ResponseWriter, r *http.Request, status int, adjust func(*web.IssuersView)) error {
	ctx := r.Context()
	issuers, err := s.db.Issuers(ctx)
	if err != nil {
		return err
	}
	v := web.IssuersView{New: web.IssuerRow{Action: paths.DecisionIssuers(), SignerAuthority: "KT. CHỦ TỊCH", SignerTitle: "PHÓ CHỦ TỊCH"}}
	for _, i := range issuers {
		v.Rows = append(v.Rows, issuerRow(i))
	}
	if adjust != nil {
		adjust(&v)
	}
	s.render(w, r, status, web.Issuers(s.chrome(r, i18n.T(ctx, "issuers.title")), v))
	return nil
}

// issuersPage lists and edits the issuing bodies.
func (s *Server) issuersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderIssuers(w, r, http.StatusOK, nil)
}

// saveIssuer creates an issuer, or corrects the one of the route.
func (s *Server) saveIssuer(update bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		var id int64
		if update {
			var err error
			if id, err = pathID(r, "issuerID", "issuer.not_found"); err != nil {
				return err
			}
			if _, err := s.db.IssuerByID(ctx, id); err != nil {
				return err
			}
		}
		in := domain.Issuer{ID: id, Name: r.PostFormValue("name"), ParentName: r.PostFormValue("parent_name"), Code: r.PostFormValue("code"),
			Place: r.PostFormValue("place"), SignerAuthority: r.PostFormValue("signer_authority"), SignerTitle: r.PostFormValue("signer_title")}
		saved, err := s.db.SaveIssuer(ctx, in)
		if err != nil {
			fields := []string{"name", "parent_name", "code", "place", "signer_authority", "signer_title"}
			return refuse(ctx, err, fields, func(status int, p web.Problems) error {
				for _, f := range fields {
					p.Rename(f, web.IssuerFieldID(f, id))
				}
				return s.renderIssuers(w, r, status, func(v *web.IssuersView) {
					row := issuerRow(in)
					row.Problems, row.Open = p, true
					if id == 0 {
						row.Action = paths.DecisionIssuers()
						v.New = row
						return
					}
					for i := range v.Rows {
						if v.Rows[i].ID == id {
							v.Rows[i] = row
						}
					}
				})
			})
		}
		s.flash(ctx, "issuer.flash.saved")
		http.Redirect(w, r, paths.DecisionIssuers()+paths.Fragment(fmt.Sprintf("issuer-%d", saved)), http.StatusSeeOther)
		return nil
	}
}
