package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// EvidenceFile is a file in a unit's evidence library.
type EvidenceFile struct {
	ID          int64
	Key         string
	UnitID      int64
	SHA256      string
	Size        int64
	ContentType string
	FileName    string
	CreatedAt   time.Time
}

// AttachedEvidence is a file attached to one criterion of a form.
type AttachedEvidence struct {
	CriterionID int64
	EvidenceFile
	Reference   string
	DuringReply bool // attached while the unit replied to its appraisal
}

// attachable checks that a form may take evidence now: not submitted (or the
// criterion reopened) and within its window. With lock, the form's row is
// locked until tx ends, for a change; without, it only reads.
func (db *DB) attachable(ctx context.Context, tx pgx.Tx, assessmentID, criterionID int64, lock bool) (*Assessment, error) {
	query := `SELECT ` + assessmentColumns + assessmentFrom + ` WHERE a.id = $1`
	if lock {
		query += ` FOR UPDATE OF a FOR SHARE OF cp`
	}
	a, err := scanAssessment(tx.QueryRow(ctx, query, assessmentID))
	if err != nil {
		return nil, err
	}
	if a.Status == domain.AssessAppraised || a.Status == domain.AssessLocked {
		// The reply stage: evidence for an adjusted criterion, while the
		// unit replies; nothing after the lock.
		return a, replyAttachable(ctx, tx, a, criterionID, db.Now())
	}
	if err := a.CheckSelfEdit(domain.DateOf(db.Now())); err != nil {
		return nil, err
	}
	var code string
	err = tx.QueryRow(ctx, `SELECT c.code FROM criteria c WHERE c.id = $1 AND c.set_id = $2
		AND NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)`, criterionID, a.SetID).Scan(&code)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("evidence: read criterion %d: %w", criterionID, err)
	}
	if a.Status == domain.AssessReturned {
		// A criterion with no score row was not reopened: it stays locked.
		var reopened bool
		err := tx.QueryRow(ctx, `SELECT reopened FROM scores WHERE campaign_id = $1 AND assessment_id = $2 AND criterion_id = $3`, a.CampaignID, a.ID, criterionID).Scan(&reopened)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("evidence: read whether criterion %d of form %d is reopened: %w", criterionID, a.ID, err)
		}
		if !reopened {
			return nil, domain.Errorf(domain.ECONFLICT, "assessment.criterion_locked", code)
		}
	}
	return a, nil
}

// CheckAttachable reports, without changing or locking anything, whether a
// form may take evidence for a criterion now: nil, or a conflict saying why
// not. The evidence page asks it to offer only what the user may do, and
// the upload before it reads a byte of the file. AddEvidence, ReuseEvidence
// and RemoveEvidence check again, under lock.
func (db *DB) CheckAttachable(ctx context.Context, assessmentID, criterionID int64) (err error) {
	defer wrap(&err, "CheckAttachable")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		_, err := db.attachable(ctx, tx, assessmentID, criterionID, false)
		return err
	})
}

// AddEvidence records a stored file in the unit's library and attaches it
// to a criterion of the form, in one transaction. It runs only once the
// file is safe in the store, so no row ever points to a missing file.
func (db *DB) AddEvidence(ctx context.Context, assessmentID, criterionID int64, f EvidenceFile, reference string) (err error) {
	defer wrap(&err, "AddEvidence")
	reference, err = domain.EvidenceReference(reference)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := db.attachable(ctx, tx, assessmentID, criterionID, true)
		if err != nil {
			return err
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		// The same file under the same name already in the unit's library
		// (a double submit, or an upload again) is that entry, not a new
		// one; the form's row lock above orders two such uploads.
		var id int64
		err = tx.QueryRow(ctx, `SELECT id FROM evidence_files WHERE unit_id = $1 AND sha256 = $2 AND file_name = $3 ORDER BY id LIMIT 1`,
			a.UnitID, f.SHA256, f.FileName).Scan(&id)
		if err == nil {
			return attach(ctx, tx, a, criterionID, id, reference)
		}
		if err != pgx.ErrNoRows {
			return err
		}
		if err := db.claimFile(ctx, tx, f.SHA256); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO evidence_files (key, unit_id, sha256, size, content_type, file_name, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, f.Key, a.UnitID, f.SHA256, f.Size, f.ContentType, f.FileName, actor).Scan(&id); err != nil {
			return err
		}
		return attach(ctx, tx, a, criterionID, id, reference)
	})
}

