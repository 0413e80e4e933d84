package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"thidua/internal/domain"
)

// ImportJob is a web import: its file, its state and its report.
type ImportJob struct {
	ID       int64
	Key      string
	Kind     string // "units", "people", "measures" or "awards"
	FileName string
	// FileSum is the SHA-256 of the file in the store, empty once the job
	// has ended and its file is released.
	FileSum string
	// FilePath is the file of a job recorded before imports ran from the
	// store (a local IMPORT_DIR); empty for newer jobs.
	FilePath  string
	Status    string // checking, checked, importing, done, failed
	RowsDone  int
	Report    *domain.ImportReport
	Error     string
	CreatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
	// Attempt is the attempt of the queue's job that runs (or will run
	// next) the dry run or the import while the status is checking or
	// importing: 2 and more after an attempt that did not finish. Zero
	// otherwise.
	Attempt, MaxAttempts int
	// Stranded is true when the status says checking or importing but no
	// job in the queue will run it any more (its last attempt died with
	// its instance): the job has failed.
	Stranded bool
}

// Running reports whether a dry run or an import is on its way.
func (j *ImportJob) Running() bool { return j.Status == "checking" || j.Status == "importing" }

// RunImportArgs is the queue's job that dry-runs (DryRun) or imports the
// file of an import job, for the user who uploaded it.
type RunImportArgs struct {
	Key        string `json:"key"`
	DryRun     bool   `json:"dry_run"`
	UserID     int64  `json:"user_id"`
	RequestID  string `json:"request_id,omitempty"`
	ClientAddr string `json:"client_addr,omitempty"`
}

// Kind names the job for the queue (written out in the queries below, so
// that they use the index of migration 000025 on its jobs' keys).
func (RunImportArgs) Kind() string { return "run_import" }

// ImportMaxAttempts is how many times the queue starts an import whose
// attempts fail on the server's side (its instance killed, the database
// gone): a stop that lets the job go back to the queue is not counted.
const ImportMaxAttempts = 5

// InsertOpts puts imports in their own queue, so that a long import does
// not hold up mails and reminders.
func (RunImportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "imports", MaxAttempts: ImportMaxAttempts}
}

// runImportArgs is the job of key for the acting user.
func runImportArgs(ctx context.Context, key string, dryRun bool) RunImportArgs {
	a := domain.ActorFrom(ctx)
	return RunImportArgs{Key: key, DryRun: dryRun, UserID: a.UserID, RequestID: a.RequestID, ClientAddr: a.ClientAddr}
}

