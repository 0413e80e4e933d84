package server

import (
	"net/http"
	"strconv"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// The secret ballot (issue 12, part "vote"): a voting member present on
// the roster marks every nominee on one page (no script; works on a
// phone) and sends it once; the secretary enters the sealed written
// ballots of members absent with one. A choice goes only to the anonymous
// tally (postgres.CastBallot): never to a log, the audit, the session
// (flash) or a page. A refused ballot is not shown again with its marks.

// voterAccess loads the session for one of its voters: anyone else gets
// 403, whether or not the session exists.
func (s *Server) voterAccess(r *http.Request) (*sessionCtx, error) {
	u := userFrom(r.Context())
	sc, err := s.sessionOf(r)
	if err != nil {
		return nil, domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	if !domain.CanVote(u, sc.me) {
		if sc.me != nil && sc.me.Role == domain.CouncilSecretary {
			return nil, domain.Errorf(domain.EFORBIDDEN, "ballot.secretary")
		}
		return nil, domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	return sc, nil
}

// ballotOf reads the marks of a ballot form: for each nominee of the
// session "for", "against" or nothing (blank). Anything else is a bad
// request.
func ballotOf(r *http.Request, nominees []postgres.SessionNominee) (postgres.Ballot, error) {
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	b := postgres.Ballot{}
	for _, n := range nominees {
		vals := r.PostForm["n-"+strconv.FormatInt(n.ID, 10)]
		switch {
		case len(vals) == 0 || (len(vals) == 1 && vals[0] == ""):
			b[n.ID] = domain.ChoiceBlank
		case len(vals) == 1 && (vals[0] == string(domain.ChoiceFor) || vals[0] == string(domain.ChoiceAgainst)):
			b[n.ID] = domain.Choice(vals[0])
		default:
			return nil, domain.Errorf(domain.EINVALID, "ballot.invalid")
		}
	}
	return b, nil
}

func nomineeRows(nominees []postgres.SessionNominee) []web.NomineeRow {
	rows := make([]web.NomineeRow, len(nominees))
	for i, n := range nominees {
		rows[i] = web.NomineeRow{ID: n.ID, No: i + 1, Name: n.Name, Position: n.Position, Unit: n.UnitName, Form: n.FormName}
	}
	return rows
}

// ballotPage is a voter's ballot form, or that they have voted.
func (s *Server) ballotPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := s.voterAccess(r)
	if err != nil {
		return err
	}
	if sc.s.Status != domain.SessionOpen {
		return domain.Errorf(domain.ECONFLICT, "ballot.not_open")
	}
	nominees, err := s.db.SessionNominees(ctx, sc.s.ID)
	if err != nil {
		return err
	}
	voted, err := s.db.Participation(ctx, sc.s.ID)
	if err != nil {
		return err
	}
	v := web.BallotView{SessionHref: paths.Session(sc.s.CouncilID, sc.s.ID), Title: sessionTitle(ctx, sc.s), CouncilName: sc.s.CouncilName,
		Campaign: sc.s.CampaignTitle, Action: paths.Ballot(sc.s.CouncilID, sc.s.ID), Nominees: nomineeRows(nominees),
		Voted: voted[sc.me.MemberID] != ""}
	s.render(w, r, http.StatusOK, web.Ballot(s.chrome(r, i18n.T(ctx, "ballot.title")), v))
	return nil
}

// castBallot records the voter's ballot: once; a second one, concurrent
// included, is 409 and changes nothing.
func (s *Server) castBallot(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := s.voterAccess(r)
	if err != nil {
		return err
	}
	nominees, err := s.db.SessionNominees(ctx, sc.s.ID)
	if err != nil {
		return err
	}
	b, err := ballotOf(r, nominees)
	if err != nil {
		return err
	}
	if err := s.db.CastBallot(ctx, sc.s.CouncilID, sc.s.ID, userFrom(ctx).ID, b); err != nil {
		return err
	}
	s.flash(ctx, "ballot.flash.cast")
	http.Redirect(w, r, paths.Session(sc.s.CouncilID, sc.s.ID), http.StatusSeeOther)
	return nil
}

// enterWrittenBallot records a sealed written ballot (the secretary).
func (s *Server) enterWrittenBallot(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	sc, err := s.sessionOf(r)
	if err != nil {
		return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	if !domain.CanEnterWrittenBallot(u, sc.me) {
		return domain.Errorf(domain.EFORBIDDEN, "ballot.written.secretary_only")
	}
	memberID, err := strconv.ParseInt(r.PostFormValue("member"), 10, 64)
	if err != nil || memberID <= 0 {
		return domain.Errorf(domain.EINVALID, "ballot.written.member.required")
	}
	nominees, err := s.db.SessionNominees(ctx, sc.s.ID)
	if err != nil {
		return err
	}
	b, err := ballotOf(r, nominees)
	if err != nil {
		return err
	}
	if err := s.db.EnterWrittenBallot(ctx, sc.s.CouncilID, sc.s.ID, u.ID, memberID, b); err != nil {
		return err
	}
	s.flash(ctx, "ballot.flash.written")
	http.Redirect(w, r, paths.Session(sc.s.CouncilID, sc.s.ID)+paths.Fragment("roster"), http.StatusSeeOther)
	return nil
}
