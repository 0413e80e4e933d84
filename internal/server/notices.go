package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// The public notice, staff's side: every shortlist of a campaign with its
// notice state; publishing with the working-day end date; the objections
// and their answers; sending each nominee to the council.

// pathID reads a record number from the route: a bad one is the 404 of a
// missing record.
func pathID(r *http.Request, name, notFoundKey string) (int64, error) {
	n, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, notFoundKey)
	}
	return n, nil
}

// noticePeriod is a notice's first and last day, as shown.
func noticePeriod(n domain.Notice) string {
	return i18n.Day(n.StartsOn) + " – " + i18n.Day(n.EndsOn)
}

// noticeStateKey says whether a notice is upcoming, posted or over on today.
func noticeStateKey(n domain.Notice, today time.Time) string {
	switch {
	case today.Before(n.StartsOn):
		return "notice.state.upcoming"
	case n.Ended(today):
		return "notice.state.ended"
	}
	return "notice.state.open"
}

// entryGrounds are a nominee's grounds as published: the text staff gave,
// else what the shortlist was drawn from (rank and band).
func entryGrounds(ctx context.Context, e postgres.NoticeEntry) string {
	if e.Grounds != "" {
		return e.Grounds
	}
	var parts []string
	if e.Rank != nil {
		parts = append(parts, i18n.T(ctx, "notice.grounds.rank", *e.Rank))
	}
	if e.Band != nil && *e.Band != "" {
		parts = append(parts, i18n.T(ctx, "notice.grounds.band", i18n.T(ctx, "band."+*e.Band)))
	}
	return strings.Join(parts, ", ")
}

// noticesView builds the notices page; adjust, when not nil, puts a refused
// form's problems and typed values in place.
func (s *Server) noticesView(r *http.Request) (web.NoticesView, error) {
	ctx := r.Context()
	c := campaignOf(r)
	today := s.today()
	v := web.NoticesView{CampaignID: c.ID, CampaignTitle: c.Title, NoticeDays: c.NoticeDays, EditHref: paths.CampaignEdit(c.ID),
		Today: i18n.Day(today), CanManage: domain.CanManageNotices(userFrom(ctx), accessOf(r))}
	lists, err := s.db.NoticeLists(ctx, c.ID)
	if err != nil {
		return v, err
	}
	for _, l := range lists {
		lv := web.NoticeListView{ShortlistID: l.ShortlistID, Title: l.FormName + " · " + l.PhaseName,
			StatusKey: "notices.list_status." + string(l.Status), Listed: l.Listed, Ties: l.Ties, StartsOn: isoDay(today)}
		if n := l.Notice; n != nil {
			nv := &web.NoticeView{ID: n.ID, Period: noticePeriod(*n), EndsOn: i18n.Day(n.EndsOn), Ended: n.Ended(today), WorkingDays: n.WorkingDays, StateKey: noticeStateKey(*n, today),
				PublishedBy: n.PublishedBy + " · " + i18n.DateTime(n.PublishedAt), PublicHref: paths.PublicNotice(n.ID),
				DossierHref: paths.Dossier(c.ID, n.ID), XLSXHref: paths.DossierXLSX(c.ID, n.ID)}
			entries, err := s.db.NoticeEntries(ctx, l.ShortlistID)
			if err != nil {
				return v, err
			}
			for _, e := range entries {
				ev := web.NoticeEntryView{ID: e.ID, Name: e.Name, Position: e.Position, Unit: e.UnitName, Form: e.FormName,
					Grounds: entryGrounds(ctx, e), Override: e.OverrideReason, Objections: e.Objections, Unanswered: e.Unanswered,
					SendAction: paths.CouncilSend(c.ID, n.ID, e.ID)}
				if e.SentToCouncilAt != nil {
					ev.SentAt = i18n.DateTime(*e.SentToCouncilAt)
				}
				nv.Entries = append(nv.Entries, ev)
			}
			objections, err := s.db.Objections(ctx, n.ID)
			if err != nil {
				return v, err
			}
			for _, o := range objections {
				ov := web.ObjectionView{ID: o.ID, Receipt: o.Receipt, Entry: o.EntryName, Name: o.Name, Contact: o.Contact, Body: o.Body,
					At: i18n.DateTime(o.CreatedAt), Answer: o.Answer, AnsweredBy: o.AnsweredBy, Action: paths.ObjectionAnswer(c.ID, n.ID, o.ID)}
				if o.Outcome != "" {
					ov.OutcomeKey = "objection.outcome." + string(o.Outcome)
				}
				if o.AnsweredAt != nil {
					ov.AnsweredAt = i18n.DateTime(*o.AnsweredAt)
				}
				nv.Objections = append(nv.Objections, ov)
			}
			lv.Notice = nv
		}
		v.Lists = append(v.Lists, lv)
	}
	return v, nil
}

