package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// The public notice (công khai) of a campaign's shortlists: publishing with
// the working-day end date, the objections anyone may send while it is
// posted, staff's answers, the nominees sent to the council and the
// council's dossier.

// NoticeList is one shortlist of a campaign as the notices page shows it.
type NoticeList struct {
	ShortlistID int64
	FormName    string
	PhaseName   string
	Status      domain.ShortlistStatus
	Listed      int // candidates on the list (proposed or added)
	Ties        int // candidates tied at the quota boundary, undecided
	Notice      *domain.Notice
	Objections  int
	Unanswered  int
}

// NoticeEntry is a nominee of a posted list: only what may be published
// (name, position, unit, the proposed form, the grounds), and for staff the
// council and objection state.
type NoticeEntry struct {
	ID              int64
	Target          domain.AwardTarget
	Name            string
	Position        string
	UnitName        string
	FormName        string
	Grounds         string
	Rank            *int
	Band            *string
	OverrideReason  string
	SentToCouncilAt *time.Time
	Objections      int
	Unanswered      int
}

// NoticeInfo is a notice with what its pages name: the campaign, the award
// form and the phase.
type NoticeInfo struct {
	domain.Notice
	CampaignTitle   string
	PlanNumber      string
	IssuerName      string
	SignerName      string
	SignerPosition  string
	CampaignStatus  domain.CampaignStatus
	FormName        string
	PhaseName       string
	ShortlistStatus domain.ShortlistStatus
	salt            string
}

// Objection is an objection as staff read it.
type Objection struct {
	ID         int64
	EntryID    int64
	EntryName  string
	Receipt    string
	Name       string
	Contact    string
	Body       string
	CreatedAt  time.Time
	Outcome    domain.ObjectionOutcome // "" while unanswered
	Answer     string
	AnsweredBy string
	AnsweredAt *time.Time
}

// ObjectionReceipt is what a sender is told: the receipt number of the
// objection, and whether the form had already been sent (the first
// objection's receipt again, nothing stored twice).
type ObjectionReceipt struct {
	Receipt   string
	CreatedAt time.Time
	Again     bool
}

