package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// Attachment is a file attached to a campaign, such as the signed plan.
type Attachment struct {
	Key         string
	CampaignID  int64
	FileName    string
	SHA256      string
	Size        int64
	ContentType string
	CreatedAt   time.Time
}

// AddAttachment records a stored file on a campaign; the file is already
// safe in the store when this runs.
func (db *DB) AddAttachment(ctx context.Context, a Attachment) (err error) {
	defer wrap(&err, "AddAttachment")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var by *int64
		if actor := domain.ActorFrom(ctx); actor.UserID != 0 {
			by = &actor.UserID
		}
		if err := db.claimFile(ctx, tx, a.SHA256); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO campaign_attachments (key, campaign_id, file_name, sha256, size, content_type, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.Key, a.CampaignID, a.FileName, a.SHA256, a.Size, a.ContentType, by); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAttachmentAdd, ObjectType: "campaign", ObjectID: strconv.FormatInt(a.CampaignID, 10),
			Details: map[string]any{"file_name": a.FileName, "sha256": a.SHA256, "size": a.Size}})
	})
}

// Attachments lists a campaign's files.
func (db *DB) Attachments(ctx context.Context, campaignID int64) (_ []Attachment, err error) {
	defer wrap(&err, "Attachments")
	var out []Attachment
	err = db.run(ctx, attachmentsRead(campaignID, &out))
	return out, err
}

func attachmentsRead(campaignID int64, out *[]Attachment) read {
	return read{`SELECT key, campaign_id, file_name, sha256, size, content_type, created_at
		FROM campaign_attachments WHERE campaign_id = $1 AND withdrawn_at IS NULL ORDER BY id`, []any{campaignID},
		collectInto(out, pgx.RowToStructByPos[Attachment])}
}

// AttachmentByKey returns a file by its random key.
func (db *DB) AttachmentByKey(ctx context.Context, key string) (_ *Attachment, err error) {
	defer wrap(&err, "AttachmentByKey")
	var a Attachment
	err = db.Pool.QueryRow(ctx, `SELECT key, campaign_id, file_name, sha256, size, content_type, created_at
		FROM campaign_attachments WHERE key = $1 AND withdrawn_at IS NULL`, key).
		Scan(&a.Key, &a.CampaignID, &a.FileName, &a.SHA256, &a.Size, &a.ContentType, &a.CreatedAt)
	if err != nil {
		return nil, notFound(err, "attachment.not_found")
	}
	return &a, nil
}
