package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"thidua/internal/document"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// A council's session (issue 12, part "vote"): the nominees put to it, the
// roster and its attendance, opening and closing with the tally, and the
// minutes. Who may do what: staff put nominees; staff and the session's
// secretary set the attendance, open and close; everyone who may see the
// council reads the session (who has voted, never how; the tally once
// closed).

// sessionCtx is a session with its roster and the user's line on it.
type sessionCtx struct {
	s      *postgres.SessionInfo
	roster []domain.SessionMember
	me     *domain.SessionMember
}

// sessionOf loads the route's session of the route's council, its roster
// and the user's line (404 when missing).
func (s *Server) sessionOf(r *http.Request) (*sessionCtx, error) {
	ctx := r.Context()
	councilID, err := pathID(r, "councilID", "councils.not_found")
	if err != nil {
		return nil, err
	}
	sessionID, err := pathID(r, "sessionID", "csession.not_found")
	if err != nil {
		return nil, err
	}
	ss, err := s.db.CouncilSession(ctx, councilID, sessionID)
	if err != nil {
		return nil, err
	}
	roster, err := s.db.Roster(ctx, ss)
	if err != nil {
		return nil, err
	}
	sc := &sessionCtx{s: ss, roster: roster}
	if u := userFrom(ctx); u != nil {
		sc.me = postgres.RosterLineOf(roster, u.ID)
	}
	return sc, nil
}

