package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"thidua/internal/config"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/imports"
	"thidua/internal/postgres"
	"thidua/internal/tabular"
)

// errProblems makes the command fail when the file has problems.
var errProblems = errors.New("the file has problems: nothing was imported")

// runImport is `thidua import units|people|measures|awards [--dry-run] FILE`: the
// same code as the web import.
func runImport(ctx context.Context, cfg *config.Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "units" && args[0] != "people" && args[0] != "measures" && args[0] != "awards") {
		return errors.New("usage: thidua import units|people|measures|awards [--dry-run] FILE (CSV or XLSX)")
	}
	kind := args[0]
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "check the file and report every problem without writing anything")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: thidua import units|people|measures|awards [--dry-run] FILE (CSV or XLSX)")
	}
	if cfg.DatabaseURL == "" {
		return errNoDatabase
	}
	r, err := tabular.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer r.Close()
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	report, err := imports.Run(ctx, db, kind, r, *dryRun, nil, "")
	if err != nil {
		return err
	}
	printReport(stdout, report)
	if !report.OK() {
		return errProblems
	}
	return nil
}

func printReport(w io.Writer, r *domain.ImportReport) {
	tr := func(key string, args ...any) string { return i18n.Translate(i18n.Vietnamese, key, args...) }
	for _, p := range r.Problems {
		fmt.Fprintf(w, "%s\n", problemLine(tr, p))
	}
	if r.Truncated {
		fmt.Fprintln(w, tr("import.truncated", domain.MaxImportProblems))
	}
	for _, p := range r.Notices {
		fmt.Fprintf(w, "note: %s\n", problemLine(tr, p))
	}
	mode := "import"
	if r.DryRun {
		mode = "dry run"
	}
	fmt.Fprintf(w, "%s: %d rows, %d problems; %d new, %d changed, %d unchanged\n",
		mode, r.Rows, len(r.Problems), r.Inserted, r.Updated, r.Unchanged)
}

func problemLine(tr func(string, ...any) string, p domain.ImportProblem) string {
	var b strings.Builder
	b.WriteString(tr("import.at_line", p.Line))
	if p.Column != "" {
		b.WriteString(", " + tr("import.at_column", p.Column))
	}
	b.WriteString(": " + tr(p.Message, p.Args...))
	return b.String()
}
