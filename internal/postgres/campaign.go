package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

const campaignColumns = `c.id, c.plan_number, c.title, c.issuer_unit_id, c.issuer_name, c.signer_name, c.signer_position,
	c.issue_date, c.kind, c.purposes, c.content, c.target_kinds, c.target_categories, c.target_note, c.scope_unit_id,
	c.period_start, c.period_end, c.status, (c.band_excellent * 100)::int, (c.band_good * 100)::int, (c.band_fair * 100)::int,
	(c.band_average * 100)::int, c.version, c.notice_days`

func scanCampaign(row pgx.Row, more ...any) (*domain.Campaign, error) {
	var c domain.Campaign
	var ex, good, fair, avg int64
	err := row.Scan(append([]any{&c.ID, &c.PlanNumber, &c.Title, &c.IssuerUnitID, &c.IssuerName, &c.SignerName, &c.SignerPosition,
		&c.IssueDate, &c.Kind, &c.Purposes, &c.Content, &c.TargetKinds, &c.TargetCategories, &c.TargetNote, &c.ScopeUnitID,
		&c.PeriodStart, &c.PeriodEnd, &c.Status, &ex, &good, &fair, &avg, &c.Version, &c.NoticeDays}, more...)...)
	if err != nil {
		return nil, notFound(err, "campaign.not_found")
	}
	c.Bands = domain.Bands{Excellent: domain.Points(ex), Good: domain.Points(good), Fair: domain.Points(fair), Average: domain.Points(avg)}
	return &c, nil
}

func bandArgs(b domain.Bands) []any {
	return []any{float64(b.Excellent) / 100, float64(b.Good) / 100, float64(b.Fair) / 100, float64(b.Average) / 100}
}

// CreateCampaign records a draft campaign. A repeated submission of the same
// form (same idempotency key) returns the first one's campaign.
func (db *DB) CreateCampaign(ctx context.Context, c *domain.Campaign, idemKey string) (_ int64, err error) {
	defer wrap(&err, "CreateCampaign")
	c.Normalize()
	if c.Bands == (domain.Bands{}) {
		c.Bands = domain.DefaultBands
	}
	if c.NoticeDays == 0 {
		c.NoticeDays = domain.DefaultNoticeDays
	}
	if err := c.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if idemKey != "" {
			prior, claimed, err := claimIdempotencyKey(ctx, tx, idemKey)
			if err != nil {
				return err
			}
			if !claimed {
				id, err = strconv.ParseInt(prior, 10, 64)
				return err
			}
		}
		var by *int64
		if a := domain.ActorFrom(ctx); a.UserID != 0 {
			by = &a.UserID
		}
		args := append([]any{c.PlanNumber, c.Title, c.IssuerUnitID, c.IssuerName, c.SignerName, c.SignerPosition, c.IssueDate,
			c.Kind, c.Purposes, c.Content, nonNil(c.TargetKinds), nonNil(c.TargetCategories), c.TargetNote, c.ScopeUnitID,
			c.PeriodStart, c.PeriodEnd, by}, append(bandArgs(c.Bands), c.NoticeDays)...)
		err := tx.QueryRow(ctx, `
			INSERT INTO campaigns (plan_number, title, issuer_unit_id, issuer_name, signer_name, signer_position, issue_date,
				kind, purposes, content, target_kinds, target_categories, target_note, scope_unit_id, period_start, period_end,
				created_by, band_excellent, band_good, band_fair, band_average, notice_days)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
			RETURNING id`, args...).Scan(&id)
		if isUniqueViolation(err, "campaigns_plan_key") {
			return &domain.ValidationError{Fields: domain.FieldErrors{"plan_number": "campaign.plan.taken"}}
		}
		if err != nil {
			return err
		}
		if idemKey != "" {
			if err := setIdempotencyResult(ctx, tx, idemKey, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCampaignCreate, ObjectType: "campaign", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"plan_number": c.PlanNumber, "title": c.Title}})
	})
	return id, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// CampaignByID returns a campaign.
