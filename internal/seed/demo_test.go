package seed

import (
	"context"
	"strings"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/password"
	"thidua/internal/pgtest"
	"thidua/internal/storage"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestDemoOnce(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	logins, seeded, err := Demo(ctx, db, WithEvidence(&storage.Local{Dir: t.TempDir()}))
	if err != nil || !seeded || len(logins) < 4 {
		t.Fatalf("first seed: %v seeded=%v logins=%d", err, seeded, len(logins))
	}
	roles := map[domain.Role]bool{}
	for _, l := range logins {
		u, err := db.UserByEmail(ctx, l.Email)
		if err != nil {
			t.Fatal(err)
		}
		roles[u.Role] = true
		if ok, _ := password.Verify(DemoPassword, u.PasswordHash); !ok {
			t.Errorf("%s: demo password does not work", l.Email)
		}
		if u.Role == domain.RoleFocalPoint && u.UnitName == "" {
			t.Errorf("%s: focal point without a unit", l.Email)
		}
	}
	if len(roles) != 4 {
		t.Errorf("demo logins cover roles %v, want all four", roles)
	}
	var campaigns, public, sets int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE status IN ('announced', 'closed')), (SELECT count(*) FROM criteria_sets) FROM campaigns`).Scan(&campaigns, &public, &sets)
	if campaigns != 6 || public != 6 || sets != 6 {
		t.Errorf("demo campaigns: %d, public %d, criteria sets %d (the five of the articles and one running now)", campaigns, public, sets)
	}
	var days int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM holidays WHERE day BETWEEN '2025-01-01' AND '2027-12-31'`).Scan(&days)
	if days != len(holidays) || days < 30 {
		t.Errorf("demo holidays: %d, want the %d of 2025–2027", days, len(holidays))
	}
	// The running one can be tried at once: a form opened within its window,
	// and a registration waiting for staff.
	var forms, pending int
	_ = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM assessments a JOIN phases p ON p.id = a.phase_id
		WHERE a.status = 'draft' AND p.assessment_from <= current_date AND current_date <= p.assessment_to),
		(SELECT count(*) FROM registrations WHERE status = 'pending')`).Scan(&forms, &pending)
	if forms != 1 || pending != 1 {
		t.Errorf("running campaign: %d open forms, %d pending registrations; want 1 and 1", forms, pending)
	}
	// A demo login fills that form.
	var filler string
	_ = db.Pool.QueryRow(ctx, `SELECT us.email FROM users us JOIN assessments a ON a.unit_id = us.unit_id JOIN phases p ON p.id = a.phase_id
		WHERE us.role = 'focal_point' AND a.status = 'draft' AND p.assessment_from <= current_date AND current_date <= p.assessment_to`).Scan(&filler)
	if filler != "daumoi.khcn@thidua.local" {
		t.Errorf("the open form's focal point: %q", filler)
	}
	// Its later steps too: forms submitted, appraised and waiting for the
	// unit's reply, replied, locked, past the reply window.
	stages := map[string]string{}
	rows, err := db.Pool.Query(ctx, `SELECT u.code, a.status || CASE WHEN a.reply_submitted_at IS NOT NULL THEN '+sent' ELSE '' END
		|| CASE WHEN a.reply_until < current_date THEN '+over' ELSE '' END
		FROM assessments a JOIN units u ON u.id = a.unit_id JOIN campaigns c ON c.id = a.campaign_id WHERE c.plan_number = 'Minh họa'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code, stage string
		_ = rows.Scan(&code, &stage)
		stages[code] = stage
	}
	rows.Close()
	want := map[string]string{"STP": "appraised", "STC": "appraised+sent", "SXD": "locked+sent", "SCT": "appraised+over", "SGDDT": "submitted", "SKHCN": "draft"}
	for code, st := range want {
		if stages[code] != st {
			t.Errorf("running campaign, %s: %q, want %q", code, stages[code], st)
		}
	}
	var appraised, final, assigned int
	_ = db.Pool.QueryRow(ctx, `SELECT appraised_converted, final_converted, (SELECT count(*) FROM appraisal_assignments)
		FROM assessments a JOIN units u ON u.id = a.unit_id WHERE u.code = 'SXD'`).Scan(&appraised, &final, &assigned)
	if final <= appraised || assigned != 4+len(demoCommunes) {
		t.Errorf("Sở Xây dựng: appraised %d, final %d (an accepted reply raises it); %d forms assigned, want %d", appraised, final, assigned, 4+len(demoCommunes))
	}
	// The communes' results are approved, their shortlist is on public
	// notice (3 of the quota in the list, the "Khá" ones excluded), with one
	// objection answered and one waiting.
	var published, listed, excluded, objections, answered int
	var status string
	err = db.Pool.QueryRow(ctx, `WITH gk AS (SELECT s.* FROM shortlists s JOIN award_plans p ON p.id = s.plan_id
			JOIN award_forms f ON f.id = p.award_form_id WHERE f.code = 'giay_khen')
		SELECT (SELECT count(*) FROM phase_results WHERE status = 'approved' AND published_at IS NOT NULL),
			(SELECT count(*) FROM shortlist_entries e JOIN gk ON gk.id = e.shortlist_id WHERE e.status IN ('proposed', 'added') AND target = 'collective'),
			(SELECT count(*) FROM shortlist_entries e JOIN gk ON gk.id = e.shortlist_id WHERE e.status = 'excluded' AND target = 'collective'),
			(SELECT count(*) FROM objections), (SELECT count(*) FROM objections WHERE outcome IS NOT NULL),
			(SELECT gk.status FROM gk JOIN notices n ON n.shortlist_id = gk.id)`).
		Scan(&published, &listed, &excluded, &objections, &answered, &status)
	if err != nil || published != 1 || listed != 3 || excluded != len(demoCommunes)-3 || objections != 2 || answered != 1 || status != "noticed" {
		t.Errorf("awards: %d groups published, %d listed, %d excluded, %d objections (%d answered), shortlist %q, %v",
			published, listed, excluded, objections, answered, status, err)
	}
	// The council (issue 12): the title's list went through a notice that
	// has ended to last week's session, closed (two passed, one failed),
	// whose decision the demo leader signed and which is public; today's
	// session is open and waits for the demo leader's vote.
	var members, sessionsClosed, passed, failed, achievements int
	var number, decisionStatus string
	err = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM council_members),
			(SELECT count(*) FROM council_sessions WHERE status = 'closed'),
			(SELECT count(*) FROM session_nominees WHERE outcome = 'passed'),
			(SELECT count(*) FROM session_nominees WHERE outcome = 'failed'),
			(SELECT number FROM decisions), (SELECT status FROM decisions),
			(SELECT count(*) FROM achievements WHERE decision_id IS NOT NULL)`).
		Scan(&members, &sessionsClosed, &passed, &failed, &number, &decisionStatus, &achievements)
	if err != nil || members != 10 || sessionsClosed != 1 || passed != 2 || failed != 1 || number != "01/QĐ-UBND" ||
		decisionStatus != "signed" || achievements != 2 {
		t.Errorf("council: %d members, %d closed sessions, %d passed, %d failed, decision %q %s, %d achievements, %v",
			members, sessionsClosed, passed, failed, number, decisionStatus, achievements, err)
	}
	leader, err := db.UserByEmail(ctx, "lanhdao@thidua.local")
	if err != nil {
		t.Fatal(err)
	}
	if toVote, err := db.SessionsToVote(ctx, leader.ID); err != nil || len(toVote) != 1 {
		t.Errorf("the demo leader has %d sessions to vote in, want 1 (%v)", len(toVote), err)
	}
	var qnCollective, qnIndividual, qnPhases int
	err = db.Pool.QueryRow(ctx, `SELECT
			(SELECT q.quota FROM award_quotas q WHERE q.plan_id = p.id AND q.phase_id IS NULL AND q.target = 'collective'),
			(SELECT q.quota FROM award_quotas q WHERE q.plan_id = p.id AND q.phase_id IS NULL AND q.target = 'individual'),
			(SELECT count(*) FROM phases WHERE campaign_id = c.id)
		FROM campaigns c JOIN award_plans p ON p.campaign_id = c.id WHERE c.title LIKE '%Quảng Ngãi%'`).Scan(&qnCollective, &qnIndividual, &qnPhases)
	if err != nil || qnCollective != 8 || qnIndividual != 10 || qnPhases != 2 {
		t.Errorf("Quảng Ngãi: %d collectives, %d individuals, %d phases, %v", qnCollective, qnIndividual, qnPhases, err)
	}
	var units int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&units)
	_, seeded, err = Demo(ctx, db)
	if err != nil || seeded {
		t.Fatalf("second seed: %v seeded=%v", err, seeded)
	}
	var after int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&after)
	if after != units {
		t.Errorf("second seed changed units: %d → %d", units, after)
	}
}

// TestDemoHistoricKinds is issue 8 point 12: the communes, wards and towns
// before 01/07/2025 carry their own kinds, as their names say.
func TestDemoHistoricKinds(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	if _, _, err := Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Pool.Query(ctx, `SELECT name, kind FROM units WHERE valid_to IS NOT NULL AND kind IN ('commune', 'ward', 'town') ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var name, kind string
		if err := rows.Scan(&name, &kind); err != nil {
			t.Fatal(err)
		}
		key := domain.SearchKey(name)
		want := "commune"
		switch {
		case strings.Contains(key, "phuong"):
			want = "ward"
		case strings.Contains(key, "thi tran"):
			want = "town"
		}
		if kind != want {
			t.Errorf("%s is typed %s, want %s", name, kind, want)
		}
		counts[kind]++
	}
	if counts["ward"] == 0 || counts["town"] == 0 || counts["commune"] == 0 {
		t.Errorf("historic kinds: %v", counts)
	}
}

