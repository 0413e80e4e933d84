package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"thidua/internal/domain"
)

// The award decision (quyết định khen thưởng): drafted by staff from a
// closed session's passing nominees, signed by a leader who did not draft
// it (numbered from the issuer's register at that moment, the awards
// entering the achievement history in the same transaction), immutable
// once signed, revoked only by a signed revocation decision.

// DecisionSource is a closed council session as a decision is drafted
// from it: its campaign, its council's issuer and the nominees who passed.
type DecisionSource struct {
	SessionID      int64
	HeldOn         time.Time
	CouncilName    string
	IssuerID       *int64
	CampaignID     int64
	CampaignTitle  string
	PlanNumber     string
	CampaignIssuer string
	Nominees       []SourceNominee
}

// SourceNominee is a nominee who passed the council's vote.
type SourceNominee struct {
	NomineeID int64
	Target    domain.AwardTarget
	UnitID    int64
	PersonID  *int64
	FormID    int64
	FormName  string
	Name      string
	Position  string // a person's position and unit, as printed
}

// DecisionInfo is a decision with the names its pages print.
type DecisionInfo struct {
	domain.Decision
	Issuer          domain.Issuer
	DraftedByName   string
	SignedByName    string
	CampaignTitle   string
	Awardees        int
	RevokesNumber   string
	RevokesDate     *time.Time
	RevokedByNumber string
	RevokedByDate   *time.Time
	// PendingRevocation is a revocation drafted and not yet signed.
	PendingRevocation *int64
}

// DecisionSourceOf returns a closed session's passing nominees; a session
// not closed yet, or where nobody passed, is refused (409).
func (db *DB) DecisionSourceOf(ctx context.Context, sessionID int64) (_ *DecisionSource, err error) {
	defer wrap(&err, "DecisionSourceOf")
	return decisionSource(ctx, db.Pool, sessionID)
}

func decisionSource(ctx context.Context, q querier, sessionID int64) (*DecisionSource, error) {
	var s DecisionSource
	var status string
	err := q.QueryRow(ctx, `SELECT cs.id, cs.held_on, cs.status, co.name, co.issuer_id, c.id, c.title, c.plan_number, c.issuer_name
		FROM council_sessions cs JOIN councils co ON co.id = cs.council_id JOIN campaigns c ON c.id = cs.campaign_id
		WHERE cs.id = $1`, sessionID).Scan(&s.SessionID, &s.HeldOn, &status, &s.CouncilName, &s.IssuerID, &s.CampaignID,
		&s.CampaignTitle, &s.PlanNumber, &s.CampaignIssuer)
	if err != nil {
		return nil, notFound(err, "decision.session_not_found")
	}
	if status != "closed" {
		return nil, domain.Errorf(domain.ECONFLICT, "decision.session_not_closed")
	}
	rows, err := q.Query(ctx, `SELECT n.id, e.target, e.unit_id, e.person_id, f.id, f.name,
			coalesce(pe.full_name, u.name),
			CASE WHEN e.person_id IS NULL THEN '' ELSE concat_ws(', ', nullif(pe.position, ''), u.name) END
		FROM session_nominees n
		JOIN shortlist_entries e ON e.id = n.entry_id
		JOIN award_forms f ON f.id = n.award_form_id
		JOIN units u ON u.id = e.unit_id
		LEFT JOIN people pe ON pe.id = e.person_id
		WHERE n.session_id = $1 AND n.outcome = 'passed'
		ORDER BY e.target DESC, n.sort, n.id`, sessionID)
	if err != nil {
		return nil, err
	}
	s.Nominees, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (SourceNominee, error) {
		var n SourceNominee
		err := row.Scan(&n.NomineeID, &n.Target, &n.UnitID, &n.PersonID, &n.FormID, &n.FormName, &n.Name, &n.Position)
		return n, err
	})
	if err != nil {
		return nil, err
	}
	if len(s.Nominees) == 0 {
		return nil, domain.Errorf(domain.ECONFLICT, "decision.none_passed")
	}
	return &s, nil
}

// immutable turns the refusal of the trigger that guards signed decisions
// into the 409 the user reads.
func immutable(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.ConstraintName == "decisions_immutable" {
		return domain.Errorf(domain.ECONFLICT, "decision.signed_immutable")
	}
	return err
}

