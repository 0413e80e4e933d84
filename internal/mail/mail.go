// Package mail composes a notification's e-mail in its reader's language
// and sends it through the configured SMTP server, or keeps it in the
// outbox (/admin/outbox) when none is configured.
package mail

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"thidua/internal/config"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
)

// Timeout bounds one SMTP exchange, from the dial to QUIT.
const Timeout = 30 * time.Second

// Mailer delivers notifications' mails (jobs.Mailer).
type Mailer struct {
	// BaseURL is the portal's public address, for the links in a mail.
	BaseURL *url.URL
	// From is the sender.
	From *mail.Address
	// SMTP is the mail server; nil keeps every mail in the outbox.
	SMTP *config.SMTP
	// Key signs the unsubscribe links (UnsubscribeKey).
	Key []byte
	// TLS is the TLS configuration for the server (nil: the system's
	// roots, ServerName SMTP.Host). Tests set their own roots.
	TLS *tls.Config
	// Timeout bounds one exchange (0: Timeout).
	Timeout time.Duration
	// Now is the clock of the Date header (nil: time.Now).
	Now func() time.Time
}

// New returns the portal's mailer: SMTP when cfg has it, otherwise the
// outbox. key signs the unsubscribe links.
func New(cfg *config.Config, key []byte) *Mailer {
	x := &Mailer{BaseURL: cfg.BaseURL, SMTP: cfg.SMTP, Key: key}
	if cfg.SMTP != nil {
		x.From = cfg.SMTP.From
	} else {
		x.From = &mail.Address{Name: i18n.Translate("vi", "app.name"), Address: "thidua@" + cfg.BaseURL.Hostname()}
	}
	return x
}

// Deliver composes m and sends it, or keeps it in the outbox when no SMTP
// server is configured. An error is for the queue to retry.
func (x *Mailer) Deliver(ctx context.Context, m *postgres.Mail) (postgres.Delivered, error) {
	subject, body := x.Compose(m)
	d := postgres.Delivered{State: domain.MailKept, ToAddr: m.UserEmail, Subject: subject, Body: body, MessageID: x.messageID(m.ID)}
	if x.SMTP == nil {
		return d, nil
	}
	msg, err := x.Message(m)
	if err != nil {
		return d, err
	}
	if err := x.send(ctx, m.UserEmail, msg); err != nil {
		return d, err
	}
	d.State = domain.MailSent
	return d, nil
}

// messageID is the mail's Message-ID, the same at every attempt: the
// mail's number and a part only the portal's key makes.
func (x *Mailer) messageID(id int64) string {
	mac := hmac.New(sha256.New, x.Key)
	fmt.Fprintf(mac, "message-id:%d", id)
	return fmt.Sprintf("<mail-%d.%s@%s>", id, hex.EncodeToString(mac.Sum(nil)[:8]), x.BaseURL.Hostname())
}

func (x *Mailer) link(path string) string { return strings.TrimSuffix(x.BaseURL.String(), "/") + path }

// UnsubscribeURL is where the reader of m stops this kind of mail.
func (x *Mailer) UnsubscribeURL(m *postgres.Mail) string {
	return x.link("/unsubscribe/" + Token(x.Key, m.Notification.UserID, m.Notification.Kind))
}

// Compose returns the subject and the plain-text body of m in its reader's
// language: what happened, the reasons typed, the link where to act, and at
// the end how to stop this kind of mail and where to choose the others.
func (x *Mailer) Compose(m *postgres.Mail) (subject, body string) {
	n := m.Notification
	args := make([]any, len(n.Args))
	for i, a := range n.Args {
		args[i] = a
	}
	loc := m.UserLocale
	text := i18n.Translate(loc, n.Message, args...)
	subject = oneLine("[" + i18n.Translate(loc, "app.name") + "] " + text)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n", i18n.Translate(loc, "mail.greeting", m.UserName), text)
	if n.Detail != "" {
		fmt.Fprintf(&b, "\n%s\n", n.Detail)
	}
	fmt.Fprintf(&b, "\n%s\n%s\n", i18n.Translate(loc, "mail.open"), x.link(n.Link))
	fmt.Fprintf(&b, "\n-- \n%s\n", i18n.Translate(loc, "mail.why"))
	fmt.Fprintf(&b, "%s\n%s\n", i18n.Translate(loc, "mail.unsubscribe", i18n.Translate(loc, "notify.kind."+string(n.Kind))), x.UnsubscribeURL(m))
	fmt.Fprintf(&b, "%s\n%s\n", i18n.Translate(loc, "mail.prefs"), x.link(paths.NotificationPrefs()))
	return subject, b.String()
}

