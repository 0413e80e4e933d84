package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"golang.org/x/text/unicode/norm"

	"thidua/internal/config"
	"thidua/internal/domain"
	"thidua/internal/jobs"
	thimail "thidua/internal/mail"
	"thidua/internal/mail/mailtest"
	"thidua/internal/password"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fastRetry retries a failed job half a second later, so that a test sees
// several attempts.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(500 * time.Millisecond)
}

func user(t *testing.T, db *postgres.DB, email, name string) int64 {
	t.Helper()
	hash, _ := password.Hash("Mật khẩu thử nghiệm 2026", password.Default)
	u, _, err := db.CreateUser(context.Background(), domain.NewUser{Email: email, FullName: name, Role: domain.RoleStaff}, hash, "")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// queue writes n notifications of a returned form for the user with their
// mails and mail jobs in one transaction, as an event does.
func queue(t *testing.T, db *postgres.DB, userID int64, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		mails, err := db.Notify(context.Background(), domain.NewNotification{Kind: domain.NotifyFormReturned, Message: "notify.kind.form_returned",
			Detail: fmt.Sprintf("Thiếu minh chứng tiêu chí 2.%d", i+1), Link: "/campaigns/3/assessments/8"}, []int64{userID})
		if err != nil || len(mails) != 1 {
			t.Fatalf("queueing a mail: %v (%d mails)", err, len(mails))
		}
		ids = append(ids, mails[0])
	}
	return ids
}

