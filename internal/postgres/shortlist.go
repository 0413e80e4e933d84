package postgres

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// The shortlist of one award plan in one phase: proposed from the approved
// results of the phase (collectives) and the received nominations
// (individuals) under the plan's rules and quotas, then edited by staff
// with recorded reasons. Every change is a step and an audit entry, and
// carries the list's version so a stale page or a second click changes
// nothing.

// Shortlist is the head of a shortlist.
type Shortlist struct {
	ID         int64
	CampaignID int64
	PhaseID    int64
	PlanID     int64
	Status     domain.ShortlistStatus
	Version    int
	UpdatedAt  time.Time
	// Set when a leader returned the list to staff, until staff propose it
	// again.
	ReturnedAt   *time.Time
	ReturnedBy   string
	ReturnReason string
}

// ShortlistEntry is one candidate of a shortlist as its page shows it.
type ShortlistEntry struct {
	ID             int64
	Target         domain.AwardTarget
	UnitID         int64
	UnitName       string
	PersonID       int64
	PersonName     string
	Position       string
	NominationID   int64
	Rank           *int
	Final          *int
	Band           string
	Status         domain.EntryStatus
	Outcomes       []domain.Outcome
	Reason         string
	OverrideReason string
	Objections     int // objections received in the public notice
	Unanswered     int // of which not answered yet
}

// ShortlistStep is one change of a shortlist, for its history.
type ShortlistStep struct {
	Action string
	Reason string
	Entry  string // the candidate's name, "" for the whole list
	Actor  string
	At     time.Time
}

// Explainer words why a proposal excluded a candidate, for the nomination
// the focal point reads (the quota given when the group has one).
type Explainer func(p domain.Proposal, quota *int) string