// runAccess loads the session for those who run it (staff, the
// secretary): anyone else gets 403, whether or not the session exists.
func (s *Server) runAccess(r *http.Request) (*sessionCtx, error) {
	u := userFrom(r.Context())
	sc, err := s.sessionOf(r)
	if err != nil {
		if domain.CanManageCouncils(u) {
			return nil, err
		}
		return nil, domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	if !domain.CanRunSession(u, sc.me) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	return sc, nil
}

// formVersion reads the version a form showed.
func formVersion(r *http.Request) int {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return v
}

// sessionTitle is "Phiên họp ngày 05/12/2026".
func sessionTitle(ctx context.Context, ss *postgres.SessionInfo) string {
	return i18n.T(ctx, "csession.title", i18n.Day(ss.HeldOn))
}

// countOf redoes a closed nominee's arithmetic from what closing stored.
func countOf(ss *postgres.SessionInfo, n postgres.SessionNominee) (domain.Count, bool) {
	if n.Rule == nil || ss.Turnout == nil {
		return domain.Count{}, false
	}
	return domain.CountVotes(*n.Rule, *ss.Turnout, n.Tally), true
}

// shareLine writes a nominee's arithmetic: "8/9 thành viên = 88,9 % < 90 %
// tổng số thành viên", or why the vote had no quorum.
func shareLine(locale string, c domain.Count) string {
	if !c.QuorumMet {
		return i18n.Translate(locale, "csession.share.no_quorum", c.Turnout.TookPart(), c.Turnout.Total, c.Rule.Quorum.String())
	}
	cmp := "<"
	if c.Passed {
		cmp = "≥"
	}
	return i18n.Translate(locale, "csession.share."+string(c.Rule.Basis), c.Tally.For, c.Denominator, c.ShareOf(), cmp, c.Rule.Share.String())
}

// turnoutLine writes the counts of a closed session.
func turnoutLine(locale string, t domain.Turnout, returned int) string {
	return i18n.Translate(locale, "csession.turnout.line", t.Total, t.Present, t.Written, t.Total-t.TookPart(), returned)
}

// sessionView builds a session's page.
func (s *Server) sessionView(r *http.Request, sc *sessionCtx) (web.SessionView, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	ss := sc.s
	k, id := ss.CouncilID, ss.ID
	v := web.SessionView{CouncilHref: paths.Council(k), CouncilName: ss.CouncilName, Title: sessionTitle(ctx, ss), Campaign: ss.CampaignTitle,
		HeldOn: i18n.Day(ss.HeldOn), StartsAt: hourWords(ss.StartsAt), Place: ss.Place, Status: string(ss.Status), Version: ss.Version,
		CanManage: domain.CanManageCouncils(u), CanRun: domain.CanRunSession(u, sc.me), CanVote: domain.CanVote(u, sc.me),
		IsSecretary:    domain.CanEnterWrittenBallot(u, sc.me),
		NomineesAction: paths.SessionNominees(k, id), AttendanceAction: paths.SessionAttendance(k, id), OpenAction: paths.SessionOpen(k, id),
		CloseAction: paths.SessionClose(k, id), BallotHref: paths.Ballot(k, id), WrittenAction: paths.WrittenBallot(k, id),
		MinutesHref: paths.Minutes(k, id), MinutesPDF: paths.MinutesPDF(k, id)}
	if ss.Turnout != nil && ss.BallotsReturned != nil {
		v.Turnout = turnoutLine(i18n.Locale(ctx), *ss.Turnout, *ss.BallotsReturned)
	}
	nominees, err := s.db.SessionNominees(ctx, id)
	if err != nil {
		return v, err
	}
	for i, n := range nominees {
		row := web.NomineeRow{ID: n.ID, No: i + 1, Name: n.Name, Position: n.Position, Unit: n.UnitName, Form: n.FormName}
		if ss.Status == domain.SessionClosed {
			row.For, row.Against, row.Blank, row.Valid, row.Returned = n.Tally.For, n.Tally.Against, n.Tally.Blank, n.Tally.Valid(), n.Tally.Returned()
			if c, ok := countOf(ss, n); ok {
				row.ShareLine = shareLine(i18n.Locale(ctx), c)
				row.Citation = c.Rule.Citation
			}
			row.OutcomeKey = string(n.Outcome)
			row.Outcome = i18n.T(ctx, "csession.outcome."+string(n.Outcome))
		}
		v.Nominees = append(v.Nominees, row)
	}
	if ss.Status == domain.SessionDraft && v.CanManage {
		cands, err := s.db.SessionCandidates(ctx, ss, s.today())
		if err != nil {
			return v, err
		}
		for _, c := range cands {
			row := web.CandidateRow{EntryID: c.EntryID, Name: c.Name, Position: c.Position, Unit: c.UnitName, Form: c.FormName}
			if c.Blocked != nil {
				row.Blocked = i18n.T(ctx, c.Blocked.Message, c.Blocked.Args...)
			}
			v.Candidates = append(v.Candidates, row)
		}
	}
	voted := map[int64]string{}
	if ss.Status != domain.SessionDraft {
		if voted, err = s.db.Participation(ctx, id); err != nil {
			return v, err
		}
	}
	for _, m := range sc.roster {
		row := web.RosterRow{MemberID: m.MemberID, Name: m.Name, RoleKey: "council.role." + string(m.Role), Position: m.Position,
			Attendance: string(m.Attendance), Votes: m.Role.Votes()}
		if ss.Status != domain.SessionDraft && m.Role.Votes() && m.Attendance != domain.AttendAbsent {
			switch voted[m.MemberID] {
			case "in_person":
				row.VotedKey = "ballot.voted.in_person"
			case "written":
				row.VotedKey = "ballot.voted.written"
			default:
				row.VotedKey = "ballot.voted.none"
			}
		}
		if ss.Status == domain.SessionOpen && m.Role.Votes() && m.Attendance == domain.AttendWritten && voted[m.MemberID] == "" {
			v.WrittenPending = append(v.WrittenPending, web.Option{Value: strconv.FormatInt(m.MemberID, 10), Label: m.Name})
		}
		v.Roster = append(v.Roster, row)
	}
	if sc.me != nil {
		v.HasVoted = voted[sc.me.MemberID] != ""
	}
	return v, nil
}

func (s *Server) renderSession(w http.ResponseWriter, r *http.Request, status int, sc *sessionCtx, adjust func(*web.SessionView)) error {
	v, err := s.sessionView(r, sc)
	if err != nil {
		return err
	}
	if adjust != nil {
		adjust(&v)
	}
	s.render(w, r, status, web.CouncilSession(s.chrome(r, v.Title+" – "+v.CouncilName), v))
	return nil
}

// sessionPage shows a session.
func (s *Server) sessionPage(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.sessionOf(r)
	if err != nil {
		return err
	}
	return s.renderSession(w, r, http.StatusOK, sc, nil)
}

// sessionRefused shows the session page again with a refusal's problems.
func (s *Server) sessionRefused(w http.ResponseWriter, r *http.Request, sc *sessionCtx, err error) error {
	return refuse(r.Context(), err, nil, func(status int, p web.Problems) error {
		return s.renderSession(w, r, status, sc, func(v *web.SessionView) { v.Problems = p })
	})
}

// addNominees puts shortlist entries to a draft session (staff): all or
// none, 409 with the reason when one may not go.
func (s *Server) addNominees(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := s.sessionOf(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var ids []int64
	for _, v := range r.PostForm["entry"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
		ids = append(ids, id)
	}
	if err := s.db.AddNominees(ctx, sc.s.CouncilID, sc.s.ID, formVersion(r), ids, s.today()); err != nil {
		return s.sessionRefused(w, r, sc, err)
	}
	s.flash(ctx, "csession.flash.nominees")
	http.Redirect(w, r, paths.Session(sc.s.CouncilID, sc.s.ID)+paths.Fragment("nominees"), http.StatusSeeOther)
	return nil
}

// setAttendance records the roster's attendance of a draft session
// (staff or the secretary).
func (s *Server) setAttendance(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := s.runAccess(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	att := map[int64]domain.Attendance{}
	for key, vals := range r.PostForm {
		rest, ok := strings.CutPrefix(key, "attendance-")
		if !ok {
			continue
		}
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || id <= 0 || len(vals) != 1 || !domain.Attendance(vals[0]).Valid() {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
		att[id] = domain.Attendance(vals[0])
	}
	if err := s.db.SetAttendance(ctx, sc.s.CouncilID, sc.s.ID, formVersion(r), att); err != nil {
		return s.sessionRefused(w, r, sc, err)
	}
	s.flash(ctx, "csession.flash.attendance")
	http.Redirect(w, r, paths.Session(sc.s.CouncilID, sc.s.ID)+paths.Fragment("roster"), http.StatusSeeOther)
	return nil
}

// openSession opens a draft session for voting (staff or the secretary).
func (s *Server) openSession(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := s.runAccess(r)
	if err != nil {
		return err
	}
	if err := s.db.OpenSession(ctx, sc.s.CouncilID, sc.s.ID, formVersion(r)); err != nil {
		return s.sessionRefused(w, r, sc, err)
	}
	s.flash(ctx, "csession.flash.opened")
	http.Redirect(w, r, paths.Session(sc.s.CouncilID, sc.s.ID), http.StatusSeeOther)
	return nil
}

// closeSession closes an open session and tallies it (staff or the
// secretary).
func (s *Server) closeSession(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := s.runAccess(r)
	if err != nil {
		return err
	}
	if err := s.db.CloseSession(ctx, sc.s.CouncilID, sc.s.ID, formVersion(r)); err != nil {
		return s.sessionRefused(w, r, sc, err)
	}
	s.flash(ctx, "csession.flash.closed")
	http.Redirect(w, r, paths.Session(sc.s.CouncilID, sc.s.ID)+paths.Fragment("nominees"), http.StatusSeeOther)
	return nil
}

// vietnameseDate is "ngày 05 tháng 12 năm 2026".
func vietnameseDate(d time.Time) string {
	return fmt.Sprintf("ngày %02d tháng %02d năm %d", d.Day(), int(d.Month()), d.Year())
}

// hourWords writes "08:00" as "08 giờ 00"; anything else as typed.
func hourWords(hhmm string) string {
	h, m, ok := strings.Cut(hhmm, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return hhmm
	}
	return h + " giờ " + m
}

// minutesOf fills the minutes of a closed session, in Vietnamese (an
// official document): the same view model makes the printable page and the
// PDF.
func minutesOf(sc *sessionCtx, issuerPlace string, nominees []postgres.SessionNominee) document.Minutes {
	vi := func(key string, args ...any) string { return i18n.Translate(i18n.Vietnamese, key, args...) }
	ss := sc.s
	m := document.Minutes{CouncilName: strings.ToUpper(ss.CouncilName), ParentName: strings.ToUpper(ss.IssuerName),
		Title: "BIÊN BẢN", Subject: vi("minutes.subject", ss.CampaignTitle)}
	m.PlaceDate = vietnameseDate(ss.HeldOn)
	if issuerPlace != "" {
		m.PlaceDate = issuerPlace + ", " + m.PlaceDate
	}
	var t domain.Turnout
	if ss.Turnout != nil {
		t = *ss.Turnout
	}
	returned := 0
	if ss.BallotsReturned != nil {
		returned = *ss.BallotsReturned
	}
	for _, l := range sc.roster {
		switch l.Role {
		case domain.CouncilChair:
			if m.Chair == "" {
				m.Chair = l.Name
			}
		case domain.CouncilSecretary:
			if m.Secretary == "" {
				m.Secretary = l.Name
			}
		}
		line := l.Name + " – " + vi("minutes.role."+string(l.Role))
		if l.Position != "" {
			line += ", " + l.Position
		}
		m.Members.Lines = append(m.Members.Lines, line+" – "+vi("csession.attendance."+string(l.Attendance)))
	}
	when := hourWords(ss.StartsAt)
	if when != "" {
		when += ", "
	}
	m.Opening = []string{
		vi("minutes.time", when+vietnameseDate(ss.HeldOn)),
		vi("minutes.place", ss.Place),
		vi("minutes.purpose", len(nominees), ss.CampaignTitle),
		vi("minutes.presiding", m.Chair, m.Secretary),
	}
	m.Members.Total, m.Members.Present, m.Members.Written = t.Total, t.Present, t.Written
	m.Members.Absent = t.Total - t.TookPart()
	for i, n := range nominees {
		row := document.MinutesNominee{No: i + 1, Name: n.Name, Form: n.FormName, Issued: t.TookPart(), Returned: n.Tally.Returned(),
			Valid: n.Tally.Valid(), For: n.Tally.For, Against: n.Tally.Against, Outcome: vi("csession.outcome." + string(n.Outcome))}
		if n.Position != "" {
			row.Name += " (" + n.Position + ", " + n.UnitName + ")"
		}
		if c, ok := countOf(ss, n); ok {
			row.Share = shareLine(i18n.Vietnamese, c)
		}
		m.Nominees = append(m.Nominees, row)
	}
	m.Closing = []string{vi("minutes.ballots", t.TookPart(), returned)}
	if ss.ClosedAt != nil {
		at := ss.ClosedAt.In(i18n.Zone)
		m.Closing = append(m.Closing, vi("minutes.closing", at.Format("15")+" giờ "+at.Format("04"), vietnameseDate(at)))
	}
	return m
}

// minutesData loads what the minutes need; only a closed session has them.
func (s *Server) minutesData(r *http.Request) (*sessionCtx, document.Minutes, error) {
	sc, err := s.sessionOf(r)
	if err != nil {
		return nil, document.Minutes{}, err
	}
	if sc.s.Status != domain.SessionClosed {
		return nil, document.Minutes{}, domain.Errorf(domain.ECONFLICT, "minutes.not_closed")
	}
	nominees, err := s.db.SessionNominees(r.Context(), sc.s.ID)
	if err != nil {
		return nil, document.Minutes{}, err
	}
	place, err := s.db.CouncilIssuerPlace(r.Context(), sc.s.CouncilID)
	if err != nil {
		return nil, document.Minutes{}, err
	}
	return sc, minutesOf(sc, place, nominees), nil
}

// minutesPage is the printable minutes of a closed session.
func (s *Server) minutesPage(w http.ResponseWriter, r *http.Request) error {
	sc, m, err := s.minutesData(r)
	if err != nil {
		return err
	}
	v := web.MinutesView{SessionHref: paths.Session(sc.s.CouncilID, sc.s.ID), PDFHref: paths.MinutesPDF(sc.s.CouncilID, sc.s.ID), M: m}
	s.render(w, r, http.StatusOK, web.Minutes(s.chrome(r, i18n.T(r.Context(), "minutes.title")+" – "+sessionTitle(r.Context(), sc.s)), v))
	return nil
}

// minutesPDF is the minutes as a PDF (the layout is document's).
func (s *Server) minutesPDF(w http.ResponseWriter, r *http.Request) error {
	sc, m, err := s.minutesData(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := document.WriteMinutes(&buf, m); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="bien-ban-phien-hop-%d.pdf"`, sc.s.ID))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
	return nil
}
