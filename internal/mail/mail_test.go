package mail_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"thidua/internal/config"
	"thidua/internal/domain"
	thimail "thidua/internal/mail"
	"thidua/internal/mail/mailtest"
	"thidua/internal/postgres"
)

var key = bytes.Repeat([]byte{7}, 32)

func testMail() *postgres.Mail {
	return &postgres.Mail{ID: 42, UserEmail: "huong@tuphap.gov.vn", UserName: "Nguyễn Thị Hương", UserLocale: "vi",
		Notification: domain.Notification{ID: 9, UserID: 5, Kind: domain.NotifyFormReturned, Message: "notify.kind.form_returned",
			Detail: "Thiếu minh chứng tiêu chí 2.1", Link: "/campaigns/3/assessments/8"}}
}

func mailer(t *testing.T, s *config.SMTP) *thimail.Mailer {
	base, _ := url.Parse("https://thidua.sonv.gov.vn")
	cfg := &config.Config{BaseURL: base, SMTP: s}
	x := thimail.New(cfg, key)
	x.Timeout = 10 * time.Second
	return x
}

// decoded reads a message as a mail client would: the headers decoded
// (RFC 2047) and the body (quoted-printable).
func decoded(t *testing.T, data []byte) (header map[string]string, body string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a message: %v\n%s", err, data)
	}
	for _, line := range strings.Split(string(data), "\r\n") {
		if line == "" {
			break
		}
		if len(line) > 998 { // RFC 5322's limit
			t.Errorf("header line of %d characters: %q", len(line), line)
		}
	}
	header = map[string]string{}
	dec := new(mime.WordDecoder)
	for k := range msg.Header {
		v, err := dec.DecodeHeader(msg.Header.Get(k))
		if err != nil {
			t.Errorf("header %s: %v", k, err)
		}
		header[k] = v
	}
	if msg.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Fatalf("body encoding %q", msg.Header.Get("Content-Transfer-Encoding"))
	}
	b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return header, string(b)
}

func TestMessageEncoding(t *testing.T) {
	x := mailer(t, nil)
	x.Now = func() time.Time { return time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) }
	data, err := x.Message(testMail())
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsFunc(string(data), func(r rune) bool { return r > 127 }) {
		t.Error("the message has raw non-ASCII bytes")
	}
	h, body := decoded(t, data)
	if want := "[Thi đua – Khen thưởng] Hồ sơ tự chấm bị trả lại để bổ sung"; h["Subject"] != want || !norm.NFC.IsNormalString(h["Subject"]) {
		t.Errorf("Subject = %q, want %q", h["Subject"], want)
	}
	if h["To"] != "Nguyễn Thị Hương <huong@tuphap.gov.vn>" {
		t.Errorf("To = %q", h["To"])
	}
	if h["From"] != "Thi đua – Khen thưởng <thidua@thidua.sonv.gov.vn>" {
		t.Errorf("From = %q", h["From"])
	}
	token := thimail.Token(key, 5, domain.NotifyFormReturned)
	if h["List-Unsubscribe"] != "<https://thidua.sonv.gov.vn/unsubscribe/"+token+">" || h["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe = %q, Post = %q", h["List-Unsubscribe"], h["List-Unsubscribe-Post"])
	}
	if !strings.HasPrefix(h["Message-Id"], "<mail-42.") || !strings.HasSuffix(h["Message-Id"], "@thidua.sonv.gov.vn>") {
		t.Errorf("Message-ID = %q", h["Message-Id"])
	}
	again, _ := x.Message(testMail())
	if h2, _ := decoded(t, again); h2["Message-Id"] != h["Message-Id"] {
		t.Errorf("Message-ID changes between attempts: %q, %q", h["Message-Id"], h2["Message-Id"])
	}
	if h["Date"] != "Wed, 25 Nov 2026 08:00:00 +0000" {
		t.Errorf("Date = %q", h["Date"])
	}
	for _, want := range []string{"Kính gửi Nguyễn Thị Hương,", "Hồ sơ tự chấm bị trả lại để bổ sung", "Thiếu minh chứng tiêu chí 2.1",
		"https://thidua.sonv.gov.vn/campaigns/3/assessments/8", "Không nhận e-mail loại «Hồ sơ tự chấm bị trả lại để bổ sung» nữa:",
		"https://thidua.sonv.gov.vn/unsubscribe/" + token, "https://thidua.sonv.gov.vn/account/notifications"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	if !norm.NFC.IsNormalString(body) {
		t.Error("body is not NFC")
	}
	// The reader's language.
	en := testMail()
	en.UserLocale = "en"
	data, _ = x.Message(en)
	if h, body := decoded(t, data); h["Subject"] != "[Emulation & Commendation] A self-assessment is returned for revision" || !strings.Contains(body, "Dear Nguyễn Thị Hương,") {
		t.Errorf("English: %q\n%s", h["Subject"], body)
	}
}