// ShortlistOf returns the shortlist of a plan in a phase of the campaign
// with its entries (by group, then as listed: in the list first, best
// total first) and its steps; nil when none was proposed yet.
func (db *DB) ShortlistOf(ctx context.Context, campaignID, phaseID, planID int64) (_ *Shortlist, _ []ShortlistEntry, _ []ShortlistStep, err error) {
	defer wrap(&err, "ShortlistOf")
	var s Shortlist
	err = db.Pool.QueryRow(ctx, `SELECT s.id, s.campaign_id, s.phase_id, s.plan_id, s.status, s.version, s.updated_at,
			s.returned_at, coalesce(u.full_name, ''), s.return_reason
		FROM shortlists s LEFT JOIN users u ON u.id = s.returned_by
		WHERE s.campaign_id = $1 AND s.phase_id = $2 AND s.plan_id = $3`, campaignID, phaseID, planID).
		Scan(&s.ID, &s.CampaignID, &s.PhaseID, &s.PlanID, &s.Status, &s.Version, &s.UpdatedAt, &s.ReturnedAt, &s.ReturnedBy, &s.ReturnReason)
	if err == pgx.ErrNoRows {
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT e.id, e.target, e.unit_id, u.name, coalesce(e.person_id, 0), coalesce(pe.full_name, ''), coalesce(nullif(n.position, ''), pe.position, ''),
			coalesce(e.nomination_id, 0), e.rank, e.final_converted, coalesce(e.band, ''), e.status, e.outcomes, e.reason, e.override_reason,
			(SELECT count(*) FROM objections o WHERE o.entry_id = e.id),
			(SELECT count(*) FROM objections o WHERE o.entry_id = e.id AND o.outcome IS NULL)
		FROM shortlist_entries e JOIN units u ON u.id = e.unit_id
		LEFT JOIN people pe ON pe.id = e.person_id LEFT JOIN nominations n ON n.id = e.nomination_id
		WHERE e.shortlist_id = $1
		ORDER BY e.target, e.status NOT IN ('proposed', 'added', 'tie'), e.status = 'removed', e.final_converted DESC NULLS LAST,
			coalesce(pe.full_name, u.name) COLLATE "vi-x-icu", e.id`, s.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ShortlistEntry, error) {
		var e ShortlistEntry
		var outcomes []byte
		if err := row.Scan(&e.ID, &e.Target, &e.UnitID, &e.UnitName, &e.PersonID, &e.PersonName, &e.Position, &e.NominationID, &e.Rank,
			&e.Final, &e.Band, &e.Status, &outcomes, &e.Reason, &e.OverrideReason, &e.Objections, &e.Unanswered); err != nil {
			return e, err
		}
		return e, json.Unmarshal(outcomes, &e.Outcomes)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	rows, err = db.Pool.Query(ctx, `SELECT s.action, s.reason, coalesce(pe.full_name, u.name, ''), coalesce(a.full_name, ''), s.at
		FROM shortlist_steps s LEFT JOIN shortlist_entries e ON e.id = s.entry_id LEFT JOIN units u ON u.id = e.unit_id
		LEFT JOIN people pe ON pe.id = e.person_id LEFT JOIN users a ON a.id = s.actor_id
		WHERE s.shortlist_id = $1 ORDER BY s.at, s.id`, s.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	steps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ShortlistStep])
	return &s, entries, steps, err
}

// lockShortlist locks the shortlist of a plan in a phase of the campaign
// (nil when none exists) after checking the phase and plan are the
// campaign's, and refuses a page older than it or a list no longer draft.
func lockShortlist(ctx context.Context, tx pgx.Tx, campaignID, phaseID, planID int64, version int) (*Shortlist, error) {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM phases WHERE id = $1 AND campaign_id = $3)
		AND EXISTS (SELECT 1 FROM award_plans WHERE id = $2 AND campaign_id = $3)`, phaseID, planID, campaignID).Scan(&ok); err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Errorf(domain.ENOTFOUND, "shortlist.not_found")
	}
	var s Shortlist
	err := tx.QueryRow(ctx, `SELECT id, campaign_id, phase_id, plan_id, status, version, updated_at FROM shortlists
		WHERE phase_id = $1 AND plan_id = $2 FOR UPDATE`, phaseID, planID).
		Scan(&s.ID, &s.CampaignID, &s.PhaseID, &s.PlanID, &s.Status, &s.Version, &s.UpdatedAt)
	if err == pgx.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if s.Version != version {
		return nil, domain.Errorf(domain.ECONFLICT, "shortlist.stale")
	}
	if s.Status != domain.ShortlistDraft {
		return nil, domain.Errorf(domain.ECONFLICT, "shortlist.frozen")
	}
	return &s, nil
}

