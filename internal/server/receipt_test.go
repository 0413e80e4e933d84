package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"thidua/internal/domain"
)

// TestReceiptKeepsWhatWasSubmitted is issue 8 point 3: after a criteria
// amendment the receipt still shows the totals and the entries as
// submitted; the amended total is shown apart, with the amendment that moved
// it, and the amendment is in the form's history.
func TestReceiptKeepsWhatWasSubmitted(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staffClient, staff := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staffClient)
	form := wk.start(t, fp)
	resp := fp.post(form+"/submit", fullMarks(t, fp, wk, form))
	wantStatus(t, resp, http.StatusSeeOther)
	receiptURL := resp.Header.Get("Location")

	before := htmlOf(t, fp.get(receiptURL))
	converted := strings.TrimSpace(before.Find(".converted").First().Text())
	if converted != "100" {
		t.Fatalf("receipt converted total %q, want 100", converted)
	}
	submittedAt := before.Find(".submitted-at").Text()

	// Staff amend criterion 3.2 (share of a target): the target doubles, so
	// the unit's 100 is now half of it.
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	var target domain.Criterion
	for _, n := range nodes {
		if n.Code == "3.2" {
			target = n
		}
	}
	target.Target *= 2
	ctx := domain.WithActor(context.Background(), domain.Actor{UserID: staff.ID})
	if _, err := a.db.SaveCriterion(ctx, wk.set, target, "Chỉ tiêu điều chỉnh theo Quyết định 12/QĐ-UBND"); err != nil {
		t.Fatal(err)
	}

	after := htmlOf(t, fp.get(receiptURL))
	if got := strings.TrimSpace(after.Find(".converted").First().Text()); got != converted {
		t.Errorf("receipt converted total after the amendment %q, want %q as submitted", got, converted)
	}
	if got := after.Find(".submitted-at").Text(); got != submittedAt {
		t.Errorf("submission time changed: %q → %q", submittedAt, got)
	}
	if got := strings.TrimSpace(after.Find("#r-3\\.2 .points").Text()); got != target.Max.String() {
		t.Errorf("criterion 3.2 on the receipt: %q, want %s as submitted", got, target.Max)
	}
	amended := after.Find(".amended").Text()
	if amended == "" {
		t.Fatal("the receipt does not say the total changed after an amendment")
	}
	for _, want := range []string{"3.2", "Quyết định 12/QĐ-UBND", "sửa đổi"} {
		if !strings.Contains(amended, want) {
			t.Errorf("amendment notice %q lacks %q", amended, want)
		}
	}
	as, _ := a.db.AssessmentByID(context.Background(), mustAssessment(t, a, form))
	if as.Converted.String() == converted || !strings.Contains(amended, as.Converted.String()) {
		t.Errorf("amended total %s not shown apart from the submitted %s: %q", as.Converted, converted, amended)
	}
	// The unit's history says what moved its total.
	history := htmlOf(t, fp.get(form)).Find("details.card ol.versions").Text()
	if !strings.Contains(history, "sửa đổi tiêu chí 3.2") || !strings.Contains(history, "Quyết định 12/QĐ-UBND") {
		t.Errorf("the form's history lacks the amendment:\n%s", history)
	}
}