// DraftDecision drafts an award decision from a closed session's passing
// nominees, and returns its ID. A session with an award decision drafted
// or signed (and not revoked) is refused (409); formKey, the form's hidden
// key, makes a form sent twice return the first draft.
func (db *DB) DraftDecision(ctx context.Context, sessionID int64, in domain.DecisionInput, formKey string) (_ int64, err error) {
	defer wrap(&err, "DraftDecision")
	in.Normalize()
	if err := in.Validate(false); err != nil {
		return 0, err
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if formKey != "" {
			prior, claimed, err := claimIdempotencyKey(ctx, tx, "decision:"+formKey)
			if err != nil {
				return err
			}
			if !claimed {
				id, err = strconv.ParseInt(prior, 10, 64)
				return err
			}
		}
		// One award decision per session: lock the session so two drafts
		// sent at the same moment see each other.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM council_sessions WHERE id = $1 FOR UPDATE`, sessionID); err != nil {
			return err
		}
		src, err := decisionSource(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		var prior int64
		err = tx.QueryRow(ctx, `SELECT id FROM decisions WHERE session_id = $1 AND kind = 'award' AND status <> 'revoked'
			ORDER BY id LIMIT 1`, sessionID).Scan(&prior)
		if err == nil {
			return domain.Errorf(domain.ECONFLICT, "decision.session_taken", prior)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err := issuerExists(ctx, tx, in.IssuerID); err != nil {
			return err
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		err = tx.QueryRow(ctx, `INSERT INTO decisions (issuer_id, kind, campaign_id, session_id, place, title, grounds, proposal, articles,
				achievement, recipients, signer_authority, signer_title, signer_name, drafted_by)
			VALUES ($1, 'award', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			in.IssuerID, src.CampaignID, sessionID, in.Place, in.Title, in.Grounds, in.Proposal, in.Articles, in.Achievement,
			in.Recipients, in.SignerAuthority, in.SignerTitle, in.SignerName, actor).Scan(&id)
		if err != nil {
			return err
		}
		for i, n := range src.Nominees {
			unit := n.UnitID
			if _, err := tx.Exec(ctx, `INSERT INTO decision_awardees (decision_id, nominee_id, target, unit_id, person_id, award_form_id,
					name, position, sort) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				id, n.NomineeID, n.Target, unit, n.PersonID, n.FormID, n.Name, n.Position, i+1); err != nil {
				return err
			}
		}
		if formKey != "" {
			if err := setIdempotencyResult(ctx, tx, "decision:"+formKey, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		if err := db.notifyToSign(ctx, tx, id, domain.DecisionAward, in.Title); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditDecisionDraft, ObjectType: "decision", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"session_id": sessionID, "campaign_id": src.CampaignID, "awardees": len(src.Nominees), "title": in.Title}})
	})
	return id, err
}

func issuerExists(ctx context.Context, tx pgx.Tx, issuerID int64) error {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM issuers WHERE id = $1)`, issuerID).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return &domain.ValidationError{Fields: domain.FieldErrors{"issuer": "decision.issuer.required"}}
	}
	return nil
}

// DraftRevocation drafts the decision revoking a signed one, with its
// reason, and returns its ID. A decision not signed, already revoked, or
// with a revocation drafted and not signed yet is refused (409).
func (db *DB) DraftRevocation(ctx context.Context, originalID int64, in domain.DecisionInput, formKey string) (_ int64, err error) {
	defer wrap(&err, "DraftRevocation")
	in.Normalize()
	if err := in.Validate(true); err != nil {
		return 0, err
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if formKey != "" {
			prior, claimed, err := claimIdempotencyKey(ctx, tx, "revocation:"+formKey)
			if err != nil {
				return err
			}
			if !claimed {
				id, err = strconv.ParseInt(prior, 10, 64)
				return err
			}
		}
		var status domain.DecisionStatus
		var kind domain.DecisionKind
		var campaignID *int64
		err := tx.QueryRow(ctx, `SELECT status, kind, campaign_id FROM decisions WHERE id = $1 FOR UPDATE`, originalID).Scan(&status, &kind, &campaignID)
		if err != nil {
			return notFound(err, "decision.not_found")
		}
		switch {
		case status == domain.DecisionDraft:
			return domain.Errorf(domain.ECONFLICT, "decision.revoke.not_signed")
		case status == domain.DecisionRevoked:
			return domain.Errorf(domain.ECONFLICT, "decision.revoke.already")
		case kind != domain.DecisionAward:
			return domain.Errorf(domain.ECONFLICT, "decision.revoke.not_award")
		}
		var pending int64
		err = tx.QueryRow(ctx, `SELECT id FROM decisions WHERE revokes_id = $1 AND status = 'draft' LIMIT 1`, originalID).Scan(&pending)
		if err == nil {
			return domain.Errorf(domain.ECONFLICT, "decision.revoke.pending", pending)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err := issuerExists(ctx, tx, in.IssuerID); err != nil {
			return err
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		err = tx.QueryRow(ctx, `INSERT INTO decisions (issuer_id, kind, campaign_id, revokes_id, place, title, grounds, proposal, articles,
				achievement, recipients, signer_authority, signer_title, signer_name, reason, drafted_by)
			VALUES ($1, 'revocation', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			in.IssuerID, campaignID, originalID, in.Place, in.Title, in.Grounds, in.Proposal, in.Articles, in.Achievement,
			in.Recipients, in.SignerAuthority, in.SignerTitle, in.SignerName, in.Reason, actor).Scan(&id)
		if err != nil {
			return err
		}
		if formKey != "" {
			if err := setIdempotencyResult(ctx, tx, "revocation:"+formKey, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		if err := db.notifyToSign(ctx, tx, id, domain.DecisionRevocation, in.Title); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditDecisionRevoke, ObjectType: "decision", ObjectID: strconv.FormatInt(originalID, 10),
			Details: map[string]any{"revocation_id": id, "reason": in.Reason}})
	})
	return id, err
}

