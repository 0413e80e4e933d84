// Command thidua is the Thi Đua portal: the web server and its tools.
//
//	thidua serve                      run the portal (needs DATABASE_URL)
//	thidua dev                        embedded default: private PostgreSQL under ./.data, demo data, portal
//	thidua migrate up|down N|status   schema migrations
//	thidua user create …              create a user
//	thidua seed demo                  load demonstration data once
//	thidua import KIND FILE           import units, people or measures (CSV or XLSX)
//	thidua backup DIR                 back up the database and the store into DIR
//	thidua restore [--force] DIR      restore a backup into the database and the store
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Asia/Ho_Chi_Minh even on machines without a zoneinfo database

	"thidua/internal/config"
)

const usage = `Thi Đua — cổng quản lý thi đua, khen thưởng

Usage:
  thidua serve                       run the portal (DATABASE_URL required)
  thidua dev                         private PostgreSQL under ./.data, migrate, seed demo data, serve on 127.0.0.1:8080
  thidua migrate up                  apply pending migrations
  thidua migrate down N              revert N migrations (N=all reverts every one)
  thidua migrate status              show the schema version
  thidua user create --email E --name N --role R [--unit ID] [--password-stdin]
  thidua seed demo                   load demonstration data (once)
  thidua import units|people|measures|awards [--dry-run] FILE
                                     import a CSV or XLSX file (dry run: report every problem, write nothing)
  thidua backup DIR                  back up into a new directory: the database (pg_dump, taken first), then every
                                     stored file (SHA-256 checked) and a manifest; the portal may keep running
  thidua restore [--force] DIR       with the portal stopped: put the backup's files into the store (each checked),
                                     then restore the database in one transaction (refused unless the database is
                                     empty or --force is given), then check every evidence file is in the store

Configuration comes from environment variables:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "thidua:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		return nil
	}
	if args[0] == "dev" {
		return runDev(ctx, stdout, stderr)
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg, stderr)
	switch args[0] {
	case "serve":
		return runServe(ctx, cfg, log)
	case "migrate":
		return runMigrate(ctx, cfg, args[1:], stdout)
	case "user":
		return runUser(ctx, cfg, args[1:], stdin, stdout)
	case "seed":
		return runSeed(ctx, cfg, args[1:], stdout)
	case "import":
		return runImport(ctx, cfg, args[1:], stdout)
	case "backup":
		return runBackup(ctx, cfg, args[1:], stdout)
	case "restore":
		return runRestore(ctx, cfg, args[1:], stdout)
	}
	printUsage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, usage)
	for _, v := range config.Vars {
		fmt.Fprintf(w, "  %-22s %s (default %q)\n", v.Name, v.Help, v.Default)
	}
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

var errNoDatabase = errors.New("DATABASE_URL is not set (use `thidua dev` for a private local database)")