// NoticeLists returns every shortlist of a campaign with its notice state,
// by phase and award form.
func (db *DB) NoticeLists(ctx context.Context, campaignID int64) (_ []NoticeList, err error) {
	defer wrap(&err, "NoticeLists")
	rows, err := db.Pool.Query(ctx, `
		SELECT s.id, f.name, ph.name, s.status,
		       (SELECT count(*) FROM shortlist_entries e WHERE e.shortlist_id = s.id AND e.status IN ('proposed', 'added'))::int,
		       (SELECT count(*) FROM shortlist_entries e WHERE e.shortlist_id = s.id AND e.status = 'tie')::int,
		       n.id, n.starts_on, n.ends_on, n.working_days, n.published_at, coalesce(pu.full_name, ''),
		       (SELECT count(*) FROM objections o WHERE o.notice_id = n.id)::int,
		       (SELECT count(*) FROM objections o WHERE o.notice_id = n.id AND o.outcome IS NULL)::int
		FROM shortlists s
		JOIN award_plans p ON p.id = s.plan_id
		JOIN award_forms f ON f.id = p.award_form_id
		JOIN phases ph ON ph.id = s.phase_id
		LEFT JOIN notices n ON n.shortlist_id = s.id
		LEFT JOIN users pu ON pu.id = n.published_by
		WHERE s.campaign_id = $1
		ORDER BY ph.seq, f.sort, s.id`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NoticeList
	for rows.Next() {
		var l NoticeList
		var nid *int64
		var starts, ends, published *time.Time
		var days *int
		var by string
		if err := rows.Scan(&l.ShortlistID, &l.FormName, &l.PhaseName, &l.Status, &l.Listed, &l.Ties,
			&nid, &starts, &ends, &days, &published, &by, &l.Objections, &l.Unanswered); err != nil {
			return nil, err
		}
		if nid != nil {
			l.Notice = &domain.Notice{ID: *nid, CampaignID: campaignID, ShortlistID: l.ShortlistID, StartsOn: *starts, EndsOn: *ends,
				WorkingDays: *days, PublishedAt: *published, PublishedBy: by}
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

const noticeEntryColumns = `e.id, e.target, coalesce(pe.full_name, u.name), CASE WHEN e.person_id IS NULL THEN '' ELSE pe.position END,
	u.name, f.name, e.grounds, e.rank, e.band, e.override_reason, e.sent_to_council_at,
	(SELECT count(*) FROM objections o WHERE o.entry_id = e.id)::int,
	(SELECT count(*) FROM objections o WHERE o.entry_id = e.id AND o.outcome IS NULL)::int`

const noticeEntryFrom = `
	FROM shortlist_entries e
	JOIN shortlists s ON s.id = e.shortlist_id
	JOIN award_plans p ON p.id = s.plan_id
	JOIN award_forms f ON f.id = p.award_form_id
	JOIN units u ON u.id = e.unit_id
	LEFT JOIN people pe ON pe.id = e.person_id`

const noticeEntryOrder = ` ORDER BY e.target, e.rank NULLS LAST, coalesce(pe.full_name, u.name) COLLATE "vi-x-icu", e.id`

func scanNoticeEntries(rows pgx.Rows) ([]NoticeEntry, error) {
	defer rows.Close()
	var out []NoticeEntry
	for rows.Next() {
		var e NoticeEntry
		if err := rows.Scan(&e.ID, &e.Target, &e.Name, &e.Position, &e.UnitName, &e.FormName, &e.Grounds, &e.Rank, &e.Band,
			&e.OverrideReason, &e.SentToCouncilAt, &e.Objections, &e.Unanswered); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// NoticeEntries returns the nominees on a shortlist (proposed or added by
// staff), collectives first, best ranked first.
func (db *DB) NoticeEntries(ctx context.Context, shortlistID int64) (_ []NoticeEntry, err error) {
	defer wrap(&err, "NoticeEntries")
	rows, err := db.Pool.Query(ctx, `SELECT `+noticeEntryColumns+noticeEntryFrom+`
		WHERE e.shortlist_id = $1 AND e.status IN ('proposed', 'added')`+noticeEntryOrder, shortlistID)
	if err != nil {
		return nil, err
	}
	return scanNoticeEntries(rows)
}

// CouncilEntries returns the nominees of a notice sent to the council: the
// list of the council's dossier.
func (db *DB) CouncilEntries(ctx context.Context, noticeID int64) (_ []NoticeEntry, err error) {
	defer wrap(&err, "CouncilEntries")
	rows, err := db.Pool.Query(ctx, `SELECT `+noticeEntryColumns+noticeEntryFrom+`
		JOIN notices n ON n.shortlist_id = s.id
		WHERE n.id = $1 AND e.status IN ('proposed', 'added') AND e.sent_to_council_at IS NOT NULL`+noticeEntryOrder, noticeID)
	if err != nil {
		return nil, err
	}
	return scanNoticeEntries(rows)
}

// NoticeByID returns a notice with the names its pages show. campaignID,
// when not 0, must be the notice's campaign (another campaign's notice is
// not found, exactly as a missing one).
func (db *DB) NoticeByID(ctx context.Context, campaignID, noticeID int64) (_ *NoticeInfo, err error) {
	defer wrap(&err, "NoticeByID")
	var n NoticeInfo
	err = db.Pool.QueryRow(ctx, `
		SELECT n.id, n.campaign_id, n.shortlist_id, n.starts_on, n.ends_on, n.working_days, n.published_at,
		       coalesce(pu.full_name, ''), c.title, c.plan_number, c.issuer_name, c.signer_name, c.signer_position, c.status,
		       f.name, ph.name, s.status, n.client_salt
		FROM notices n
		JOIN campaigns c ON c.id = n.campaign_id
		JOIN shortlists s ON s.id = n.shortlist_id
		JOIN award_plans p ON p.id = s.plan_id
		JOIN award_forms f ON f.id = p.award_form_id
		JOIN phases ph ON ph.id = s.phase_id
		LEFT JOIN users pu ON pu.id = n.published_by
		WHERE n.id = $1 AND ($2 = 0 OR n.campaign_id = $2)`, noticeID, campaignID).Scan(
		&n.ID, &n.CampaignID, &n.ShortlistID, &n.StartsOn, &n.EndsOn, &n.WorkingDays, &n.PublishedAt,
		&n.PublishedBy, &n.CampaignTitle, &n.PlanNumber, &n.IssuerName, &n.SignerName, &n.SignerPosition, &n.CampaignStatus,
		&n.FormName, &n.PhaseName, &n.ShortlistStatus, &n.salt)
	if err != nil {
		return nil, notFound(err, "notice.not_found")
	}
	return &n, nil
}

// ClientSalt is the notice's secret that keys the hash of a sender's
// address (see ObjectionClientKey in the server).
func (n *NoticeInfo) ClientSalt() string { return n.salt }

// PublishedNotices returns the notices of the public campaigns, newest
// first, for the public home and campaign pages (campaignID 0: all).
func (db *DB) PublishedNotices(ctx context.Context, campaignID int64) (_ []NoticeInfo, err error) {
	defer wrap(&err, "PublishedNotices")
	var out []NoticeInfo
	err = db.run(ctx, publishedNoticesRead(campaignID, &out))
	return out, err
}

// publishedNoticesRead reads the notices of campaignID (0: of every
// campaign) that the public may read, newest first.
func publishedNoticesRead(campaignID int64, out *[]NoticeInfo) read {
	return read{`
		SELECT n.id, n.campaign_id, n.shortlist_id, n.starts_on, n.ends_on, n.working_days, n.published_at,
		       c.title, c.plan_number, c.status, f.name, ph.name, s.status
		FROM notices n
		JOIN campaigns c ON c.id = n.campaign_id
		JOIN shortlists s ON s.id = n.shortlist_id
		JOIN award_plans p ON p.id = s.plan_id
		JOIN award_forms f ON f.id = p.award_form_id
		JOIN phases ph ON ph.id = s.phase_id
		WHERE c.status IN ('announced', 'closed') AND ($1 = 0 OR n.campaign_id = $1)
		ORDER BY n.starts_on DESC, n.id DESC
		LIMIT 50`, []any{campaignID}, func(rows pgx.Rows) error {
		defer rows.Close()
		for rows.Next() {
			var n NoticeInfo
			if err := rows.Scan(&n.ID, &n.CampaignID, &n.ShortlistID, &n.StartsOn, &n.EndsOn, &n.WorkingDays, &n.PublishedAt,
				&n.CampaignTitle, &n.PlanNumber, &n.CampaignStatus, &n.FormName, &n.PhaseName, &n.ShortlistStatus); err != nil {
				return err
			}
			*out = append(*out, n)
		}
		return rows.Err()
	}}
}

// PublishNotice posts a draft shortlist of the campaign for public notice
// from startsOn for the campaign's notice days, counted in working days
// (weekends and the holidays table skipped), and returns the notice. The
// same shortlist published again from the same day (a form sent twice)
// returns the first notice; a list already posted from another day, one
// with undecided ties, or one with nobody on it is refused.
func (db *DB) PublishNotice(ctx context.Context, campaignID, shortlistID int64, startsOn time.Time) (_ *domain.Notice, err error) {
	defer wrap(&err, "PublishNotice")
	var out *domain.Notice
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var status domain.ShortlistStatus
		var listed, ties, days int
		var returned bool
		err := tx.QueryRow(ctx, `
			SELECT s.status, s.returned_at IS NOT NULL, c.notice_days,
			       (SELECT count(*) FROM shortlist_entries e WHERE e.shortlist_id = s.id AND e.status IN ('proposed', 'added'))::int,
			       (SELECT count(*) FROM shortlist_entries e WHERE e.shortlist_id = s.id AND e.status = 'tie')::int
			FROM shortlists s JOIN campaigns c ON c.id = s.campaign_id
			WHERE s.id = $1 AND s.campaign_id = $2
			FOR UPDATE OF s`, shortlistID, campaignID).Scan(&status, &returned, &days, &listed, &ties)
		if err != nil {
			return notFound(err, "notices.shortlist_not_found")
		}
		var prior domain.Notice
		err = tx.QueryRow(ctx, `SELECT id, campaign_id, shortlist_id, starts_on, ends_on, working_days, published_at
			FROM notices WHERE shortlist_id = $1`, shortlistID).Scan(&prior.ID, &prior.CampaignID, &prior.ShortlistID,
			&prior.StartsOn, &prior.EndsOn, &prior.WorkingDays, &prior.PublishedAt)
		switch {
		case err == nil && prior.StartsOn.Equal(startsOn):
			out = &prior
			return nil
		case err == nil:
			return domain.Errorf(domain.ECONFLICT, "notice.already_published", prior.StartsOn.Format("02/01/2006"))
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		switch {
		case status != domain.ShortlistDraft:
			return domain.Errorf(domain.ECONFLICT, "notice.not_draft")
		case returned:
			return domain.Errorf(domain.ECONFLICT, "notice.returned")
		case ties > 0:
			return domain.Errorf(domain.ECONFLICT, "notice.ties_pending", ties)
		case listed == 0:
			return domain.Errorf(domain.ECONFLICT, "notice.empty")
		}
		off, err := holidaysFrom(ctx, tx, startsOn)
		if err != nil {
			return err
		}
		n := domain.Notice{CampaignID: campaignID, ShortlistID: shortlistID, StartsOn: startsOn,
			EndsOn: domain.NoticeEnd(startsOn, days, off), WorkingDays: days}
		salt := make([]byte, 32)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		var by *int64
		if a := domain.ActorFrom(ctx); a.UserID != 0 {
			by = &a.UserID
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO notices (campaign_id, shortlist_id, starts_on, ends_on, working_days, published_by, client_salt)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, published_at`,
			campaignID, shortlistID, n.StartsOn, n.EndsOn, n.WorkingDays, by, hex.EncodeToString(salt)).Scan(&n.ID, &n.PublishedAt)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE shortlists SET status = 'noticed', version = version + 1, updated_at = now() WHERE id = $1`, shortlistID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO shortlist_steps (shortlist_id, action, reason, actor_id) VALUES ($1, 'notice', $2, $3)`,
			shortlistID, n.StartsOn.Format("02/01/2006")+" – "+n.EndsOn.Format("02/01/2006"), by); err != nil {
			return err
		}
		out = &n
		return audit(ctx, tx, auditEntry{Action: domain.AuditNoticePublish, ObjectType: "campaign", ObjectID: strconv.FormatInt(campaignID, 10),
			Details: map[string]any{"notice_id": n.ID, "shortlist_id": shortlistID, "starts_on": n.StartsOn.Format("2006-01-02"),
				"ends_on": n.EndsOn.Format("2006-01-02"), "working_days": n.WorkingDays}})
	})
	return out, err
}

// AddObjection records an objection to a nominee of a notice while the
// notice is open on today, and returns its receipt. clientKey is the keyed
// hash of the sender's address: an address that sent domain.ObjectionLimit
// objections to this notice within domain.ObjectionWindow is refused
// (ETOOMANY); the count and the insert are serialized per address and
// notice, so parallel sends cannot slip under the limit. formKey, the
// form's hidden key, makes a form sent twice return the first receipt.
func (db *DB) AddObjection(ctx context.Context, noticeID int64, in domain.ObjectionInput, clientKey, formKey string, today time.Time) (_ *ObjectionReceipt, err error) {
	defer wrap(&err, "AddObjection")
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var key *string
	if n := len(formKey); n >= 16 && n <= 64 {
		key = &formKey
	}
	var out *ObjectionReceipt
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('objection:' || $1::bigint || ':' || $2::text, 0))`,
			noticeID, clientKey); err != nil {
			return err
		}
		if key != nil {
			var r ObjectionReceipt
			err := tx.QueryRow(ctx, `SELECT receipt, created_at FROM objections WHERE notice_id = $1 AND form_key = $2`,
				noticeID, *key).Scan(&r.Receipt, &r.CreatedAt)
			if err == nil {
				r.Again = true
				out = &r
				return nil
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		var n domain.Notice
		var campaignStatus domain.CampaignStatus
		err := tx.QueryRow(ctx, `SELECT n.starts_on, n.ends_on, c.status FROM notices n JOIN campaigns c ON c.id = n.campaign_id
			WHERE n.id = $1`, noticeID).Scan(&n.StartsOn, &n.EndsOn, &campaignStatus)
		if err != nil {
			return notFound(err, "notice.not_found")
		}
		if !campaignStatus.Public() {
			return domain.Errorf(domain.ENOTFOUND, "notice.not_found")
		}
		if !n.Open(today) {
			return domain.Errorf(domain.ECONFLICT, "notice.closed", n.StartsOn.Format("02/01/2006"), n.EndsOn.Format("02/01/2006"))
		}
		var listed bool
		err = tx.QueryRow(ctx, `SELECT e.status IN ('proposed', 'added') FROM shortlist_entries e JOIN notices n ON n.shortlist_id = e.shortlist_id
			WHERE n.id = $1 AND e.id = $2`, noticeID, in.EntryID).Scan(&listed)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !listed) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"entry": "objection.entry.required"}}
		}
		if err != nil {
			return err
		}
		var recent int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM objections WHERE notice_id = $1 AND client_key = $2
			AND created_at > now() - $3::interval`, noticeID, clientKey, domain.ObjectionWindow).Scan(&recent); err != nil {
			return err
		}
		if recent >= domain.ObjectionLimit {
			return domain.Errorf(domain.ETOOMANY, "objection.throttled", domain.ObjectionLimit, int(domain.ObjectionWindow/time.Minute))
		}
		var r ObjectionReceipt
		err = tx.QueryRow(ctx, `
			INSERT INTO objections (notice_id, entry_id, receipt, name, contact, body, client_key, form_key)
			VALUES ($1, $2, 'YK-' || to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY') || '-' || lpad(nextval('objection_receipts')::text, 6, '0'),
			        $3, $4, $5, $6, $7)
			RETURNING receipt, created_at`, noticeID, in.EntryID, in.Name, in.Contact, in.Body, clientKey, key).Scan(&r.Receipt, &r.CreatedAt)
		if err != nil {
			return err
		}
		out = &r
		return audit(ctx, tx, auditEntry{Action: domain.AuditObjectionAdd, ObjectType: "notice", ObjectID: strconv.FormatInt(noticeID, 10),
			Details: map[string]any{"receipt": r.Receipt, "entry_id": in.EntryID}})
	})
	return out, err
}

// Objections returns the objections of a notice, oldest first.
func (db *DB) Objections(ctx context.Context, noticeID int64) (_ []Objection, err error) {
	defer wrap(&err, "Objections")
	rows, err := db.Pool.Query(ctx, `
		SELECT o.id, o.entry_id, coalesce(pe.full_name, u.name), o.receipt, o.name, o.contact, o.body, o.created_at,
		       coalesce(o.outcome, ''), o.answer, coalesce(au.full_name, ''), o.answered_at
		FROM objections o
		JOIN shortlist_entries e ON e.id = o.entry_id
		JOIN units u ON u.id = e.unit_id
		LEFT JOIN people pe ON pe.id = e.person_id
		LEFT JOIN users au ON au.id = o.answered_by
		WHERE o.notice_id = $1
		ORDER BY o.created_at, o.id`, noticeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Objection
	for rows.Next() {
		var o Objection
		if err := rows.Scan(&o.ID, &o.EntryID, &o.EntryName, &o.Receipt, &o.Name, &o.Contact, &o.Body, &o.CreatedAt,
			&o.Outcome, &o.Answer, &o.AnsweredBy, &o.AnsweredAt); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// AnswerObjection records staff's answer to an objection of a notice. The
// same answer sent twice changes nothing; another answer to an answered
// objection is refused (ECONFLICT), the first one stands.
func (db *DB) AnswerObjection(ctx context.Context, noticeID, objectionID int64, a domain.ObjectionAnswer) (err error) {
	defer wrap(&err, "AnswerObjection")
	if err := a.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var outcome *string
		var answer string
		var entryID int64
		err := tx.QueryRow(ctx, `SELECT outcome, answer, entry_id FROM objections WHERE id = $1 AND notice_id = $2 FOR UPDATE`,
			objectionID, noticeID).Scan(&outcome, &answer, &entryID)
		if err != nil {
			return notFound(err, "objection.not_found")
		}
		if outcome != nil {
			if *outcome == string(a.Outcome) && answer == a.Text {
				return nil
			}
			return domain.Errorf(domain.ECONFLICT, "objection.already_answered")
		}
		var by *int64
		if act := domain.ActorFrom(ctx); act.UserID != 0 {
			by = &act.UserID
		}
		if _, err := tx.Exec(ctx, `UPDATE objections SET outcome = $2, answer = $3, answered_by = $4, answered_at = now() WHERE id = $1`,
			objectionID, a.Outcome, a.Text, by); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditObjectionReply, ObjectType: "notice", ObjectID: strconv.FormatInt(noticeID, 10),
			Details: map[string]any{"objection_id": objectionID, "entry_id": entryID, "outcome": string(a.Outcome)}})
	})
}

// SendToCouncil sends a nominee of a notice to the council (the emulation
// and commendation council's meeting) once the notice has ended on today
// and every objection to the nominee has its answer; both are refused with
// ECONFLICT otherwise. A nominee already sent stays as it was. When every
// nominee of the list has been sent, the shortlist is the council's.
func (db *DB) SendToCouncil(ctx context.Context, noticeID, entryID int64, today time.Time) (err error) {
	defer wrap(&err, "SendToCouncil")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var shortlistID int64
		var endsOn time.Time
		var status domain.EntryStatus
		var sent *time.Time
		err := tx.QueryRow(ctx, `
			SELECT e.shortlist_id, n.ends_on, e.status, e.sent_to_council_at
			FROM shortlist_entries e JOIN notices n ON n.shortlist_id = e.shortlist_id
			WHERE n.id = $1 AND e.id = $2
			FOR UPDATE OF e`, noticeID, entryID).Scan(&shortlistID, &endsOn, &status, &sent)
		if err != nil {
			return notFound(err, "notice.entry_not_found")
		}
		if !status.Listed() {
			return domain.Errorf(domain.ECONFLICT, "council.not_listed")
		}
		if sent != nil {
			return nil
		}
		if !today.After(endsOn) {
			return domain.Errorf(domain.ECONFLICT, "council.notice_running", endsOn.Format("02/01/2006"))
		}
		// Objections are counted under the entry's lock: one sent at this
		// moment either commits first (and blocks) or after (the notice has
		// ended, so none can).
		var unanswered int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM objections WHERE entry_id = $1 AND outcome IS NULL`, entryID).Scan(&unanswered); err != nil {
			return err
		}
		if unanswered > 0 {
			return domain.Errorf(domain.ECONFLICT, "council.unanswered", unanswered)
		}
		var by *int64
		if a := domain.ActorFrom(ctx); a.UserID != 0 {
			by = &a.UserID
		}
		if _, err := tx.Exec(ctx, `UPDATE shortlist_entries SET sent_to_council_at = now(), version = version + 1 WHERE id = $1`, entryID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO shortlist_steps (shortlist_id, entry_id, action, actor_id) VALUES ($1, $2, 'council', $3)`,
			shortlistID, entryID, by); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE shortlists SET status = 'council', version = version + 1, updated_at = now()
			WHERE id = $1 AND status = 'noticed' AND NOT EXISTS (SELECT 1 FROM shortlist_entries e
				WHERE e.shortlist_id = $1 AND e.status IN ('proposed', 'added') AND e.sent_to_council_at IS NULL)`, shortlistID); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCouncilSend, ObjectType: "notice", ObjectID: strconv.FormatInt(noticeID, 10),
			Details: map[string]any{"entry_id": entryID, "shortlist_id": shortlistID}})
	})
}
