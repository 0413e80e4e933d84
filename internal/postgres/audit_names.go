package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// AuditIDs are the records a page of the audit log refers to, by kind.
type AuditIDs struct {
	Users, Units, People, Campaigns, Registrations, Assessments, CriteriaSets, Phases, AwardForms, Criteria, Evidence []int64
}

// AuditRef names a record of the audit log and the campaign it belongs to
// (0 when none), so the log can say what it was and link its page.
type AuditRef struct {
	Name       string
	CampaignID int64
	Detail     string // a phase's name for a form
}

// AuditNames holds today's names of the records an audit page refers to.
type AuditNames struct {
	Users, Units, People, Campaigns, Phases, AwardForms, Criteria, Evidence map[int64]string
	Registrations, Assessments, CriteriaSets                                map[int64]AuditRef
}

// AuditNames looks up, in one round trip, the names of the records a page
// of the audit log refers to. A record gone since is simply missing.
func (db *DB) AuditNames(ctx context.Context, ids AuditIDs) (_ *AuditNames, err error) {
	defer wrap(&err, "AuditNames")
	n := &AuditNames{}
	var b pgx.Batch
	simple := []struct {
		sql string
		ids []int64
		out *map[int64]string
	}{
		{`SELECT id, full_name FROM users WHERE id = ANY($1)`, ids.Users, &n.Users},
		{`SELECT id, name FROM units WHERE id = ANY($1)`, ids.Units, &n.Units},
		{`SELECT id, full_name FROM people WHERE id = ANY($1)`, ids.People, &n.People},
		{`SELECT id, title FROM campaigns WHERE id = ANY($1)`, ids.Campaigns, &n.Campaigns},
		{`SELECT id, name FROM phases WHERE id = ANY($1)`, ids.Phases, &n.Phases},
		{`SELECT id, name FROM award_forms WHERE id = ANY($1)`, ids.AwardForms, &n.AwardForms},
		{`SELECT id, code || ' ' || title FROM criteria WHERE id = ANY($1)`, ids.Criteria, &n.Criteria},
		{`SELECT id, file_name FROM evidence_files WHERE id = ANY($1)`, ids.Evidence, &n.Evidence},
	}
	for _, q := range simple {
		m := map[int64]string{}
		*q.out = m
		if len(q.ids) == 0 {
			continue
		}
		b.Queue(q.sql, q.ids).Query(func(rows pgx.Rows) error {
			var id int64
			var name string
			_, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error { m[id] = name; return nil })
			return err
		})
	}
	refs := []struct {
		sql string
		ids []int64
		out *map[int64]AuditRef
	}{
		{`SELECT r.id, u.name, r.campaign_id, '' FROM registrations r JOIN units u ON u.id = r.unit_id WHERE r.id = ANY($1)`, ids.Registrations, &n.Registrations},
		{`SELECT a.id, u.name, a.campaign_id, p.name FROM assessments a JOIN units u ON u.id = a.unit_id JOIN phases p ON p.id = a.phase_id
			WHERE a.id = ANY($1)`, ids.Assessments, &n.Assessments},
		{`SELECT id, name, campaign_id, '' FROM criteria_sets WHERE id = ANY($1)`, ids.CriteriaSets, &n.CriteriaSets},
	}
	for _, q := range refs {
		m := map[int64]AuditRef{}
		*q.out = m
		if len(q.ids) == 0 {
			continue
		}
		b.Queue(q.sql, q.ids).Query(func(rows pgx.Rows) error {
			var id int64
			var ref AuditRef
			_, err := pgx.ForEachRow(rows, []any{&id, &ref.Name, &ref.CampaignID, &ref.Detail}, func() error { m[id] = ref; return nil })
			return err
		})
	}
	if b.Len() == 0 {
		return n, nil
	}
	if err := db.Pool.SendBatch(ctx, &b).Close(); err != nil {
		return nil, fmt.Errorf("audit names: %w", err)
	}
	return n, nil
}
