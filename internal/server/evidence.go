package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/internal/storage"
	"thidua/web"
)

// evidenceTarget loads the form and the leaf of an evidence route, for the
// unit's own focal point only.
func (s *Server) evidenceTarget(r *http.Request) (*domain.Campaign, *domain.Assessment, domain.Criterion, error) {
	c, a, err := s.editableAssessment(r)
	if err != nil {
		return nil, nil, domain.Criterion{}, err
	}
	id, _ := strconv.ParseInt(chi.URLParam(r, "criterionID"), 10, 64)
	nodes, err := s.db.FormCriteria(r.Context(), a)
	if err != nil {
		return nil, nil, domain.Criterion{}, err
	}
	for _, n := range domain.Leaves(nodes) {
		if n.ID == id {
			return c, a, n, nil
		}
	}
	return nil, nil, domain.Criterion{}, domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
}

// evidencePage shows a criterion's evidence with the upload and reuse forms.
func (s *Server) evidencePage(w http.ResponseWriter, r *http.Request) error {
	c, a, n, err := s.evidenceTarget(r)
	if err != nil {
		return err
	}
	return s.renderEvidence(w, r, http.StatusOK, c, a, n, web.Problems{}, "")
}

// renderEvidence shows the evidence page, with the problems of a refused
// change and the reference typed, when there are. The upload, reuse and remove
// forms are offered only when the form takes evidence for the criterion
// now; otherwise the page says why.
func (s *Server) renderEvidence(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, a *domain.Assessment, n domain.Criterion, problems web.Problems, reference string) error {
	ctx := r.Context()
	v := web.EvidencePageView{CampaignID: c.ID, AssessmentID: a.ID, CriterionID: n.ID, Code: n.Code, Title: n.Title,
		MaxMB: s.cfg.MaxUploadBytes >> 20, Problems: problems, Reference: reference}
	if a.Status == domain.AssessAppraised || a.Status == domain.AssessLocked {
		v.ReplyHref = paths.AssessmentAction(c.ID, a.ID, "reply")
	}
	if err := s.db.CheckAttachable(ctx, a.ID, n.ID); domain.ErrorCode(err) == domain.ECONFLICT {
		key, args := domain.ErrorMessage(err)
		v.Locked = i18n.T(ctx, key, args...)
	} else if err != nil {
		return err
	}
	attached, err := s.db.AssessmentEvidence(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, e := range attached {
		if e.CriterionID == n.ID {
			v.Attached = append(v.Attached, web.EvidenceItem{Key: e.Key, Name: domain.EvidenceFileName(e.FileName, e.ContentType), Size: humanSize(e.Size),
				Reference: e.Reference, Href: paths.EvidenceFile(e.Key), DuringReply: e.DuringReply})
		}
	}
	library, err := s.db.UnitEvidence(ctx, a.UnitID)
	if err != nil {
		return err
	}
	for _, f := range library {
		v.Library = append(v.Library, web.Option{Value: f.Key, Label: domain.EvidenceFileName(f.FileName, f.ContentType) + " (" + humanSize(f.Size) + ", " + i18n.DateTime(f.CreatedAt) + ")"})
	}
	s.render(w, r, status, web.EvidencePage(s.chrome(r, i18n.T(ctx, "assessment.evidence.title", n.Code)), v))
	return nil
}

// uploadEvidence streams a file into the store (hashing it on the way,
// checking its type by content), then records it against the criterion.
// The heap stays small whatever the size: nothing is held whole. A refused
// file comes back to the evidence page with the reason and the reference
// typed; nothing of it is kept.
func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, a, n, err := s.evidenceTarget(r)
	if err != nil {
		return err
	}
	// Refuse before reading the file when the form takes no evidence now
	// (submitted, closed, criterion not reopened).
	if err := s.db.CheckAttachable(ctx, a.ID, n.ID); err != nil {
		return s.evidenceDone(w, r, c, a, n, err, "")
	}
	// The form's fields come before the file, and are small.
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return domain.Errorf(domain.EINVALID, "import.upload.bad")
	}
	reference := ""
	// refuseFile shows the page again with the problem of a field of the
	// upload form ("" for the form as a whole) and the reference typed.
	refuseFile := func(status int, field, key string, args ...any) error {
		var p web.Problems
		fieldProblem(ctx, &p, field, key, args...)
		return s.renderEvidence(w, r, status, c, a, n, p, reference)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return refuseFile(http.StatusUnprocessableEntity, "file", "import.upload.missing")
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return refuseFile(http.StatusRequestEntityTooLarge, "file", "assessment.evidence.too_large", uploadLimit(s.cfg.MaxUploadBytes))
		}
		if err != nil {
			return uploadError(err)
		}
		switch part.FormName() {
		case "reference":
			b, _ := io.ReadAll(io.LimitReader(part, 4096))
			if !domain.ValidText(string(b)) {
				return refuseFile(http.StatusUnprocessableEntity, "reference", "error.bad_text")
			}
			reference = string(b)
			if _, err := domain.EvidenceReference(reference); err != nil {
				return refuseFile(http.StatusUnprocessableEntity, "reference", "field.too_long")
			}
			continue
		case "file":
		default:
			continue
		}
		typed := part.FileName()
		var contentType string
		sum, size, err := s.store.Put(ctx, part, s.cfg.MaxUploadBytes, func(f io.ReaderAt, size int64) error {
			var err error
			contentType, err = storage.SniffEvidence(f, size)
			return err
		})
		switch {
		case errors.Is(err, storage.ErrTooLarge), errors.As(err, &tooLarge):
			return refuseFile(http.StatusRequestEntityTooLarge, "file", "assessment.evidence.too_large", uploadLimit(s.cfg.MaxUploadBytes))
		case errors.Is(err, storage.ErrEmpty) && typed == "":
			return refuseFile(http.StatusUnprocessableEntity, "file", "import.upload.missing") // no file chosen
		case errors.Is(err, storage.ErrEmpty):
			return refuseFile(http.StatusUnprocessableEntity, "file", "assessment.evidence.empty", cleanFileName(typed))
		case errors.Is(err, storage.ErrUnsupported):
			return refuseFile(http.StatusUnsupportedMediaType, "file", "assessment.evidence.unsupported")
		case errors.Is(err, storage.ErrNoSpace):
			var full *storage.Error
			errors.As(err, &full)
			s.log.Error("evidence store out of space", "request_id", requestID(ctx), "store", full.Dir, "op", full.Op, "err", err)
			return refuseFile(http.StatusInsufficientStorage, "", "error.no_space")
		case err != nil:
			var storeErr *storage.Error
			if errors.As(err, &storeErr) {
				return err // the server's failure: logged and answered 500
			}
			return uploadError(err)
		}
		key := newIdempotencyKey() + newIdempotencyKey()[:16]
		err = s.db.AddEvidence(ctx, a.ID, n.ID, postgres.EvidenceFile{Key: key, SHA256: sum, Size: size, ContentType: contentType,
			FileName: domain.EvidenceFileName(typed, contentType)}, reference)
		return s.evidenceDone(w, r, c, a, n, err, "assessment.evidence.flash.added")
	}
}

