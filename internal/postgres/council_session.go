package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// A council's sessions (issue 12): the nominees put to a session, the
// roster and its attendance, opening (the roster fixed) and closing (the
// tally: each nominee's vote rule, denominator and outcome). The file is
// not session.go: that name holds the store of sign-in sessions.

// SessionInfo is a council session with what its pages name.
type SessionInfo struct {
	domain.Session
	CouncilName       string
	CouncilCampaignID *int64
	CampaignTitle     string
	IssuerName        string
	Nominees          int
	Voted             int
}

const sessionColumns = `s.id, s.council_id, s.campaign_id, s.held_on, s.starts_at, s.place, s.status, s.note, s.version, s.opened_at, s.closed_at,
	s.members_total, s.members_present, s.members_written, s.ballots_returned, k.name, k.campaign_id, c.title, coalesce(i.name, ''),
	(SELECT count(*) FROM session_nominees n WHERE n.session_id = s.id)::int,
	(SELECT count(*) FROM ballot_participation b WHERE b.session_id = s.id)::int`

const sessionFrom = ` FROM council_sessions s JOIN councils k ON k.id = s.council_id JOIN campaigns c ON c.id = s.campaign_id
	LEFT JOIN issuers i ON i.id = k.issuer_id`

func scanSession(row pgx.Row) (*SessionInfo, error) {
	var s SessionInfo
	var total, present, written *int
	err := row.Scan(&s.ID, &s.CouncilID, &s.CampaignID, &s.HeldOn, &s.StartsAt, &s.Place, &s.Status, &s.Note, &s.Version, &s.OpenedAt, &s.ClosedAt,
		&total, &present, &written, &s.BallotsReturned, &s.CouncilName, &s.CouncilCampaignID, &s.CampaignTitle, &s.IssuerName, &s.Nominees, &s.Voted)
	if err == nil && total != nil && present != nil && written != nil {
		s.Turnout = &domain.Turnout{Total: *total, Present: *present, Written: *written}
	}
	return &s, err
}

// CouncilSessions returns a council's sessions, newest first.
func (db *DB) CouncilSessions(ctx context.Context, councilID int64) (_ []SessionInfo, err error) {
	defer wrap(&err, "CouncilSessions")
	rows, err := db.Pool.Query(ctx, `SELECT `+sessionColumns+sessionFrom+` WHERE s.council_id = $1 ORDER BY s.held_on DESC, s.id DESC`, councilID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SessionInfo
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *s)
	}
	return out, rows.Err()
}

// CouncilSession returns a session of a council: another council's session
// is not found, exactly as a missing one.
func (db *DB) CouncilSession(ctx context.Context, councilID, sessionID int64) (_ *SessionInfo, err error) {
	defer wrap(&err, "CouncilSession")
	s, err := scanSession(db.Pool.QueryRow(ctx, `SELECT `+sessionColumns+sessionFrom+` WHERE s.id = $1 AND s.council_id = $2`, sessionID, councilID))
	if err != nil {
		return nil, notFound(err, "csession.not_found")
	}
	return s, nil
}

// CreateSession sets up a session of a council and returns its ID. A
// council set up for one campaign sits only on that campaign's nominees.
// formKey makes the same form sent twice return the first session.
func (db *DB) CreateSession(ctx context.Context, councilID int64, in domain.SessionInput, formKey string) (_ int64, err error) {
	defer wrap(&err, "CreateSession")
	if err := in.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if formKey != "" {
			prior, claimed, err := claimIdempotencyKey(ctx, tx, "session:"+formKey)
			if err != nil {
				return err
			}
			if !claimed {
				id, err = strconv.ParseInt(prior, 10, 64)
				return err
			}
		}
		var own *int64
		if err := tx.QueryRow(ctx, `SELECT campaign_id FROM councils WHERE id = $1`, councilID).Scan(&own); err != nil {
			return notFound(err, "councils.not_found")
		}
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = $1)`, in.CampaignID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return &domain.ValidationError{Fields: domain.FieldErrors{"campaign": "field.invalid"}}
		}
		if own != nil && *own != in.CampaignID {
			return &domain.ValidationError{Fields: domain.FieldErrors{"campaign": "csession.campaign.other"}}
		}
		err := tx.QueryRow(ctx, `INSERT INTO council_sessions (council_id, campaign_id, held_on, starts_at, place, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, councilID, in.CampaignID, in.HeldOn, in.StartsAt, in.Place, actorID(ctx)).Scan(&id)
		if err != nil {
			return err
		}
		if formKey != "" {
			if err := setIdempotencyResult(ctx, tx, "session:"+formKey, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditSessionCreate, ObjectType: "council_session", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"council_id": councilID, "campaign_id": in.CampaignID, "held_on": in.HeldOn.Format(time.DateOnly)}})
	})
	return id, err
}

