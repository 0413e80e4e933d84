package main

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"thidua/internal/domain"
	"thidua/internal/mail/mailtest"
	"thidua/internal/password"
)

// TestTwoPortalsSendEachMailOnce is acceptance 3 with two `thidua serve`
// processes built from the tree against one database and one SMTP server:
// each of the queued mails arrives exactly once, and the outbox says sent.
func TestTwoPortalsSendEachMailOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bin := portalBinary(t)
	dbURL, db := openTestDB(t)
	hash, _ := password.Hash("Mật khẩu thử nghiệm 2026", password.Default)
	u, _, err := db.CreateUser(ctx, domain.NewUser{Email: "huong@tuphap.gov.vn", FullName: "Nguyễn Thị Hương", Role: domain.RoleStaff}, hash, "")
	if err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t, mailtest.Options{})

	// The mails wait in the queue before either portal starts, so both
	// compete for them from their first poll.
	const n = 30
	for i := range n {
		if _, err := db.Notify(ctx, domain.NewNotification{Kind: domain.NotifyFormReturned, Message: "notify.kind.form_returned",
			Detail: fmt.Sprintf("Lý do %d", i), Link: "/home"}, []int64{u.ID}); err != nil {
			t.Fatal(err)
		}
	}

	var portals []*portal
	for range 2 {
		port := freePort(t)
		base := fmt.Sprintf("http://127.0.0.1:%d", port)
		p := startPortal(t, bin, []string{"DATABASE_URL=" + dbURL, "LISTEN_ADDR=" + fmt.Sprintf("127.0.0.1:%d", port), "BASE_URL=" + base,
			"SESSION_SECURE=false", "EVIDENCE_DIR=" + filepath.Join(dir, "evidence"), "LOG_FORMAT=text",
			"SMTP_HOST=127.0.0.1", "SMTP_PORT=" + srv.PortString(), "SMTP_TLS=none", "SMTP_FROM=Thi Đua <thidua@sonv.gov.vn>"})
		portals = append(portals, p)
	}
	defer func() {
		for _, p := range portals {
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
			_ = p.cmd.Wait()
		}
	}()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		counts, err := db.MailCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[domain.MailSent] == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after two minutes: %v", counts)
		}
	}
	// Stop both (a mail sent twice would have arrived by then).
	for _, p := range portals {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		_ = p.cmd.Wait()
	}
	portals = nil
	seen := map[string]int{}
	for _, m := range srv.Messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		seen[msg.Header.Get("Message-Id")]++
	}
	if len(srv.Messages()) != n || len(seen) != n {
		t.Errorf("%d messages arrived, %d distinct, want %d", len(srv.Messages()), len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("%s arrived %d times", id, k)
		}
	}
	var workers int
	if err := db.Pool.QueryRow(ctx, `SELECT count(DISTINCT attempted_by[1]) FROM river_job WHERE kind = 'send_mail'`).Scan(&workers); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d mails, each sent once, worked by %d of the 2 portals", n, workers)
}