// candidates reads the candidates of a plan in a phase: the units of the
// phase's approved results (collectives) when the form is for collectives,
// and the persons of its received nominations (individuals, ranked on
// their unit's approved result) when it is for individuals.
func candidates(ctx context.Context, tx pgx.Tx, phaseID, planID int64, formTarget string) ([]domain.Candidate, error) {
	var out []domain.Candidate
	if formTarget == "collective" || formTarget == "both" {
		rows, err := tx.Query(ctx, `SELECT DISTINCT ON (x.unit_id) x.assessment_id, x.unit_id, x.unit_name, x.rank, x.band, x.final_converted
			FROM phase_results r JOIN result_rows x ON x.step_id = r.proposal_step_id
			WHERE r.phase_id = $1 AND r.status = 'approved'
			ORDER BY x.unit_id, x.final_converted DESC`, phaseID)
		if err != nil {
			return nil, err
		}
		cs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Candidate, error) {
			c := domain.Candidate{Target: domain.TargetCollective}
			var final int64
			err := row.Scan(&c.AssessmentID, &c.UnitID, &c.Name, &c.Rank, &c.Band, &final)
			c.Final = domain.Points(final)
			return c, err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	if formTarget == "individual" || formTarget == "both" {
		rows, err := tx.Query(ctx, `
			WITH unit_result AS (
				SELECT DISTINCT ON (x.unit_id) x.unit_id, x.assessment_id, x.rank, x.band, x.final_converted
				FROM phase_results r JOIN result_rows x ON x.step_id = r.proposal_step_id
				WHERE r.phase_id = $1 AND r.status = 'approved'
				ORDER BY x.unit_id, x.final_converted DESC)
			SELECT n.id, n.unit_id, n.person_id, p.full_name, coalesce(ur.assessment_id, 0), coalesce(ur.rank, 0), coalesce(ur.band, ''),
				coalesce(ur.final_converted, 0)
			FROM nominations n JOIN people p ON p.id = n.person_id LEFT JOIN unit_result ur ON ur.unit_id = n.unit_id
			WHERE n.phase_id = $1 AND n.plan_id = $2 AND n.status IN ('received', 'shortlisted', 'not_shortlisted')
			ORDER BY n.id`, phaseID, planID)
		if err != nil {
			return nil, err
		}
		cs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Candidate, error) {
			c := domain.Candidate{Target: domain.TargetIndividual}
			var final int64
			err := row.Scan(&c.NominationID, &c.UnitID, &c.PersonID, &c.Name, &c.AssessmentID, &c.Rank, &c.Band, &final)
			c.Final = domain.Points(final)
			return c, err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// factsOf reads what the rules need about each candidate: pending flags
// always, the achievement history when a prerequisite rule applies, and
// the other shortlist of the same phase it is listed in.
func factsOf(ctx context.Context, tx pgx.Tx, cands []domain.Candidate, phaseID, planID int64, history bool) ([]domain.Facts, error) {
	facts := make([]domain.Facts, len(cands))
	rows, err := tx.Query(ctx, `SELECT e.unit_id, coalesce(e.person_id, 0), f.name
		FROM shortlist_entries e JOIN shortlists s ON s.id = e.shortlist_id
		JOIN award_plans p ON p.id = s.plan_id JOIN award_forms f ON f.id = p.award_form_id
		WHERE s.phase_id = $1 AND s.plan_id <> $2 AND e.status IN ('proposed', 'added')
		ORDER BY s.id`, phaseID, planID)
	if err != nil {
		return nil, err
	}
	listed := map[domain.Subject]string{}
	var unitID, personID int64
	var form string
	if _, err := pgx.ForEachRow(rows, []any{&unitID, &personID, &form}, func() error {
		s := domain.Subject{UnitID: unitID}
		if personID != 0 {
			s = domain.Subject{PersonID: personID}
		}
		if _, ok := listed[s]; !ok {
			listed[s] = form
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for i, c := range cands {
		s := c.Subject()
		facts[i].ListedIn = listed[s]
		if facts[i].Flags, err = flagsOf(ctx, tx, s); err != nil {
			return nil, err
		}
		if history {
			if facts[i].Achievements, err = achievementsOf(ctx, tx, s); err != nil {
				return nil, err
			}
		}
	}
	return facts, nil
}

// ProposeShortlist proposes (or proposes again) the shortlist of a plan in
// a phase of the campaign, seen at version (0: none yet): every candidate
// is evaluated under the rules in force on the phase's end date and placed
// under its group's quota (domain.Propose). A candidate staff added or
// removed keeps that decision and its reason; its outcomes are refreshed.
// Individuals' nominations become shortlisted or not shortlisted with the
// reason explain words, each change a nomination step.
func (db *DB) ProposeShortlist(ctx context.Context, campaignID, phaseID, planID, by int64, version int, explain Explainer) (id int64, err error) {
	defer wrap(&err, "ProposeShortlist")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var kind domain.CampaignKind
		var status domain.CampaignStatus
		if err := tx.QueryRow(ctx, `SELECT kind, status FROM campaigns WHERE id = $1 FOR UPDATE`, campaignID).Scan(&kind, &status); err != nil {
			return notFound(err, "campaign.not_found")
		}
		s, err := lockShortlist(ctx, tx, campaignID, phaseID, planID, version)
		if err != nil {
			return err
		}
		if s == nil && version != 0 { // a page that saw a list since gone
			return domain.Errorf(domain.ECONFLICT, "shortlist.stale")
		}
		if status != domain.StatusAnnounced && status != domain.StatusClosed {
			return domain.Errorf(domain.ECONFLICT, "shortlist.campaign_not_running")
		}
		var end time.Time
		var formTarget string
		if err := tx.QueryRow(ctx, `SELECT ph.end_date, f.target FROM phases ph, award_plans p JOIN award_forms f ON f.id = p.award_form_id
			WHERE ph.id = $1 AND p.id = $2`, phaseID, planID).Scan(&end, &formTarget); err != nil {
			return err
		}
		var approved bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM phase_results WHERE phase_id = $1 AND status = 'approved')`, phaseID).Scan(&approved); err != nil {
			return err
		}
		if !approved {
			return domain.Errorf(domain.ECONFLICT, "shortlist.no_results")
		}
		rules, err := planRules(ctx, tx, planID)
		if err != nil {
			return err
		}
		rules = domain.RulesInForce(rules, end)
		forms, err := formNames(ctx, tx)
		if err != nil {
			return err
		}
		ec := domain.EvalContext{Day: end, Year: end.Year(), Thematic: kind == domain.KindThematic, FormNames: forms}
		cands, err := candidates(ctx, tx, phaseID, planID, formTarget)
		if err != nil {
			return err
		}
		needHistory := false
		for _, r := range rules {
			needHistory = needHistory || r.Kind == domain.RulePrerequisite
		}
		facts, err := factsOf(ctx, tx, cands, phaseID, planID, needHistory)
		if err != nil {
			return err
		}
		quotas, err := planQuotas(ctx, tx, planID)
		if err != nil {
			return err
		}
		var proposals []domain.Proposal
		quotaOf := map[domain.AwardTarget]*int{}
		for _, target := range []domain.AwardTarget{domain.TargetCollective, domain.TargetIndividual} {
			var group []domain.Candidate
			var outcomes [][]domain.Outcome
			for i, c := range cands {
				if c.Target == target {
					group = append(group, c)
					outcomes = append(outcomes, domain.Evaluate(rules, c, facts[i], ec))
				}
			}
			if q, ok := QuotaFor(quotas, planID, phaseID, target); ok {
				quotaOf[target] = q.Count
			}
			proposals = append(proposals, domain.Propose(group, outcomes, quotaOf[target])...)
		}

		if s == nil {
			s = &Shortlist{CampaignID: campaignID, PhaseID: phaseID, PlanID: planID, Status: domain.ShortlistDraft, Version: 1}
			err = tx.QueryRow(ctx, `INSERT INTO shortlists (campaign_id, phase_id, plan_id, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
				campaignID, phaseID, planID, by).Scan(&s.ID)
			if isUniqueViolation(err, "") {
				return domain.Errorf(domain.ECONFLICT, "shortlist.stale")
			}
		} else {
			// A new proposal answers a leader's return.
			_, err = tx.Exec(ctx, `UPDATE shortlists SET version = version + 1, updated_at = now(),
				returned_at = NULL, returned_by = NULL, return_reason = '' WHERE id = $1`, s.ID)
		}
		if err != nil {
			return err
		}
		id = s.ID
		counts := map[domain.EntryStatus]int{}
		seen := map[int64]bool{}
		for _, p := range proposals {
			c := p.Candidate
			outcomes, err := json.Marshal(p.Outcomes)
			if err != nil {
				return err
			}
			var personID, nominationID, assessmentID *int64
			if c.PersonID != 0 {
				personID, nominationID = &c.PersonID, &c.NominationID
			}
			if c.AssessmentID != 0 {
				assessmentID = &c.AssessmentID
			}
			var rank *int
			var band *string
			final := int(c.Final)
			if c.Band != "" {
				rank, band = &c.Rank, &c.Band
			}
			var entryID int64
			var st domain.EntryStatus
			if err := tx.QueryRow(ctx, `
				INSERT INTO shortlist_entries (shortlist_id, target, unit_id, person_id, assessment_id, nomination_id, rank, final_converted, band, status, outcomes)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
				ON CONFLICT (shortlist_id, unit_id, person_id) DO UPDATE SET assessment_id = EXCLUDED.assessment_id,
					nomination_id = EXCLUDED.nomination_id, rank = EXCLUDED.rank, final_converted = EXCLUDED.final_converted,
					band = EXCLUDED.band, outcomes = EXCLUDED.outcomes, version = shortlist_entries.version + 1,
					status = CASE WHEN shortlist_entries.status IN ('added', 'removed') THEN shortlist_entries.status ELSE EXCLUDED.status END
				RETURNING id, status`, s.ID, c.Target, c.UnitID, personID, assessmentID, nominationID, rank, final, band, p.Status, outcomes).
				Scan(&entryID, &st); err != nil {
				return err
			}
			seen[entryID] = true
			counts[st]++
			if c.NominationID != 0 {
				p.Status = st
				if err := setNomination(ctx, tx, c.NominationID, st, explain(p, quotaOf[c.Target]), by); err != nil {
					return err
				}
			}
		}
		// A candidate of an earlier proposal that is one no more (its
		// nomination returned, its results replaced) leaves the list.
		rows, err := tx.Query(ctx, `SELECT id FROM shortlist_entries WHERE shortlist_id = $1 AND status IN ('proposed', 'tie', 'added')`, s.ID)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		for _, e := range ids {
			if !seen[e] {
				if _, err := tx.Exec(ctx, `UPDATE shortlist_entries SET status = 'excluded', reason = 'Không còn là ứng viên của đợt',
					version = version + 1 WHERE id = $1`, e); err != nil {
					return err
				}
			}
		}
		summary := "proposed=" + strconv.Itoa(counts[domain.EntryProposed]+counts[domain.EntryAdded]) + " tie=" + strconv.Itoa(counts[domain.EntryTie]) +
			" excluded=" + strconv.Itoa(counts[domain.EntryExcluded]+counts[domain.EntryRemoved])
		if _, err := tx.Exec(ctx, `INSERT INTO shortlist_steps (shortlist_id, action, reason, actor_id) VALUES ($1, 'propose', $2, $3)`,
			s.ID, summary, by); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditShortlistPropose, ObjectType: "shortlist", ObjectID: strconv.FormatInt(s.ID, 10),
			Details: map[string]any{"campaign_id": campaignID, "phase_id": phaseID, "plan_id": planID,
				"proposed": counts[domain.EntryProposed] + counts[domain.EntryAdded], "tie": counts[domain.EntryTie],
				"excluded": counts[domain.EntryExcluded] + counts[domain.EntryRemoved]}})
	})
	return id, err
}