// TestDemoIndexValues: the running campaign's SIPAS and dossiers-on-time
// criteria are linked to last year's indices, whose values are imported
// with their source for the departments and the new communes (Sở Y tế
// without an on-time share, to show a unit without a value).
func TestDemoIndexValues(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	if _, _, err := Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	var linked, values, sources, syt int
	year := domain.DateOf(db.Now()).Year() - 1
	_ = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM criteria WHERE measure_id IS NOT NULL AND measure_period = $1),
		(SELECT count(*) FROM measure_values WHERE period = $1 AND replaced_at IS NULL),
		(SELECT count(DISTINCT source) FROM measure_values),
		(SELECT count(*) FROM measure_values v JOIN units u ON u.id = v.unit_id WHERE u.code = 'SYT')`, year).Scan(&linked, &values, &sources, &syt)
	if linked != 4 || values != 2*len(departments)-1+2*len(newCommunes) || sources != 2 || syt != 1 {
		t.Errorf("demo indices: %d linked criteria, %d values, %d sources, %d of Sở Y tế", linked, values, sources, syt)
	}
}

// The demo's holidays are working days only (a weekend is skipped anyway),
// and a working-day count over them skips Tết.
func TestDemoHolidays(t *testing.T) {
	for _, h := range holidays {
		if !domain.IsWorkingDay(h.Day, nil) {
			t.Errorf("%s (%s) falls on a weekend", h.Day.Format("02/01/2006"), h.Name)
		}
		if err := h.Validate(); err != nil {
			t.Errorf("%s: %v", h.Name, err)
		}
	}
	off := domain.Holidays{}
	for _, h := range holidays {
		off[h.Day] = true
	}
	if got := domain.AddWorkingDays(domain.Day(2026, 2, 13), 1, off); !got.Equal(domain.Day(2026, 2, 23)) {
		t.Errorf("the working day after 13/02/2026: %s, want 23/02/2026", got.Format("02/01/2006"))
	}
}
