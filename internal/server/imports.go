package server

import (
	"context"
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
	"thidua/internal/tabular"
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

// uploadImport streams the uploaded file to disk (never whole in memory),
// records the job and starts its dry run in the background.
func (s *Server) uploadImport(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxImportBytes)
		mr, err := r.MultipartReader()
		if err != nil {
			s.renderImportForm(w, r, http.StatusBadRequest, kind, "import.upload.bad")
			return nil
		}
		var path, name string
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				removeIfSet(path)
				return uploadError(err)
			}
			if part.FormName() != "file" || path != "" {
				_, _ = io.Copy(io.Discard, part)
				continue
			}
			name = cleanFileName(part.FileName())
			if path, err = s.saveUpload(part); err != nil {
				removeIfSet(path)
				return uploadError(err)
			}
		}
		if path == "" {
			s.renderImportForm(w, r, http.StatusUnprocessableEntity, kind, "import.upload.missing")
			return nil
		}
		if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
			_ = os.Remove(path)
			s.renderImportForm(w, r, http.StatusUnprocessableEntity, kind, "import.upload.missing")
			return nil
		}
		key := newIdempotencyKey()
		if _, err := s.db.CreateImportJob(ctx, key, kind, name, path); err != nil {
			_ = os.Remove(path)
			return err
		}
		s.startImport(ctx, key, kind, path, true)
		http.Redirect(w, r, paths.Import(key), http.StatusSeeOther)
		return nil
	}
}

// saveUpload writes a part to a new file of the import directory, synced.
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

// startImport runs a dry run or an import in the background, recording its
// progress and report on the job. The import is one transaction: a portal
// stopped half-way writes nothing, and the job is marked failed at start-up.
func (s *Server) startImport(reqCtx context.Context, key, kind, path string, dryRun bool) {
	actor := domain.ActorFrom(reqCtx)
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		ctx := domain.WithActor(s.bg, actor)
		fail := func(err error) {
			s.logImportFailure(key, err)
			msg := i18n.Translate(i18n.Vietnamese, "error.internal")
			if errors.Is(err, tabular.ErrEmpty) {
				msg = i18n.Translate(i18n.Vietnamese, "import.empty")
			} else if errors.Is(err, tabular.ErrEncoding) {
				msg = i18n.Translate(i18n.Vietnamese, "import.file.not_utf8")
			} else if errors.Is(err, tabular.ErrUnpackTooLarge) {
				msg = i18n.Translate(i18n.Vietnamese, "import.unpack_too_large")
			} else if de := (*domain.Error)(nil); errors.As(err, &de) {
				msg = i18n.Translate(i18n.Vietnamese, de.Message, de.Args...)
			} else if !errors.Is(err, context.Canceled) {
				msg = i18n.Translate(i18n.Vietnamese, "import.unreadable")
			}
			_ = s.db.FinishImportJob(context.WithoutCancel(ctx), key, "failed", nil, msg)
			_ = os.Remove(path) // a failed job keeps no personal data on disk
		}
		r, err := tabular.Open(path)
		if err != nil {
			fail(err)
			return
		}
		defer r.Close()
		progress := func(n int) { _ = s.db.ImportProgress(ctx, key, n) }
		run := imports.Units
		switch kind {
		case "people":
			run = imports.People
		case "measures":
			run = func(ctx context.Context, db *postgres.DB, r tabular.Reader, dryRun bool, progress func(int)) (*domain.ImportReport, error) {
				return imports.External(ctx, db, r, dryRun, progress, key)
			}
		case "awards":
			run = func(ctx context.Context, db *postgres.DB, r tabular.Reader, dryRun bool, progress func(int)) (*domain.ImportReport, error) {
				return imports.Awards(ctx, db, r, dryRun, progress, key)
			}
		}
		report, err := run(ctx, s.db, r, dryRun, progress)
		if err != nil {
			fail(err)
			return
		}
		status := "checked"
		if !dryRun {
			status = "done"
			_ = os.Remove(path)
		}
		if err := s.db.FinishImportJob(ctx, key, status, report, ""); err != nil {
			s.log.Error("import: recording the report", "key", key, "err", err)
		}
	}()
}

// importJob shows a job's progress or report.
func (s *Server) importJob(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	job, err := s.db.ImportJobByKey(ctx, chi.URLParam(r, "key"))
	if err != nil {
		return err
	}
	v := web.ImportJobView{Key: job.Key, Kind: job.Kind, FileName: job.FileName, StatusKey: "import.status." + job.Status,
		Running: job.Status == "checking" || job.Status == "importing", RowsDone: job.RowsDone, Failed: job.Error,
		Done: job.Status == "done"}
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

// runImport starts the import of a checked job; a second click finds the
// job already running and only shows it.
func (s *Server) runImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	job, err := s.db.ImportJobByKey(ctx, chi.URLParam(r, "key"))
	if err != nil {
		return err
	}
	started, err := s.db.StartImportRun(ctx, job)
	if err != nil {
		return err
	}
	if started {
		s.startImport(ctx, job.Key, job.Kind, job.FilePath, false)
	}
	http.Redirect(w, r, paths.Import(job.Key), http.StatusSeeOther)
	return nil
}