func smtpMailer(t *testing.T, db *postgres.DB, port int) *thimail.Mailer {
	t.Helper()
	base, _ := url.Parse("http://127.0.0.1:8080")
	key, err := thimail.UnsubscribeKey(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	x := thimail.New(&config.Config{BaseURL: base, SMTP: &config.SMTP{Host: "127.0.0.1", Port: port, TLS: "none",
		From: &mail.Address{Name: "Thi Đua", Address: "thidua@sonv.gov.vn"}}}, key)
	x.Timeout = 5 * time.Second
	return x
}

func start(t *testing.T, db *postgres.DB, m jobs.Mailer) *jobs.Runner {
	t.Helper()
	r, err := jobs.Start(context.Background(), jobs.Config{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Mailer: m,
		Poll: 100 * time.Millisecond, RetryPolicy: fastRetry{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
	return r
}

// waitFor polls the mails until cond holds (at most a minute).
func waitFor(t *testing.T, db *postgres.DB, what string, cond func(map[domain.MailState]int) bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; {
		counts, err := db.MailCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if cond(counts) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: never happened (mails %v)", what, counts)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestMailArrivesOnce is acceptance 2 (the exchange): a queued mail goes
// through a real SMTP exchange once, with its Vietnamese subject and body
// encoded so that a mail client reads them back exactly.
func TestMailArrivesOnce(t *testing.T) {
	db := pgtest.NewDB(t)
	srv := mailtest.Start(t, mailtest.Options{})
	u := user(t, db, "huong@tuphap.gov.vn", "Nguyễn Thị Hương")
	ids := queue(t, db, u, 1)
	r := start(t, db, smtpMailer(t, db, srv.Port))
	waitFor(t, db, "sent", func(c map[domain.MailState]int) bool { return c[domain.MailSent] == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages arrived, want 1", len(msgs))
	}
	m := msgs[0]
	if m.From != "thidua@sonv.gov.vn" || len(m.To) != 1 || m.To[0] != "huong@tuphap.gov.vn" {
		t.Errorf("envelope %s → %v", m.From, m.To)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != "[Thi đua – Khen thưởng] Hồ sơ tự chấm bị trả lại để bổ sung" || !norm.NFC.IsNormalString(subject) {
		t.Errorf("Subject %q (%v)", subject, err)
	}
	to, err := mail.ParseAddress(msg.Header.Get("To"))
	if err != nil || to.Name != "Nguyễn Thị Hương" {
		t.Errorf("To %q (%v)", msg.Header.Get("To"), err)
	}
	if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	for _, want := range []string{"Kính gửi Nguyễn Thị Hương,", "Thiếu minh chứng tiêu chí 2.1", "http://127.0.0.1:8080/campaigns/3/assessments/8", "/unsubscribe/"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	// The outbox has what was sent.
	mails, err := db.Mails(context.Background(), "", 0, 10)
	if err != nil || len(mails) != 1 || mails[0].ID != ids[0] || mails[0].State != domain.MailSent || mails[0].Attempts != 1 ||
		mails[0].Subject != subject || mails[0].MessageID != msg.Header.Get("Message-Id") || mails[0].DoneAt == nil {
		t.Errorf("outbox %+v (%v)", mails, err)
	}
	var jobState string
	if err := db.Pool.QueryRow(context.Background(), `SELECT state FROM river_job WHERE kind = 'send_mail'`).Scan(&jobState); err != nil || jobState != "completed" {
		t.Errorf("job %q (%v)", jobState, err)
	}
}

// TestRetriesUntilSMTPReturns is acceptance 3 (retry): with the SMTP server
// down the job fails, the error is recorded and the job retried; once the
// server is back the mail is delivered, once.
func TestRetriesUntilSMTPReturns(t *testing.T) {
	db := pgtest.NewDB(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens: connections are refused
	u := user(t, db, "huong@tuphap.gov.vn", "Nguyễn Thị Hương")
	queue(t, db, u, 1)
	start(t, db, smtpMailer(t, db, port))
	ctx := context.Background()
	var attempts int
	var lastError, state string
	for deadline := time.Now().Add(time.Minute); attempts < 2; time.Sleep(100 * time.Millisecond) {
		if err := db.Pool.QueryRow(ctx, `SELECT attempts, last_error, state FROM mails`).Scan(&attempts, &lastError, &state); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("attempts %d after a minute", attempts)
		}
	}
	if state != "pending" || !strings.Contains(lastError, "smtp: connect") {
		t.Errorf("while down: state %s, last error %q", state, lastError)
	}
	// River records the attempt's error on the job just after the mail's
	// row says so: wait for it.
	var jobErrors int
	for deadline := time.Now().Add(time.Minute); jobErrors < 2; time.Sleep(100 * time.Millisecond) {
		if err := db.Pool.QueryRow(ctx, `SELECT coalesce(cardinality(errors), 0) FROM river_job WHERE kind = 'send_mail'`).Scan(&jobErrors); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("river recorded %d errors after a minute", jobErrors)
		}
	}
	srv := mailtest.Start(t, mailtest.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	waitFor(t, db, "sent after the server returned", func(c map[domain.MailState]int) bool { return c[domain.MailSent] == 1 })
	time.Sleep(time.Second) // a second delivery would show now
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages arrived, want 1", n)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT attempts, last_error FROM mails`).Scan(&attempts, &lastError); err != nil || attempts < 3 || lastError != "" {
		t.Errorf("after delivery: attempts %d, last error %q (%v)", attempts, lastError, err)
	}
}

// TestLastAttemptFails: the last attempt that fails marks the mail failed
// with its error (the outbox shows it).
func TestLastAttemptFails(t *testing.T) {
	db := pgtest.NewDB(t)
	u := user(t, db, "huong@tuphap.gov.vn", "Nguyễn Thị Hương")
	ids := queue(t, db, u, 1)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `UPDATE river_job SET max_attempts = 2 WHERE kind = 'send_mail'`); err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	start(t, db, smtpMailer(t, db, port))
	waitFor(t, db, "failed", func(c map[domain.MailState]int) bool { return c[domain.MailFailed] == 1 })
	mails, _ := db.Mails(ctx, domain.MailFailed, 0, 10)
	if len(mails) != 1 || mails[0].ID != ids[0] || mails[0].Attempts != 2 || !strings.Contains(mails[0].LastError, "smtp: connect") || mails[0].DoneAt == nil {
		t.Errorf("failed mail %+v", mails)
	}
}

// TestTwoRunnersSendEachOnce is acceptance 3 (two instances) with two
// runners on separate pools: each mail reaches the SMTP server once.
func TestTwoRunnersSendEachOnce(t *testing.T) {
	url := pgtest.NewURL(t)
	var dbs []*postgres.DB
	for range 2 {
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		dbs = append(dbs, db)
	}
	srv := mailtest.Start(t, mailtest.Options{})
	u := user(t, dbs[0], "huong@tuphap.gov.vn", "Nguyễn Thị Hương")
	const n = 40
	queue(t, dbs[0], u, n)
	for _, db := range dbs {
		start(t, db, smtpMailer(t, db, srv.Port))
	}
	waitFor(t, dbs[0], "all sent", func(c map[domain.MailState]int) bool { return c[domain.MailSent] == n })
	time.Sleep(time.Second)
	seen := map[string]int{}
	for _, m := range srv.Messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		seen[msg.Header.Get("Message-Id")]++
	}
	if len(seen) != n || len(srv.Messages()) != n {
		t.Errorf("%d messages, %d distinct, want %d", len(srv.Messages()), len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("%s arrived %d times", id, k)
		}
	}
	var sentBy int
	_ = dbs[0].Pool.QueryRow(context.Background(), `SELECT count(DISTINCT attempted_by[1]) FROM river_job WHERE kind = 'send_mail'`).Scan(&sentBy)
	t.Logf("%d mails worked by %d runners", n, sentBy)
}
