package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

// queueFixture is a province with six departments, one announced campaign
// in three phases (one closed, one closing within the week, one later),
// and campaigns the queues must leave out.
type queueFixture struct {
	db       *postgres.DB
	today    time.Time
	campaign int64
	phases   [3]int64
	units    map[string]int64
}

func newQueueFixture(t *testing.T) queueFixture {
	t.Helper()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	f := queueFixture{db: db, today: domain.Day(2026, 6, 15), units: map[string]int64{}}
	exec := func(sql string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := db.Pool.QueryRow(ctx, sql+` RETURNING id`, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return id
	}
	unit := func(name string, kind domain.UnitKind, parent *int64) int64 {
		t.Helper()
		id, err := db.CreateUnit(ctx, domain.UnitInput{Name: name, Kind: kind, ParentID: parent})
		if err != nil {
			t.Fatal(err)
		}
		f.units[name] = id
		return id
	}
	province := unit("Tỉnh Đồng Tháp", domain.KindProvince, nil)
	other := unit("Tỉnh An Giang", domain.KindProvince, nil)
	for _, n := range []string{"Sở 1", "Sở 2", "Sở 3", "Sở 4", "Sở 5", "Sở 6"} {
		unit(n, domain.KindDepartment, &province)
	}
	campaign := func(title, status string, kinds []string, scope *int64) int64 {
		return exec(`INSERT INTO campaigns (plan_number, title, issuer_name, issue_date, kind, period_start, period_end, status, target_kinds, scope_unit_id)
			VALUES ($1, $2, 'UBND tỉnh', '2026-01-01', 'regular', '2026-01-01', '2026-12-31', $3, coalesce($4, '{}'::text[]), $5)`, title+"/KH", title, status, kinds, scope)
	}
	phase := func(c int64, seq int, regDeadline, from, to string) int64 {
		var reg any
		if regDeadline != "" {
			reg = regDeadline
		}
		return exec(`INSERT INTO phases (campaign_id, seq, name, start_date, end_date, registration_deadline, assessment_from, assessment_to, review_kind)
			VALUES ($1, $2, $3, '2026-01-01', '2026-12-31', $4::date, nullif($5, '')::date, nullif($6, '')::date, 'interim')`, c, seq, fmt.Sprintf("Đợt %d", seq), reg, from, to)
	}
	f.campaign = campaign("Cải cách hành chính", "announced", nil, nil)
	f.phases[0] = phase(f.campaign, 1, "2026-05-31", "2026-06-01", "2026-06-10") // closed five days ago
	f.phases[1] = phase(f.campaign, 2, "2026-06-18", "2026-06-12", "2026-06-20") // open, closing within the week
	f.phases[2] = phase(f.campaign, 3, "", "2026-09-01", "2026-09-30")           // later
	set := exec(`INSERT INTO criteria_sets (campaign_id, name) VALUES ($1, 'Sở')`, f.campaign)
	reg := func(c int64, unit, status string) int64 {
		return exec(`INSERT INTO registrations (campaign_id, unit_id, status) VALUES ($1, $2, $3)`, c, f.units[unit], status)
	}
	form := func(c, s, r, phase int64, unit, status string, extension any) {
		exec(`INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id, registration_id, status, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			c, s, phase, f.units[unit], r, status, extension)
	}
	r1, r2, r3, r6 := reg(f.campaign, "Sở 1", "approved"), reg(f.campaign, "Sở 2", "approved"), reg(f.campaign, "Sở 3", "approved"), reg(f.campaign, "Sở 6", "approved")
	reg(f.campaign, "Sở 4", "pending")
	reg(f.campaign, "Sở 5", "draft")
	form(f.campaign, set, r1, f.phases[0], "Sở 1", "submitted", nil)
	form(f.campaign, set, r1, f.phases[1], "Sở 1", "submitted", nil)
	form(f.campaign, set, r2, f.phases[0], "Sở 2", "draft", nil) // late
	form(f.campaign, set, r2, f.phases[1], "Sở 2", "returned", nil)
	form(f.campaign, set, r6, f.phases[0], "Sở 6", "draft", "2026-06-20") // extended: not late
	_ = r3                                                                // Sở 3 never started phase 1: late

	// Left out: a draft campaign's registration, a closed campaign's forms,
	// campaigns for communes, for another province, or past their
	// registration deadline.
	draft := campaign("Bản nháp", "draft", nil, nil)
	phase(draft, 1, "2026-06-16", "2026-06-01", "2026-06-10")
	reg(draft, "Sở 4", "pending")
	closed := campaign("Đã kết thúc", "closed", nil, nil)
	cp := phase(closed, 1, "", "2026-06-01", "2026-06-10")
	cset := exec(`INSERT INTO criteria_sets (campaign_id, name) VALUES ($1, 'Sở')`, closed)
	form(closed, cset, reg(closed, "Sở 2", "approved"), cp, "Sở 2", "submitted", nil)
	phase(campaign("Cho xã", "announced", []string{"commune"}, nil), 1, "2026-06-30", "", "")
	phase(campaign("Tỉnh khác", "announced", nil, &other), 1, "2026-06-30", "", "")
	phase(campaign("Hết hạn đăng ký", "announced", nil, nil), 1, "2026-06-01", "", "")
	f.units["province"] = province
	phase(campaign("Trong tỉnh", "announced", []string{"department"}, &province), 1, "", "", "")
	return f
}

// TestStaffQueueCounts checks the staff queue's counts against the fixture,
// counted by hand.
func TestStaffQueueCounts(t *testing.T) {
	t.Parallel()
	f := newQueueFixture(t)
	q, err := f.db.StaffQueue(context.Background(), f.today, 7)
	if err != nil {
		t.Fatal(err)
	}
	var got *postgres.CampaignQueue
	for i := range q.Campaigns {
		if q.Campaigns[i].ID == f.campaign {
			got = &q.Campaigns[i]
		} else if c := q.Campaigns[i]; c.Pending+c.Submitted+c.Late != 0 {
			t.Errorf("campaign %q counts %+v, want nothing", c.Title, c)
		}
	}
	if got == nil {
		t.Fatalf("the announced campaign is missing: %+v", q.Campaigns)
	}
	// Pending: Sở 4. Submitted: Sở 1 twice. Late: Sở 2 (a draft) and Sở 3
	// (never started) in phase 1; Sở 6's extension runs until the 20th.
	if got.Pending != 1 || got.Submitted != 2 || got.Late != 2 {
		t.Errorf("counts %+v, want 1 pending, 2 submitted, 2 late", *got)
	}
	for _, c := range q.Campaigns {
		if c.Title == "Bản nháp" || c.Title == "Đã kết thúc" {
			t.Errorf("a %s campaign is in the queue", c.Title)
		}
	}
	if p, s, l := q.Totals(); p != 1 || s != 2 || l != 2 {
		t.Errorf("totals %d %d %d", p, s, l)
	}
	// Within seven days: phase 2's registration deadline (Sở 5's draft not
	// sent) on the 18th, its self-assessment deadline (Sở 2, 3 and 6 have
	// not submitted it) on the 20th. The draft campaign's deadline on the
	// 16th is not staff work yet.
	want := []string{"registration Đợt 2 18/06 1", "assessment Đợt 2 20/06 3"}
	var seen []string
	for _, d := range q.Deadlines {
		seen = append(seen, fmt.Sprintf("%s %s %s %d", d.Kind, d.Phase, d.Date.Format("02/01"), d.Outstanding))
	}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("deadlines %q, want %q", seen, want)
	}
	// A week later phase 2 has closed: Sở 2 (returned, not resubmitted),
	// Sở 3 and Sở 6 (its extension ended) are late in it, Sở 3 and Sở 6 in
	// phase 1 too, besides Sở 2.
	q, err = f.db.StaffQueue(context.Background(), f.today.AddDate(0, 0, 7), 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range q.Campaigns {
		if c.ID == f.campaign && c.Late != 6 {
			t.Errorf("a week later: %d late, want 6", c.Late)
		}
	}
}

// TestUnitQueue checks a focal point's forms and open registrations.
func TestUnitQueue(t *testing.T) {
	t.Parallel()
	f := newQueueFixture(t)
	ctx := context.Background()
	forms := func(unit string) []string {
		t.Helper()
		q, err := f.db.UnitQueue(ctx, f.units[unit], f.today)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range q.Forms {
			st := string(d.Status)
			if st == "" {
				st = "none"
			}
			out = append(out, fmt.Sprintf("%s %s %s", d.Phase, st, d.Due().Format("02/01")))
		}
		return out
	}
	// Sở 2: phase 1 late (a draft), phase 2 returned, phase 3 not started.
	if got, want := forms("Sở 2"), []string{"Đợt 1 draft 10/06", "Đợt 2 returned 20/06", "Đợt 3 none 30/09"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Sở 2: %q, want %q", got, want)
	}
	// Sở 1: phase 1 submitted and closed drops out; phase 2 submitted stays
	// until its deadline.
	if got, want := forms("Sở 1"), []string{"Đợt 2 submitted 20/06", "Đợt 3 none 30/09"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Sở 1: %q, want %q", got, want)
	}
	// Sở 6's extension is its deadline.
	if got, want := forms("Sở 6"), []string{"Đợt 1 draft 20/06", "Đợt 2 none 20/06", "Đợt 3 none 30/09"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Sở 6: %q, want %q", got, want)
	}
	// Not approved: no forms.
	if got := forms("Sở 5"); len(got) != 0 {
		t.Errorf("Sở 5 (draft registration): %q", got)
	}
	regs := func(unit string) []string {
		t.Helper()
		q, err := f.db.UnitQueue(ctx, f.units[unit], f.today)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range q.Registrations {
			out = append(out, r.Title+":"+string(r.Status))
		}
		return out
	}
	// Sở 5 may still send its draft (deadline 18/06) and register in the
	// province's own campaign (no deadline); not in a commune campaign,
	// another province's, one past its deadline, a draft or a closed one.
	if got, want := regs("Sở 5"), []string{"Cải cách hành chính:draft", "Trong tỉnh:"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Sở 5 registrations %q, want %q", got, want)
	}
	// Sở 1 is approved in the first: only the second is left.
	if got, want := regs("Sở 1"), []string{"Trong tỉnh:"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Sở 1 registrations %q, want %q", got, want)
	}
}