// lockSession locks a session of a council for a change and returns its
// status, day and version.
func lockSession(ctx context.Context, tx pgx.Tx, councilID, sessionID int64) (status domain.SessionStatus, heldOn time.Time, version int, err error) {
	err = tx.QueryRow(ctx, `SELECT status, held_on, version FROM council_sessions WHERE id = $1 AND council_id = $2 FOR UPDATE`,
		sessionID, councilID).Scan(&status, &heldOn, &version)
	return status, heldOn, version, notFound(err, "csession.not_found")
}

// lockSessionIn locks a session of the council that must be in want and
// at version (the page's): another state or version is a conflict. It
// returns the session's day.
func lockSessionIn(ctx context.Context, tx pgx.Tx, councilID, sessionID int64, want domain.SessionStatus, version int) (time.Time, error) {
	status, heldOn, v, err := lockSession(ctx, tx, councilID, sessionID)
	switch {
	case err != nil:
		return heldOn, err
	case status != want && want == domain.SessionOpen:
		return heldOn, domain.Errorf(domain.ECONFLICT, "csession.not_open")
	case status != want:
		return heldOn, domain.Errorf(domain.ECONFLICT, "csession.not_draft")
	case v != version:
		return heldOn, domain.Errorf(domain.ECONFLICT, "error.stale")
	}
	return heldOn, nil
}

// Roster returns a session's roster. Once the session is open it is the
// roster fixed then; while it is a draft, it is every member of the
// council valid on the session's day, with the attendance set so far
// (present when none). By role, then name.
func (db *DB) Roster(ctx context.Context, s *SessionInfo) (_ []domain.SessionMember, err error) {
	defer wrap(&err, "Roster")
	return roster(ctx, db.Pool, s.ID, s.CouncilID, s.Status, s.HeldOn)
}

