package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// WaitingResult is a proposal of results a leader may decide.
type WaitingResult struct {
	CampaignID int64
	Campaign   string
	PhaseID    int64
	Phase      string
	SetID      int64
	Set        string
	ProposedBy string
	ProposedAt time.Time
	Units      int
}

// LeaderCampaign is a campaign a leader reads, with how far its results
// are: groups proposed so far and groups published.
type LeaderCampaign struct {
	ID        int64
	Title     string
	Plan      string
	Status    string
	Groups    int
	Published int
}

// WaitingShortlist is a draft award shortlist a leader may review (and
// return to staff with a reason) before it is posted.
type WaitingShortlist struct {
	CampaignID int64
	Campaign   string
	PhaseID    int64
	Phase      string
	PlanID     int64
	Form       string
	Listed     int
	UpdatedAt  time.Time
}

// LeaderQueue is the work of a leader: the proposals waiting for a decision
// that the leader did not make themselves, oldest first; the draft
// shortlists to review; and the announced and closed campaigns, newest
// first.
type LeaderQueue struct {
	Waiting    []WaitingResult
	Shortlists []WaitingShortlist
	Campaigns  []LeaderCampaign
}

// LeaderQueue reads the home of leader userID in set-based queries.
func (db *DB) LeaderQueue(ctx context.Context, userID int64) (_ *LeaderQueue, err error) {
	defer wrap(&err, "LeaderQueue")
	rows, err := db.Pool.Query(ctx, `
		SELECT c.id, c.title, p.id, p.name, s.id, s.name, coalesce(u.full_name, ''), r.proposed_at,
			(SELECT count(*) FROM result_rows x WHERE x.step_id = r.proposal_step_id)
		FROM phase_results r JOIN campaigns c ON c.id = r.campaign_id JOIN phases p ON p.id = r.phase_id
		JOIN criteria_sets s ON s.id = r.set_id LEFT JOIN users u ON u.id = r.proposed_by
		WHERE r.status = 'proposed' AND c.status IN ('announced', 'closed') AND r.proposed_by IS DISTINCT FROM $1
		ORDER BY r.proposed_at, r.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("leader queue: waiting: %w", err)
	}
	var q LeaderQueue
	if q.Waiting, err = pgx.CollectRows(rows, pgx.RowToStructByPos[WaitingResult]); err != nil {
		return nil, fmt.Errorf("leader queue: waiting: %w", err)
	}
	rows, err = db.Pool.Query(ctx, `
		SELECT c.id, c.title, ph.id, ph.name, p.id, f.name,
			(SELECT count(*) FROM shortlist_entries e WHERE e.shortlist_id = s.id AND e.status IN ('proposed', 'added'))::int,
			s.updated_at
		FROM shortlists s JOIN campaigns c ON c.id = s.campaign_id JOIN phases ph ON ph.id = s.phase_id
		JOIN award_plans p ON p.id = s.plan_id JOIN award_forms f ON f.id = p.award_form_id
		WHERE s.status = 'draft' AND s.returned_at IS NULL AND c.status IN ('announced', 'closed')
		ORDER BY s.updated_at, s.id`)
	if err != nil {
		return nil, fmt.Errorf("leader queue: shortlists: %w", err)
	}
	if q.Shortlists, err = pgx.CollectRows(rows, pgx.RowToStructByPos[WaitingShortlist]); err != nil {
		return nil, fmt.Errorf("leader queue: shortlists: %w", err)
	}
	rows, err = db.Pool.Query(ctx, `
		SELECT c.id, c.title, c.plan_number, c.status,
			(SELECT count(*) FROM phase_results r WHERE r.campaign_id = c.id),
			(SELECT count(*) FROM phase_results r WHERE r.campaign_id = c.id AND r.published_at IS NOT NULL)
		FROM campaigns c WHERE c.status IN ('announced', 'closed')
		ORDER BY c.issue_date DESC, c.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("leader queue: campaigns: %w", err)
	}
	if q.Campaigns, err = pgx.CollectRows(rows, pgx.RowToStructByPos[LeaderCampaign]); err != nil {
		return nil, fmt.Errorf("leader queue: campaigns: %w", err)
	}
	return &q, nil
}