// UpdateDecision saves staff's changes to a draft at version; a stale
// version, or a decision signed meanwhile, is refused (409).
func (db *DB) UpdateDecision(ctx context.Context, id int64, version int, in domain.DecisionInput) (err error) {
	defer wrap(&err, "UpdateDecision")
	in.Normalize()
	var kind domain.DecisionKind
	var status domain.DecisionStatus
	var current int
	if err := db.Pool.QueryRow(ctx, `SELECT kind, status, version FROM decisions WHERE id = $1`, id).Scan(&kind, &status, &current); err != nil {
		return notFound(err, "decision.not_found")
	}
	if status != domain.DecisionDraft {
		return domain.Errorf(domain.ECONFLICT, "decision.signed_immutable")
	}
	if err := in.Validate(kind == domain.DecisionRevocation); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if err := issuerExists(ctx, tx, in.IssuerID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE decisions SET issuer_id = $3, place = $4, title = $5, grounds = $6, proposal = $7, articles = $8,
				achievement = $9, recipients = $10, signer_authority = $11, signer_title = $12, signer_name = $13, reason = $14,
				version = version + 1, updated_at = now()
			WHERE id = $1 AND version = $2 AND status = 'draft'`, id, version, in.IssuerID, in.Place, in.Title, in.Grounds, in.Proposal,
			in.Articles, in.Achievement, in.Recipients, in.SignerAuthority, in.SignerTitle, in.SignerName, in.Reason)
		if err != nil {
			return immutable(err)
		}
		if tag.RowsAffected() == 0 {
			var st domain.DecisionStatus
			if err := tx.QueryRow(ctx, `SELECT status FROM decisions WHERE id = $1`, id).Scan(&st); err == nil && st != domain.DecisionDraft {
				return domain.Errorf(domain.ECONFLICT, "decision.signed_immutable")
			}
			return domain.Errorf(domain.ECONFLICT, "error.stale")
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditDecisionUpdate, ObjectType: "decision", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"title": in.Title}})
	})
}

// SignResult is what signing gave: the number and the day.
type SignResult struct {
	Number string
	Date   time.Time
}

// SignDecision approves and signs a draft at version on day, as the actor
// of ctx: a leader who did not draft it (the caller checks the role; the
// drafter is refused here too, 403). The number is taken from the
// issuer's register for day's year; the awards' amounts are fixed from the
// base salary and multiples in force on day; each awardee enters the
// achievement history; a revocation marks the decision it revokes and its
// awards. All in one transaction. A decision already signed, or changed
// since version was read, is refused (409).
func (db *DB) SignDecision(ctx context.Context, id int64, version int, day time.Time) (_ *SignResult, err error) {
	defer wrap(&err, "SignDecision")
	signer := domain.ActorFrom(ctx).UserID
	var out *SignResult
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var d domain.Decision
		var issuerName, code string
		var campaignYear *int
		var thematic bool
		err := tx.QueryRow(ctx, `SELECT d.status, d.kind, d.version, d.drafted_by, d.issuer_id, d.revokes_id, d.campaign_id, d.signer_name,
				i.name, i.code, extract(year FROM c.period_end)::int, coalesce(c.kind = 'thematic', false)
			FROM decisions d JOIN issuers i ON i.id = d.issuer_id LEFT JOIN campaigns c ON c.id = d.campaign_id
			WHERE d.id = $1 FOR UPDATE OF d`, id).Scan(&d.Status, &d.Kind, &d.Version, &d.DraftedBy, &d.IssuerID, &d.RevokesID,
			&d.CampaignID, &d.SignerName, &issuerName, &code, &campaignYear, &thematic)
		if err != nil {
			return notFound(err, "decision.not_found")
		}
		switch {
		case d.Status != domain.DecisionDraft:
			return domain.Errorf(domain.ECONFLICT, "decision.already_signed")
		case d.DraftedBy != nil && *d.DraftedBy == signer:
			return domain.Errorf(domain.EFORBIDDEN, "decision.drafter_cannot_sign")
		case d.Version != version:
			return domain.Errorf(domain.ECONFLICT, "decision.changed")
		}
		year := day.Year()
		if d.Kind == domain.DecisionAward {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM decision_awardees WHERE decision_id = $1`, id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return domain.Errorf(domain.ECONFLICT, "decision.no_awardees")
			}
			// The amounts, while the decision is still a draft (its
			// awardees are frozen once it is signed).
			if _, err := tx.Exec(ctx, `UPDATE decision_awardees a SET multiple = m.multiple, base_salary = b.amount,
					amount = CASE WHEN m.multiple IS NULL OR b.amount IS NULL THEN NULL ELSE round(m.multiple * b.amount)::bigint END
				FROM decision_awardees x`+amountJoins+`
				WHERE a.id = x.id AND a.decision_id = $1`, id, day); err != nil {
				return err
			}
		}
		var revokes struct {
			status domain.DecisionStatus
		}
		if d.RevokesID != nil {
			err := tx.QueryRow(ctx, `SELECT status FROM decisions WHERE id = $1 FOR UPDATE`, *d.RevokesID).Scan(&revokes.status)
			if err != nil {
				return err
			}
			if revokes.status != domain.DecisionSigned {
				return domain.Errorf(domain.ECONFLICT, "decision.revoke.already")
			}
		}
		seq, err := takeNumber(ctx, tx, d.IssuerID, year)
		if err != nil {
			return err
		}
		number := domain.DecisionNumber(seq, code)
		if _, err := tx.Exec(ctx, `UPDATE decisions SET status = 'signed', year = $2, seq = $3, number = $4, decision_date = $5,
				signed_by = $6, signed_at = now(), signer_name = CASE WHEN signer_name = '' THEN coalesce((SELECT full_name FROM users WHERE id = $6), '') ELSE signer_name END,
				version = version + 1, updated_at = now()
			WHERE id = $1`, id, year, seq, number, day, signer); err != nil {
			return immutable(err)
		}
		if d.Kind == domain.DecisionAward {
			awardYear := year
			if campaignYear != nil {
				awardYear = *campaignYear
			}
			if _, err := tx.Exec(ctx, `INSERT INTO achievements (unit_id, person_id, year, award_form_id, title, decision_number, decision_date,
					issuer, campaign_id, thematic, source, decision_id, created_by)
				SELECT CASE WHEN a.person_id IS NULL THEN a.unit_id END, a.person_id, $2, a.award_form_id, f.name, $3, $4, $5, $6, $7,
					'portal', $1, $8
				FROM decision_awardees a JOIN award_forms f ON f.id = a.award_form_id
				WHERE a.decision_id = $1 ORDER BY a.sort, a.id`, id, awardYear, number, day, issuerName, d.CampaignID, thematic, signer); err != nil {
				if isUniqueViolation(err, "") {
					return domain.Errorf(domain.ECONFLICT, "decision.achievement_exists")
				}
				return err
			}
		}
		if d.RevokesID != nil {
			if _, err := tx.Exec(ctx, `UPDATE decisions SET status = 'revoked', revoked_by_id = $2 WHERE id = $1`, *d.RevokesID, id); err != nil {
				return immutable(err)
			}
			if _, err := tx.Exec(ctx, `UPDATE achievements SET revoked_by_decision_id = $2 WHERE decision_id = $1`, *d.RevokesID, id); err != nil {
				return err
			}
		}
		out = &SignResult{Number: number, Date: day}
		if err := db.notifySigned(ctx, tx, id, d.Kind, number, day, d.DraftedBy, d.RevokesID); err != nil {
			return err
		}
		details := map[string]any{"number": number, "decision_date": day.Format("2006-01-02")}
		if d.RevokesID != nil {
			details["revokes_id"] = *d.RevokesID
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditDecisionSign, ObjectType: "decision", ObjectID: strconv.FormatInt(id, 10), Details: details})
	})
	return out, err
}