// TestReceiptNumbersUnderConcurrentSubmits is issue 8 point 16: every
// submission gets a receipt number unique in its campaign, also when units
// submit at the same moment; the receipt prints it with the band.
func TestReceiptNumbersUnderConcurrentSubmits(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	const units = 6
	type unitForm struct {
		c    *client
		form string
		vals url.Values
	}
	var forms []unitForm
	for i := range units {
		unit := a.unit
		if i > 0 {
			var err error
			unit, err = a.db.CreateUnit(context.Background(), domain.UnitInput{Name: fmt.Sprintf("Sở thử nghiệm %d", i), Code: fmt.Sprintf("TEST-%d", i),
				Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
			if err != nil {
				t.Fatal(err)
			}
		}
		u := a.userIn(domain.RoleFocalPoint, unit)
		c := a.client()
		c.login(u.Email, testPassword)
		wk.register(t, c, staff)
		form := wk.start(t, c)
		forms = append(forms, unitForm{c: c, form: form, vals: fullMarks(t, c, wk, form)})
	}
	var wg sync.WaitGroup
	codes := make([]int, units)
	start := make(chan struct{})
	for i, f := range forms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, _ := http.NewRequest(http.MethodPost, a.ts.URL+f.form+"/submit", strings.NewReader(f.vals.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := f.c.http.Do(req)
			if err == nil {
				codes[i] = resp.StatusCode
				resp.Body.Close()
			}
		}()
	}
	close(start)
	wg.Wait()
	var numbers []string
	for i, f := range forms {
		if codes[i] != http.StatusSeeOther {
			t.Fatalf("submit %d answered %d", i, codes[i])
		}
		page := htmlOf(t, f.c.get(f.form+"/receipt"))
		numbers = append(numbers, strings.TrimSpace(page.Find(".receipt-number .number").Text()))
		if band := strings.TrimSpace(page.Find(".band").Text()); band != "Xuất sắc" {
			t.Errorf("band on receipt %d: %q, want Xuất sắc (100 points)", i, band)
		}
	}
	sort.Strings(numbers)
	for i, n := range numbers {
		if want := fmt.Sprintf("%04d", i+1); n != want {
			t.Fatalf("receipt numbers %v, want 0001…%04d, each once", numbers, units)
		}
	}
	var rows int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(DISTINCT number) FROM receipts WHERE campaign_id = $1`, wk.campaign).Scan(&rows)
	if rows != units {
		t.Errorf("%d distinct receipt numbers stored, want %d", rows, units)
	}
}

// TestReceiptBackfillMatchesSubmit: the migration that introduced receipts
// gives forms submitted before it the receipt a submission writes now
// (same number, totals, band and lines).
func TestReceiptBackfillMatchesSubmit(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	vals := fullMarks(t, fp, wk, form)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	for _, n := range domain.Leaves(nodes) {
		if n.AllowNA {
			vals.Set(fmt.Sprintf("na_%d", n.ID), "1")
			break
		}
	}
	wantStatus(t, fp.upload(fmt.Sprintf("%s/criteria/%d/evidence", form, domain.Leaves(nodes)[0].ID), "a.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusSeeOther)
	ctx := context.Background()
	// Put the areas in the reverse of their creation order, as the editor
	// does when a later area is moved up: the form's order is no longer
	// the ids' order, and the backfill must follow the form's.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE criteria SET seq = 1000 - seq WHERE set_id = $1 AND parent_id IS NULL`, wk.set); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, fp.post(form+"/submit", vals), http.StatusSeeOther)
	dump := func() string {
		var s string
		if err := a.db.Pool.QueryRow(ctx, `SELECT string_agg(x, E'\n' ORDER BY x) FROM (
			SELECT format('%s %s %s %s %s %s %s %s %s', r.number, r.submitted_at, r.set_version, r.total_points, r.applicable_max, r.converted, r.scored, r.leaves, r.band) AS x FROM receipts r
			UNION ALL SELECT format('%s %s %s %s %s %s %s %s %s %s %s %s', l.ord, l.criterion_id, l.parent_id, l.code, l.title, l.max_points, l.leaf, l.points, l.applicable_max, l.measured, l.na, l.evidence)
			FROM receipt_lines l) d`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	written := dump()
	raw, err := os.ReadFile("../../migrations/000005_receipts.up.sql")
	if err != nil {
		t.Fatal(err)
	}
	sql := string(raw)
	backfill := sql[strings.Index(sql, "-- Forms submitted before receipts existed"):strings.LastIndex(sql, "COMMIT;")]
	if _, err := a.db.Pool.Exec(ctx, `DELETE FROM receipt_lines; DELETE FROM receipts; DELETE FROM receipt_counters;`+backfill); err != nil {
		t.Fatal(err)
	}
	if got := dump(); got != written {
		t.Errorf("backfilled receipt differs from the one written at submission:\n%s\n--- want\n%s", got, written)
	}
}