func (db *DB) CampaignByID(ctx context.Context, id int64) (_ *domain.Campaign, err error) {
	defer wrap(&err, "CampaignByID")
	return scanCampaign(db.Pool.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns c WHERE c.id = $1`, id))
}

// UpdateCampaign saves a campaign's fields if the version the editor saw is
// current. A draft may change anything; an announced campaign only what does
// not change the rules under the participants' feet (texts, signer), so its
// period, targets, scope, kind and bands stay as announced.
func (db *DB) UpdateCampaign(ctx context.Context, c *domain.Campaign) (err error) {
	defer wrap(&err, "UpdateCampaign")
	c.Normalize()
	if c.NoticeDays == 0 {
		c.NoticeDays = domain.DefaultNoticeDays
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := scanCampaign(tx.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns c WHERE c.id = $1 FOR UPDATE`, c.ID))
		if err != nil {
			return err
		}
		if cur.Version != c.Version {
			return domain.Errorf(domain.ECONFLICT, "error.stale")
		}
		switch cur.Status {
		case domain.StatusDraft:
		case domain.StatusAnnounced:
			if rulesChanged(cur, c) {
				return domain.Errorf(domain.ECONFLICT, "campaign.rules_frozen")
			}
		default:
			return domain.Errorf(domain.ECONFLICT, "campaign.not_editable")
		}
		args := append([]any{c.ID, c.PlanNumber, c.Title, c.IssuerUnitID, c.IssuerName, c.SignerName, c.SignerPosition, c.IssueDate,
			c.Kind, c.Purposes, c.Content, nonNil(c.TargetKinds), nonNil(c.TargetCategories), c.TargetNote, c.ScopeUnitID,
			c.PeriodStart, c.PeriodEnd}, append(bandArgs(c.Bands), c.NoticeDays)...)
		_, err = tx.Exec(ctx, `
			UPDATE campaigns SET plan_number = $2, title = $3, issuer_unit_id = $4, issuer_name = $5, signer_name = $6,
				signer_position = $7, issue_date = $8, kind = $9, purposes = $10, content = $11, target_kinds = $12,
				target_categories = $13, target_note = $14, scope_unit_id = $15, period_start = $16, period_end = $17,
				band_excellent = $18, band_good = $19, band_fair = $20, band_average = $21, notice_days = $22,
				version = version + 1, updated_at = now()
			WHERE id = $1`, args...)
		if isUniqueViolation(err, "campaigns_plan_key") {
			return &domain.ValidationError{Fields: domain.FieldErrors{"plan_number": "campaign.plan.taken"}}
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCampaignUpdate, ObjectType: "campaign", ObjectID: strconv.FormatInt(c.ID, 10),
			Details: map[string]any{"status": cur.Status}})
	})
}

// rulesChanged reports whether an edit touches what participants rely on.
func rulesChanged(a, b *domain.Campaign) bool {
	return a.Kind != b.Kind || !a.PeriodStart.Equal(b.PeriodStart) || !a.PeriodEnd.Equal(b.PeriodEnd) ||
		a.Bands != b.Bands || !sameID(a.ScopeUnitID, b.ScopeUnitID) ||
		strings.Join(a.TargetKinds, ",") != strings.Join(b.TargetKinds, ",") ||
		strings.Join(a.TargetCategories, ",") != strings.Join(b.TargetCategories, ",")
}