func roster(ctx context.Context, q querier, sessionID, councilID int64, status domain.SessionStatus, heldOn time.Time) ([]domain.SessionMember, error) {
	var rows pgx.Rows
	var err error
	if status == domain.SessionDraft {
		rows, err = q.Query(ctx, `
			SELECT $1::bigint, m.id, m.user_id, u.full_name, m.role, m.position, coalesce(sm.attendance, 'present')
			FROM council_members m JOIN users u ON u.id = m.user_id
			LEFT JOIN session_members sm ON sm.session_id = $1 AND sm.member_id = m.id
			WHERE m.council_id = $2 AND m.valid_from <= $3::date AND (m.valid_to IS NULL OR m.valid_to >= $3::date)
			ORDER BY array_position(ARRAY['chair', 'vice_chair', 'member', 'secretary'], m.role), u.full_name COLLATE "vi-x-icu", m.id`,
			sessionID, councilID, heldOn)
	} else {
		rows, err = q.Query(ctx, `
			SELECT sm.session_id, sm.member_id, sm.user_id, u.full_name, sm.role, m.position, sm.attendance
			FROM session_members sm JOIN council_members m ON m.id = sm.member_id JOIN users u ON u.id = sm.user_id
			WHERE sm.session_id = $1
			ORDER BY array_position(ARRAY['chair', 'vice_chair', 'member', 'secretary'], sm.role), u.full_name COLLATE "vi-x-icu", sm.member_id`,
			sessionID)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.SessionMember
	for rows.Next() {
		var m domain.SessionMember
		if err := rows.Scan(&m.SessionID, &m.MemberID, &m.UserID, &m.Name, &m.Role, &m.Position, &m.Attendance); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// RosterLineOf returns u's line of the roster, nil when u is not on it.
func RosterLineOf(roster []domain.SessionMember, userID int64) *domain.SessionMember {
	for i := range roster {
		if roster[i].UserID == userID {
			return &roster[i]
		}
	}
	return nil
}

// Participation returns who has voted at a session: member ID → in
// person or written. It says nothing of how.
func (db *DB) Participation(ctx context.Context, sessionID int64) (_ map[int64]string, err error) {
	defer wrap(&err, "Participation")
	rows, err := db.Pool.Query(ctx, `SELECT member_id, kind FROM ballot_participation WHERE session_id = $1`, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			return nil, err
		}
		out[id] = kind
	}
	return out, rows.Err()
}

// SessionNominee is a nominee put to a session, with its anonymous tally
// and, once closed, the rule used and the outcome.
type SessionNominee struct {
	ID          int64
	EntryID     int64
	Target      domain.AwardTarget
	Name        string
	Position    string
	UnitName    string
	AwardFormID int64
	FormName    string
	Tally       domain.Tally
	// Fixed at closing.
	Rule        *domain.VoteRule
	Denominator *int
	Outcome     domain.VoteOutcome
}

// SessionNominees returns a session's nominees in their order: collectives
// first.
func (db *DB) SessionNominees(ctx context.Context, sessionID int64) (_ []SessionNominee, err error) {
	defer wrap(&err, "SessionNominees")
	rows, err := db.Pool.Query(ctx, `
		SELECT n.id, n.entry_id, e.target, coalesce(pe.full_name, u.name), CASE WHEN e.person_id IS NULL THEN '' ELSE pe.position END, u.name,
		       n.award_form_id, f.name, n.votes_for, n.votes_against, n.votes_blank,
		       n.rule_id, coalesce(n.basis, ''), coalesce((n.share * 100)::bigint, 0), coalesce((n.quorum * 100)::bigint, 0), coalesce(r.citation, ''),
		       n.denominator, coalesce(n.outcome, '')
		FROM session_nominees n
		JOIN shortlist_entries e ON e.id = n.entry_id
		JOIN units u ON u.id = e.unit_id
		LEFT JOIN people pe ON pe.id = e.person_id
		JOIN award_forms f ON f.id = n.award_form_id
		LEFT JOIN vote_rules r ON r.id = n.rule_id
		WHERE n.session_id = $1
		ORDER BY n.sort, e.target, coalesce(pe.full_name, u.name) COLLATE "vi-x-icu", n.id`, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SessionNominee
	for rows.Next() {
		var n SessionNominee
		var ruleID *int64
		var rule domain.VoteRule
		if err := rows.Scan(&n.ID, &n.EntryID, &n.Target, &n.Name, &n.Position, &n.UnitName, &n.AwardFormID, &n.FormName,
			&n.Tally.For, &n.Tally.Against, &n.Tally.Blank, &ruleID, &rule.Basis, &rule.Share, &rule.Quorum, &rule.Citation,
			&n.Denominator, &n.Outcome); err != nil {
			return nil, err
		}
		if ruleID != nil {
			rule.ID, rule.AwardFormID = *ruleID, n.AwardFormID
			n.Rule = &rule
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Candidate is a nominee of the session's campaign that staff may put to
// it, or the reason it may not go yet (Blocked).
type Candidate struct {
	EntryID  int64
	Name     string
	Position string
	UnitName string
	FormName string
	Blocked  *domain.Error
}

// entryState is what decides whether a shortlist entry may be put to a
// session.
type entryState struct {
	id          int64
	campaignID  int64
	listed      bool
	noticeEnds  *time.Time
	sent        bool
	unanswered  int
	passed      bool
	pending     bool
	awardFormID int64
	name        string
}

const entryStateSQL = `
	SELECT e.id, s.campaign_id, e.status IN ('proposed', 'added'), n.ends_on, e.sent_to_council_at IS NOT NULL,
	       (SELECT count(*) FROM objections o WHERE o.entry_id = e.id AND o.outcome IS NULL)::int,
	       EXISTS (SELECT 1 FROM session_nominees x WHERE x.entry_id = e.id AND x.outcome = 'passed'),
	       EXISTS (SELECT 1 FROM session_nominees x JOIN council_sessions cs ON cs.id = x.session_id
	               WHERE x.entry_id = e.id AND cs.status <> 'closed' AND cs.id <> $1),
	       p.award_form_id, coalesce(pe.full_name, u.name), CASE WHEN e.person_id IS NULL THEN '' ELSE pe.position END, u.name, f.name
	FROM shortlist_entries e
	JOIN shortlists s ON s.id = e.shortlist_id
	JOIN award_plans p ON p.id = s.plan_id
	JOIN award_forms f ON f.id = p.award_form_id
	JOIN units u ON u.id = e.unit_id
	LEFT JOIN people pe ON pe.id = e.person_id
	LEFT JOIN notices n ON n.shortlist_id = s.id`

func scanEntryState(row pgx.Row, c *Candidate) (entryState, error) {
	var e entryState
	err := row.Scan(&e.id, &e.campaignID, &e.listed, &e.noticeEnds, &e.sent, &e.unanswered, &e.passed, &e.pending,
		&e.awardFormID, &e.name, &c.Position, &c.UnitName, &c.FormName)
	c.EntryID, c.Name = e.id, e.name
	return e, err
}

// block says why an entry may not be put to a session of campaignID on
// today, nil when it may: it must be of the campaign, on its list, its
// public notice ended, every objection to it answered, sent to the council
// by staff, and neither passed at another session nor waiting at one.
func (e entryState) block(campaignID int64, today time.Time) *domain.Error {
	switch {
	case e.campaignID != campaignID:
		return domain.Errorf(domain.ECONFLICT, "csession.nominee.other_campaign", e.name)
	case !e.listed:
		return domain.Errorf(domain.ECONFLICT, "csession.nominee.not_listed", e.name)
	case e.noticeEnds == nil:
		return domain.Errorf(domain.ECONFLICT, "csession.nominee.no_notice", e.name)
	case !today.After(*e.noticeEnds):
		return domain.Errorf(domain.ECONFLICT, "csession.nominee.notice_running", e.name, e.noticeEnds.Format("02/01/2006"))
	case e.unanswered > 0:
		return domain.Errorf(domain.ECONFLICT, "csession.nominee.unanswered", e.name, e.unanswered)
	case !e.sent:
		return domain.Errorf(domain.ECONFLICT, "csession.nominee.not_sent", e.name)
	case e.passed:
		return domain.Errorf(domain.ECONFLICT, "csession.nominee.passed", e.name)
	case e.pending:
		return domain.Errorf(domain.ECONFLICT, "csession.nominee.pending", e.name)
	}
	return nil
}

// SessionCandidates returns the nominees of the session's campaign on a
// publicly noticed list and not yet put to the session, each with the
// reason it may not go yet, if any.
func (db *DB) SessionCandidates(ctx context.Context, s *SessionInfo, today time.Time) (_ []Candidate, err error) {
	defer wrap(&err, "SessionCandidates")
	rows, err := db.Pool.Query(ctx, entryStateSQL+`
		WHERE s.campaign_id = $2 AND e.status IN ('proposed', 'added') AND n.id IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM session_nominees x WHERE x.entry_id = e.id AND x.session_id = $1)
		ORDER BY f.sort, e.target, e.rank NULLS LAST, coalesce(pe.full_name, u.name) COLLATE "vi-x-icu", e.id`, s.ID, s.CampaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var c Candidate
		e, err := scanEntryState(rows, &c)
		if err != nil {
			return nil, err
		}
		c.Blocked = e.block(s.CampaignID, today)
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddNominees puts shortlist entries to a draft session, in one
// transaction: all of them, or none when one may not go (ECONFLICT with
// the reason; see entryState.block). An entry already put to the session
// stays as it is. version is the session's version the form showed.
func (db *DB) AddNominees(ctx context.Context, councilID, sessionID int64, version int, entryIDs []int64, today time.Time) (err error) {
	defer wrap(&err, "AddNominees")
	if len(entryIDs) == 0 {
		return &domain.ValidationError{Fields: domain.FieldErrors{"entries": "csession.nominees.none_chosen"}}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		_, err := lockSessionIn(ctx, tx, councilID, sessionID, domain.SessionDraft, version)
		if err != nil {
			return err
		}
		var campaignID int64
		if err := tx.QueryRow(ctx, `SELECT campaign_id FROM council_sessions WHERE id = $1`, sessionID).Scan(&campaignID); err != nil {
			return err
		}
		var added []int64
		for _, id := range entryIDs {
			var already bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM session_nominees WHERE session_id = $1 AND entry_id = $2)`,
				sessionID, id).Scan(&already); err != nil {
				return err
			}
			if already {
				continue
			}
			// The entry's lock orders this against SendToCouncil and
			// another session taking the same nominee.
			if _, err := tx.Exec(ctx, `SELECT 1 FROM shortlist_entries WHERE id = $1 FOR UPDATE`, id); err != nil {
				return err
			}
			var c Candidate
			e, err := scanEntryState(tx.QueryRow(ctx, entryStateSQL+` WHERE e.id = $2`, sessionID, id), &c)
			if errors.Is(err, pgx.ErrNoRows) {
				return domain.Errorf(domain.ECONFLICT, "csession.nominee.not_found")
			}
			if err != nil {
				return err
			}
			if b := e.block(campaignID, today); b != nil {
				return b
			}
			if _, err := tx.Exec(ctx, `INSERT INTO session_nominees (session_id, entry_id, award_form_id, sort)
				VALUES ($1, $2, $3, (SELECT coalesce(max(sort), 0) + 1 FROM session_nominees WHERE session_id = $1))`,
				sessionID, id, e.awardFormID); err != nil {
				return err
			}
			added = append(added, id)
		}
		if _, err := tx.Exec(ctx, `UPDATE council_sessions SET version = version + 1 WHERE id = $1`, sessionID); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditSessionNominees, ObjectType: "council_session", ObjectID: strconv.FormatInt(sessionID, 10),
			Details: map[string]any{"council_id": councilID, "entries": added}})
	})
}

// SetAttendance records how each member of a draft session's roster takes
// part (present, absent with a written ballot, absent). Members left out
// keep what they had. version is the session's version the form showed.
func (db *DB) SetAttendance(ctx context.Context, councilID, sessionID int64, version int, att map[int64]domain.Attendance) (err error) {
	defer wrap(&err, "SetAttendance")
	for _, a := range att {
		if !a.Valid() {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		heldOn, err := lockSessionIn(ctx, tx, councilID, sessionID, domain.SessionDraft, version)
		if err != nil {
			return err
		}
		lines, err := roster(ctx, tx, sessionID, councilID, domain.SessionDraft, heldOn)
		if err != nil {
			return err
		}
		known := map[int64]bool{}
		counts := map[string]int{}
		for _, m := range lines {
			known[m.MemberID] = true
			a := m.Attendance
			if x, ok := att[m.MemberID]; ok {
				a = x
			}
			counts[string(a)]++
			if _, err := tx.Exec(ctx, `INSERT INTO session_members (session_id, member_id, user_id, role, attendance) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (session_id, member_id) DO UPDATE SET attendance = EXCLUDED.attendance, role = EXCLUDED.role`,
				sessionID, m.MemberID, m.UserID, m.Role, a); err != nil {
				return err
			}
		}
		for id := range att {
			if !known[id] {
				return domain.Errorf(domain.ECONFLICT, "csession.roster.unknown_member")
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE council_sessions SET version = version + 1 WHERE id = $1`, sessionID); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditSessionAttend, ObjectType: "council_session", ObjectID: strconv.FormatInt(sessionID, 10),
			Details: map[string]any{"council_id": councilID, "present": counts["present"], "written": counts["written"], "absent": counts["absent"]}})
	})
}

// OpenSession opens a draft session for voting: the roster is fixed as
// the members valid on the session's day (with the attendance set; present
// when none). It needs at least one nominee and one voting member.
func (db *DB) OpenSession(ctx context.Context, councilID, sessionID int64, version int) (err error) {
	defer wrap(&err, "OpenSession")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		heldOn, err := lockSessionIn(ctx, tx, councilID, sessionID, domain.SessionDraft, version)
		if err != nil {
			return err
		}
		var nominees int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM session_nominees WHERE session_id = $1`, sessionID).Scan(&nominees); err != nil {
			return err
		}
		if nominees == 0 {
			return domain.Errorf(domain.ECONFLICT, "csession.open.no_nominee")
		}
		lines, err := roster(ctx, tx, sessionID, councilID, domain.SessionDraft, heldOn)
		if err != nil {
			return err
		}
		if domain.TurnoutOf(lines).Total == 0 {
			return domain.Errorf(domain.ECONFLICT, "csession.open.no_member")
		}
		// Fix the roster: lines of members no longer valid on the day go,
		// every valid member is on it.
		ids := make([]int64, 0, len(lines))
		for _, m := range lines {
			ids = append(ids, m.MemberID)
			if _, err := tx.Exec(ctx, `INSERT INTO session_members (session_id, member_id, user_id, role, attendance) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (session_id, member_id) DO UPDATE SET role = EXCLUDED.role, user_id = EXCLUDED.user_id`,
				sessionID, m.MemberID, m.UserID, m.Role, m.Attendance); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM session_members WHERE session_id = $1 AND NOT (member_id = ANY ($2))`, sessionID, ids); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE council_sessions SET status = 'open', opened_by = $2, opened_at = now(), version = version + 1 WHERE id = $1`,
			sessionID, actorID(ctx)); err != nil {
			return err
		}
		if err := db.notifyOpened(ctx, tx, councilID, sessionID, heldOn, lines); err != nil {
			return err
		}
		t := domain.TurnoutOf(lines)
		return audit(ctx, tx, auditEntry{Action: domain.AuditSessionOpen, ObjectType: "council_session", ObjectID: strconv.FormatInt(sessionID, 10),
			Details: map[string]any{"council_id": councilID, "members_total": t.Total, "present": t.Present, "written": t.Written, "nominees": nominees}})
	})
}

// ruleOn is the vote rule of an award form in force on day: the one that
// started last when two would apply.
func ruleOn(ctx context.Context, tx pgx.Tx, awardFormID int64, day time.Time) (*domain.VoteRule, error) {
	var r domain.VoteRule
	err := tx.QueryRow(ctx, `
		SELECT id, award_form_id, basis, (share * 100)::bigint, (quorum * 100)::bigint, citation, in_force_from, in_force_to
		FROM vote_rules
		WHERE award_form_id = $1 AND (in_force_from IS NULL OR in_force_from <= $2::date) AND (in_force_to IS NULL OR in_force_to >= $2::date)
		ORDER BY in_force_from DESC NULLS LAST, id DESC LIMIT 1`, awardFormID, day).Scan(
		&r.ID, &r.AwardFormID, &r.Basis, &r.Share, &r.Quorum, &r.Citation, &r.InForceFrom, &r.InForceTo)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &r, err
}

// CloseSession closes an open session and tallies it: for each nominee,
// the vote rule of its award form in force on the session's day, the
// arithmetic of domain.CountVotes on the anonymous tally, and the outcome;
// the counts of the minutes go on the session. Members absent with a
// written ballot count as taking part only when the secretary entered it.
// A nominee whose form has no rule in force refuses the close (ECONFLICT).
func (db *DB) CloseSession(ctx context.Context, councilID, sessionID int64, version int) (err error) {
	defer wrap(&err, "CloseSession")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		heldOn, err := lockSessionIn(ctx, tx, councilID, sessionID, domain.SessionOpen, version)
		if err != nil {
			return err
		}
		lines, err := roster(ctx, tx, sessionID, councilID, domain.SessionOpen, heldOn)
		if err != nil {
			return err
		}
		voted := map[int64]bool{}
		rows, err := tx.Query(ctx, `SELECT member_id FROM ballot_participation WHERE session_id = $1`, sessionID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			voted[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		counted := make([]domain.SessionMember, len(lines))
		for i, m := range lines {
			counted[i] = m
			if m.Attendance == domain.AttendWritten && !voted[m.MemberID] {
				counted[i].Attendance = domain.AttendAbsent
			}
		}
		turnout := domain.TurnoutOf(counted)
		type nominee struct {
			id, form int64
			formName string
			tally    domain.Tally
		}
		var ns []nominee
		rows, err = tx.Query(ctx, `SELECT n.id, n.award_form_id, f.name, n.votes_for, n.votes_against, n.votes_blank
			FROM session_nominees n JOIN award_forms f ON f.id = n.award_form_id WHERE n.session_id = $1 ORDER BY n.id`, sessionID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n nominee
			if err := rows.Scan(&n.id, &n.form, &n.formName, &n.tally.For, &n.tally.Against, &n.tally.Blank); err != nil {
				rows.Close()
				return err
			}
			ns = append(ns, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		outcomes := map[string]int{}
		for _, n := range ns {
			rule, err := ruleOn(ctx, tx, n.form, heldOn)
			if err != nil {
				return err
			}
			if rule == nil {
				return domain.Errorf(domain.ECONFLICT, "csession.close.no_rule", n.formName, heldOn.Format("02/01/2006"))
			}
			c := domain.CountVotes(*rule, turnout, n.tally)
			outcomes[string(c.Outcome)]++
			if _, err := tx.Exec(ctx, `UPDATE session_nominees SET rule_id = $2, basis = $3, share = $4::numeric / 100, quorum = $5::numeric / 100,
				denominator = $6, outcome = $7 WHERE id = $1`, n.id, rule.ID, rule.Basis, int64(rule.Share), int64(rule.Quorum), c.Denominator, c.Outcome); err != nil {
				return err
			}
		}
		// Every participation row is rewritten by this transaction, so that
		// no row keeps the transaction of the ballot that wrote it.
		if _, err := tx.Exec(ctx, `UPDATE ballot_participation SET kind = kind WHERE session_id = $1`, sessionID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE council_sessions SET status = 'closed', closed_by = $2, closed_at = now(), version = version + 1,
			members_total = $3, members_present = $4, members_written = $5, ballots_returned = $6 WHERE id = $1`,
			sessionID, actorID(ctx), turnout.Total, turnout.Present, turnout.Written, len(voted)); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditSessionClose, ObjectType: "council_session", ObjectID: strconv.FormatInt(sessionID, 10),
			Details: map[string]any{"council_id": councilID, "members_total": turnout.Total, "ballots_returned": len(voted),
				"passed": outcomes[string(domain.VotePassed)], "failed": outcomes[string(domain.VoteFailed)], "no_quorum": outcomes[string(domain.VoteNoQuorum)]}})
	})
}