// CreateImportJob records an uploaded file, kept in the store under
// fileSum, and queues its dry run in the same transaction.
func (db *DB) CreateImportJob(ctx context.Context, key, kind, fileName, fileSum string) (_ *ImportJob, err error) {
	defer wrap(&err, "CreateImportJob")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := db.claimFile(ctx, tx, fileSum); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO import_jobs (key, kind, file_name, file_path, file_sum, status, created_by)
			VALUES ($1, $2, $3, '', $4, 'checking', $5)`, key, kind, fileName, fileSum, domain.ActorFrom(ctx).UserID); err != nil {
			return err
		}
		_, err := db.jobs.InsertTx(ctx, tx, runImportArgs(ctx, key, true), nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.ImportJobByKey(ctx, key)
}

// ImportJobByKey returns a job by its random key, with where the queue
// stands with it.
func (db *DB) ImportJobByKey(ctx context.Context, key string) (_ *ImportJob, err error) {
	defer wrap(&err, "ImportJobByKey")
	var j ImportJob
	var report []byte
	var state *string
	var attempt, maxAttempts *int
	err = db.Pool.QueryRow(ctx, `
		SELECT i.id, i.key, i.kind, i.file_name, coalesce(i.file_sum, ''), i.file_path, i.status, i.rows_done, i.report, i.error,
		       i.created_by, i.created_at, i.updated_at, q.state::text, q.attempt, q.max_attempts
		FROM import_jobs i
		LEFT JOIN LATERAL (
			SELECT r.state, r.attempt, r.max_attempts FROM river_job r
			WHERE r.kind = 'run_import' AND r.args->>'key' = i.key AND (r.args->>'dry_run')::boolean = (i.status = 'checking')
			ORDER BY r.id DESC LIMIT 1) q ON i.status IN ('checking', 'importing')
		WHERE i.key = $1`, key).Scan(&j.ID, &j.Key, &j.Kind, &j.FileName, &j.FileSum, &j.FilePath, &j.Status, &j.RowsDone,
		&report, &j.Error, &j.CreatedBy, &j.CreatedAt, &j.UpdatedAt, &state, &attempt, &maxAttempts)
	if err != nil {
		return nil, notFound(err, "import.not_found")
	}
	if report != nil {
		j.Report = &domain.ImportReport{}
		if err := json.Unmarshal(report, j.Report); err != nil {
			return nil, err
		}
	}
	if j.Running() {
		switch {
		case state == nil || *state == "completed" || *state == "discarded" || *state == "cancelled":
			j.Stranded = true
		case *state == "running":
			j.Attempt, j.MaxAttempts = *attempt, *maxAttempts
		default: // waiting for its (next) attempt
			j.Attempt, j.MaxAttempts = *attempt+1, *maxAttempts
		}
	}
	return &j, nil
}

// StartImportRun moves a checked job whose dry run found no problem to
// importing and queues the import, in one transaction. The status changes
// in one statement, so of two clicks only one queues the import.
func (db *DB) StartImportRun(ctx context.Context, job *ImportJob) (started bool, err error) {
	defer wrap(&err, "StartImportRun")
	if job.Status != "checked" || job.Report == nil || !job.Report.OK() {
		return false, nil
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE import_jobs SET status = 'importing', rows_done = 0, updated_at = now()
			WHERE key = $1 AND status = 'checked'`, job.Key)
		if err != nil || tag.RowsAffected() != 1 {
			return err
		}
		started = true
		_, err = db.jobs.InsertTx(ctx, tx, runImportArgs(ctx, job.Key, false), nil)
		return err
	})
	return started && err == nil, err
}

// ImportProgress records how many rows a running job has read.
func (db *DB) ImportProgress(ctx context.Context, key string, rows int) (err error) {
	defer wrap(&err, "ImportProgress")
	_, err = db.Pool.Exec(ctx, `UPDATE import_jobs SET rows_done = $2, updated_at = now() WHERE key = $1`, key, rows)
	return err
}

// FinishImportJob stores a job's outcome. A job that ends (done or failed)
// lets go of its file in the same transaction: del deletes the content
// from the store unless something else refers to it (see dropFile), so
// that once the job reads as ended its file is gone, and an upload of the
// same content after that stores it afresh.
func (db *DB) FinishImportJob(ctx context.Context, key, status string, report *domain.ImportReport, failure string, del func(ctx context.Context, sum string)) (err error) {
	defer wrap(&err, "FinishImportJob")
	var raw []byte
	if report != nil {
		var err error
		if raw, err = json.Marshal(report); err != nil {
			return err
		}
	}
	ended := status == "done" || status == "failed"
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var sum *string
		err := tx.QueryRow(ctx, `
			WITH old AS (SELECT id, file_sum FROM import_jobs WHERE key = $1 FOR UPDATE)
			UPDATE import_jobs j SET status = $2, report = $3, error = $4, updated_at = now(),
				file_sum = CASE WHEN $5 THEN NULL ELSE j.file_sum END
			FROM old WHERE j.id = old.id
			RETURNING CASE WHEN $5 THEN old.file_sum END`, key, status, raw, failure, ended).Scan(&sum)
		if err != nil {
			return notFound(err, "import.not_found")
		}
		if sum == nil { // not ended, or released already
			return nil
		}
		return dropFile(ctx, tx, *sum, del)
	})
}

