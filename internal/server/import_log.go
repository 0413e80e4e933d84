package server

import (
	"context"
	"errors"
	"io/fs"

	"github.com/jackc/pgx/v5/pgconn"

	"thidua/internal/domain"
)

// logImportFailure logs a failed import job at the level of whose fault it
// is: a file the portal cannot read or refuses (empty, not CSV or XLSX,
// broken quoting, a refused value) is the user's mistake and is logged as
// information; a database or file-system failure is the server's and is
// logged as an error; a job stopped by shutdown is information too.
func (s *Server) logImportFailure(key string, err error) {
	var de *domain.Error
	var pgErr *pgconn.PgError
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, context.Canceled):
		s.log.Info("import: stopped", "key", key, "err", err)
	case errors.As(err, &de) && de.Code != domain.EINTERNAL:
		s.log.Info("import: file refused", "key", key, "err", err)
	case databaseDown(err) || errors.As(err, &pgErr) || errors.As(err, &pathErr):
		s.log.Error("import failed", "key", key, "err", err)
	default:
		s.log.Info("import: file refused", "key", key, "err", err)
	}
}
