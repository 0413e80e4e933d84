package postgres

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// The secret ballot (issue 12). A ballot is recorded in one transaction
// that writes two things apart: who took part (ballot_participation: the
// session, the member, in person or written; no choice, no time) and the
// anonymous tally of every nominee of the session (session_nominees'
// counters, all of them touched by every ballot, blank ones included).
// Nothing stores, logs or audits a choice beside its voter: the audit
// entry names the actor and the session only, and errors never carry a
// choice. Ballots of one session are serialized by the session's row lock,
// so a second submission by the same member (concurrent or not) finds the
// first one's participation and changes nothing.

// Ballot is one member's marks: nominee ID → choice. A nominee left out is
// blank.
type Ballot map[int64]domain.Choice

// CastBallot records userID's own ballot at an open session of a council.
// Only a voting member present on the roster votes (EFORBIDDEN otherwise:
// the secretary, an absent member, anyone not on the roster); a second
// ballot is refused (ECONFLICT) and changes nothing.
func (db *DB) CastBallot(ctx context.Context, councilID, sessionID, userID int64, b Ballot) (err error) {
	defer wrap(&err, "CastBallot")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		status, _, _, err := lockSession(ctx, tx, councilID, sessionID)
		if err != nil {
			return err
		}
		if status == domain.SessionDraft {
			return domain.Errorf(domain.ECONFLICT, "ballot.not_open")
		}
		var m domain.SessionMember
		err = tx.QueryRow(ctx, `SELECT member_id, user_id, role, attendance FROM session_members WHERE session_id = $1 AND user_id = $2`,
			sessionID, userID).Scan(&m.MemberID, &m.UserID, &m.Role, &m.Attendance)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.EFORBIDDEN, "ballot.not_on_roster")
		}
		if err != nil {
			return err
		}
		if !m.Role.Votes() {
			return domain.Errorf(domain.EFORBIDDEN, "ballot.secretary")
		}
		if m.Attendance != domain.AttendPresent {
			return domain.Errorf(domain.EFORBIDDEN, "ballot.not_present")
		}
		if err := recordBallot(ctx, tx, sessionID, status, m.MemberID, "in_person", b); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditBallotCast, ObjectType: "council_session", ObjectID: strconv.FormatInt(sessionID, 10),
			Details: map[string]any{"council_id": councilID}})
	})
}

// EnterWrittenBallot records the sealed written ballot of memberID, a
// voting member of the roster absent with a written ballot, entered by
// the session's secretary (secretaryUserID; EFORBIDDEN for anyone else).
// Once per member: a second entry is refused (ECONFLICT).
func (db *DB) EnterWrittenBallot(ctx context.Context, councilID, sessionID, secretaryUserID, memberID int64, b Ballot) (err error) {
	defer wrap(&err, "EnterWrittenBallot")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		status, _, _, err := lockSession(ctx, tx, councilID, sessionID)
		if err != nil {
			return err
		}
		if status == domain.SessionDraft {
			return domain.Errorf(domain.ECONFLICT, "ballot.not_open")
		}
		var isSecretary bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM session_members WHERE session_id = $1 AND user_id = $2 AND role = 'secretary')`,
			sessionID, secretaryUserID).Scan(&isSecretary); err != nil {
			return err
		}
		if !isSecretary {
			return domain.Errorf(domain.EFORBIDDEN, "ballot.written.secretary_only")
		}
		var m domain.SessionMember
		err = tx.QueryRow(ctx, `SELECT role, attendance FROM session_members WHERE session_id = $1 AND member_id = $2`,
			sessionID, memberID).Scan(&m.Role, &m.Attendance)
		if errors.Is(err, pgx.ErrNoRows) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"member": "field.invalid"}}
		}
		if err != nil {
			return err
		}
		if !m.Role.Votes() || m.Attendance != domain.AttendWritten {
			return domain.Errorf(domain.ECONFLICT, "ballot.written.not_written")
		}
		if err := recordBallot(ctx, tx, sessionID, status, memberID, "written", b); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditBallotWritten, ObjectType: "council_session", ObjectID: strconv.FormatInt(sessionID, 10),
			Details: map[string]any{"council_id": councilID, "member_id": memberID}})
	})
}

// recordBallot writes a ballot under the session's lock: the participation
// row, then the counters of every nominee of the session in one statement.
func recordBallot(ctx context.Context, tx pgx.Tx, sessionID int64, status domain.SessionStatus, memberID int64, kind string, b Ballot) error {
	if status != domain.SessionOpen {
		return domain.Errorf(domain.ECONFLICT, "ballot.not_open")
	}
	rows, err := tx.Query(ctx, `SELECT id FROM session_nominees WHERE session_id = $1 ORDER BY id`, sessionID)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	known := make(map[int64]bool, len(ids))
	for _, id := range ids {
		known[id] = true
	}
	for id, c := range b {
		if !known[id] || !c.Valid() {
			return domain.Errorf(domain.EINVALID, "ballot.invalid")
		}
	}
	tag, err := tx.Exec(ctx, `INSERT INTO ballot_participation (session_id, member_id, kind) VALUES ($1, $2, $3)
		ON CONFLICT (session_id, member_id) DO NOTHING`, sessionID, memberID, kind)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return domain.Errorf(domain.ECONFLICT, "ballot.already")
	}
	forVotes := make([]int32, len(ids))
	against := make([]int32, len(ids))
	blank := make([]int32, len(ids))
	for i, id := range ids {
		switch b[id] {
		case domain.ChoiceFor:
			forVotes[i] = 1
		case domain.ChoiceAgainst:
			against[i] = 1
		default:
			blank[i] = 1
		}
	}
	tag, err = tx.Exec(ctx, `
		UPDATE session_nominees n
		SET votes_for = n.votes_for + c.f, votes_against = n.votes_against + c.a, votes_blank = n.votes_blank + c.b
		FROM unnest($2::bigint[], $3::int[], $4::int[], $5::int[]) AS c (id, f, a, b)
		WHERE n.session_id = $1 AND n.id = c.id`, sessionID, ids, forVotes, against, blank)
	if err != nil {
		return err
	}
	if int(tag.RowsAffected()) != len(ids) {
		return errors.New("ballot: not every nominee's tally was counted")
	}
	return nil
}