// Transition moves a campaign to another status if the move is legal, locking
// the campaign, and records who did it and when.
func (db *DB) Transition(ctx context.Context, id int64, to domain.CampaignStatus, reason string) (err error) {
	defer wrap(&err, "Transition")
	reason = domain.CleanText(reason)
	if domain.RuneLen(reason) > 2000 {
		return &domain.ValidationError{Fields: domain.FieldErrors{"reason": "field.too_long"}}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var from domain.CampaignStatus
		if err := tx.QueryRow(ctx, `SELECT status FROM campaigns WHERE id = $1 FOR UPDATE`, id).Scan(&from); err != nil {
			return notFound(err, "campaign.not_found")
		}
		if !domain.CanTransition(from, to) {
			return domain.Errorf(domain.ECONFLICT, "campaign.transition.illegal", "campaign.status."+string(from), "campaign.status."+string(to))
		}
		if to == domain.StatusAnnounced {
			if err := readyToAnnounce(ctx, tx, id); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE campaigns SET status = $2, version = version + 1, updated_at = now() WHERE id = $1`, id, to); err != nil {
			return err
		}
		var actor *int64
		if a := domain.ActorFrom(ctx); a.UserID != 0 {
			actor = &a.UserID
		}
		if _, err := tx.Exec(ctx, `INSERT INTO campaign_transitions (campaign_id, from_status, to_status, reason, actor_id) VALUES ($1, $2, $3, $4, $5)`,
			id, from, to, reason, actor); err != nil {
			return err
		}
		if to == domain.StatusAnnounced {
			if err := db.notifyAnnounced(ctx, tx, id); err != nil {
				return err
			}
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCampaignTransition, ObjectType: "campaign", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"from": from, "to": to, "reason": reason}})
	})
}

// readyToAnnounce checks what a campaign needs before citizens read it: a
// phase, an award plan, and complete criteria trees.
func readyToAnnounce(ctx context.Context, tx pgx.Tx, id int64) error {
	var phases, plans int
	if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM phases WHERE campaign_id = $1), (SELECT count(*) FROM award_plans WHERE campaign_id = $1)`,
		id).Scan(&phases, &plans); err != nil {
		return err
	}
	if phases == 0 {
		return domain.Errorf(domain.ECONFLICT, "campaign.announce.no_phase")
	}
	if plans == 0 {
		return domain.Errorf(domain.ECONFLICT, "campaign.announce.no_award")
	}
	sets, err := loadSets(ctx, tx, id)
	if err != nil {
		return err
	}
	for _, s := range sets {
		nodes, err := loadCriteria(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		if len(nodes) == 0 {
			return domain.Errorf(domain.ECONFLICT, "campaign.announce.empty_set", s.Name)
		}
		if ps := domain.ValidateTree(nodes, true); len(ps) > 0 {
			return domain.Errorf(domain.ECONFLICT, "campaign.announce.tree", s.Name, ps[0].Code)
		}
	}
	return nil
}

// Transition is a recorded change of a campaign's status.
type TransitionRecord struct {
	From, To  domain.CampaignStatus
	Reason    string
	ActorName string
	At        time.Time
}

// Transitions returns a campaign's changes of status, oldest first.
func (db *DB) Transitions(ctx context.Context, id int64) (_ []TransitionRecord, err error) {
	defer wrap(&err, "Transitions")
	rows, err := db.Pool.Query(ctx, `SELECT t.from_status, t.to_status, t.reason, coalesce(u.full_name, ''), t.at
		FROM campaign_transitions t LEFT JOIN users u ON u.id = t.actor_id WHERE t.campaign_id = $1 ORDER BY t.at, t.id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[TransitionRecord])
}

// CampaignFilter narrows the staff list of campaigns.
type CampaignFilter struct {
	Status domain.CampaignStatus
	Year   int
	Issuer string
	Public bool // announced and closed only
}

// CampaignRow is a campaign in a list, with its progress.
type CampaignRow struct {
	ID          int64
	PlanNumber  string
	Title       string
	IssuerName  string
	IssueDate   time.Time
	PeriodStart time.Time
	PeriodEnd   time.Time
	Status      domain.CampaignStatus
	Kind        domain.CampaignKind
	Phases      int
	CurrentSeq  int // the phase under way today, 0 if none
	Criteria    int
	Awards      int
}

// CampaignsRevision is the revision of the list of campaigns: it changes
// when a campaign is created and with every change to what a campaign's
// public revision follows (migration 000028: the campaign itself, deleted
// too, its phases, award plans and criteria sets, and more), which covers
// every column and count ListCampaigns reads. It is read in one statement
// without a join: the number of campaigns and the sum of their ids (ids
// only grow, so a campaign created moves the sum, whatever was deleted),
// and the sum of all public revisions (each change adds one to a
// campaign's; their rows are never deleted). A server keeping the rendered
// list reads it before the list (server/kept_pages.go).
func (db *DB) CampaignsRevision(ctx context.Context) (_ string, err error) {
	defer wrap(&err, "CampaignsRevision")
	var rev string
	err = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) || '.' || coalesce(sum(id), 0) FROM campaigns)
		|| '.' || (SELECT coalesce(sum(revision), 0) FROM public_revisions)`).Scan(&rev)
	return rev, err
}

// ListCampaigns returns campaigns, newest first.
func (db *DB) ListCampaigns(ctx context.Context, f CampaignFilter, today time.Time) (_ []CampaignRow, err error) {
	defer wrap(&err, "ListCampaigns")
	where := []string{"true"}
	args := []any{today}
	if f.Public {
		where = append(where, "c.status IN ('announced', 'closed')")
	}
	if f.Status != "" {
		args = append(args, f.Status)
		where = append(where, "c.status = $"+strconv.Itoa(len(args)))
	}
	if f.Year != 0 {
		args = append(args, f.Year)
		n := strconv.Itoa(len(args))
		where = append(where, "extract(year FROM c.period_start) <= $"+n+" AND extract(year FROM c.period_end) >= $"+n)
	}
	if f.Issuer != "" {
		args = append(args, "%"+escapeLike(f.Issuer)+"%")
		where = append(where, "search_key(c.issuer_name) LIKE search_key($"+strconv.Itoa(len(args))+")")
	}
	// The counts are grouped once over the listed campaigns' rows (a
	// correlated count per campaign and table cost four times as much), the
	// criteria counted by the sets' own criteria_count (migration 000026).
	rows, err := db.Pool.Query(ctx, `
		WITH c AS MATERIALIZED (
			SELECT c.id, c.plan_number, c.title, c.issuer_name, c.issue_date, c.period_start, c.period_end, c.status, c.kind
			FROM campaigns c WHERE `+strings.Join(where, " AND ")+`
			ORDER BY c.issue_date DESC, c.id DESC LIMIT 500)
		SELECT c.id, c.plan_number, c.title, c.issuer_name, c.issue_date, c.period_start, c.period_end, c.status, c.kind,
			coalesce(p.n, 0), coalesce(p.current, 0), coalesce(k.n, 0), coalesce(a.n, 0)
		FROM c
		LEFT JOIN (SELECT campaign_id, count(*) AS n, min(seq) FILTER (WHERE start_date <= $1 AND end_date >= $1) AS current
			FROM phases WHERE campaign_id IN (SELECT id FROM c) GROUP BY campaign_id) p ON p.campaign_id = c.id
		LEFT JOIN (SELECT campaign_id, sum(criteria_count) AS n
			FROM criteria_sets WHERE campaign_id IN (SELECT id FROM c) GROUP BY campaign_id) k ON k.campaign_id = c.id
		LEFT JOIN (SELECT campaign_id, count(*) AS n
			FROM award_plans WHERE campaign_id IN (SELECT id FROM c) GROUP BY campaign_id) a ON a.campaign_id = c.id
		ORDER BY c.issue_date DESC, c.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CampaignRow
	for rows.Next() { // field by field: pgx's struct scanning reflects on every row
		var c CampaignRow
		if err := rows.Scan(&c.ID, &c.PlanNumber, &c.Title, &c.IssuerName, &c.IssueDate, &c.PeriodStart, &c.PeriodEnd,
			(*string)(&c.Status), (*string)(&c.Kind), &c.Phases, &c.CurrentSeq, &c.Criteria, &c.Awards); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CampaignDetails are what a campaign's page shows besides the campaign.
type CampaignDetails struct {
	Phases      []domain.Phase
	Plans       []AwardPlan
	Sets        []CriteriaSet
	Criteria    map[int64][]domain.Criterion // by set, each in tree order
	Attachments []Attachment
	// Public only: whether some of its results are published, and its
	// notices the public may read.
	ResultsPublished bool
	Notices          []NoticeInfo
}

// CampaignDetails reads a campaign's details in one round trip; public adds
// what its public page links to.
func (db *DB) CampaignDetails(ctx context.Context, campaignID int64, public bool) (_ *CampaignDetails, err error) {
	defer wrap(&err, "CampaignDetails")
	d := &CampaignDetails{Criteria: map[int64][]domain.Criterion{}}
	reads := []read{phasesRead(campaignID, &d.Phases), awardPlansRead(campaignID, &d.Plans), setsRead(campaignID, &d.Sets),
		campaignCriteriaRead(campaignID, d.Criteria), attachmentsRead(campaignID, &d.Attachments)}
	if public {
		reads = append(reads, valueRead(`SELECT EXISTS (SELECT 1 FROM phase_results WHERE campaign_id = $1 AND `+resultsPublished+`)`,
			[]any{campaignID}, &d.ResultsPublished),
			publishedNoticesRead(campaignID, &d.Notices))
	}
	if err := db.run(ctx, reads...); err != nil {
		return nil, err
	}
	return d, nil
}