// oneLine keeps a header's text on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Message is m as it goes to the SMTP server: UTF-8 text, the subject and
// the names encoded (RFC 2047), the body quoted-printable, with the
// one-click unsubscribe headers (RFC 8058).
func (x *Mailer) Message(m *postgres.Mail) ([]byte, error) {
	subject, body := x.Compose(m)
	to, err := mail.ParseAddress(m.UserEmail)
	if err != nil {
		return nil, fmt.Errorf("mail: recipient %q: %w", m.UserEmail, err)
	}
	to.Name = oneLine(m.UserName)
	now := time.Now
	if x.Now != nil {
		now = x.Now
	}
	var b bytes.Buffer
	header := func(name, value string) { fmt.Fprintf(&b, "%s: %s\r\n", name, value) }
	header("From", x.From.String())
	header("To", to.String())
	header("Subject", fold(mime.QEncoding.Encode("utf-8", subject)))
	header("Date", now().Format(time.RFC1123Z))
	header("Message-ID", x.messageID(m.ID))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	header("List-Unsubscribe", "<"+x.UnsubscribeURL(m)+">")
	header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// fold puts each encoded word of a long header on its own continuation
// line, so that no line passes 78 characters.
func fold(s string) string { return strings.ReplaceAll(s, " =?", "\r\n =?") }

// send hands msg for to to the SMTP server in one exchange bounded by the
// timeout: implicit TLS or STARTTLS (never falling back to clear text),
// AUTH PLAIN only over TLS.
func (x *Mailer) send(ctx context.Context, to string, msg []byte) (err error) {
	s := x.SMTP
	timeout := x.Timeout
	if timeout <= 0 {
		timeout = Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tlsConfig := x.TLS
	if tlsConfig == nil {
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	} else {
		tlsConfig = tlsConfig.Clone()
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = s.Host
	}
	var conn net.Conn
	d := &net.Dialer{}
	if s.TLS == "tls" {
		conn, err = (&tls.Dialer{NetDialer: d, Config: tlsConfig}).DialContext(ctx, "tcp", s.Addr())
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.Addr())
	}
	if err != nil {
		return fmt.Errorf("smtp: connect %s: %w", s.Addr(), err)
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: greeting from %s: %w", s.Addr(), err)
	}
	defer c.Close()
	if err := c.Hello(x.BaseURL.Hostname()); err != nil {
		return fmt.Errorf("smtp: EHLO: %w", err)
	}
	if s.TLS == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("smtp: the server does not offer STARTTLS (SMTP_TLS=starttls)")
		}
		if err := c.StartTLS(tlsConfig); err != nil {
			return fmt.Errorf("smtp: STARTTLS: %w", err)
		}
	}
	if s.User != "" {
		if _, isTLS := c.TLSConnectionState(); !isTLS {
			return errors.New("smtp: no TLS: the password is not sent in clear")
		}
		if err := c.Auth(smtp.PlainAuth("", s.User, s.Password, s.Host)); err != nil {
			return fmt.Errorf("smtp: AUTH: %w", err)
		}
	}
	if err := c.Mail(x.From.Address); err != nil {
		return fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp: RCPT TO <%s>: %w", to, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp: message refused: %w", err)
	}
	_ = c.Quit() // the message is accepted: a failed QUIT does not undo it
	return nil
}
