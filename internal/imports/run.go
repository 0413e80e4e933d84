package imports

import (
	"context"
	"errors"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/postgres"
	"thidua/internal/tabular"
)

// Kinds are the imports there are, by the name of their page.
var Kinds = []string{"units", "people", "measures", "awards"}

// Run dry-runs or imports a file of the kind: the code the CLI and the
// queue's import jobs share. jobKey names the web import job ("" from the
// command line).
func Run(ctx context.Context, db *postgres.DB, kind string, r tabular.Reader, dryRun bool, progress func(int), jobKey string) (*domain.ImportReport, error) {
	switch kind {
	case "units":
		return Units(ctx, db, r, dryRun, progress)
	case "people":
		return People(ctx, db, r, dryRun, progress)
	case "measures":
		return External(ctx, db, r, dryRun, progress, jobKey)
	case "awards":
		return Awards(ctx, db, r, dryRun, progress, jobKey)
	}
	return nil, errors.New("imports: unknown kind " + kind)
}

// FailureMessage is what the import page says, in Vietnamese, of a file
// the import refused or could not read (err is not the server's fault).
func FailureMessage(err error) string {
	var de *domain.Error
	switch {
	case errors.Is(err, tabular.ErrEmpty):
		return i18n.Translate(i18n.Vietnamese, "import.empty")
	case errors.Is(err, tabular.ErrEncoding):
		return i18n.Translate(i18n.Vietnamese, "import.file.not_utf8")
	case errors.Is(err, tabular.ErrUnpackTooLarge):
		return i18n.Translate(i18n.Vietnamese, "import.unpack_too_large")
	case errors.As(err, &de):
		return i18n.Translate(i18n.Vietnamese, de.Message, de.Args...)
	}
	return i18n.Translate(i18n.Vietnamese, "import.unreadable")
}