func (s *Server) renderNotices(w http.ResponseWriter, r *http.Request, status int, adjust func(*web.NoticesView)) error {
	v, err := s.noticesView(r)
	if err != nil {
		return err
	}
	if adjust != nil {
		adjust(&v)
	}
	s.render(w, r, status, web.Notices(s.chrome(r, i18n.T(r.Context(), "notices.title")+" – "+v.CampaignTitle), v))
	return nil
}

// notices shows the campaign's shortlists with their notices.
func (s *Server) notices(w http.ResponseWriter, r *http.Request) error {
	return s.renderNotices(w, r, http.StatusOK, nil)
}

// publishNotice posts a shortlist for public notice from the day given
// (today when none), for the campaign's notice days in working days.
func (s *Server) publishNotice(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	shortlistID, err := strconv.ParseInt(r.PostFormValue("shortlist"), 10, 64)
	if err != nil || shortlistID <= 0 {
		return domain.Errorf(domain.ENOTFOUND, "notices.shortlist_not_found")
	}
	field := fmt.Sprintf("starts_on-%d", shortlistID)
	typed := strings.TrimSpace(r.PostFormValue("starts_on"))
	today := s.today()
	start := today
	var p web.Problems
	if typed != "" {
		d, ok := domain.ParseDate(typed)
		switch {
		case !ok:
			fieldProblem(ctx, &p, field, "date.out_of_range")
		case d.Before(today):
			fieldProblem(ctx, &p, field, "notices.starts_on.past")
		default:
			start = d
		}
	}
	show := func(status int, p web.Problems) error {
		return s.renderNotices(w, r, status, func(v *web.NoticesView) {
			v.Problems = p
			for i := range v.Lists {
				if v.Lists[i].ShortlistID == shortlistID {
					v.Lists[i].StartsOn = typed
				}
			}
		})
	}
	if p.Any() {
		return show(http.StatusUnprocessableEntity, p)
	}
	n, err := s.db.PublishNotice(ctx, c.ID, shortlistID, start)
	if err != nil {
		return refuse(ctx, err, nil, show)
	}
	s.flash(ctx, "notices.flash.published")
	http.Redirect(w, r, paths.NoticeSection(c.ID, n.ID), http.StatusSeeOther)
	return nil
}

// answerObjection records staff's answer to an objection.
func (s *Server) answerObjection(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	noticeID, err := pathID(r, "noticeID", "notice.not_found")
	if err != nil {
		return err
	}
	objectionID, err := pathID(r, "objectionID", "objection.not_found")
	if err != nil {
		return err
	}
	if _, err := s.db.NoticeByID(ctx, c.ID, noticeID); err != nil {
		return err
	}
	a := domain.ObjectionAnswer{Outcome: domain.ObjectionOutcome(r.PostFormValue("outcome")), Text: r.PostFormValue("answer")}
	if err := s.db.AnswerObjection(ctx, noticeID, objectionID, a); err != nil {
		return refuse(ctx, err, []string{"outcome", "answer"}, func(status int, p web.Problems) error {
			p.Rename("outcome", fmt.Sprintf("outcome-%d", objectionID))
			p.Rename("answer", fmt.Sprintf("answer-%d", objectionID))
			return s.renderNotices(w, r, status, func(v *web.NoticesView) {
				for _, l := range v.Lists {
					if l.Notice == nil {
						continue
					}
					for i := range l.Notice.Objections {
						if o := &l.Notice.Objections[i]; o.ID == objectionID {
							o.Problems, o.Outcome, o.Text = p, r.PostFormValue("outcome"), r.PostFormValue("answer")
						}
					}
				}
				v.Problems = p
			})
		})
	}
	s.flash(ctx, "notices.flash.answered")
	http.Redirect(w, r, paths.Notices(c.ID)+paths.Fragment(fmt.Sprintf("objection-%d", objectionID)), http.StatusSeeOther)
	return nil
}

// sendToCouncil sends a nominee to the council: refused (409) while the
// notice runs or an objection to the nominee has no answer.
func (s *Server) sendToCouncil(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	noticeID, err := pathID(r, "noticeID", "notice.not_found")
	if err != nil {
		return err
	}
	entryID, err := pathID(r, "entryID", "notice.entry_not_found")
	if err != nil {
		return err
	}
	if _, err := s.db.NoticeByID(ctx, c.ID, noticeID); err != nil {
		return err
	}
	if err := s.db.SendToCouncil(ctx, noticeID, entryID, s.today()); err != nil {
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			return s.renderNotices(w, r, status, func(v *web.NoticesView) { v.Problems = p })
		})
	}
	s.flash(ctx, "notices.flash.sent")
	http.Redirect(w, r, paths.Notices(c.ID)+paths.Fragment(fmt.Sprintf("entry-%d", entryID)), http.StatusSeeOther)
	return nil
}
