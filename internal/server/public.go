package server

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/internal/storage"
	"thidua/web"
)

// publicCampaigns lists the campaigns citizens may read.
func (s *Server) publicCampaigns(r *http.Request) ([]web.PublicCampaignItem, error) {
	rows, err := s.db.ListCampaigns(r.Context(), postgres.CampaignFilter{Public: true}, s.today())
	if err != nil {
		return nil, err
	}
	published, err := s.db.PublishedCampaigns(r.Context())
	if err != nil {
		return nil, err
	}
	var items []web.PublicCampaignItem
	today := s.today()
	notices, err := s.noticeLinks(r, 0, true)
	if err != nil {
		return nil, err
	}
	for _, c := range rows {
		it := web.PublicCampaignItem{ID: c.ID, Title: c.Title, Plan: c.PlanNumber, Issuer: c.IssuerName,
			Period: period(c.PeriodStart, c.PeriodEnd), StatusKey: statusKey(c.Status), Status: string(c.Status),
			Finished: c.Status == domain.StatusClosed}
		if published[c.ID] {
			it.ResultsHref = paths.PublicResults(c.ID)
		}
		it.Notices = notices[c.ID]
		if c.Status == domain.StatusAnnounced && c.PeriodEnd.Before(today) {
			// Still announced a year after its period: staff have not closed
			// it, but a citizen must not read it as under way.
			it.Finished, it.StatusKey = true, "campaign.status.period_over"
		}
		items = append(items, it)
	}
	return items, nil
}

// publicCampaign shows an announced campaign as a citizen reads it.
// A visitor gets the page kept since it was last rendered, while the
// campaign's public revision is the one read with the campaign.
func (s *Server) publicCampaign(w http.ResponseWriter, r *http.Request) error {
	acc := accessOf(r)
	c := acc.Campaign
	return s.renderPublic(w, r, c.ID, acc.PublicRevision, func() (templ.Component, error) {
		// Read after the revision: a change made meanwhile is in the page
		// and moves the revision, so the page is rendered again next time,
		// never kept older than its revision says.
		d, err := s.db.CampaignDetails(r.Context(), c.ID, true)
		if err != nil {
			return nil, err
		}
		v, err := s.campaignView(r.Context(), c, d, true)
		if err != nil {
			return nil, err
		}
		resultsHref := ""
		if d.ResultsPublished {
			resultsHref = paths.PublicResults(c.ID)
		}
		v.Notices = s.noticeLinksOf(r, d.Notices, false)[c.ID]
		return web.PublicCampaign(s.chrome(r, c.Title), v, resultsHref), nil
	})
}

// uploadAttachment stores a PDF (the signed plan) on a campaign: streamed
// into the content-addressed store, checked by content, recorded once safe.
func (s *Server) uploadAttachment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	if c.Status != domain.StatusDraft && c.Status != domain.StatusAnnounced {
		return domain.Errorf(domain.ECONFLICT, "campaign.not_editable")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return domain.Errorf(domain.EINVALID, "import.upload.bad")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return domain.Errorf(domain.EINVALID, "import.upload.missing")
		}
		if err != nil {
			return uploadError(err)
		}
		if part.FormName() != "file" {
			continue
		}
		name := cleanFileName(part.FileName())
		// The type is decided by content, never by the name: a PDF starts
		// with %PDF-.
		head := make([]byte, 5)
		n, _ := io.ReadFull(part, head)
		if n < 5 || !bytes.Equal(head, []byte("%PDF-")) {
			return domain.Errorf(domain.EUNSUPPORTED, "attachment.not_pdf")
		}
		sum, size, err := s.store.Put(ctx, io.MultiReader(bytes.NewReader(head), part), s.cfg.MaxUploadBytes, nil)
		if errors.Is(err, storage.ErrTooLarge) {
			return domain.Errorf(domain.ETOOLARGE, "error.too_large")
		}
		if err != nil {
			return uploadError(err)
		}
		if !strings.HasSuffix(strings.ToLower(name), ".pdf") {
			name += ".pdf"
		}
		if err := s.db.AddAttachment(ctx, postgres.Attachment{Key: newIdempotencyKey() + newIdempotencyKey()[:8], CampaignID: c.ID,
			FileName: name, SHA256: sum, Size: size, ContentType: "application/pdf"}); err != nil {
			return err
		}
		s.flash(ctx, "campaigns.flash.attached")
		http.Redirect(w, r, paths.Campaign(c.ID)+paths.Fragment("attachments"), http.StatusSeeOther)
		return nil
	}
}

// downloadAttachment serves a campaign's file: to staff, and to everyone
// once the campaign is public (its route's policy decides). Downloads never
// render in the portal's origin.
func (s *Server) downloadAttachment(public bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c := campaignOf(r)
		a, err := s.db.AttachmentByKey(r.Context(), chi.URLParam(r, "key"))
		if err != nil {
			return err
		}
		if a.CampaignID != c.ID {
			return domain.Errorf(domain.ENOTFOUND, "attachment.not_found")
		}
		f, err := s.store.Open(r.Context(), a.SHA256)
		if err != nil {
			return err
		}
		defer f.Close()
		attachment(w, a.ContentType, a.FileName)
		w.Header().Set("Content-Security-Policy", "sandbox")
		if public {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		http.ServeContent(w, r, "", a.CreatedAt, f)
		return nil
	}
}
