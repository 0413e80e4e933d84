package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"thidua/internal/config"
	"thidua/internal/pgcluster"
	"thidua/internal/postgres"
	"thidua/internal/seed"
)

// runDev is the embedded default: with no DATABASE_URL it runs a private
// PostgreSQL cluster under ./.data/postgres (reused across runs), migrates,
// seeds the demo data once, prints the logins and serves on 127.0.0.1:8080.
func runDev(ctx context.Context, stdout, stderr io.Writer) error {
	getenv := func(name string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		// Plain HTTP on loopback: a Secure cookie would never come back.
		switch name {
		case "SESSION_SECURE":
			return "false"
		case "LOG_FORMAT":
			return "text"
		case "SHUTDOWN_DRAIN":
			return "0s" // one instance, no load balancer: Ctrl-C stops at once
		}
		return ""
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg, stderr)
	if cfg.DatabaseURL == "" {
		dir := filepath.Join(".data", "postgres")
		fmt.Fprintf(stdout, "Starting the private PostgreSQL cluster in %s …\n", dir)
		cluster, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir})
		if err != nil {
			return err
		}
		defer func() {
			fmt.Fprintln(stdout, "Stopping the private PostgreSQL cluster …")
			if err := cluster.Stop(); err != nil {
				log.Error("stopping PostgreSQL", "err", err)
			}
		}()
		cfg.DatabaseURL = cluster.URL()
	}
	if err := postgres.MigrateUp(cfg.DatabaseURL); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	logins, seeded, err := seed.Demo(ctx, db, seed.WithEvidence(store))
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if seeded {
		fmt.Fprintln(stdout, "Demo data loaded.")
	} else {
		fmt.Fprintln(stdout, "Reusing the existing data.")
	}
	return serve(ctx, cfg, db, log, func(addr string) {
		fmt.Fprintf(stdout, "\nThi Đua is running at %s (listening on %s)\n\nDemo logins (password %s):\n", cfg.BaseURL, addr, seed.DemoPassword)
		for _, l := range logins {
			fmt.Fprintf(stdout, "  %-30s %-12s %s%s\n", l.Email, l.Role, l.Name, unitSuffix(l.Unit))
		}
		fmt.Fprintln(stdout, "\nPress Ctrl-C to stop.")
	})
}

func unitSuffix(unit string) string {
	if unit == "" {
		return ""
	}
	return " — " + unit
}