func TestTokens(t *testing.T) {
	tok := thimail.Token(key, 5, domain.NotifyFormReturned)
	if id, kind, ok := thimail.ParseToken(key, tok); !ok || id != 5 || kind != domain.NotifyFormReturned {
		t.Errorf("ParseToken = %d %s %v", id, kind, ok)
	}
	other := thimail.Token(key, 6, domain.NotifyDeadlineReminder)
	p1, _, _ := strings.Cut(tok, ".")
	_, s2, _ := strings.Cut(other, ".")
	// The same bytes spelt with stray bits in the last character.
	last := tok[len(tok)-1]
	stray := tok[:len(tok)-1] + string(rune(last+1))
	for _, bad := range []string{"", ".", tok + "x", stray, tok[:len(tok)-2], p1 + "." + s2, strings.ToUpper(tok),
		thimail.Token(bytes.Repeat([]byte{8}, 32), 5, domain.NotifyFormReturned)} {
		if _, _, ok := thimail.ParseToken(key, bad); ok {
			t.Errorf("token %q accepted", bad)
		}
	}
}

// TestSTARTTLSAndAuth: the password goes only after STARTTLS, and the
// message arrives over TLS.
func TestSTARTTLSAndAuth(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{STARTTLS: true, Users: map[string]string{"thidua": "mật-khẩu"}})
	x := mailer(t, &config.SMTP{Host: "127.0.0.1", Port: srv.Port, User: "thidua", Password: "mật-khẩu", TLS: "starttls",
		From: &mail.Address{Name: "Thi Đua", Address: "thidua@sonv.gov.vn"}})
	x.TLS = &tls.Config{RootCAs: srv.RootCAs}
	d, err := x.Deliver(context.Background(), testMail())
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if d.State != domain.MailSent || len(msgs) != 1 || !msgs[0].TLS || msgs[0].User != "thidua" || msgs[0].From != "thidua@sonv.gov.vn" ||
		len(msgs[0].To) != 1 || msgs[0].To[0] != "huong@tuphap.gov.vn" {
		t.Fatalf("delivered %+v, messages %+v", d, msgs)
	}
	if h, _ := decoded(t, msgs[0].Data); h["From"] != "Thi Đua <thidua@sonv.gov.vn>" {
		t.Errorf("From = %q", h["From"])
	}

	// An untrusted certificate is refused, nothing is sent.
	x.TLS = nil
	if _, err := x.Deliver(context.Background(), testMail()); err == nil || len(srv.Messages()) != 1 {
		t.Errorf("untrusted certificate: err %v, %d messages", err, len(srv.Messages()))
	}
}

// TestNoDowngrade: a server that does not offer STARTTLS gets nothing when
// SMTP_TLS is starttls.
func TestNoDowngrade(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	x := mailer(t, &config.SMTP{Host: "127.0.0.1", Port: srv.Port, TLS: "starttls", From: &mail.Address{Address: "thidua@sonv.gov.vn"}})
	_, err := x.Deliver(context.Background(), testMail())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") || len(srv.Messages()) != 0 {
		t.Errorf("err %v, %d messages", err, len(srv.Messages()))
	}
}

// TestKeptWithoutSMTP: without a server the mail is composed and kept.
func TestKeptWithoutSMTP(t *testing.T) {
	d, err := mailer(t, nil).Deliver(context.Background(), testMail())
	if err != nil || d.State != domain.MailKept || !strings.Contains(d.Body, "/unsubscribe/") || d.ToAddr != "huong@tuphap.gov.vn" {
		t.Errorf("%+v %v", d, err)
	}
}
