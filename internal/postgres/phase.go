package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

const phaseColumns = `id, campaign_id, seq, name, start_date, end_date, registration_deadline, assessment_from, assessment_to,
	appraisal_from, appraisal_to, reply_from, reply_to, review_kind, review_date, reply_days, reminder_days, nomination_to, version`

// Phases returns a campaign's phases in order.
func (db *DB) Phases(ctx context.Context, campaignID int64) (_ []domain.Phase, err error) {
	defer wrap(&err, "Phases")
	var out []domain.Phase
	err = db.run(ctx, phasesRead(campaignID, &out))
	return out, err
}

func phasesRead(campaignID int64, out *[]domain.Phase) read {
	return read{`SELECT ` + phaseColumns + ` FROM phases WHERE campaign_id = $1 ORDER BY seq`, []any{campaignID},
		collectInto(out, pgx.RowToStructByPos[domain.Phase])}
}

// SavePhase adds a phase (p.ID == 0) or changes one, checked against the
// campaign's period. Phases of an announced campaign keep their dates unless
// the campaign is still a draft: windows are the participants' deadlines.
func (db *DB) SavePhase(ctx context.Context, p *domain.Phase) (_ int64, err error) {
	defer wrap(&err, "SavePhase")
	return p.ID, db.inTx(ctx, func(tx pgx.Tx) error {
		c, err := scanCampaign(tx.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns c WHERE c.id = $1 FOR UPDATE`, p.CampaignID))
		if err != nil {
			return err
		}
		if c.Status != domain.StatusDraft {
			return domain.Errorf(domain.ECONFLICT, "campaign.rules_frozen")
		}
		if err := p.Validate(c); err != nil {
			return err
		}
		if p.ID == 0 {
			err = tx.QueryRow(ctx, `
				INSERT INTO phases (campaign_id, seq, name, start_date, end_date, registration_deadline, assessment_from, assessment_to,
					appraisal_from, appraisal_to, reply_from, reply_to, review_kind, review_date, reply_days, reminder_days, nomination_to)
				VALUES ($1, coalesce((SELECT max(seq) FROM phases WHERE campaign_id = $1), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
				RETURNING id, seq`, p.CampaignID, p.Name, p.Start, p.End, p.RegistrationDeadline, p.AssessmentFrom, p.AssessmentTo,
				p.AppraisalFrom, p.AppraisalTo, p.ReplyFrom, p.ReplyTo, p.ReviewKind, p.ReviewDate, p.ReplyDays, p.ReminderDays, p.NominationTo).Scan(&p.ID, &p.Seq)
		} else {
			var tag pgconnTag
			tag, err = tx.Exec(ctx, `
				UPDATE phases SET name = $3, start_date = $4, end_date = $5, registration_deadline = $6, assessment_from = $7,
					assessment_to = $8, appraisal_from = $9, appraisal_to = $10, reply_from = $11, reply_to = $12,
					review_kind = $13, review_date = $14, reply_days = $16, reminder_days = $17, nomination_to = $18, version = version + 1
				WHERE id = $1 AND campaign_id = $2 AND version = $15`, p.ID, p.CampaignID, p.Name, p.Start, p.End, p.RegistrationDeadline,
				p.AssessmentFrom, p.AssessmentTo, p.AppraisalFrom, p.AppraisalTo, p.ReplyFrom, p.ReplyTo, p.ReviewKind, p.ReviewDate, p.Version, p.ReplyDays, p.ReminderDays, p.NominationTo)
			if err == nil && tag.RowsAffected() == 0 {
				return domain.Errorf(domain.ECONFLICT, "error.stale")
			}
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditPhaseSave, ObjectType: "campaign", ObjectID: strconv.FormatInt(p.CampaignID, 10),
			Details: map[string]any{"phase_id": p.ID, "name": p.Name, "start": p.Start.Format("2006-01-02"), "end": p.End.Format("2006-01-02"), "reply_days": p.ReplyDays, "reminder_days": p.ReminderDays, "nomination_to": p.NominationTo}})
	})
}