// setNomination moves a nomination to the state its entry gives it (in the
// list: shortlisted; out of it: not shortlisted with the reason; tied:
// received again, waiting for staff's decision), with a step when the
// state or reason changes.
func setNomination(ctx context.Context, tx pgx.Tx, nominationID int64, st domain.EntryStatus, reason string, by int64) error {
	to, why := domain.NominationReceived, ""
	switch {
	case st.Listed():
		to = domain.NominationShortlisted
	case st == domain.EntryExcluded || st == domain.EntryRemoved:
		to, why = domain.NominationNotShortlisted, reason
	}
	var from domain.NominationStatus
	if err := tx.QueryRow(ctx, `UPDATE nominations n SET status = $2, reason = $3, version = n.version + 1, updated_at = now()
		FROM (SELECT id, status, reason FROM nominations WHERE id = $1 FOR UPDATE) old
		WHERE n.id = old.id AND (old.status <> $2 OR old.reason <> $3)
		RETURNING old.status`, nominationID, to, why).Scan(&from); err != nil {
		if err == pgx.ErrNoRows {
			return nil // nothing changed
		}
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO nomination_steps (nomination_id, from_status, to_status, reason, actor_id) VALUES ($1, $2, $3, $4, $5)`,
		nominationID, from, to, why, by)
	return err
}

func planQuotas(ctx context.Context, q querier, planID int64) ([]domain.Quota, error) {
	rows, err := q.Query(ctx, `SELECT id, plan_id, phase_id, target, quota, citation FROM award_quotas WHERE plan_id = $1`, planID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Quota, error) {
		var x domain.Quota
		err := row.Scan(&x.ID, &x.PlanID, &x.PhaseID, &x.Target, &x.Count, &x.Citation)
		return x, err
	})
}

func formNames(ctx context.Context, q querier) (map[int64]string, error) {
	rows, err := q.Query(ctx, `SELECT id, name FROM award_forms`)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	var id int64
	var name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error { out[id] = name; return nil })
	return out, err
}

// EntryDecision is staff's change of one candidate: add it to the list or
// remove it, with the reason; Override is the reason to keep a candidate
// who fails a rule, required then and shown to every reader.
type EntryDecision struct {
	CampaignID, PhaseID, PlanID, EntryID int64
	Add                                  bool
	Reason, Override                     string
	Version                              int // of the shortlist, as the page showed it
	By                                   int64
}

// DecideEntry records staff's decision on one candidate of a draft
// shortlist. An addition must fit the group's quota (a tie is settled by
// adding as many as the quota leaves room for and removing the rest).
func (db *DB) DecideEntry(ctx context.Context, d EntryDecision) (err error) {
	defer wrap(&err, "DecideEntry")
	d.Reason, d.Override = domain.CleanText(d.Reason), domain.CleanText(d.Override)
	f := domain.FieldErrors{}
	if domain.RuneLen(d.Reason) == 0 {
		f.Add("reason", "field.required")
	} else if domain.RuneLen(d.Reason) > 2000 {
		f.Add("reason", "field.too_long")
	}
	if domain.RuneLen(d.Override) > 2000 {
		f.Add("override_reason", "field.too_long")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		s, err := lockShortlist(ctx, tx, d.CampaignID, d.PhaseID, d.PlanID, d.Version)
		if err != nil {
			return err
		}
		if s == nil {
			return domain.Errorf(domain.ENOTFOUND, "shortlist.not_found")
		}
		var e struct {
			target       domain.AwardTarget
			status       domain.EntryStatus
			outcomes     []domain.Outcome
			nominationID int64
		}
		var raw []byte
		if err := tx.QueryRow(ctx, `SELECT target, status, outcomes, coalesce(nomination_id, 0) FROM shortlist_entries
			WHERE id = $1 AND shortlist_id = $2 FOR UPDATE`, d.EntryID, s.ID).Scan(&e.target, &e.status, &raw, &e.nominationID); err != nil {
			return notFound(err, "shortlist.entry_not_found")
		}
		if err := json.Unmarshal(raw, &e.outcomes); err != nil {
			return err
		}
		to, action := domain.EntryRemoved, "remove"
		if d.Add {
			to, action = domain.EntryAdded, "add"
			if e.status.Listed() {
				return domain.Errorf(domain.ECONFLICT, "shortlist.already_listed")
			}
			if !domain.Passes(e.outcomes) && domain.RuneLen(d.Override) == 0 {
				return &domain.ValidationError{Fields: domain.FieldErrors{"override_reason": "shortlist.override_required"}}
			}
			quotas, err := planQuotas(ctx, tx, d.PlanID)
			if err != nil {
				return err
			}
			if q, ok := QuotaFor(quotas, d.PlanID, d.PhaseID, e.target); ok && q.Count != nil {
				var listed int
				if err := tx.QueryRow(ctx, `SELECT count(*) FROM shortlist_entries WHERE shortlist_id = $1 AND target = $2
					AND status IN ('proposed', 'added')`, s.ID, e.target).Scan(&listed); err != nil {
					return err
				}
				if listed >= *q.Count {
					return domain.Errorf(domain.ECONFLICT, "shortlist.quota_full", *q.Count)
				}
			}
		} else {
			if e.status == domain.EntryRemoved || e.status == domain.EntryExcluded {
				return domain.Errorf(domain.ECONFLICT, "shortlist.not_listed")
			}
			d.Override = ""
		}
		if domain.Passes(e.outcomes) {
			d.Override = ""
		}
		if _, err := tx.Exec(ctx, `UPDATE shortlist_entries SET status = $2, reason = $3, override_reason = $4, version = version + 1
			WHERE id = $1`, d.EntryID, to, d.Reason, d.Override); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE shortlists SET version = version + 1, updated_at = now() WHERE id = $1`, s.ID); err != nil {
			return err
		}
		reason := d.Reason
		if d.Override != "" {
			reason += " — " + d.Override
		}
		if _, err := tx.Exec(ctx, `INSERT INTO shortlist_steps (shortlist_id, entry_id, action, reason, actor_id) VALUES ($1, $2, $3, $4, $5)`,
			s.ID, d.EntryID, action, reason, d.By); err != nil {
			return err
		}
		if e.nominationID != 0 {
			if err := setNomination(ctx, tx, e.nominationID, to, d.Reason, d.By); err != nil {
				return err
			}
		}
		details := map[string]any{"campaign_id": d.CampaignID, "entry_id": d.EntryID, "action": action, "from": string(e.status),
			"to": string(to), "reason": d.Reason}
		if d.Override != "" {
			details["override_reason"] = d.Override
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditShortlistEntry, ObjectType: "shortlist", ObjectID: strconv.FormatInt(s.ID, 10), Details: details})
	})
}

