// Package jobs works the portal's background jobs on PostgreSQL (river): a
// notification's mail, queued in the transaction of its event; an import's
// dry run and import, queued with the import job; the periodic deadline
// reminders and clean-up. Every instance of the portal runs a Runner; river
// hands each job to one of them, and elects one instance to insert the
// periodic jobs. A job whose instance stops goes back to the queue: at once
// after a graceful stop (StopGrace), after its time limit when the instance
// was killed.
package jobs

import (
	"cmp"
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"thidua/internal/postgres"
	"thidua/internal/storage"
)

// Mailer composes a notification's mail and sends it, or keeps it in the
// outbox when no SMTP server is configured (internal/mail).
type Mailer interface {
	Deliver(ctx context.Context, m *postgres.Mail) (postgres.Delivered, error)
}

// Config is what a Runner needs.
type Config struct {
	DB     *postgres.DB
	Log    *slog.Logger
	Mailer Mailer
	// ReminderEvery is how often the reminders job runs (default: hourly).
	ReminderEvery time.Duration
	// Poll is how often an idle runner looks for jobs besides the
	// notifications PostgreSQL sends on insert (default: river's 1 s).
	Poll time.Duration
	// RetryPolicy schedules a failed job's next attempt (default: river's
	// exponential backoff). Tests shorten it.
	RetryPolicy river.ClientRetryPolicy
	// Store holds the import files, and is swept by the clean-up job.
	// Without it (tests of mails) the runner works no import and no
	// clean-up.
	Store storage.Store
	// ScratchDir is where an import's file is copied to be read (default:
	// the system's temporary directory).
	ScratchDir string
	// ImportTimeout is how long one attempt of an import may run (default
	// 15 minutes). A job whose instance was killed goes back to the queue
	// once it has been running for longer than this.
	ImportTimeout time.Duration
	// CleanUpEvery is how often the clean-up job runs (default: hourly).
	CleanUpEvery time.Duration
	// StopGrace is how long Stop lets jobs in progress finish before it
	// cancels them (default 10 seconds); a cancelled job goes back to the
	// queue, its attempt not counted, for another instance.
	StopGrace time.Duration

	// onProgress is the import worker's test hook (export_test.go).
	onProgress func(ctx context.Context, key string, rows int)
}

// DefaultImportTimeout is how long one attempt of an import may run.
const DefaultImportTimeout = 15 * time.Minute

// DefaultStopGrace is how long Stop lets jobs in progress finish.
const DefaultStopGrace = 10 * time.Second

// jobTimeout is the time limit of the other jobs (a mail, the reminders).
const jobTimeout = 2 * time.Minute

// Runner works jobs until stopped.
type Runner struct {
	client *river.Client[pgx.Tx]
}

// Start starts working jobs.
func Start(ctx context.Context, c Config) (*Runner, error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &mailWorker{db: c.DB, mailer: c.Mailer})
	river.AddWorker(workers, &reminderWorker{db: c.DB})
	every := c.ReminderEvery
	if every <= 0 {
		every = time.Hour
	}
	log := cmp.Or(c.Log, slog.Default())
	importTimeout := cmp.Or(c.ImportTimeout, DefaultImportTimeout)
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) { return RemindArgs{}, nil },
			&river.PeriodicJobOpts{ID: "reminders", RunOnStart: true}),
	}
	if c.Store != nil {
		scratch := cmp.Or(c.ScratchDir, os.TempDir())
		river.AddWorker(workers, &importWorker{db: c.DB, store: c.Store, log: log, scratch: scratch,
			timeout: importTimeout, onProgress: c.onProgress})
		river.AddWorker(workers, &cleanUpWorker{db: c.DB, store: c.Store, log: log, scratch: scratch})
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(cmp.Or(c.CleanUpEvery, time.Hour)),
			func() (river.JobArgs, *river.InsertOpts) { return CleanUpArgs{}, nil },
			&river.PeriodicJobOpts{ID: "clean_up", RunOnStart: true}))
	}
	client, err := river.NewClient(riverpgxv5.New(c.DB.Pool), &river.Config{
		Logger: slog.New(warnings{log.Handler()}).With("component", "jobs"),
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 2},
			"mail":             {MaxWorkers: 4},
			"imports":          {MaxWorkers: 2},
		},
		Workers:           workers,
		FetchPollInterval: c.Poll,
		RetryPolicy:       c.RetryPolicy,
		JobTimeout:        jobTimeout,
		// A job still running after this was left by a killed instance
		// (each kind's own time limit is checked too, so an import is
		// rescued only once past ImportTimeout).
		RescueStuckJobsAfter: max(importTimeout, jobTimeout) + time.Minute,
		SoftStopTimeout:      cmp.Or(c.StopGrace, DefaultStopGrace),
		PeriodicJobs:         periodic,
	})
	if err != nil {
		return nil, err
	}
	if err := client.Start(ctx); err != nil {
		return nil, err
	}
	return &Runner{client: client}, nil
}

// Stop stops taking jobs and lets the jobs in progress finish for
// StopGrace; then it cancels them (they go back to the queue) and returns
// once they have (or when ctx ends).
func (r *Runner) Stop(ctx context.Context) error { return r.client.Stop(ctx) }

// mailWorker delivers one notification's mail.
type mailWorker struct {
	river.WorkerDefaults[postgres.SendMailArgs]
	db     *postgres.DB
	mailer Mailer
}

func (w *mailWorker) Work(ctx context.Context, job *river.Job[postgres.SendMailArgs]) error {
	last := job.Attempt >= job.MaxAttempts
	return w.db.DeliverMail(ctx, job.Args.MailID, last, func(m *postgres.Mail) (postgres.Delivered, error) {
		return w.mailer.Deliver(ctx, m)
	})
}

// RemindArgs is the periodic job that sends the deadline reminders due.
type RemindArgs struct{}

// Kind names the job for the queue.
func (RemindArgs) Kind() string { return "send_reminders" }

// InsertOpts makes the job unique while one waits or runs, so instances
// and restarts never queue it twice at once.
func (RemindArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// reminderWorker sends the reminders due now; the store records each one so
// that it goes once.
type reminderWorker struct {
	river.WorkerDefaults[RemindArgs]
	db *postgres.DB
}

func (w *reminderWorker) Work(ctx context.Context, _ *river.Job[RemindArgs]) error {
	_, err := w.db.SendReminders(ctx)
	return err
}

// warnings passes on river's log lines from warnings up: its informational
// lines (job counts every few seconds) would drown the portal's own.
type warnings struct{ slog.Handler }

func (h warnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

func (h warnings) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warnings{h.Handler.WithAttrs(attrs)}
}

func (h warnings) WithGroup(name string) slog.Handler { return warnings{h.Handler.WithGroup(name)} }
