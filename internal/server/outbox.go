package server

import (
	"net/http"
	"strconv"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/postgres"
	"thidua/web"
)

const outboxPageSize = 50

// outboxStates are the states the outbox filters by, in the order shown.
var outboxStates = []domain.MailState{domain.MailPending, domain.MailSent, domain.MailKept, domain.MailFailed}

// outbox shows administrators the notification mails, newest first: the
// count in each state, and each mail's recipient, subject, attempts, last
// error and, while it waits, when the queue tries it next.
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !domain.CanReadOutbox(userFrom(ctx)) {
		return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	state := domain.MailState(r.URL.Query().Get("state"))
	if state != "" && !isOutboxState(state) {
		return domain.Errorf(domain.EINVALID, "outbox.bad_state")
	}
	before, err := queryID(r, "before")
	if err != nil {
		return err
	}
	counts, err := s.db.MailCounts(ctx)
	if err != nil {
		return err
	}
	mails, err := s.db.Mails(ctx, state, before, outboxPageSize+1)
	if err != nil {
		return err
	}
	v := web.OutboxView{State: string(state), SMTP: s.cfg.SMTP != nil}
	if len(mails) > outboxPageSize {
		mails = mails[:outboxPageSize]
		v.Older = outboxLink(state, mails[len(mails)-1].ID)
	}
	total := 0
	for _, st := range outboxStates {
		total += counts[st]
		v.Counts = append(v.Counts, web.OutboxCount{State: string(st), Label: i18n.T(ctx, "outbox.state."+string(st)),
			N: counts[st], Href: outboxLink(st, 0), Active: st == state})
	}
	v.Counts = append([]web.OutboxCount{{Label: i18n.T(ctx, "outbox.all"), N: total, Href: "/admin/outbox", Active: state == ""}}, v.Counts...)
	ids := make([]int64, len(mails))
	for i, m := range mails {
		ids[i] = m.ID
	}
	jobs, err := s.db.MailJobs(ctx, ids)
	if err != nil {
		return err
	}
	for _, m := range mails {
		v.Rows = append(v.Rows, outboxRow(r, m, jobs[m.ID]))
	}
	s.render(w, r, http.StatusOK, web.Outbox(s.chrome(r, i18n.T(ctx, "outbox.title")), v))
	return nil
}

// outboxMail shows one mail as it was sent or kept, its text readable.
func (s *Server) outboxMail(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !domain.CanReadOutbox(userFrom(ctx)) {
		return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	id, err := pathID(r, "mailID", "outbox.not_found")
	if err != nil {
		return err
	}
	mails, err := s.db.Mails(ctx, "", id+1, 1) // the newest mail older than id+1: this one, if it exists
	if err != nil {
		return err
	}
	if len(mails) == 0 || mails[0].ID != id {
		return domain.Errorf(domain.ENOTFOUND, "outbox.not_found")
	}
	m := mails[0]
	jobs, err := s.db.MailJobs(ctx, []int64{id})
	if err != nil {
		return err
	}
	v := web.OutboxMailView{Row: outboxRow(r, m, jobs[id]), Body: m.Body, MessageID: m.MessageID}
	if m.State == domain.MailPending || m.Body == "" {
		v.Body = ""
	}
	s.render(w, r, http.StatusOK, web.OutboxMail(s.chrome(r, i18n.T(ctx, "outbox.mail.title", strconv.FormatInt(id, 10))), v))
	return nil
}

func isOutboxState(st domain.MailState) bool {
	for _, x := range outboxStates {
		if x == st {
			return true
		}
	}
	return false
}

func outboxLink(state domain.MailState, before int64) string {
	q := ""
	if state != "" {
		q = "state=" + string(state)
	}
	if before != 0 {
		if q != "" {
			q += "&"
		}
		q += "before=" + strconv.FormatInt(before, 10)
	}
	if q == "" {
		return "/admin/outbox"
	}
	return "/admin/outbox?" + q
}

func outboxRow(r *http.Request, m postgres.Mail, job postgres.MailJob) web.OutboxRow {
	ctx := r.Context()
	row := web.OutboxRow{ID: m.ID, Href: "/admin/outbox/" + strconv.FormatInt(m.ID, 10), State: string(m.State),
		StateLabel: i18n.T(ctx, "outbox.state."+string(m.State)), To: m.ToAddr, Subject: m.Subject, Attempts: m.Attempts,
		LastError: m.LastError, Created: i18n.DateTime(m.CreatedAt)}
	if row.To == "" {
		row.To = m.UserEmail // not composed yet: the address it will go to
	}
	if row.Subject == "" {
		args := make([]any, len(m.Notification.Args))
		for i, a := range m.Notification.Args {
			args[i] = a
		}
		row.Subject = i18n.Translate(m.UserLocale, m.Notification.Message, args...)
	}
	if m.DoneAt != nil {
		row.Done = i18n.DateTime(*m.DoneAt)
	}
	if m.State == domain.MailPending && job.NextAttempt != nil {
		row.Next = i18n.DateTime(*job.NextAttempt)
	}
	if row.LastError == "" && m.State == domain.MailPending {
		row.LastError = job.LastError
	}
	return row
}
