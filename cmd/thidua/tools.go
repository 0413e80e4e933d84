package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"thidua/internal/config"
	"thidua/internal/domain"
	"thidua/internal/password"
	"thidua/internal/postgres"
	"thidua/internal/seed"
)

func runMigrate(ctx context.Context, cfg *config.Config, args []string, stdout io.Writer) error {
	if cfg.DatabaseURL == "" {
		return errNoDatabase
	}
	if len(args) == 0 {
		return errors.New("usage: thidua migrate up | down N | status")
	}
	switch args[0] {
	case "up":
		if err := postgres.MigrateUp(cfg.DatabaseURL); err != nil {
			return err
		}
	case "down":
		if len(args) != 2 {
			return errors.New("usage: thidua migrate down N (a number, or all)")
		}
		n := 0
		if args[1] != "all" {
			var err error
			if n, err = strconv.Atoi(args[1]); err != nil || n <= 0 {
				return errors.New("migrate down: N must be a positive number or all")
			}
		}
		if err := postgres.MigrateDown(cfg.DatabaseURL, n); err != nil {
			return err
		}
	case "status":
	default:
		return fmt.Errorf("unknown migrate command %q", args[0])
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema version %d of %d, dirty=%v, current=%v\n", st.Version, st.Latest, st.Dirty, st.Current())
	return nil
}

func runUser(ctx context.Context, cfg *config.Config, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: thidua user create --email E --name N --role R [--unit ID] [--password-stdin]")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "e-mail address (the login)")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "admin, staff, focal_point or leader")
	unit := fs.Int64("unit", 0, "unit ID (required for focal_point)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if cfg.DatabaseURL == "" {
		return errNoDatabase
	}
	n := domain.NewUser{Email: *email, FullName: *name, Role: domain.Role(*role)}
	if *unit != 0 {
		n.UnitID = unit
	}
	n.Normalize()
	var ve *domain.ValidationError
	if errors.As(n.Validate(), &ve) {
		var msgs []string
		for field, key := range ve.Fields {
			msgs = append(msgs, field+": "+key)
		}
		return fmt.Errorf("invalid user: %s", strings.Join(msgs, "; "))
	}
	pw := password.Generate(16)
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		pw = domain.NormalizePassword(strings.TrimRight(line, "\r\n"))
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if *fromStdin {
		own := []string{n.Email, n.FullName}
		if n.UnitID != nil {
			if u, err := db.UnitByID(ctx, *n.UnitID); err == nil {
				own = append(own, u.Name, u.ShortName)
			}
		}
		if key := domain.ValidatePassword(pw, own...); key != "" {
			return fmt.Errorf("password refused: %s", key)
		}
	}
	hash, err := password.Hash(pw, password.Default)
	if err != nil {
		return err
	}
	u, _, err := db.CreateUser(ctx, n, hash, "")
	if errors.As(err, &ve) {
		return fmt.Errorf("invalid user: %v", ve.Fields)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %d <%s> (%s)\n", u.ID, u.Email, u.Role)
	if !*fromStdin {
		fmt.Fprintf(stdout, "password (shown once): %s\n", pw)
	}
	return nil
}

func runSeed(ctx context.Context, cfg *config.Config, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "demo" {
		return errors.New("usage: thidua seed demo")
	}
	if cfg.DatabaseURL == "" {
		return errNoDatabase
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
		return err
	}
	if !seeded {
		fmt.Fprintln(stdout, "demo data already present")
	}
	fmt.Fprintf(stdout, "demo logins (password %s):\n", seed.DemoPassword)
	for _, l := range logins {
		fmt.Fprintf(stdout, "  %-30s %s\n", l.Email, l.Role)
	}
	return nil
}
