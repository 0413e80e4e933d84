package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// The public notice as anyone reads it, and the objection form: the one
// page of the portal open to anyone for writing. It needs no sign-in and no
// JavaScript; what is sent is checked for length and bad bytes, shown
// escaped, limited per address and notice (the 6th within the window gets
// 429), and never lost: each objection gets a receipt number, a form sent
// twice gets the first one's, and a refused form comes back as typed.

// publicNoticeOf loads a notice anyone may read: one of a public campaign.
func (s *Server) publicNoticeOf(r *http.Request) (*postgres.NoticeInfo, error) {
	id, err := pathID(r, "noticeID", "notice.not_found")
	if err != nil {
		return nil, err
	}
	n, err := s.db.NoticeByID(r.Context(), 0, id)
	if err != nil {
		return nil, err
	}
	if !n.CampaignStatus.Public() {
		return nil, domain.Errorf(domain.ENOTFOUND, "notice.not_found")
	}
	return n, nil
}

// objectionClientKey is the keyed hash of the sender's address the rate
// limit counts (an IPv6 address by its /64, as sign-in throttling does):
// the notice's own secret keys it, so no address is stored and no two
// notices' keys can be matched.
func (s *Server) objectionClientKey(r *http.Request, n *postgres.NoticeInfo) string {
	mac := hmac.New(sha256.New, []byte(n.ClientSalt()))
	mac.Write([]byte(domain.ThrottleAddr(s.clientAddr(r)).String()))
	return hex.EncodeToString(mac.Sum(nil))
}

// publicNoticeView builds the public page of a notice.
func (s *Server) publicNoticeView(r *http.Request, n *postgres.NoticeInfo) (web.PublicNoticeView, error) {
	ctx := r.Context()
	today := s.today()
	v := web.PublicNoticeView{ID: n.ID, CampaignTitle: n.CampaignTitle, CampaignHref: paths.PublicCampaign(n.CampaignID),
		PlanNumber: n.PlanNumber, Title: n.FormName + " · " + n.PhaseName + " · " + n.CampaignTitle, Period: noticePeriod(n.Notice),
		WorkingDays: n.WorkingDays, EndsOn: i18n.Day(n.EndsOn), StateKey: noticeStateKey(n.Notice, today), Open: n.Open(today),
		Form: web.ObjectionFormView{Action: paths.PublicObjections(n.ID), FormKey: newIdempotencyKey()}}
	entries, err := s.db.NoticeEntries(ctx, n.ShortlistID)
	if err != nil {
		return v, err
	}
	for _, e := range entries {
		// Only what may be published: no birth year, gender, contact or
		// rule outcomes.
		v.Entries = append(v.Entries, web.PublicNomineeView{ID: e.ID, Name: e.Name, Position: e.Position, Unit: e.UnitName,
			Form: e.FormName, Grounds: entryGrounds(ctx, e)})
	}
	return v, nil
}

// publicNotice shows a posted list with the objection form.
func (s *Server) publicNotice(w http.ResponseWriter, r *http.Request) error {
	n, err := s.publicNoticeOf(r)
	if err != nil {
		return err
	}
	v, err := s.publicNoticeView(r, n)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.PublicNotice(s.chrome(r, i18n.T(r.Context(), "notice.public.title")+" – "+n.FormName), v))
	return nil
}

// objectionFields are the objection form's controls, top to bottom.
var objectionFields = []string{"entry", "name", "contact", "body"}

// sendObjection stores an objection and shows its receipt; a refused one
// comes back with what was typed (422, 409 once the notice is over, 429
// past the limit).
func (s *Server) sendObjection(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	n, err := s.publicNoticeOf(r)
	if err != nil {
		return err
	}
	entryID, _ := strconv.ParseInt(r.PostFormValue("entry"), 10, 64)
	in := domain.ObjectionInput{EntryID: entryID, Name: r.PostFormValue("name"), Contact: r.PostFormValue("contact"), Body: r.PostFormValue("body")}
	formKey := r.PostFormValue("form_key")
	show := func(status int, p web.Problems) error {
		v, err := s.publicNoticeView(r, n)
		if err != nil {
			return err
		}
		v.Form.Entry, v.Form.Name, v.Form.Contact, v.Form.Body = r.PostFormValue("entry"), in.Name, in.Contact, in.Body
		if k := len(formKey); k >= 16 && k <= 64 {
			v.Form.FormKey = formKey
		}
		v.Form.Problems = p
		s.render(w, r, status, web.PublicNotice(s.chrome(r, i18n.T(ctx, "notice.public.title")+" – "+n.FormName), v))
		return nil
	}
	receipt, err := s.db.AddObjection(ctx, n.ID, in, s.objectionClientKey(r, n), formKey, s.today())
	if domain.ErrorCode(err) == domain.ETOOMANY {
		s.log.Warn("security: objection throttled", "request_id", requestID(ctx), "notice_id", n.ID, "client", s.clientAddr(r).String())
		w.Header().Set("Retry-After", strconv.Itoa(int(domain.ObjectionWindow/time.Second)))
		var p web.Problems
		key, args := domain.ErrorMessage(err)
		fieldProblem(ctx, &p, "form", key, args...)
		return show(http.StatusTooManyRequests, p)
	}
	if err != nil {
		return refuse(ctx, err, objectionFields, show)
	}
	v := web.ObjectionReceiptView{NoticeHref: paths.PublicNotice(n.ID), Title: n.FormName + " · " + n.PhaseName + " · " + n.CampaignTitle,
		Receipt: receipt.Receipt, At: i18n.DateTime(receipt.CreatedAt), EndsOn: i18n.Day(n.EndsOn), Again: receipt.Again}
	if !receipt.Again {
		// What was stored, as stored (cleaned), shown back escaped.
		in.Normalize()
		v.Body = in.Body
		entries, err := s.db.NoticeEntries(ctx, n.ShortlistID)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.ID == in.EntryID {
				v.Nominee = e.Name + " – " + e.UnitName
			}
		}
	}
	s.render(w, r, http.StatusOK, web.ObjectionReceipt(s.chrome(r, i18n.T(ctx, "objection.receipt.title")), v))
	return nil
}

// noticeLinks are the public notices of the public campaigns (campaignID
// 0: all) by campaign, newest first; openOnly keeps those posted today.
func (s *Server) noticeLinks(r *http.Request, campaignID int64, openOnly bool) (map[int64][]web.NoticeLink, error) {
	notices, err := s.db.PublishedNotices(r.Context(), campaignID)
	if err != nil {
		return nil, err
	}
	return s.noticeLinksOf(r, notices, openOnly), nil
}

// noticeLinksOf makes the links of notices by campaign (only those still
// open when openOnly).
func (s *Server) noticeLinksOf(r *http.Request, notices []postgres.NoticeInfo, openOnly bool) map[int64][]web.NoticeLink {
	ctx := r.Context()
	today := s.today()
	out := map[int64][]web.NoticeLink{}
	for _, n := range notices {
		open := n.Open(today)
		if openOnly && !open {
			continue
		}
		out[n.CampaignID] = append(out[n.CampaignID], web.NoticeLink{Href: paths.PublicNotice(n.ID), Title: i18n.T(ctx, "notice.public.link", n.FormName, n.PhaseName),
			State: i18n.T(ctx, noticeStateKey(n.Notice, today)) + " · " + noticePeriod(n.Notice), Open: open})
	}
	return out
}