// amountJoins find, for the awardee x, the multiple of its form and
// target and the base salary in force on $2.
const amountJoins = `
	LEFT JOIN LATERAL (SELECT am.multiple FROM award_amounts am
		WHERE am.award_form_id = x.award_form_id AND am.target = x.target
		  AND (am.in_force_from IS NULL OR am.in_force_from <= $2) AND (am.in_force_to IS NULL OR am.in_force_to >= $2)
		ORDER BY am.in_force_from DESC NULLS LAST, am.id DESC LIMIT 1) m ON true
	LEFT JOIN LATERAL (SELECT bs.amount FROM base_salaries bs WHERE bs.in_force_from <= $2
		ORDER BY bs.in_force_from DESC LIMIT 1) b ON true`

const decisionColumns = `d.id, d.issuer_id, d.kind, d.campaign_id, d.session_id, d.revokes_id, d.status, coalesce(d.year, 0), coalesce(d.seq, 0),
	d.number, d.place, d.decision_date, d.title, d.grounds, d.proposal, d.articles, d.achievement, d.recipients, d.signer_authority,
	d.signer_title, d.signer_name, d.reason, d.version, d.drafted_by, d.drafted_at, d.signed_by, d.signed_at, d.revoked_by_id,
	i.name, i.parent_name, i.code, i.place, i.signer_authority, i.signer_title,
	coalesce(du.full_name, ''), coalesce(su.full_name, ''), coalesce(c.title, ''),
	(SELECT count(*) FROM decision_awardees a WHERE a.decision_id = d.id)::int,
	coalesce(rv.number, ''), rv.decision_date, coalesce(rb.number, ''), rb.decision_date,
	(SELECT p.id FROM decisions p WHERE p.revokes_id = d.id AND p.status = 'draft' ORDER BY p.id LIMIT 1)`

