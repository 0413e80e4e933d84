package jobs

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"thidua/internal/i18n"
	"thidua/internal/postgres"
	"thidua/internal/storage"
)

// CleanUpAge is how old a temporary upload, an unreferenced stored file or
// a scratch copy must be before the clean-up removes it: younger ones may
// belong to an upload or an import in flight on another instance.
const CleanUpAge = 24 * time.Hour

// CleanUpArgs is the periodic job that removes what stopped processes and
// ended imports left behind.
type CleanUpArgs struct{}

// Kind names the job for the queue.
func (CleanUpArgs) Kind() string { return "clean_up" }

// InsertOpts makes the job unique while one waits or runs, so instances and
// restarts never queue it twice at once.
func (CleanUpArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// CleanedUp counts what a clean-up removed; the job records it as its
// output (river_job.metadata->'output').
type CleanedUp struct {
	TempFiles    int `json:"temp_files"`    // uploads abandoned mid-way
	OrphanFiles  int `json:"orphan_files"`  // stored files no row refers to
	ImportFiles  int `json:"import_files"`  // files of ended import jobs
	ScratchFiles int `json:"scratch_files"` // local copies left by a killed import
}

// cleanUpWorker runs CleanUp.
type cleanUpWorker struct {
	river.WorkerDefaults[CleanUpArgs]
	db      *postgres.DB
	store   storage.Store
	log     *slog.Logger
	scratch string
}

func (w *cleanUpWorker) Work(ctx context.Context, _ *river.Job[CleanUpArgs]) error {
	done, err := CleanUp(ctx, w.db, w.store, w.scratch, time.Now().Add(-CleanUpAge), w.log)
	if err != nil {
		return err
	}
	if done != (CleanedUp{}) {
		w.log.Info("clean-up", "temp_files", done.TempFiles, "orphan_files", done.OrphanFiles,
			"import_files", done.ImportFiles, "scratch_files", done.ScratchFiles, "store", w.store.String())
	}
	return river.RecordOutput(ctx, done)
}

// CleanUp ends import jobs left waiting (a dry run not followed by an
// import within a day, a job the queue will not run any more) and deletes
// the files of ended import jobs, then sweeps the store: temporary uploads
// started before cutoff and stored files older than cutoff that no
// evidence, attachment or import job not ended refers to. Scratch copies of
// import files older than cutoff go too.
func CleanUp(ctx context.Context, db *postgres.DB, store storage.Store, scratch string, cutoff time.Time, log *slog.Logger) (CleanedUp, error) {
	var done CleanedUp
	released, paths, err := db.ReleaseImportFiles(ctx, i18n.Translate(i18n.Vietnamese, "import_job.expired"),
		i18n.Translate(i18n.Vietnamese, "import_job.failed.attempts", postgres.ImportMaxAttempts))
	if err != nil {
		return done, err
	}
	del := func(ctx context.Context, sum string) {
		ctx, cancel := context.WithTimeout(ctx, storeDeleteTimeout) // holding the content's lock
		defer cancel()
		if err := store.Delete(ctx, sum); err != nil {
			log.Error("clean-up: deleting an ended import's file", "sum", sum, "err", err) // an orphan now: swept once older than a day
			return
		}
		done.ImportFiles++
	}
	for _, sum := range released {
		if err := db.DropFile(ctx, sum, del); err != nil {
			return done, err
		}
	}
	for _, p := range paths {
		if os.Remove(p) == nil {
			done.ImportFiles++
		}
	}
	// What to keep is read after the release above, and before the sweep:
	// a file stored meanwhile is younger than cutoff, so the sweep leaves it.
	hashes, err := db.EvidenceHashes(ctx)
	if err != nil {
		return done, err
	}
	live, err := db.LiveImportSums(ctx)
	if err != nil {
		return done, err
	}
	keep := make(map[string]bool, len(hashes)+len(live))
	for _, h := range append(hashes, live...) {
		keep[h] = true
	}
	swept, err := store.Sweep(ctx, func(sum string) bool { return keep[sum] }, cutoff)
	done.TempFiles, done.OrphanFiles = swept.Temp, swept.Orphans
	if err != nil {
		return done, err
	}
	if scratch != "" {
		old, _ := filepath.Glob(filepath.Join(scratch, scratchPattern))
		for _, p := range old {
			if fi, err := os.Stat(p); err == nil && fi.ModTime().Before(cutoff) && os.Remove(p) == nil {
				done.ScratchFiles++
			}
		}
	}
	return done, nil
}