// A stored file is one content, shared by every row that has it:
// evidence, campaign attachments, import jobs. Whoever comes to refer to a
// content (an upload) and whoever decides whether to delete it (an import
// that ends, the clean-up) both take lockFile's lock on it first, so the
// decision never misses a reference committed meanwhile.
func lockFile(ctx context.Context, tx pgx.Tx, sum string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('stored file ' || $1, 0))`, sum)
	return err
}

// claimFile takes the lock of a content that a row in tx is about to refer
// to, and checks that the store still holds it: an upload that found the
// content stored already (it only freshened it) may have done so just
// before an ending import deleted it. Such an upload is refused, to be
// sent again; holding the lock, nothing deletes the content until tx ends,
// and after that the new row counts as a reference.
func (db *DB) claimFile(ctx context.Context, tx pgx.Tx, sum string) error {
	if err := lockFile(ctx, tx, sum); err != nil {
		return err
	}
	if db.FileStored == nil {
		return nil
	}
	ok, err := db.FileStored(ctx, sum)
	if err != nil {
		return err
	}
	if !ok {
		return ErrUploadGone
	}
	return nil
}

// ErrUploadGone refuses a row whose content the store no longer holds
// (claimFile): the upload is to be sent again.
var ErrUploadGone = domain.Errorf(domain.ECONFLICT, "upload.gone")

// dropFile deletes the content sum with del, under its lock, unless
// evidence, an attachment or an import job not ended refers to it. del
// deals with its own failure: a content left behind is an orphan that the
// clean-up sweeps a day later.
func dropFile(ctx context.Context, tx pgx.Tx, sum string, del func(ctx context.Context, sum string)) error {
	if err := lockFile(ctx, tx, sum); err != nil {
		return err
	}
	var referenced bool
	if err := tx.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM evidence_files WHERE sha256 = $1)
		OR EXISTS (SELECT 1 FROM campaign_attachments WHERE sha256 = $1)
		OR EXISTS (SELECT 1 FROM import_jobs WHERE file_sum = $1 AND status IN ('checking', 'checked', 'importing'))`,
		sum).Scan(&referenced); err != nil {
		return err
	}
	if !referenced {
		del(ctx, sum)
	}
	return nil
}

// DropFile is dropFile in a transaction of its own, for the clean-up.
func (db *DB) DropFile(ctx context.Context, sum string, del func(ctx context.Context, sum string)) (err error) {
	defer wrap(&err, "DropFile")
	return db.inTx(ctx, func(tx pgx.Tx) error { return dropFile(ctx, tx, sum, del) })
}

// ReleaseImportFiles ends jobs whose dry run was never followed by an
// import within a day (expired is their message) and jobs the queue will
// not run any more (stranded: their last attempt died with its instance),
// then clears the files of every ended job that still has one: the caller
// drops the released contents (DropFile) and removes the paths (files of
// jobs recorded before imports ran from the store).
func (db *DB) ReleaseImportFiles(ctx context.Context, expired, stranded string) (sums, paths []string, err error) {
	defer wrap(&err, "ReleaseImportFiles")
	if _, err := db.Pool.Exec(ctx, `UPDATE import_jobs SET status = 'failed', error = $1, updated_at = now()
		WHERE status = 'checked' AND updated_at < now() - interval '1 day'`, expired); err != nil {
		return nil, nil, err
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE import_jobs i SET status = 'failed', error = $1, updated_at = now()
		WHERE i.status IN ('checking', 'importing') AND NOT EXISTS (
			SELECT 1 FROM river_job r
			WHERE r.kind = 'run_import' AND r.args->>'key' = i.key AND (r.args->>'dry_run')::boolean = (i.status = 'checking')
			  AND r.state NOT IN ('completed', 'discarded', 'cancelled'))`, stranded); err != nil {
		return nil, nil, err
	}
	rows, err := db.Pool.Query(ctx, `
		WITH old AS (
			SELECT id, file_sum FROM import_jobs WHERE status IN ('done', 'failed') AND file_sum IS NOT NULL FOR UPDATE),
		cleared AS (
			UPDATE import_jobs j SET file_sum = NULL FROM old WHERE j.id = old.id RETURNING old.file_sum)
		SELECT DISTINCT file_sum FROM cleared`)
	if err != nil {
		return nil, nil, err
	}
	sums, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, nil, err
	}
	rows, err = db.Pool.Query(ctx, `UPDATE import_jobs SET file_path = '' WHERE status IN ('failed', 'done') AND file_path <> '' RETURNING file_path`)
	if err != nil {
		return nil, nil, err
	}
	paths, err = pgx.CollectRows(rows, pgx.RowTo[string])
	return sums, paths, err
}

// LiveImportSums returns the files of the import jobs not ended: a sweep
// of the store keeps them.
func (db *DB) LiveImportSums(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "LiveImportSums")
	rows, err := db.Pool.Query(ctx, `SELECT DISTINCT file_sum FROM import_jobs
		WHERE file_sum IS NOT NULL AND status IN ('checking', 'checked', 'importing')`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
