package server

import (
	"errors"
	"io"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/imports"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/internal/storage"
	"thidua/web"
)

// importLayouts are the column layouts of the imports.
var importLayouts = map[string][]imports.Column{"units": imports.UnitColumns, "people": imports.PersonColumns,
	"measures": imports.MeasureColumns}

// renderImportForm shows the upload page of an import; problem, when set,
// is the catalogue key of what was wrong with the file sent.
func (s *Server) renderImportForm(w http.ResponseWriter, r *http.Request, status int, kind, problem string) {
	v := web.ImportFormView{Kind: kind, TitleKey: kind + ".import", MaxMB: s.cfg.MaxImportBytes >> 20}
	if problem != "" {
		fieldProblem(r.Context(), &v.Problems, "file", problem)
	}
	for _, c := range importLayouts[kind] {
		v.Columns = append(v.Columns, web.ImportColumn{Name: c.Name, Required: c.Required, Help: c.Help})
	}
	s.render(w, r, status, web.ImportForm(s.chrome(r, i18n.T(r.Context(), v.TitleKey)), v))
}

// importForm shows the upload page of an import.
func (s *Server) importForm(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		s.renderImportForm(w, r, http.StatusOK, kind, "")
		return nil
	}
}

// errEmptyUpload refuses an empty import file before it is stored.
var errEmptyUpload = errors.New("empty import file")

// uploadImport streams the uploaded file into the store (never whole in
// memory), records the job and queues its dry run in one transaction: any
// instance of the portal may run it (internal/jobs).
func (s *Server) uploadImport(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxImportBytes)
		mr, err := r.MultipartReader()
		if err != nil {
			s.renderImportForm(w, r, http.StatusBadRequest, kind, "import.upload.bad")
			return nil
		}
		var sum, name string
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return uploadError(err)
			}
			if part.FormName() != "file" || sum != "" {
				_, _ = io.Copy(io.Discard, part)
				continue
			}
			name = cleanFileName(part.FileName())
			sum, _, err = s.store.Put(ctx, part, s.cfg.MaxImportBytes, func(_ io.ReaderAt, size int64) error {
				if size == 0 {
					return errEmptyUpload
				}
				return nil
			})
			var tooLarge *http.MaxBytesError
			var storeErr *storage.Error
			switch {
			case errors.Is(err, errEmptyUpload):
				s.renderImportForm(w, r, http.StatusUnprocessableEntity, kind, "import.upload.missing")
				return nil
			case errors.Is(err, storage.ErrTooLarge), errors.As(err, &tooLarge):
				return domain.Errorf(domain.ETOOLARGE, "error.too_large")
			case errors.Is(err, storage.ErrNoSpace):
				errors.As(err, &storeErr)
				s.log.Error("import store out of space", "request_id", requestID(ctx), "store", storeErr.Dir, "op", storeErr.Op, "err", err)
				s.renderImportForm(w, r, http.StatusInsufficientStorage, kind, "error.no_space")
				return nil
			case errors.As(err, &storeErr):
				return err // the server's failure: logged and answered 500
			case err != nil:
				return uploadError(err)
			}
		}
		if sum == "" {
			s.renderImportForm(w, r, http.StatusUnprocessableEntity, kind, "import.upload.missing")
			return nil
		}
		// A failure from here leaves the stored file to the clean-up job,
		// which removes it a day later unless something refers to it.
		key := newIdempotencyKey()
		if _, err := s.db.CreateImportJob(ctx, key, kind, name, sum); err != nil {
			return err
		}
		http.Redirect(w, r, paths.Import(key), http.StatusSeeOther)
		return nil
	}
}

// saveUpload writes a part to a new file of the import directory, synced:
// a file read during the request (a criteria tree), removed after it.
func (s *Server) saveUpload(src io.Reader) (string, error) {
	if err := os.MkdirAll(s.cfg.ImportDir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(s.cfg.ImportDir, "import-*.upload")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, src)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return f.Name(), err
}

// importJob shows a job's progress or report.
func (s *Server) importJob(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	job, err := s.db.ImportJobByKey(ctx, chi.URLParam(r, "key"))
	if err != nil {
		return err
	}
	if job.Stranded { // its last attempt died with its instance
		job.Status, job.Error = "failed", i18n.T(ctx, "import_job.failed.attempts", postgres.ImportMaxAttempts)
	}
	v := web.ImportJobView{Key: job.Key, Kind: job.Kind, FileName: job.FileName, StatusKey: "import.status." + job.Status,
		Running: job.Running(), RowsDone: job.RowsDone, Failed: job.Error, Done: job.Status == "done"}
	if job.Attempt > 1 {
		v.Attempt = i18n.T(ctx, "import_job.attempt", job.Attempt, job.MaxAttempts)
	}
	if rep := job.Report; rep != nil {
		v.HasReport, v.DryRun, v.Rows, v.Inserted, v.Updated, v.Unchanged, v.Truncated = true, rep.DryRun, rep.Rows, rep.Inserted, rep.Updated, rep.Unchanged, rep.Truncated
		for _, p := range rep.Problems {
			v.Problems = append(v.Problems, web.ImportProblemRow{Line: p.Line, Column: p.Column, Message: i18n.T(ctx, p.Message, p.Args...)})
		}
		for _, p := range rep.Notices {
			v.Notices = append(v.Notices, web.ImportProblemRow{Line: p.Line, Column: p.Column, Message: i18n.T(ctx, p.Message, p.Args...)})
		}
		v.CanRun = job.Status == "checked" && rep.OK()
	}
	c := s.chrome(r, i18n.T(ctx, "import.job.title", job.FileName))
	if v.Running {
		c.Refresh = 2
	}
	s.render(w, r, http.StatusOK, web.ImportJob(c, v))
	return nil
}

// runImport queues the import of a checked job; a second click finds the
// job already importing and only shows it.
func (s *Server) runImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	job, err := s.db.ImportJobByKey(ctx, chi.URLParam(r, "key"))
	if err != nil {
		return err
	}
	if _, err := s.db.StartImportRun(ctx, job); err != nil {
		return err
	}
	http.Redirect(w, r, paths.Import(job.Key), http.StatusSeeOther)
	return nil
}