const decisionFrom = `
	FROM decisions d
	JOIN issuers i ON i.id = d.issuer_id
	LEFT JOIN users du ON du.id = d.drafted_by
	LEFT JOIN users su ON su.id = d.signed_by
	LEFT JOIN campaigns c ON c.id = d.campaign_id
	LEFT JOIN decisions rv ON rv.id = d.revokes_id
	LEFT JOIN decisions rb ON rb.id = d.revoked_by_id`

func scanDecision(row pgx.Row) (DecisionInfo, error) {
	var d DecisionInfo
	err := row.Scan(&d.ID, &d.IssuerID, &d.Kind, &d.CampaignID, &d.SessionID, &d.RevokesID, &d.Status, &d.Year, &d.Seq,
		&d.Number, &d.Place, &d.Date, &d.Title, &d.Grounds, &d.Proposal, &d.Articles, &d.Achievement, &d.Recipients, &d.SignerAuthority,
		&d.SignerTitle, &d.SignerName, &d.Reason, &d.Version, &d.DraftedBy, &d.DraftedAt, &d.SignedBy, &d.SignedAt, &d.RevokedByID,
		&d.Issuer.Name, &d.Issuer.ParentName, &d.Issuer.Code, &d.Issuer.Place, &d.Issuer.SignerAuthority, &d.Issuer.SignerTitle,
		&d.DraftedByName, &d.SignedByName, &d.CampaignTitle, &d.Awardees,
		&d.RevokesNumber, &d.RevokesDate, &d.RevokedByNumber, &d.RevokedByDate, &d.PendingRevocation)
	d.Issuer.ID = d.IssuerID
	return d, err
}

func collectDecisions(rows pgx.Rows, err error) ([]DecisionInfo, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (DecisionInfo, error) { return scanDecision(row) })
}

