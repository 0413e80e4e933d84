// Package mail composes a notification's e-mail in its reader's language
// and sends it through the configured SMTP server, or keeps it in the
// outbox (/admin/outbox) when none is configured.
package mail

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/postgres"
)

// Mailer delivers notifications' mails (jobs.Mailer).
type Mailer struct {
	// BaseURL is the portal's public address, for the links in a mail.
	BaseURL *url.URL
	// From is the sender address.
	From string
}

// Deliver composes m and keeps it in the outbox.
func (x *Mailer) Deliver(_ context.Context, m *postgres.Mail) (postgres.Delivered, error) {
	subject, body := x.Compose(m)
	return postgres.Delivered{State: domain.MailKept, ToAddr: m.UserEmail, Subject: subject, Body: body,
		MessageID: fmt.Sprintf("<mail-%d@%s>", m.ID, x.BaseURL.Hostname())}, nil
}

// Compose returns the subject and the plain-text body of m in its reader's
// language.
func (x *Mailer) Compose(m *postgres.Mail) (subject, body string) {
	n := m.Notification
	args := make([]any, len(n.Args))
	for i, a := range n.Args {
		args[i] = a
	}
	text := i18n.Translate(m.UserLocale, n.Message, args...)
	subject = "[" + i18n.Translate(m.UserLocale, "app.name") + "] " + text
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n", i18n.Translate(m.UserLocale, "mail.greeting", m.UserName), text)
	if n.Detail != "" {
		fmt.Fprintf(&b, "\n%s\n", n.Detail)
	}
	fmt.Fprintf(&b, "\n%s\n%s\n", i18n.Translate(m.UserLocale, "mail.open"), strings.TrimSuffix(x.BaseURL.String(), "/")+n.Link)
	return subject, b.String()
}