// SessionToVote is an open session a member has yet to vote in.
type SessionToVote struct {
	CouncilID     int64
	SessionID     int64
	CouncilName   string
	CampaignTitle string
	HeldOn        time.Time
	Place         string
	Nominees      int
}

// SessionsToVote returns the open sessions where userID is a voting member
// present on the roster and has not voted yet, oldest first: what waits
// for them on their home page.
func (db *DB) SessionsToVote(ctx context.Context, userID int64) (_ []SessionToVote, err error) {
	defer wrap(&err, "SessionsToVote")
	rows, err := db.Pool.Query(ctx, `
		SELECT s.council_id, s.id, k.name, c.title, s.held_on, s.place,
		       (SELECT count(*) FROM session_nominees n WHERE n.session_id = s.id)::int
		FROM session_members sm
		JOIN council_sessions s ON s.id = sm.session_id
		JOIN councils k ON k.id = s.council_id
		JOIN campaigns c ON c.id = s.campaign_id
		WHERE sm.user_id = $1 AND sm.role <> 'secretary' AND sm.attendance = 'present' AND s.status = 'open'
		  AND NOT EXISTS (SELECT 1 FROM ballot_participation b WHERE b.session_id = sm.session_id AND b.member_id = sm.member_id)
		ORDER BY s.held_on, s.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SessionToVote
	for rows.Next() {
		var s SessionToVote
		if err := rows.Scan(&s.CouncilID, &s.SessionID, &s.CouncilName, &s.CampaignTitle, &s.HeldOn, &s.Place, &s.Nominees); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
