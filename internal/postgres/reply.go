package postgres

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// ReplyInfo is the reply stage of a form: its window, the unit's reply, the
// lock, and the appraised and final totals.
type ReplyInfo struct {
	domain.ReplyStage
	AppraisedAt        *time.Time
	AppraisedBy        string
	ReplySentBy        string
	LockedAt           *time.Time
	LockedBy           string
	AppraisedPoints    domain.Points
	AppraisedConverted domain.Points
	FinalPoints        domain.Points
	FinalMax           domain.Points
	FinalConverted     domain.Points
}

// ReplyInfo returns the reply stage of a form.
func (db *DB) ReplyInfo(ctx context.Context, id int64) (_ *ReplyInfo, err error) {
	defer wrap(&err, "ReplyInfo")
	var r ReplyInfo
	err = db.Pool.QueryRow(ctx, `SELECT a.status, a.reply_until, a.reply_submitted_at, a.appraised_at, coalesce(ua.full_name, ''),
			coalesce(ur.full_name, ''), a.locked_at, coalesce(ul.full_name, ''), a.appraised_points, a.appraised_converted,
			a.final_points, a.final_max, a.final_converted
		FROM assessments a LEFT JOIN users ua ON ua.id = a.appraised_by LEFT JOIN users ur ON ur.id = a.reply_submitted_by
		LEFT JOIN users ul ON ul.id = a.locked_by WHERE a.id = $1`, id).
		Scan(&r.Status, &r.ReplyUntil, &r.ReplySent, &r.AppraisedAt, &r.AppraisedBy, &r.ReplySentBy, &r.LockedAt, &r.LockedBy,
			&r.AppraisedPoints, &r.AppraisedConverted, &r.FinalPoints, &r.FinalMax, &r.FinalConverted)
	if err != nil {
		return nil, notFound(err, "assessment.not_found")
	}
	return &r, nil
}

func replyStage(ctx context.Context, tx pgx.Tx, id int64) (domain.ReplyStage, error) {
	var st domain.ReplyStage
	err := tx.QueryRow(ctx, `SELECT status, reply_until, reply_submitted_at FROM assessments WHERE id = $1`, id).Scan(&st.Status, &st.ReplyUntil, &st.ReplySent)
	return st, notFound(err, "assessment.not_found")
}

// ReplyScore is one criterion of a form at the reply stage.
type ReplyScore struct {
	CriterionID  int64
	Self         domain.Entry
	Appraised    domain.Appraised
	Comment      string
	Source       string
	AppraisedBy  string
	Reply        string
	ReplyAt      *time.Time
	Decision     string
	Reason       string
	Final        domain.Appraised
	Version      int
	UpdatedBy    string
	UpdatedAt    time.Time
	EvidenceSelf int
}

// Adjusted reports whether the appraisal changed the unit's own value.
func (s ReplyScore) Adjusted() bool { return domain.Adjusted(s.Self, s.Appraised) }

func loadReplyScores(ctx context.Context, q querier, campaignID, assessmentID int64, lock bool) (map[int64]ReplyScore, error) {
	sql := `SELECT s.criterion_id, s.points, s.measured, s.na, s.explanation, s.appraised_points, s.appraised_measured, s.appraised_na,
			s.appraisal_comment, s.appraisal_source, coalesce(ua.full_name, ''), s.reply, s.reply_at, coalesce(s.reply_decision, ''),
			s.reply_reason, s.final_points, s.final_measured, s.final_na, s.version, coalesce(u.full_name, ''), s.updated_at
		FROM scores s LEFT JOIN users ua ON ua.id = s.appraised_by LEFT JOIN users u ON u.id = s.updated_by
		WHERE s.campaign_id = $1 AND s.assessment_id = $2`
	if lock {
		sql += ` FOR UPDATE OF s`
	}
	rows, err := q.Query(ctx, sql, campaignID, assessmentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]ReplyScore{}
	for rows.Next() {
		var s ReplyScore
		if err := rows.Scan(&s.CriterionID, &s.Self.Points, &s.Self.Measured, &s.Self.NA, &s.Self.Explanation, &s.Appraised.Points,
			&s.Appraised.Measured, &s.Appraised.NA, &s.Comment, &s.Source, &s.AppraisedBy, &s.Reply, &s.ReplyAt, &s.Decision, &s.Reason,
			&s.Final.Points, &s.Final.Measured, &s.Final.NA, &s.Version, &s.UpdatedBy, &s.UpdatedAt); err != nil {
			return nil, err
		}
		out[s.CriterionID] = s
	}
	return out, rows.Err()
}

// ReplyScores returns a form's criteria at the reply stage.
func (db *DB) ReplyScores(ctx context.Context, a *Assessment) (_ map[int64]ReplyScore, err error) {
	defer wrap(&err, "ReplyScores")
	return loadReplyScores(ctx, db.Pool, a.CampaignID, a.ID, false)
}

