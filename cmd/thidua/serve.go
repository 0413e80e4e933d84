package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"thidua/internal/config"
	"thidua/internal/jobs"
	"thidua/internal/mail"
	"thidua/internal/postgres"
	"thidua/internal/server"
)

func runServe(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	if cfg.DatabaseURL == "" {
		return errNoDatabase
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	return serve(ctx, cfg, db, log, nil)
}

// serve runs the portal until ctx ends, then drains requests in flight.
func serve(ctx context.Context, cfg *config.Config, db *postgres.DB, log *slog.Logger, ready func(addr string)) error {
	if st, err := db.MigrationStatus(ctx); err != nil {
		return err
	} else if !st.Current() {
		log.Warn("database schema is not current: run `thidua migrate up`; /readyz reports 503 until then",
			"version", st.Version, "latest", st.Latest, "dirty", st.Dirty)
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	log.Info("file store", "store", store.String())
	key, err := mail.UnsubscribeKey(ctx, db)
	if err != nil {
		return err
	}
	if cfg.SMTP == nil {
		log.Info("SMTP_HOST is not set: notification mails are kept in the outbox (/admin/outbox)")
	} else {
		log.Info("notification mails go through SMTP", "smtp", cfg.SMTP.Addr(), "tls", cfg.SMTP.TLS)
	}
	runner, err := jobs.Start(context.WithoutCancel(ctx), jobs.Config{DB: db, Log: log, Mailer: mail.New(cfg, key),
		Store: store, ScratchDir: cfg.ImportDir, StopGrace: cfg.JobStopGrace})
	if err != nil {
		return err
	}
	// The runner stops when the portal is told to (its jobs get
	// JOB_STOP_GRACE to finish, alongside the HTTP drain, then go back to
	// the queue), or when serve returns for another reason.
	runnerStopped := make(chan struct{})
	stopRunner := sync.OnceFunc(func() {
		go func() {
			defer close(runnerStopped)
			stopCtx, cancel := context.WithTimeout(context.Background(), cfg.JobStopGrace+30*time.Second)
			defer cancel()
			if err := runner.Stop(stopCtx); err != nil {
				log.Error("stopping the job runner", "err", err)
			}
		}()
	})
	defer func() { stopRunner(); <-runnerStopped }()
	srv := server.New(cfg, db, store, log)
	defer srv.Close()
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return err
	}
	log.Info("portal listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL.String())
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Not ready from now on, and no connection kept alive, so the load
	// balancer moves every client to another instance; the requests that
	// still arrive meanwhile are answered.
	srv.Drain()
	hs.SetKeepAlivesEnabled(false)
	stopRunner()
	if cfg.ShutdownDrain > 0 {
		log.Info("stopping: not ready, still serving while the load balancer notices", "drain", cfg.ShutdownDrain)
		select {
		case <-time.After(cfg.ShutdownDrain):
		case err := <-errc:
			return err
		}
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
