package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/password"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

// formFixture makes a unit with its focal point dm@example.vn (password
// "Mật khẩu thử nghiệm 2026") and an announced campaign whose
// self-assessment form is open today; it returns the campaign, the unit's
// form and the form's criteria.
func formFixture(t *testing.T, db *postgres.DB) (int64, int64, []domain.Criterion) {
	t.Helper()
	ctx := context.Background()
	// A unit, its focal point, an announced campaign with a form open today.
	unit, _ := db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Tư pháp", Code: "STP", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	hash, _ := password.Hash("Mật khẩu thử nghiệm 2026", password.Default)
	if _, _, err := db.CreateUser(ctx, domain.NewUser{Email: "dm@example.vn", FullName: "Đầu mối", Role: domain.RoleFocalPoint, UnitID: &unit}, hash, ""); err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(time.Now())
	campaign, _ := db.CreateCampaign(ctx, &domain.Campaign{PlanNumber: "1/KH", Title: "Thử", IssuerName: "Sở Nội vụ", IssueDate: today,
		Kind: domain.KindRegular, PeriodStart: today.AddDate(0, -1, 0), PeriodEnd: today.AddDate(0, 1, 0)}, "")
	from, to := today.AddDate(0, 0, -1), today.AddDate(0, 0, 1)
	phase := &domain.Phase{CampaignID: campaign, Name: "Đợt 1", Start: today.AddDate(0, -1, 0), End: today.AddDate(0, 1, 0), AssessmentFrom: &from, AssessmentTo: &to, ReviewKind: domain.ReviewAnnual}
	if _, err := db.SavePhase(ctx, phase); err != nil {
		t.Fatal(err)
	}
	forms, _ := db.AwardForms(ctx)
	_ = db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: campaign, AwardFormID: forms[0].ID, MinBand: "good"})
	set, _ := db.CreateCriteriaSet(ctx, campaign, "Bộ", nil, false)
	tpl, _ := criteria.TemplateByKey("papi")
	nodes, _ := criteria.Nodes(tpl.Rows)
	if err := db.ReplaceCriteria(ctx, set, nodes, "test"); err != nil {
		t.Fatal(err)
	}
	if err := db.Transition(ctx, campaign, domain.StatusAnnounced, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RegisterAll(ctx, campaign, []int64{unit}); err != nil {
		t.Fatal(err)
	}
	assessment, err := db.StartAssessment(ctx, campaign, phase.ID, unit)
	if err != nil {
		t.Fatal(err)
	}
	leaves, _ := db.Criteria(ctx, set)
	return campaign, assessment, leaves
}

var (
	portalBinOnce sync.Once
	portalBin     string
	portalBinErr  error
)

// portalBinary builds this command once per test binary, for the tests
// that run it as separate processes; it is removed when the tests end
// (TestMain).
func portalBinary(t *testing.T) string {
	t.Helper()
	portalBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "thidua-bin-")
		if err != nil {
			portalBinErr = err
			return
		}
		portalBin = filepath.Join(dir, "thidua")
		if out, err := exec.Command("go", "build", "-o", portalBin, ".").CombinedOutput(); err != nil {
			portalBinErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if portalBinErr != nil {
		t.Fatal(portalBinErr)
	}
	return portalBin
}

// openTestDB returns the URL of a fresh test database and a pool on it.
func openTestDB(t *testing.T) (string, *postgres.DB) {
	t.Helper()
	url := pgtest.NewURL(t)
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return url, db
}

// startLargeUpload sends, by hand so that it can stop half-way, the start
// of a 150 MB evidence upload to path with the session of jar, and its
// first 20 MB; the connection stays open.
func startLargeUpload(t *testing.T, base string, jar http.CookieJar, path string) net.Conn {
	t.Helper()
	u, _ := url.Parse(base)
	var cookie string
	for _, c := range jar.Cookies(u) {
		cookie += c.Name + "=" + c.Value + "; "
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	boundary := "thiduaboundary"
	preamble := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lon.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
	w := bufio.NewWriter(conn)
	fmt.Fprintf(w, "POST %s HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n%s",
		path, u.Host, cookie, boundary, 150<<20, preamble)
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for range 20 {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	_ = w.Flush()
	return conn
}