// setReplyWindow opens the unit's reply window when the appraisal of form
// id is completed at instant at: reply_until is the completion day plus
// the phase's reply days, in working days (weekends and holidays skipped).
func setReplyWindow(ctx context.Context, tx pgx.Tx, id int64, at time.Time) (time.Time, error) {
	var days int
	if err := tx.QueryRow(ctx, `SELECT p.reply_days FROM assessments a JOIN phases p ON p.id = a.phase_id WHERE a.id = $1`, id).Scan(&days); err != nil {
		return time.Time{}, notFound(err, "assessment.not_found")
	}
	off, err := holidaysFrom(ctx, tx, domain.DateOf(at))
	if err != nil {
		return time.Time{}, err
	}
	until := domain.ReplyUntil(at, days, off)
	_, err = tx.Exec(ctx, `UPDATE assessments SET reply_until = $2, reply_submitted_at = NULL, reply_submitted_by = NULL WHERE id = $1`, id, until)
	return until, err
}

// ReplyEdit is the unit's reply on one criterion as sent, against the
// version the page showed.
type ReplyEdit struct {
	CriterionID int64
	Text        string
	Orig        string
	Version     int
}

// ReplyConflict is a criterion whose reply someone else changed meanwhile.
type ReplyConflict struct {
	CriterionID int64
	Mine        string
	Theirs      ReplyScore
}

func replyHistory(ctx context.Context, tx pgx.Tx, assessmentID int64, criterionID *int64, action string, old, now map[string]any) error {
	var o, n []byte
	if old != nil {
		o, _ = json.Marshal(old)
	}
	if now != nil {
		n, _ = json.Marshal(now)
	}
	_, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, criterion_id, action, old_value, new_value, actor_id)
		VALUES ($1, $2, $3, $4, $5, $6)`, assessmentID, criterionID, action, o, n, nullID(domain.ActorFrom(ctx).UserID))
	return err
}

// lockForm loads a form for a change of its reply stage, locking its row.
func lockForm(ctx context.Context, tx pgx.Tx, id int64) (*Assessment, domain.ReplyStage, error) {
	a, err := scanAssessment(tx.QueryRow(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = $1 FOR UPDATE OF a`, id))
	if err != nil {
		return nil, domain.ReplyStage{}, err
	}
	st, err := replyStage(ctx, tx, id)
	return a, st, err
}

// SaveReplies saves the unit's replies on adjusted criteria and, with send,
// sends the reply: from then on the replies are the appraiser's to answer
// and the unit changes nothing more. Each criterion is saved against the
// version the page showed; one changed meanwhile by someone else comes back
// as a conflict and the reply is not sent. Sending a reply already sent with
// the same texts (a double click) does nothing and reports false.
func (db *DB) SaveReplies(ctx context.Context, id int64, edits []ReplyEdit, send bool) (sent bool, _ []ReplyConflict, err error) {
	defer wrap(&err, "SaveReplies")
	var conflicts []ReplyConflict
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		a, st, err := lockForm(ctx, tx, id)
		if err != nil {
			return err
		}
		stored, err := loadReplyScores(ctx, tx, a.CampaignID, a.ID, true)
		if err != nil {
			return err
		}
		if st.Status == domain.AssessAppraised && st.ReplySent != nil && send {
			same := true
			for _, e := range edits {
				if text, _ := domain.ReplyText(e.Text); stored[e.CriterionID].Reply != text {
					same = false
				}
			}
			if same {
				return nil // sent already, as typed: a double click
			}
		}
		if err := st.CheckReply(db.Now()); err != nil {
			return err
		}
		changed := 0
		for _, e := range edits {
			cur, ok := stored[e.CriterionID]
			if !ok || !cur.Adjusted() {
				return domain.Errorf(domain.ENOTFOUND, "reply.not_adjusted")
			}
			text, err := domain.ReplyText(e.Text)
			if err != nil {
				return &domain.ValidationError{Fields: domain.FieldErrors{"r_" + strconv.FormatInt(e.CriterionID, 10): "reply.too_long"}}
			}
			if text == cur.Reply {
				continue // unchanged, or saved already as typed
			}
			if cur.Version != e.Version {
				conflicts = append(conflicts, ReplyConflict{CriterionID: e.CriterionID, Mine: text, Theirs: cur})
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE scores SET reply = $4, reply_by = $5, version = version + 1, updated_by = $5, updated_at = now()
				WHERE campaign_id = $1 AND assessment_id = $2 AND criterion_id = $3`, a.CampaignID, a.ID, e.CriterionID, text,
				nullID(domain.ActorFrom(ctx).UserID)); err != nil {
				return err
			}
			cid := e.CriterionID
			if err := replyHistory(ctx, tx, a.ID, &cid, "reply", map[string]any{"reply": cur.Reply}, map[string]any{"reply": text}); err != nil {
				return err
			}
			changed++
		}
		if changed > 0 {
			if err := audit(ctx, tx, auditEntry{Action: domain.AuditReplySave, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
				Details: map[string]any{"changed": changed}}); err != nil {
				return err
			}
		}
		if !send || len(conflicts) > 0 {
			return nil
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		tag, err := tx.Exec(ctx, `UPDATE scores SET reply_at = now() WHERE campaign_id = $1 AND assessment_id = $2 AND reply <> ''`, a.CampaignID, a.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET reply_submitted_at = now(), reply_submitted_by = $2, version = version + 1, updated_at = now()
			WHERE id = $1`, a.ID, actor); err != nil {
			return err
		}
		if err := replyHistory(ctx, tx, a.ID, nil, "reply_submit", nil, map[string]any{"replies": tag.RowsAffected()}); err != nil {
			return err
		}
		sent = true
		return audit(ctx, tx, auditEntry{Action: domain.AuditReplySubmit, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"replies": tag.RowsAffected()}})
	})
	return sent, conflicts, err
}