// ShortlistStatus is the state of the shortlist of a plan in a phase of the
// campaign: "none" when none was proposed.
func (db *DB) ShortlistStatus(ctx context.Context, campaignID, phaseID, planID int64) (_ string, err error) {
	defer wrap(&err, "ShortlistStatus")
	var st string
	err = db.Pool.QueryRow(ctx, `SELECT coalesce((SELECT status FROM shortlists WHERE campaign_id = $1 AND phase_id = $2 AND plan_id = $3), 'none')`,
		campaignID, phaseID, planID).Scan(&st)
	return st, err
}

// ReturnShortlist records a leader's return of a draft shortlist to staff,
// seen at version, with the reason: the list cannot be posted for public
// notice until staff propose it again. A list already posted, or returned
// and not proposed since, is refused.
func (db *DB) ReturnShortlist(ctx context.Context, campaignID, phaseID, planID, by int64, version int, reason string) (err error) {
	defer wrap(&err, "ReturnShortlist")
	reason = domain.CleanText(reason)
	switch n := domain.RuneLen(reason); {
	case n == 0:
		return &domain.ValidationError{Fields: domain.FieldErrors{"return_reason": "field.required"}}
	case n > 2000:
		return &domain.ValidationError{Fields: domain.FieldErrors{"return_reason": "field.too_long"}}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		s, err := lockShortlist(ctx, tx, campaignID, phaseID, planID, version)
		if err != nil {
			return err
		}
		if s == nil {
			return domain.Errorf(domain.ENOTFOUND, "shortlist.not_found")
		}
		tag, err := tx.Exec(ctx, `UPDATE shortlists SET returned_at = now(), returned_by = $2, return_reason = $3,
			version = version + 1, updated_at = now() WHERE id = $1 AND returned_at IS NULL`, s.ID, by, reason)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return domain.Errorf(domain.ECONFLICT, "shortlist.already_returned")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO shortlist_steps (shortlist_id, action, reason, actor_id) VALUES ($1, 'return', $2, $3)`,
			s.ID, reason, by); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditShortlistReturn, ObjectType: "shortlist", ObjectID: strconv.FormatInt(s.ID, 10),
			Details: map[string]any{"campaign_id": campaignID, "phase_id": phaseID, "plan_id": planID, "reason": reason}})
	})
}