func attach(ctx context.Context, tx pgx.Tx, a *Assessment, criterionID, evidenceID int64, reference string) error {
	reply := a.Status == domain.AssessAppraised
	if _, err := tx.Exec(ctx, `INSERT INTO score_evidence (campaign_id, assessment_id, criterion_id, evidence_id, reference, during_reply)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (assessment_id, criterion_id, evidence_id)
		DO UPDATE SET removed_at = NULL, reference = EXCLUDED.reference,
			during_reply = CASE WHEN score_evidence.removed_at IS NULL THEN score_evidence.during_reply ELSE EXCLUDED.during_reply END`,
		a.CampaignID, a.ID, criterionID, evidenceID, reference, reply); err != nil {
		return err
	}
	actor := nullID(domain.ActorFrom(ctx).UserID)
	if _, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, criterion_id, action, new_value, actor_id)
		VALUES ($1, $2, 'evidence', jsonb_build_object('evidence_id', $3::bigint, 'reference', $4::text, 'reply', $6::boolean), $5)`,
		a.ID, criterionID, evidenceID, reference, actor, reply); err != nil {
		return err
	}
	return audit(ctx, tx, auditEntry{Action: domain.AuditEvidenceAdd, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
		Details: map[string]any{"criterion_id": criterionID, "evidence_id": evidenceID}})
}

// ReuseEvidence attaches a file of the unit's library to another criterion.
func (db *DB) ReuseEvidence(ctx context.Context, assessmentID, criterionID int64, key, reference string) (err error) {
	defer wrap(&err, "ReuseEvidence")
	reference, err = domain.EvidenceReference(reference)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := db.attachable(ctx, tx, assessmentID, criterionID, true)
		if err != nil {
			return err
		}
		var id int64
		// Only the unit's own files: another unit's key is not found.
		if err := tx.QueryRow(ctx, `SELECT id FROM evidence_files WHERE key = $1 AND unit_id = $2`, key, a.UnitID).Scan(&id); err != nil {
			return notFound(err, "evidence.not_found")
		}
		return attach(ctx, tx, a, criterionID, id, reference)
	})
}

// RemoveEvidence detaches a file from a criterion of a form in draft; the
// file stays in the unit's library.
func (db *DB) RemoveEvidence(ctx context.Context, assessmentID, criterionID int64, key string) (err error) {
	defer wrap(&err, "RemoveEvidence")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := db.attachable(ctx, tx, assessmentID, criterionID, true)
		if err != nil {
			return err
		}
		// While replying, only what was attached for the reply may go: the
		// evidence the appraisal was made on stays.
		tag, err := tx.Exec(ctx, `UPDATE score_evidence se SET removed_at = now() FROM evidence_files f
			WHERE se.evidence_id = f.id AND f.key = $3 AND se.assessment_id = $1 AND se.criterion_id = $2 AND se.removed_at IS NULL
				AND (se.during_reply OR NOT $4)`, a.ID, criterionID, key, a.Status == domain.AssessAppraised)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return domain.Errorf(domain.ENOTFOUND, "evidence.not_found")
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditEvidenceRemove, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"criterion_id": criterionID, "key": key}})
	})
}

// AssessmentEvidence returns the files attached to a form.
func (db *DB) AssessmentEvidence(ctx context.Context, assessmentID int64) (_ []AttachedEvidence, err error) {
	defer wrap(&err, "AssessmentEvidence")
	rows, err := db.Pool.Query(ctx, evidenceSQL, assessmentID)
	if err != nil {
		return nil, err
	}
	return collectEvidence(rows)
}

const evidenceSQL = `SELECT se.criterion_id, f.id, f.key, f.unit_id, f.sha256, f.size, f.content_type, f.file_name, f.created_at, se.reference,
			se.during_reply
		FROM score_evidence se JOIN evidence_files f ON f.id = se.evidence_id
		WHERE se.assessment_id = $1 AND se.removed_at IS NULL ORDER BY se.created_at, f.id`

// collectEvidence reads the rows of evidenceSQL.
func collectEvidence(rows pgx.Rows) ([]AttachedEvidence, error) {
	defer rows.Close()
	var out []AttachedEvidence
	for rows.Next() {
		var e AttachedEvidence
		if err := rows.Scan(&e.CriterionID, &e.ID, &e.Key, &e.UnitID, &e.SHA256, &e.Size, &e.ContentType, &e.FileName, &e.CreatedAt, &e.Reference, &e.DuringReply); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// UnitEvidence lists a unit's library, newest first.
func (db *DB) UnitEvidence(ctx context.Context, unitID int64) (_ []EvidenceFile, err error) {
	defer wrap(&err, "UnitEvidence")
	rows, err := db.Pool.Query(ctx, `SELECT id, key, unit_id, sha256, size, content_type, file_name, created_at
		FROM evidence_files WHERE unit_id = $1 ORDER BY id DESC LIMIT 500`, unitID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[EvidenceFile])
}

// EvidenceByKey returns a file by its random key.
func (db *DB) EvidenceByKey(ctx context.Context, key string) (_ *EvidenceFile, err error) {
	defer wrap(&err, "EvidenceByKey")
	var f EvidenceFile
	err = db.Pool.QueryRow(ctx, `SELECT id, key, unit_id, sha256, size, content_type, file_name, created_at FROM evidence_files WHERE key = $1`, key).
		Scan(&f.ID, &f.Key, &f.UnitID, &f.SHA256, &f.Size, &f.ContentType, &f.FileName, &f.CreatedAt)
	if err != nil {
		return nil, notFound(err, "evidence.not_found")
	}
	return &f, nil
}

// EvidenceHashes returns every stored hash rows point to (for checks that no
// row points to a missing file).
func (db *DB) EvidenceHashes(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "EvidenceHashes")
	rows, err := db.Pool.Query(ctx, `SELECT DISTINCT sha256 FROM evidence_files UNION SELECT DISTINCT sha256 FROM campaign_attachments`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
