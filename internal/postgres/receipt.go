package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// Receipt is the record of one submission of a form, as it was submitted.
type Receipt struct {
	ID            int64
	CampaignID    int64
	AssessmentID  int64
	Number        int
	SubmittedAt   time.Time
	SubmittedBy   string
	SetVersion    int
	Points        domain.Points
	ApplicableMax domain.Points
	Converted     domain.Points
	Scored        int
	Leaves        int
	Band          string
	Lines         []ReceiptLine
}

// ReceiptLine is a node of the form as submitted: a leaf's entry or an
// area's subtotal, in form order.
type ReceiptLine struct {
	CriterionID   int64
	ParentID      *int64
	Code, Title   string
	Max           domain.Points
	Leaf          bool
	Points        *domain.Points
	ApplicableMax domain.Points
	Measured      *int64
	NA            bool
	Evidence      int
}

// nextReceiptNumber takes the campaign's next receipt number inside tx. The
// counter row is created or incremented by one statement, which locks it
// until tx ends: concurrent submissions of a campaign queue on that row and
// each gets its own number; a rolled-back submission gives its number back.
func nextReceiptNumber(ctx context.Context, tx pgx.Tx, campaignID int64) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `INSERT INTO receipt_counters (campaign_id, last_number) VALUES ($1, 1)
		ON CONFLICT (campaign_id) DO UPDATE SET last_number = receipt_counters.last_number + 1 RETURNING last_number`, campaignID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("receipt number: %w", err)
	}
	return n, nil
}

// writeReceipt records a submission of form a with its entries, inside the
// submission's transaction.
func writeReceipt(ctx context.Context, tx pgx.Tx, a *Assessment, nodes []domain.Criterion, entries map[int64]domain.Entry,
	submittedAt time.Time, actor *int64) (*Receipt, error) {
	var bands domain.Bands
	var setVersion int
	if err := tx.QueryRow(ctx, `SELECT (c.band_excellent * 100)::int, (c.band_good * 100)::int, (c.band_fair * 100)::int, (c.band_average * 100)::int, s.version
		FROM campaigns c, criteria_sets s WHERE c.id = $1 AND s.id = $2`, a.CampaignID, a.SetID).Scan(&bands.Excellent, &bands.Good, &bands.Fair, &bands.Average, &setVersion); err != nil {
		return nil, fmt.Errorf("receipt bands: %w", err)
	}
	number, err := nextReceiptNumber(ctx, tx, a.CampaignID)
	if err != nil {
		return nil, err
	}
	t := domain.ComputeTotals(nodes, entries)
	r := &Receipt{CampaignID: a.CampaignID, AssessmentID: a.ID, Number: number, SubmittedAt: submittedAt, SetVersion: setVersion,
		Points: t.Points, ApplicableMax: t.ApplicableMax, Converted: t.Converted, Scored: t.Scored, Leaves: t.Leaves, Band: bands.Classify(t.Converted)}
	if err := tx.QueryRow(ctx, `INSERT INTO receipts (campaign_id, assessment_id, number, submitted_at, submitted_by, set_version,
		total_points, applicable_max, converted, scored, leaves, band) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		r.CampaignID, r.AssessmentID, r.Number, r.SubmittedAt, actor, r.SetVersion, r.Points, r.ApplicableMax, r.Converted, r.Scored, r.Leaves, r.Band).Scan(&r.ID); err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	subtotals := domain.Subtotals(nodes, entries)
	leaves := map[int64]bool{}
	for _, l := range domain.Leaves(nodes) {
		leaves[l.ID] = true
	}
	rows := make([][]any, 0, len(nodes))
	for i, n := range nodes {
		line := ReceiptLine{CriterionID: n.ID, ParentID: n.ParentID, Code: n.Code, Title: n.Title, Max: n.Max, Leaf: leaves[n.ID]}
		if line.Leaf {
			e := entries[n.ID]
			line.Measured, line.NA, line.Evidence = e.Measured, e.NA && n.AllowNA, e.Evidence
			if !line.NA {
				line.Points, line.ApplicableMax = e.Points, n.Max
			}
		} else {
			s := subtotals[n.ID]
			line.Points, line.ApplicableMax = &s.Points, s.ApplicableMax
		}
		r.Lines = append(r.Lines, line)
		rows = append(rows, []any{r.ID, n.ID, i + 1, n.ParentID, n.Code, n.Title, int64(n.Max), line.Leaf, pointsArg(line.Points),
			int64(line.ApplicableMax), line.Measured, line.NA, line.Evidence})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"receipt_lines"}, []string{"receipt_id", "criterion_id", "ord", "parent_id", "code", "title",
		"max_points", "leaf", "points", "applicable_max", "measured", "na", "evidence"}, pgx.CopyFromRows(rows)); err != nil {
		return nil, fmt.Errorf("receipt lines: %w", err)
	}
	return r, nil
}

func pointsArg(p *domain.Points) *int64 {
	if p == nil {
		return nil
	}
	v := int64(*p)
	return &v
}

// LatestReceipt returns the receipt of a form's last submission.
func (db *DB) LatestReceipt(ctx context.Context, assessmentID int64) (_ *Receipt, err error) {
	defer wrap(&err, "LatestReceipt")
	var r Receipt
	err = db.Pool.QueryRow(ctx, `SELECT r.id, r.campaign_id, r.assessment_id, r.number, r.submitted_at, coalesce(u.full_name, ''), r.set_version,
		r.total_points, r.applicable_max, r.converted, r.scored, r.leaves, r.band
		FROM receipts r LEFT JOIN users u ON u.id = r.submitted_by WHERE r.assessment_id = $1 ORDER BY r.id DESC LIMIT 1`, assessmentID).Scan(
		&r.ID, &r.CampaignID, &r.AssessmentID, &r.Number, &r.SubmittedAt, &r.SubmittedBy, &r.SetVersion,
		&r.Points, &r.ApplicableMax, &r.Converted, &r.Scored, &r.Leaves, &r.Band)
	if err != nil {
		return nil, notFound(err, "assessment.not_submitted")
	}
	rows, err := db.Pool.Query(ctx, `SELECT criterion_id, parent_id, code, title, max_points, leaf, points, applicable_max, measured, na, evidence
		FROM receipt_lines WHERE receipt_id = $1 ORDER BY ord`, r.ID)
	if err != nil {
		return nil, fmt.Errorf("receipt lines: %w", err)
	}
	r.Lines, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ReceiptLine])
	if err != nil {
		return nil, fmt.Errorf("receipt lines: %w", err)
	}
	return &r, nil
}

// AmendmentSince is a criteria amendment made after a submission.
type AmendmentSince struct {
	Version   int
	Criterion string
	Reason    string
	ActorName string
	At        time.Time
}

// AmendmentsSince returns the amendments of a set recorded after t (a
// submission's time), oldest first: what changed a form's totals since.
func (db *DB) AmendmentsSince(ctx context.Context, setID int64, t time.Time) (_ []AmendmentSince, err error) {
	defer wrap(&err, "AmendmentsSince")
	rows, err := db.Pool.Query(ctx, `SELECT a.version, a.criterion, a.reason, coalesce(u.full_name, ''), a.at
		FROM criteria_amendments a LEFT JOIN users u ON u.id = a.actor_id WHERE a.set_id = $1 AND a.at > $2 ORDER BY a.id`, setID, t)
	if err != nil {
		return nil, fmt.Errorf("amendments since: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[AmendmentSince])
}
