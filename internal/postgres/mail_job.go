package postgres

import (
	"context"
	"time"
)

// MailJob is where the queue stands with a mail's job: its state (river's:
// available, scheduled, retryable, running, completed, discarded…), the
// time of its next attempt while one is due, the attempts made and the
// last error river recorded.
type MailJob struct {
	State       string
	NextAttempt *time.Time
	Attempt     int
	MaxAttempts int
	LastError   string
}

// MailJobs returns the queue's view of the mails' jobs, by mail: the
// admin's outbox shows when a pending mail is tried next.
func (db *DB) MailJobs(ctx context.Context, mailIDs []int64) (_ map[int64]MailJob, err error) {
	defer wrap(&err, "MailJobs")
	rows, err := db.Pool.Query(ctx, `
		SELECT (args->>'mail_id')::bigint, state::text,
		       CASE WHEN state IN ('available', 'scheduled', 'retryable') THEN scheduled_at END,
		       attempt, max_attempts, coalesce(errors[cardinality(errors)]->>'error', '')
		FROM river_job
		WHERE kind = $2 AND (args->>'mail_id')::bigint = ANY ($1)`, mailIDs, SendMailArgs{}.Kind())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]MailJob, len(mailIDs))
	for rows.Next() {
		var id int64
		var j MailJob
		if err := rows.Scan(&id, &j.State, &j.NextAttempt, &j.Attempt, &j.MaxAttempts, &j.LastError); err != nil {
			return nil, err
		}
		out[id] = j
	}
	return out, rows.Err()
}
