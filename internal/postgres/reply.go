package postgres

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// The reply stage of a form (giải trình bổ sung), built on the domain's
// transitions (Assessment.Reply, SendReply, CheckAnswer, DecideReply, Lock,
// Reopen) and the one versioned per-criterion edit (EditScores with
// ReplyScores).

// ReplyNames says who completed the appraisal, sent the reply and locked the
// form, for the reply page.
type ReplyNames struct {
	AppraisedBy, ReplySentBy, LockedBy string
}

// ReplyNames returns who did the reply stage's steps of a form.
func (db *DB) ReplyNames(ctx context.Context, id int64) (_ ReplyNames, err error) {
	defer wrap(&err, "ReplyNames")
	var n ReplyNames
	err = db.Pool.QueryRow(ctx, `SELECT coalesce(ua.full_name, ''), coalesce(ur.full_name, ''), coalesce(ul.full_name, '')
		FROM assessments a LEFT JOIN users ua ON ua.id = a.appraised_by LEFT JOIN users ur ON ur.id = a.reply_submitted_by
		LEFT JOIN users ul ON ul.id = a.locked_by WHERE a.id = $1`, id).Scan(&n.AppraisedBy, &n.ReplySentBy, &n.LockedBy)
	return n, notFound(err, "assessment.not_found")
}

// Adjusted reports whether the appraisal changed the unit's own value: the
// criteria the unit may reply to.
func (s StoredScore) Adjusted(c *domain.Criterion) bool {
	return s.Appraised() && domain.AppraisalDiffers(c, s.Self(), s.AppraisedEntry())
}

// ReplyScores is the unit's reply to the appraisal, one text per adjusted
// criterion (in Entry.Explanation), while the form takes replies
// (Assessment.Reply): a draft until the reply is sent.
var ReplyScores = ScoreRole{
	Action: "reply",
	Audit:  domain.AuditReplySave,
	Allowed: func(a *domain.Assessment, day time.Time) error {
		return a.Reply(day)
	},
	Current: func(s StoredScore) domain.Entry { return domain.Entry{Explanation: s.Reply} },
	Prepare: func(_ *domain.Assessment, c *domain.Criterion, cur StoredScore, e domain.Entry) (domain.Entry, error) {
		if !cur.Adjusted(c) {
			return domain.Entry{}, domain.Errorf(domain.ECONFLICT, "reply.not_adjusted")
		}
		text, err := domain.ReplyText(e.Explanation)
		if err != nil {
			return domain.Entry{}, err
		}
		return domain.Entry{Explanation: text}, nil
	},
	Columns: []string{"reply"},
	Types:   []string{"text"},
	Values:  func(e domain.Entry) []any { return []any{e.Explanation} },
	Stamps:  []Stamp{{"reply_by", StampActor}},
	Apply:   func(s *StoredScore, e domain.Entry, _ *int64, _ time.Time) { s.Reply = e.Explanation },
}

