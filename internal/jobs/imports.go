package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/imports"
	"thidua/internal/postgres"
	"thidua/internal/storage"
	"thidua/internal/tabular"
)

// scratchPattern names the local copies of import files while they are
// read: a process killed mid-import leaves one, and the clean-up removes it
// a day later.
const scratchPattern = "thidua-import-*"

// errFileGone means the job's file is no longer in the store (or, for a job
// recorded before imports ran from the store, on this instance's disk).
var errFileGone = errors.New("the import's file is gone")

// importWorker runs the dry run or the import of an import job: it copies
// the job's file from the store to a local scratch file, reads it with the
// import code the CLI uses, and records progress and report on the job. The
// import is one transaction: a job stopped half-way writes nothing and
// goes back to the queue, for this or another instance.
type importWorker struct {
	river.WorkerDefaults[postgres.RunImportArgs]
	db      *postgres.DB
	store   storage.Store
	log     *slog.Logger
	scratch string
	timeout time.Duration
	// onProgress, when set (tests), is called after each progress record.
	onProgress func(ctx context.Context, key string, rows int)
}

// Timeout is how long one attempt may run; the rescuer gives a job whose
// instance died back to the queue only once it has run longer than this.
func (w *importWorker) Timeout(*river.Job[postgres.RunImportArgs]) time.Duration { return w.timeout }

func (w *importWorker) Work(ctx context.Context, job *river.Job[postgres.RunImportArgs]) error {
	args := job.Args
	ij, err := w.db.ImportJobByKey(ctx, args.Key)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		w.log.Warn("import: no such job", "key", args.Key)
		return nil
	} else if err != nil {
		return err
	}
	if want := map[bool]string{true: "checking", false: "importing"}[args.DryRun]; ij.Status != want {
		return nil // ended already: nothing left to do
	}
	ctx = domain.WithActor(ctx, domain.Actor{UserID: args.UserID, RequestID: args.RequestID, ClientAddr: args.ClientAddr})
	report, err := w.run(ctx, ij, args.DryRun)
	if err == nil {
		status := "checked"
		if !args.DryRun {
			status = "done"
		}
		// Recorded even when a stop comes now: the import has committed.
		ctx := context.WithoutCancel(ctx)
		return w.db.FinishImportJob(ctx, args.Key, status, report, "", w.deleteFile(args.Key))
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		// The runner is stopping (or the job was cancelled): the import's
		// transaction rolled back, and the queue gives the job to the next
		// runner without counting the attempt.
		w.log.Info("import: stopped, back to the queue", "key", args.Key, "err", err)
		return fmt.Errorf("import %s stopped: %w", args.Key, context.Cause(ctx))
	}
	var msg string
	switch {
	case errors.Is(err, errFileGone):
		w.log.Warn("import: its file is gone", "key", args.Key, "sum", ij.FileSum, "path", ij.FilePath)
		msg = i18n.Translate(i18n.Vietnamese, "import_job.file_gone")
	case serverFault(err):
		if job.Attempt < job.MaxAttempts {
			w.log.Error("import failed, to be tried again", "key", args.Key, "attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
			return err
		}
		w.log.Error("import failed on its last attempt", "key", args.Key, "attempt", job.Attempt, "err", err)
		msg = i18n.Translate(i18n.Vietnamese, "import_job.failed.attempts", job.MaxAttempts)
	default:
		w.log.Info("import: file refused", "key", args.Key, "err", err)
		msg = imports.FailureMessage(err)
	}
	ctx = context.WithoutCancel(ctx)
	// A failed job keeps no personal data: its file goes as it ends.
	if ferr := w.db.FinishImportJob(ctx, args.Key, "failed", nil, msg, w.deleteFile(args.Key)); ferr != nil {
		return ferr
	}
	if serverFault(err) {
		return err // the queue records the last attempt's error
	}
	return nil
}

// run reads the job's file and dry-runs or imports it.
func (w *importWorker) run(ctx context.Context, ij *postgres.ImportJob, dryRun bool) (*domain.ImportReport, error) {
	path := ij.FilePath
	if ij.FileSum != "" {
		p, err := w.copyToScratch(ctx, ij.FileSum)
		if err != nil {
			return nil, err
		}
		defer os.Remove(p)
		path = p
	} else if _, err := os.Stat(path); path == "" || errors.Is(err, os.ErrNotExist) {
		return nil, errFileGone
	}
	r, err := tabular.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	progress := func(n int) {
		_ = w.db.ImportProgress(ctx, ij.Key, n)
		if w.onProgress != nil {
			w.onProgress(ctx, ij.Key, n)
		}
	}
	return imports.Run(ctx, w.db, ij.Kind, r, dryRun, progress, ij.Key)
}

// copyToScratch copies a stored file to a new local file, synced, for
// tabular to read (XLSX needs to seek).
func (w *importWorker) copyToScratch(ctx context.Context, sum string) (string, error) {
	src, err := w.store.Open(ctx, sum)
	if errors.Is(err, storage.ErrNotFound) {
		return "", errFileGone
	} else if err != nil {
		return "", err
	}
	defer src.Close()
	if err := os.MkdirAll(w.scratch, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(w.scratch, scratchPattern)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// storeDeleteTimeout bounds a delete from the store made while holding the
// content's lock (the job's end, the clean-up).
const storeDeleteTimeout = 30 * time.Second

// deleteFile deletes the file of the job key from the store as the job
// ends (FinishImportJob calls it only when nothing else has the same
// content). A failure leaves an orphan that the clean-up removes a day
// later.
func (w *importWorker) deleteFile(key string) func(ctx context.Context, sum string) {
	return func(ctx context.Context, sum string) {
		// It runs holding the content's lock: a store that hangs must not
		// hold uploads of the same content for longer.
		ctx, cancel := context.WithTimeout(ctx, storeDeleteTimeout)
		defer cancel()
		if err := w.store.Delete(ctx, sum); err != nil {
			w.log.Error("import: deleting its file from the store", "key", key, "sum", sum, "err", err)
		}
	}
}

// serverFault reports whether an import failed for the server's sake (its
// database, its store, its disk, its time limit), not the file's: such a
// job is tried again.
func serverFault(err error) bool {
	var pgErr *pgconn.PgError
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	var storeErr *storage.Error
	var pathErr *fs.PathError
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Code == domain.EINTERNAL
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &pgErr) || errors.As(err, &connectErr) ||
		errors.As(err, &netErr) || errors.As(err, &storeErr) || errors.As(err, &pathErr) || pgconn.SafeToRetry(err)
}