// AnswerReply records the appraiser's answer to the unit's reply on one
// criterion, against the version the page showed: accepted, the final value
// is the one entered and the totals change; kept, the appraised value stays
// final, with the reason. The answer may change until the form is locked.
func (db *DB) AnswerReply(ctx context.Context, id, criterionID int64, version int, ans domain.ReplyAnswer) (err error) {
	defer wrap(&err, "AnswerReply")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		a, st, err := lockForm(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := st.CheckAnswer(db.Now()); err != nil {
			return err
		}
		nodes, err := loadCriteria(ctx, tx, a.SetID)
		if err != nil {
			return err
		}
		var leaf *domain.Criterion
		for _, l := range domain.Leaves(nodes) {
			if l.ID == criterionID {
				leaf = &l
				break
			}
		}
		if leaf == nil {
			return domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
		}
		stored, err := loadReplyScores(ctx, tx, a.CampaignID, a.ID, true)
		if err != nil {
			return err
		}
		cur, ok := stored[criterionID]
		if !ok || cur.ReplyAt == nil {
			return domain.Errorf(domain.ENOTFOUND, "reply.no_reply")
		}
		pts, err := ans.Validate(leaf)
		if err != nil {
			return err
		}
		final := cur.Appraised
		if ans.Decision == domain.ReplyAccepted {
			na := ans.Value.NA
			final = domain.Appraised{Points: pts, NA: &na}
			if leaf.Method == domain.MethodTiers || leaf.Method == domain.MethodTargetShare {
				final.Measured = ans.Value.Measured
			}
		}
		if cur.Version != version {
			if cur.Decision == ans.Decision && cur.Reason == ans.Reason && sameAppraised(cur.Final, final) {
				return nil // answered already as sent: a double click
			}
			return domain.Errorf(domain.ECONFLICT, "reply.stale")
		}
		if _, err := tx.Exec(ctx, `UPDATE scores SET reply_decision = $4, reply_reason = $5, final_points = $6, final_measured = $7, final_na = $8,
				version = version + 1, updated_by = $9, updated_at = now()
			WHERE campaign_id = $1 AND assessment_id = $2 AND criterion_id = $3`, a.CampaignID, a.ID, criterionID, ans.Decision, ans.Reason,
			final.Points, final.Measured, final.NA, nullID(domain.ActorFrom(ctx).UserID)); err != nil {
			return err
		}
		if err := replyHistory(ctx, tx, a.ID, &criterionID, "reply_answer",
			map[string]any{"decision": cur.Decision, "final": appraisedJSON(cur.Final)},
			map[string]any{"decision": ans.Decision, "reason": ans.Reason, "final": appraisedJSON(final)}); err != nil {
			return err
		}
		if err := updateFinalTotals(ctx, tx, a, nodes); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditReplyAnswer, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"criterion_id": criterionID, "decision": ans.Decision}})
	})
}

func sameAppraised(a, b domain.Appraised) bool {
	eqP := (a.Points == nil) == (b.Points == nil) && (a.Points == nil || *a.Points == *b.Points)
	eqM := (a.Measured == nil) == (b.Measured == nil) && (a.Measured == nil || *a.Measured == *b.Measured)
	return eqP && eqM && (a.NA != nil && *a.NA) == (b.NA != nil && *b.NA)
}

func appraisedJSON(a domain.Appraised) map[string]any {
	return map[string]any{"points": a.Points, "measured": a.Measured, "na": a.NA != nil && *a.NA}
}

