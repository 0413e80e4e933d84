package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// ImportJob is a web import: its file, its state and its report.
type ImportJob struct {
	ID        int64
	Key       string
	Kind      string // "units" or "people"
	FileName  string
	FilePath  string
	Status    string // checking, checked, importing, done, failed
	RowsDone  int
	Report    *domain.ImportReport
	Error     string
	CreatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CreateImportJob records an uploaded file about to be checked.
func (db *DB) CreateImportJob(ctx context.Context, key, kind, fileName, filePath string) (_ *ImportJob, err error) {
	defer wrap(&err, "CreateImportJob")
	_, err = db.Pool.Exec(ctx, `INSERT INTO import_jobs (key, kind, file_name, file_path, status, created_by)
		VALUES ($1, $2, $3, $4, 'checking', $5)`, key, kind, fileName, filePath, domain.ActorFrom(ctx).UserID)
	if err != nil {
		return nil, err
	}
	return db.ImportJobByKey(ctx, key)
}

// ImportJobByKey returns a job by its random key.
func (db *DB) ImportJobByKey(ctx context.Context, key string) (_ *ImportJob, err error) {
	defer wrap(&err, "ImportJobByKey")
	var j ImportJob
	var report []byte
	err = db.Pool.QueryRow(ctx, `SELECT id, key, kind, file_name, file_path, status, rows_done, report, error, created_by, created_at, updated_at
		FROM import_jobs WHERE key = $1`, key).Scan(&j.ID, &j.Key, &j.Kind, &j.FileName, &j.FilePath, &j.Status, &j.RowsDone,
		&report, &j.Error, &j.CreatedBy, &j.CreatedAt, &j.UpdatedAt)
	if err != nil {
		return nil, notFound(err, "import.not_found")
	}
	if report != nil {
		j.Report = &domain.ImportReport{}
		if err := json.Unmarshal(report, j.Report); err != nil {
			return nil, err
		}
	}
	return &j, nil
}

// StartImportRun moves a checked job whose dry run found no problem to
// importing. The status changes in one statement, so of two clicks only one
// starts the import.
func (db *DB) StartImportRun(ctx context.Context, job *ImportJob) (_ bool, err error) {
	defer wrap(&err, "StartImportRun")
	if job.Status != "checked" || job.Report == nil || !job.Report.OK() {
		return false, nil
	}
	tag, err := db.Pool.Exec(ctx, `UPDATE import_jobs SET status = 'importing', rows_done = 0, updated_at = now()
		WHERE key = $1 AND status = 'checked'`, job.Key)
	return tag.RowsAffected() == 1, err
}

// ImportProgress records how many rows a running job has read.
func (db *DB) ImportProgress(ctx context.Context, key string, rows int) (err error) {
	defer wrap(&err, "ImportProgress")
	_, err = db.Pool.Exec(ctx, `UPDATE import_jobs SET rows_done = $2, updated_at = now() WHERE key = $1`, key, rows)
	return err
}

// FinishImportJob stores a job's outcome.
func (db *DB) FinishImportJob(ctx context.Context, key, status string, report *domain.ImportReport, failure string) (err error) {
	defer wrap(&err, "FinishImportJob")
	var raw []byte
	if report != nil {
		var err error
		if raw, err = json.Marshal(report); err != nil {
			return err
		}
	}
	_, err = db.Pool.Exec(ctx, `UPDATE import_jobs SET status = $2, report = $3, error = $4, updated_at = now() WHERE key = $1`,
		key, status, raw, failure)
	return err
}

// FailInterruptedImports marks the jobs a stopped portal left running: their
// transactions died with it, so nothing of them was written.
func (db *DB) FailInterruptedImports(ctx context.Context) (_ int64, err error) {
	defer wrap(&err, "FailInterruptedImports")
	tag, err := db.Pool.Exec(ctx, `UPDATE import_jobs SET status = 'failed', error = 'interrupted', updated_at = now()
		WHERE status IN ('checking', 'importing')`)
	return tag.RowsAffected(), err
}

// ReleaseImportFiles ends jobs whose dry run was never followed by an
// import within a day, and returns the files of every ended job that still
// has one, clearing them from the jobs: the caller removes the files.
func (db *DB) ReleaseImportFiles(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "ReleaseImportFiles")
	if _, err := db.Pool.Exec(ctx, `UPDATE import_jobs SET status = 'failed', error = 'expired', updated_at = now()
		WHERE status = 'checked' AND updated_at < now() - interval '1 day'`); err != nil {
		return nil, err
	}
	rows, err := db.Pool.Query(ctx, `UPDATE import_jobs SET file_path = '' WHERE status IN ('failed', 'done') AND file_path <> '' RETURNING file_path`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