// DecisionByID returns a decision with its names.
func (db *DB) DecisionByID(ctx context.Context, id int64) (_ *DecisionInfo, err error) {
	defer wrap(&err, "DecisionByID")
	d, err := scanDecision(db.Pool.QueryRow(ctx, `SELECT `+decisionColumns+decisionFrom+` WHERE d.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "decision.not_found")
	}
	return &d, nil
}

// Decisions returns the decisions, drafts first, then the latest signed;
// status, when not empty, keeps those in it.
func (db *DB) Decisions(ctx context.Context, status domain.DecisionStatus) (_ []DecisionInfo, err error) {
	defer wrap(&err, "Decisions")
	return collectDecisions(db.Pool.Query(ctx, `SELECT `+decisionColumns+decisionFrom+`
		WHERE ($1 = '' OR d.status = $1)
		ORDER BY d.status = 'draft' DESC, d.decision_date DESC NULLS FIRST, d.seq DESC NULLS FIRST, d.id DESC
		LIMIT 500`, string(status)))
}

// DecisionsToSign returns the drafts waiting for a leader's signature that
// userID did not draft, oldest first: the leader's queue.
func (db *DB) DecisionsToSign(ctx context.Context, userID int64) (_ []DecisionInfo, err error) {
	defer wrap(&err, "DecisionsToSign")
	return collectDecisions(db.Pool.Query(ctx, `SELECT `+decisionColumns+decisionFrom+`
		WHERE d.status = 'draft' AND d.drafted_by IS DISTINCT FROM $1
		ORDER BY d.drafted_at, d.id`, userID))
}

// PublishedDecisions returns the signed decisions (revoked ones included,
// marked), the latest first, at most limit.
func (db *DB) PublishedDecisions(ctx context.Context, limit int) (_ []DecisionInfo, err error) {
	defer wrap(&err, "PublishedDecisions")
	return collectDecisions(db.Pool.Query(ctx, `SELECT `+decisionColumns+decisionFrom+`
		WHERE d.status IN ('signed', 'revoked')
		ORDER BY d.decision_date DESC, d.signed_at DESC, d.id DESC LIMIT $1`, limit))
}

// DecisionAwardees returns a decision's awardees, individuals first, each
// with its form and amount: as fixed at signing, or, on a draft, as they
// would be on day (the base salary and multiples then in force).
func (db *DB) DecisionAwardees(ctx context.Context, decisionID int64, day time.Time) (_ []domain.Awardee, err error) {
	defer wrap(&err, "DecisionAwardees")
	rows, err := db.Pool.Query(ctx, `SELECT x.id, x.decision_id, x.nominee_id, x.target, x.unit_id, x.person_id, x.award_form_id, f.name,
			x.name, x.position, (coalesce(x.multiple, m.multiple) * 100)::bigint, coalesce(x.base_salary, b.amount),
			CASE WHEN x.amount IS NOT NULL THEN x.amount
			     WHEN d.status = 'draft' AND m.multiple IS NOT NULL AND b.amount IS NOT NULL THEN round(m.multiple * b.amount)::bigint END,
			x.sort
		FROM decision_awardees x JOIN award_forms f ON f.id = x.award_form_id JOIN decisions d ON d.id = x.decision_id`+amountJoins+`
		WHERE x.decision_id = $1
		ORDER BY x.target DESC, x.sort, x.id`, decisionID, day)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Awardee, error) {
		var a domain.Awardee
		var multiple *int64
		err := row.Scan(&a.ID, &a.DecisionID, &a.NomineeID, &a.Target, &a.UnitID, &a.PersonID, &a.AwardFormID, &a.FormName,
			&a.Name, &a.Position, &multiple, &a.BaseSalary, &a.Amount, &a.Sort)
		if multiple != nil {
			p := domain.Points(*multiple)
			a.Multiple = &p
		}
		return a, err
	})
}

// AwaitingSession is a closed session with passing nominees and no award
// decision yet (or only revoked ones).
type AwaitingSession struct {
	SessionID     int64
	HeldOn        time.Time
	CouncilName   string
	CampaignTitle string
	Passed        int
}

// SessionsAwaitingDecision returns the closed sessions staff may draft a
// decision from, the latest first.
func (db *DB) SessionsAwaitingDecision(ctx context.Context) (_ []AwaitingSession, err error) {
	defer wrap(&err, "SessionsAwaitingDecision")
	rows, err := db.Pool.Query(ctx, `SELECT cs.id, cs.held_on, co.name, c.title, count(*)::int
		FROM council_sessions cs
		JOIN councils co ON co.id = cs.council_id
		JOIN campaigns c ON c.id = cs.campaign_id
		JOIN session_nominees n ON n.session_id = cs.id AND n.outcome = 'passed'
		WHERE cs.status = 'closed'
		  AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.session_id = cs.id AND d.kind = 'award' AND d.status <> 'revoked')
		GROUP BY cs.id, co.name, c.title
		ORDER BY cs.held_on DESC, cs.id DESC`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (AwaitingSession, error) {
		var s AwaitingSession
		err := row.Scan(&s.SessionID, &s.HeldOn, &s.CouncilName, &s.CampaignTitle, &s.Passed)
		return s, err
	})
}