// SaveReplies saves the unit's replies (EditScores with ReplyScores) and,
// with send, sends the reply once no criterion conflicts: its replies are
// then the appraiser's to answer and the unit changes nothing more. Sending
// a reply already sent with the same texts (a double click) does nothing
// and reports false.
func (db *DB) SaveReplies(ctx context.Context, id int64, edits []ScoreEdit, send bool) (sent bool, _ []Conflict, err error) {
	defer wrap(&err, "SaveReplies")
	if send {
		a, err := db.AssessmentByID(ctx, id)
		if err != nil {
			return false, nil, err
		}
		if a.Status == domain.AssessAppraised && a.ReplySent != nil {
			stored, err := db.Scores(ctx, a)
			if err != nil {
				return false, nil, err
			}
			same := true
			for _, e := range edits {
				if text, _ := domain.ReplyText(e.Entry.Explanation); stored[e.CriterionID].Reply != text {
					same = false
				}
			}
			if same {
				return false, nil, nil // sent already, as typed
			}
		}
	}
	conflicts, err := db.EditScores(ctx, id, &ReplyScores, edits)
	if err != nil || !send || len(conflicts) > 0 {
		return false, conflicts, err
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		now := db.Now()
		if err := a.SendReply(domain.DateOf(now), now); err != nil {
			return err
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		tag, err := tx.Exec(ctx, `UPDATE scores SET reply_at = $3 WHERE campaign_id = $1 AND assessment_id = $2 AND reply <> ''`, a.CampaignID, a.ID, now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET reply_submitted_at = $2, reply_submitted_by = $3, version = version + 1, updated_at = now()
			WHERE id = $1`, a.ID, a.ReplySent, actor); err != nil {
			return err
		}
		if err := replyHistory(ctx, tx, a.ID, nil, "reply_submit", nil, map[string]any{"replies": tag.RowsAffected()}); err != nil {
			return err
		}
		sent = true
		return audit(ctx, tx, auditEntry{Action: domain.AuditReplySubmit, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"replies": tag.RowsAffected()}})
	})
	return sent, nil, err
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

// AnswerReply records the appraiser's answer to the unit's sent reply on one
// criterion, against the row version the page showed: accepted, the final
// value is the one entered (checked by the criterion's method) and the
// totals change; kept, the appraised value stays final, with the reason.
// The answer may change until the form is locked.
func (db *DB) AnswerReply(ctx context.Context, id, criterionID int64, version int, ans domain.ReplyAnswer) (err error) {
	defer wrap(&err, "AnswerReply")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := a.CheckAnswer(domain.DateOf(db.Now())); err != nil {
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
		stored, err := loadScores(ctx, tx, a.CampaignID, a.ID, true)
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
		final := cur.AppraisedEntry()
		final.Explanation = ""
		if ans.Decision == domain.ReplyAccepted {
			final = domain.Entry{Points: pts, NA: ans.Value.NA}
			if !ans.Value.NA && (leaf.Method == domain.MethodTiers || leaf.Method == domain.MethodTargetShare) {
				final.Measured = ans.Value.Measured
			}
		}
		if cur.Version != version {
			if cur.ReplyDecision == ans.Decision && cur.ReplyReason == ans.Reason && domain.SameEntry(cur.FinalEntry(), final) {
				return nil // answered already as sent: a double click
			}
			return domain.Errorf(domain.ECONFLICT, "reply.stale")
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		if _, err := tx.Exec(ctx, `UPDATE scores SET reply_decision = $4, reply_reason = $5, final_points = $6, final_measured = $7, final_na = $8,
				version = version + 1, updated_by = $9, updated_at = now()
			WHERE campaign_id = $1 AND assessment_id = $2 AND criterion_id = $3`, a.CampaignID, a.ID, criterionID, ans.Decision, ans.Reason,
			final.Points, final.Measured, final.NA, actor); err != nil {
			return err
		}
		if err := replyHistory(ctx, tx, a.ID, &criterionID, "reply_answer",
			map[string]any{"decision": cur.ReplyDecision, "final": valueJSON(cur.FinalEntry())},
			map[string]any{"decision": ans.Decision, "reason": ans.Reason, "final": valueJSON(final)}); err != nil {
			return err
		}
		if err := updateTotals(ctx, tx, a, nodes); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditReplyAnswer, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"criterion_id": criterionID, "decision": ans.Decision}})
	})
}

func valueJSON(e domain.Entry) map[string]any {
	return map[string]any{"points": e.Points, "measured": e.Measured, "na": e.NA}
}

// LockAssessment locks a form's result ("Khóa kết quả", Assessment.Lock):
// every sent reply answered, and the reply sent or its window over.
// Locking a locked form (a double click) does nothing and reports false.
func (db *DB) LockAssessment(ctx context.Context, id int64) (locked bool, err error) {
	defer wrap(&err, "LockAssessment")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		var undecided int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM scores WHERE campaign_id = $1 AND assessment_id = $2 AND reply_at IS NOT NULL
			AND reply_decision IS NULL`, a.CampaignID, a.ID).Scan(&undecided); err != nil {
			return err
		}
		now := db.Now()
		if locked, err = a.Lock(domain.DateOf(now), now, undecided); err != nil || !locked {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = $2, locked_at = $3, locked_by = $4, version = version + 1, updated_at = now()
			WHERE id = $1`, a.ID, a.Status, a.LockedAt, nullID(domain.ActorFrom(ctx).UserID)); err != nil {
			return err
		}
		if err := replyHistory(ctx, tx, a.ID, nil, "lock", nil, map[string]any{"final_converted": a.FinalConverted}); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentLock, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"final_converted": a.FinalConverted.String()}})
	})
	return locked, err
}

// ReopenAssessment reopens a locked form for a reason staff give
// (Assessment.Reopen): recorded in its history and the audit log, the form
// goes back to appraisal (received), to be completed again with a new
// reply window. Every value so far stays in the history.
func (db *DB) ReopenAssessment(ctx context.Context, id int64, reason string) (err error) {
	defer wrap(&err, "ReopenAssessment")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if reason, err = a.Reopen(reason); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = $2, locked_at = NULL, locked_by = NULL, appraised_at = NULL, reply_until = NULL,
			reply_submitted_at = NULL, reply_submitted_by = NULL, version = version + 1, updated_at = now() WHERE id = $1`, a.ID, a.Status); err != nil {
			return err
		}
		if err := replyHistory(ctx, tx, a.ID, nil, "reopen", nil, map[string]any{"reason": reason}); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentReopen, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"reason": reason}})
	})
}

// replyAttachable checks that a form at the reply stage may take (or lose)
// evidence on a criterion now: the unit is replying (Assessment.Reply) on an
// adjusted criterion. After the lock nothing changes.
func replyAttachable(ctx context.Context, tx pgx.Tx, a *domain.Assessment, criterionID int64, now time.Time) error {
	if err := a.Reply(domain.DateOf(now)); err != nil {
		return err
	}
	nodes, err := loadCriteria(ctx, tx, a.SetID)
	if err != nil {
		return err
	}
	stored, err := loadScores(ctx, tx, a.CampaignID, a.ID, false)
	if err != nil {
		return err
	}
	for _, l := range domain.Leaves(nodes) {
		if l.ID == criterionID {
			if s, ok := stored[criterionID]; ok && s.Adjusted(&l) {
				return nil
			}
		}
	}
	return domain.Errorf(domain.ECONFLICT, "reply.evidence_not_adjusted")
}