// evidenceDone finishes a change to a criterion's evidence: a conflict (the
// form no longer takes evidence) is shown on the evidence page, success
// goes back to it with flashKey.
func (s *Server) evidenceDone(w http.ResponseWriter, r *http.Request, c *domain.Campaign, a *domain.Assessment, n domain.Criterion, err error, flashKey string) error {
	ctx := r.Context()
	if domain.ErrorCode(err) == domain.ECONFLICT {
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			return s.renderEvidence(w, r, status, c, a, n, p, "")
		})
	}
	if err != nil {
		return err
	}
	s.flash(ctx, flashKey)
	http.Redirect(w, r, paths.Evidence(c.ID, a.ID, n.ID), http.StatusSeeOther)
	return nil
}

// reuseEvidence attaches a file of the unit's library to this criterion.
func (s *Server) reuseEvidence(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, a, n, err := s.evidenceTarget(r)
	if err != nil {
		return err
	}
	return s.evidenceDone(w, r, c, a, n, s.db.ReuseEvidence(ctx, a.ID, n.ID, r.PostFormValue("key"), r.PostFormValue("reference")), "assessment.evidence.flash.added")
}

// removeEvidence detaches a file from this criterion.
func (s *Server) removeEvidence(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, a, n, err := s.evidenceTarget(r)
	if err != nil {
		return err
	}
	return s.evidenceDone(w, r, c, a, n, s.db.RemoveEvidence(ctx, a.ID, n.ID, r.PostFormValue("key")), "assessment.evidence.flash.removed")
}

// downloadEvidence serves an evidence file to staff and to its unit's focal
// point, as an attachment that never renders in the portal's origin.
func (s *Server) downloadEvidence(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := s.db.EvidenceByKey(ctx, chi.URLParam(r, "key"))
	if err != nil {
		return err
	}
	if u := userFrom(ctx); !domain.CanSeeUnitWork(u, f.UnitID) {
		// An appraiser reads the evidence of the forms assigned to them.
		sees, err := s.db.AppraiserSeesEvidence(ctx, f.Key, u.ID)
		if err != nil {
			return err
		}
		if !sees {
			return domain.Errorf(domain.ENOTFOUND, "evidence.not_found")
		}
	}
	rc, err := s.store.Open(ctx, f.SHA256)
	if err != nil {
		return err
	}
	defer rc.Close()
	// Names stored before the naming rule are cleaned on the way out too.
	name := domain.EvidenceFileName(f.FileName, f.ContentType)
	if inlineEvidence(f.ContentType) {
		// PDFs and images open in the browser's own viewer (the appraisal
		// form opens them in a new tab); a PDF viewer does not run in a
		// sandboxed document, so it gets no script or plugin rights
		// beyond the viewer's own instead.
		inline(w, f.ContentType, name)
		if f.ContentType == "application/pdf" {
			w.Header().Set("Content-Security-Policy", "default-src 'none'; object-src 'self'")
		} else {
			w.Header().Set("Content-Security-Policy", "sandbox")
		}
	} else {
		attachment(w, f.ContentType, name)
		w.Header().Set("Content-Security-Policy", "sandbox")
	}
	http.ServeContent(w, r, "", f.CreatedAt, rc)
	return nil
}