// updateFinalTotals recomputes a form's final totals from its criteria's
// final values (the appraised one where none), inside tx.
func updateFinalTotals(ctx context.Context, tx pgx.Tx, a *Assessment, nodes []domain.Criterion) error {
	stored, err := loadReplyScores(ctx, tx, a.CampaignID, a.ID, false)
	if err != nil {
		return err
	}
	entries := map[int64]domain.Entry{}
	for id, s := range stored {
		v := s.Final
		if !v.Done() {
			v = s.Appraised
		}
		entries[id] = domain.Entry{Points: v.Points, Measured: v.Measured, NA: v.NA != nil && *v.NA}
	}
	t := domain.ComputeTotals(nodes, entries)
	_, err = tx.Exec(ctx, `UPDATE assessments SET final_points = $2, final_max = $3, final_converted = $4, version = version + 1, updated_at = now()
		WHERE id = $1`, a.ID, t.Points, t.ApplicableMax, t.Converted)
	return err
}

// LockAssessment locks a form's result ("Khóa kết quả"): every sent reply
// answered, and the reply sent or its window over. Locking a locked form (a
// double click) does nothing and reports false.
func (db *DB) LockAssessment(ctx context.Context, id int64) (locked bool, err error) {
	defer wrap(&err, "LockAssessment")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		a, st, err := lockForm(ctx, tx, id)
		if err != nil {
			return err
		}
		if st.Status == domain.AssessLocked {
			return nil
		}
		var unanswered int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM scores WHERE campaign_id = $1 AND assessment_id = $2 AND reply_at IS NOT NULL
			AND reply_decision IS NULL`, a.CampaignID, a.ID).Scan(&unanswered); err != nil {
			return err
		}
		if err := st.CheckLock(db.Now(), unanswered); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = 'locked', locked_at = now(), locked_by = $2, version = version + 1, updated_at = now()
			WHERE id = $1`, a.ID, nullID(domain.ActorFrom(ctx).UserID)); err != nil {
			return err
		}
		var final domain.Points
		if err := tx.QueryRow(ctx, `SELECT final_converted FROM assessments WHERE id = $1`, a.ID).Scan(&final); err != nil {
			return err
		}
		if err := replyHistory(ctx, tx, a.ID, nil, "lock", nil, map[string]any{"final_converted": final}); err != nil {
			return err
		}
		locked = true
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentLock, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"final_converted": final.String()}})
	})
	return locked, err
}

// ReopenAssessment reopens a locked form, with the reason recorded in its
// history and the audit log: the appraiser may answer again and lock again.
func (db *DB) ReopenAssessment(ctx context.Context, id int64, reason string) (err error) {
	defer wrap(&err, "ReopenAssessment")
	reason = domain.CleanText(reason)
	if reason == "" {
		return &domain.ValidationError{Fields: domain.FieldErrors{"reason": "reply.reopen.reason"}}
	}
	if domain.RuneLen(reason) > 2000 || !domain.ValidText(reason) {
		return &domain.ValidationError{Fields: domain.FieldErrors{"reason": "field.too_long"}}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		a, st, err := lockForm(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := st.CheckReopen(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = 'appraised', locked_at = NULL, locked_by = NULL, version = version + 1, updated_at = now()
			WHERE id = $1`, a.ID); err != nil {
			return err
		}
		if err := replyHistory(ctx, tx, a.ID, nil, "reopen", nil, map[string]any{"reason": reason}); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentReopen, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"reason": reason}})
	})
}

// IsAppraiserOf reports whether user is assigned (and has not recused) to
// appraise form id.
func (db *DB) IsAppraiserOf(ctx context.Context, id, userID int64) (_ bool, err error) {
	defer wrap(&err, "IsAppraiserOf")
	var ok bool
	err = db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM appraisal_assignments WHERE assessment_id = $1 AND appraiser_id = $2
		AND recused_at IS NULL)`, id, userID).Scan(&ok)
	return ok, err
}

// replyAttachable checks that a form at the reply stage may take (or lose)
// evidence on a criterion now: the unit is replying, within its window, on
// an adjusted criterion. After the lock nothing changes.
func replyAttachable(ctx context.Context, tx pgx.Tx, a *Assessment, criterionID int64, now time.Time) error {
	st, err := replyStage(ctx, tx, a.ID)
	if err != nil {
		return err
	}
	if err := st.CheckReply(now); err != nil {
		return err
	}
	stored, err := loadReplyScores(ctx, tx, a.CampaignID, a.ID, false)
	if err != nil {
		return err
	}
	if s, ok := stored[criterionID]; !ok || !s.Adjusted() {
		return domain.Errorf(domain.ECONFLICT, "reply.evidence_not_adjusted")
	}
	return nil
}
