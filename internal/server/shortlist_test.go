package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
)

// shortlistFixture is a campaign whose phase has approved results and
// received nominations of individuals for its Bằng khen plan.
type shortlistFixture struct {
	a                   *app
	wk                  work
	plan                int64
	units               map[string]int64 // by name
	persons             map[string]int64 // by name
	nominations         map[string]int64 // by person's name
	staff, leader, fp   *client
	page, propose, base string
}

// newQuangNgai builds the Quảng Ngãi scenario (Kế hoạch 25/KH-UBND of
// 11/04/2018: Bằng khen for at most 8 collectives and 10 individuals per
// phase): 40 collectives with approved results in one phase and 60
// nominated individuals, their nominations received. finals are the 40
// units' final totals (hundredths), best first as given.
func newQuangNgai(t *testing.T, a *app) *shortlistFixture {
	t.Helper()
	ctx := context.Background()
	wk := newWork(t, a)
	fx := &shortlistFixture{a: a, wk: wk, units: map[string]int64{}, persons: map[string]int64{}, nominations: map[string]int64{}}
	if _, err := a.db.Pool.Exec(ctx, `UPDATE campaigns SET plan_number = '25/KH-UBND', title = 'Thi đua đẩy mạnh cải cách hành chính tỉnh Quảng Ngãi'
		WHERE id = $1`, wk.campaign); err != nil {
		t.Fatal(err)
	}
	if err := a.db.Pool.QueryRow(ctx, `SELECT id FROM award_plans WHERE campaign_id = $1`, wk.campaign).Scan(&fx.plan); err != nil {
		t.Fatal(err)
	}
	// Finals: the best (99.00) has a pending discipline; 98 … 92 are the
	// next seven; two share 91.50 at the 8th place; then Tốt down to 80;
	// then Khá (70.00, 68.00) and below.
	finals := []int{9900, 9800, 9700, 9600, 9500, 9400, 9300, 9200, 9150, 9150}
	for f := 9000; len(finals) < 36; f -= 100 {
		finals = append(finals, f)
	}
	finals = append(finals, 7000, 6800, 5500, 4000)
	var names []string
	for i, f := range finals {
		name := fmt.Sprintf("Đơn vị %02d", i+1)
		switch i {
		case 0:
			name = "Sở Tư pháp"
		case 8:
			name = "Sở Xây dựng"
		case 9:
			name = "Sở Công Thương"
		case 36:
			name = "UBND huyện Sơn Tịnh"
		}
		id := wk.resultForm(t, a, name, domain.AssessLocked, f, f, f)
		var unit int64
		_ = a.db.Pool.QueryRow(ctx, `SELECT unit_id FROM assessments WHERE id = $1`, id).Scan(&unit)
		fx.units[name] = unit
		names = append(names, name)
	}
	fx.staff, _ = a.loggedIn(domain.RoleStaff)
	fx.leader, _ = a.loggedIn(domain.RoleLeader)
	fx.fp, _ = a.loggedIn(domain.RoleFocalPoint)
	wantStatus(t, fx.staff.post(wk.resultsAction("propose"), url.Values{"version": {"0"}}), http.StatusSeeOther)
	wantStatus(t, fx.leader.post(wk.resultsAction("approve"), url.Values{"version": {"1"}}), http.StatusSeeOther)

	// 60 individuals: one in each unit, a second in each of the first 20.
	for i := range 60 {
		unit := fx.units[names[i%40]]
		name := fmt.Sprintf("Cán bộ %02d", i+1)
		var person, nom int64
		if err := a.db.Pool.QueryRow(ctx, `INSERT INTO people (full_name, category, position) VALUES ($1, 'cong_chuc', 'Chuyên viên') RETURNING id`,
			name).Scan(&person); err != nil {
			t.Fatal(err)
		}
		if err := a.db.Pool.QueryRow(ctx, `INSERT INTO nominations (campaign_id, phase_id, plan_id, unit_id, person_id, status)
			VALUES ($1, $2, $3, $4, $5, 'received') RETURNING id`, wk.campaign, wk.phase, fx.plan, unit, person).Scan(&nom); err != nil {
			t.Fatal(err)
		}
		fx.persons[name], fx.nominations[name] = person, nom
	}
	fx.base = fmt.Sprintf("%s/shortlist/%d/%d", wk.page, wk.phase, fx.plan)
	fx.page = fmt.Sprintf("%s/shortlist?phase=%d&plan=%d", wk.page, wk.phase, fx.plan)
	fx.propose = fx.base + "/propose"
	return fx
}

// flag sets a pending flag on a unit or person, from before the phase's
// end and still open.
func (fx *shortlistFixture) flag(t *testing.T, column string, id int64, kind, reason string) {
	t.Helper()
	if _, err := fx.a.db.Pool.Exec(context.Background(), `INSERT INTO pending_flags (`+column+`, kind, reason, valid_from) VALUES ($1, $2, $3, '2026-01-15')`,
		id, kind, reason); err != nil {
		t.Fatal(err)
	}
}

// entry finds a candidate's row on the shortlist page by name.
func entryRow(doc *goquery.Document, name string) *goquery.Selection {
	return doc.Find("tr.entry").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.TrimSpace(s.Find(".candidate").Text()) == name
	})
}

// entryID reads a candidate's entry ID from the database.
func (fx *shortlistFixture) entryID(t *testing.T, unit, person int64) int64 {
	t.Helper()
	var id int64
	if err := fx.a.db.Pool.QueryRow(context.Background(), `SELECT e.id FROM shortlist_entries e JOIN shortlists s ON s.id = e.shortlist_id
		WHERE s.plan_id = $1 AND s.phase_id = $2 AND e.unit_id = $3 AND e.person_id IS NOT DISTINCT FROM $4`, fx.plan, fx.wk.phase, unit,
		map[bool]any{true: nil, false: person}[person == 0]).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// state counts what the shortlist has written: its version, its steps,
// the entries listed per group, the audit entries and nomination steps.
func (fx *shortlistFixture) state(t *testing.T) string {
	t.Helper()
	var version, steps, coll, indiv, audits, nomSteps int
	_ = fx.a.db.Pool.QueryRow(context.Background(), `SELECT coalesce((SELECT version FROM shortlists WHERE plan_id = $1 AND phase_id = $2), 0),
		(SELECT count(*) FROM shortlist_steps),
		(SELECT count(*) FROM shortlist_entries WHERE target = 'collective' AND status IN ('proposed', 'added')),
		(SELECT count(*) FROM shortlist_entries WHERE target = 'individual' AND status IN ('proposed', 'added')),
		(SELECT count(*) FROM audit_log WHERE action LIKE 'shortlist.%'), (SELECT count(*) FROM nomination_steps)`, fx.plan, fx.wk.phase).
		Scan(&version, &steps, &coll, &indiv, &audits, &nomSteps)
	return fmt.Sprintf("v%d steps=%d listed=%d+%d audit=%d nomination_steps=%d", version, steps, coll, indiv, audits, nomSteps)
}

func (fx *shortlistFixture) wantState(t *testing.T, want string) {
	t.Helper()
	if got := fx.state(t); got != want {
		t.Fatalf("shortlist state %q, want %q", got, want)
	}
}

func cellText(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// TestShortlistQuangNgai is acceptance 1: 40 collectives and 60
// individuals with results in one phase; the proposal holds at most 8
// collectives and 10 individuals; a "Khá" is excluded with that reason; a
// tie at the 8th place is flagged, never broken; a pending discipline
// excludes with its reason; staff's override is recorded with its reason
// and shown to the leader. Refusals (no reason, no override, stale page,
// double submit, the quota full, wrong role, foreign IDs) write nothing.
func TestShortlistQuangNgai(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	fx := newQuangNgai(t, a)
	ctx := context.Background()
	staff, leader := fx.staff, fx.leader

	// The plan's quotas, set on the awards page with their citation.
	cite := "Kế hoạch số 25/KH-UBND ngày 11/04/2018 của UBND tỉnh Quảng Ngãi"
	for target, n := range map[string]string{"collective": "8", "individual": "10"} {
		wantStatus(t, staff.post(fx.wk.page+"/awards/quotas", url.Values{"plan_id": {fmt.Sprint(fx.plan)}, "phase_id": {""}, "target": {target},
			"quota": {n}, "citation": {cite}}), http.StatusSeeOther)
	}
	// The rules beside the plan's minimum band, each with its citation and
	// days in force: one that comes into force only in 2030 is listed on
	// the awards page but not applied to this phase.
	plan := fmt.Sprint(fx.plan)
	for _, rule := range []url.Values{
		{"plan_id": {plan}, "kind": {"no_pending_flag"}, "citation": {"Điều 5 Nghị định 152/2025/NĐ-CP"}, "in_force_from": {"2025-07-01"}},
		{"plan_id": {plan}, "kind": {"one_award"}, "citation": {"Khoản 3 Điều 6 Luật Thi đua, khen thưởng 2022"}, "in_force_from": {"2024-01-01"}},
		{"plan_id": {plan}, "kind": {"min_band"}, "min_band": {"excellent"}, "citation": {"Dự thảo sửa đổi"}, "in_force_from": {"2030-01-01"}},
	} {
		wantStatus(t, staff.post(fx.wk.page+"/awards/rules", rule), http.StatusSeeOther)
	}
	// A rule without a citation, or ending before it starts: refused.
	resp := staff.post(fx.wk.page+"/awards/rules", url.Values{"plan_id": {plan}, "kind": {"one_award"}, "in_force_from": {"2025-01-01"}, "in_force_to": {"2024-01-01"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if d := htmlOf(t, resp); d.Find("#citation-error").Length() != 1 || d.Find("#in_force_to-error").Length() != 1 {
		t.Error("the refused rule's problems are not beside their fields")
	}
	// A quota without its citation is refused with the field named.
	resp = staff.post(fx.wk.page+"/awards/quotas", url.Values{"plan_id": {fmt.Sprint(fx.plan)}, "target": {"collective"}, "quota": {"3"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if htmlOf(t, resp).Find("#quota_citation-error").Length() != 1 {
		t.Error("no problem beside the quota's citation")
	}
	awards := htmlOf(t, staff.get(fx.wk.page+"/awards"))
	if text := cellText(awards.Find("#rules")); !strings.Contains(text, "Mọi đợt · Tập thể: 8 Căn cứ: "+cite) ||
		!strings.Contains(text, "Xếp loại từ Tốt trở lên") || !strings.Contains(text, "Hiệu lực: không giới hạn") ||
		!strings.Contains(text, "Xếp loại từ Xuất sắc trở lên Căn cứ: Dự thảo sửa đổi Hiệu lực: từ 01/01/2030") {
		t.Errorf("rules and quotas on the awards page: %s", text)
	}

	fx.flag(t, "unit_id", fx.units["Sở Tư pháp"], "discipline", "Xem xét kỷ luật theo Kết luận thanh tra số 12/KL-TTr")
	fx.flag(t, "person_id", fx.persons["Cán bộ 02"], "complaint", "Đơn tố cáo ngày 02/03/2026")

	// Before the proposal: the page says so; a leader cannot propose.
	doc := htmlOf(t, staff.get(fx.page))
	if !strings.Contains(doc.Find("main").Text(), "Chưa lập danh sách cho đợt và hình thức này.") {
		t.Error("no 'not proposed' line")
	}
	wantStatus(t, leader.post(fx.propose, url.Values{"version": {"0"}}), http.StatusForbidden)
	wantStatus(t, fx.fp.get(fx.page), http.StatusForbidden)
	fx.wantState(t, "v0 steps=0 listed=0+0 audit=0 nomination_steps=0")

	// The proposal, then the same form sent again: refused, nothing more.
	wantStatus(t, staff.post(fx.propose, url.Values{"version": {"0"}}), http.StatusSeeOther)
	fx.wantState(t, "v1 steps=1 listed=7+9 audit=1 nomination_steps=58")
	resp = staff.post(fx.propose, url.Values{"version": {"0"}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "Danh sách đã thay đổi từ khi trang này được mở") {
		t.Error("double submit: no stale message")
	}
	fx.wantState(t, "v1 steps=1 listed=7+9 audit=1 nomination_steps=58")

	doc = htmlOf(t, staff.get(fx.page))
	coll, indiv := doc.Find("#group-collective"), doc.Find("#group-individual")
	if got := cellText(coll.Find(".status-line")); got != "Chỉ tiêu: tối đa 8 · Đề nghị 7 · bằng điểm chờ quyết định 2 · không đề nghị 31" {
		t.Errorf("collectives: %s", got)
	}
	if got := cellText(indiv.Find(".status-line")); got != "Chỉ tiêu: tối đa 10 · Đề nghị 9 · bằng điểm chờ quyết định 2 · không đề nghị 49" {
		t.Errorf("individuals: %s", got)
	}
	checks := []struct{ name, status, why string }{
		{"Sở Tư pháp", "Không đề nghị", "Chưa đạt: đang bị xem xét kỷ luật (từ 15/01/2026): Xem xét kỷ luật theo Kết luận thanh tra số 12/KL-TTr"},
		{"Đơn vị 02", "Đề nghị", ""},
		{"Sở Xây dựng", "Bằng điểm – chờ quyết định", "Bằng tổng điểm với ứng viên khác tại ranh giới chỉ tiêu 8"},
		{"Sở Công Thương", "Bằng điểm – chờ quyết định", "Bằng tổng điểm với ứng viên khác tại ranh giới chỉ tiêu 8"},
		{"Đơn vị 11", "Không đề nghị", "Ngoài chỉ tiêu 8."},
		{"UBND huyện Sơn Tịnh", "Không đề nghị", "Chưa đạt: xếp loại Khá, yêu cầu từ Tốt trở lên"},
		{"Cán bộ 02", "Không đề nghị", "Chưa đạt: đang có khiếu nại, tố cáo chưa giải quyết (từ 15/01/2026): Đơn tố cáo ngày 02/03/2026"},
		{"Cán bộ 41", "Đề nghị", ""},
	}
	for _, c := range checks {
		row := entryRow(doc, c.name)
		if row.Length() != 1 {
			t.Errorf("%s: %d rows", c.name, row.Length())
			continue
		}
		if got := cellText(row.Find(".badge")); got != c.status {
			t.Errorf("%s: status %q, want %q", c.name, got, c.status)
		}
		if got := cellText(row.Find(".why")); !strings.HasPrefix(got, c.why) || (c.why == "" && got != "") {
			t.Errorf("%s: why %q, want %q", c.name, got, c.why)
		}
	}
	// Every rule's outcome is on each row, the Khá's failing one marked.
	if got := cellText(entryRow(doc, "UBND huyện Sơn Tịnh").Find("li.outcome.fail")); !strings.Contains(got, "Chưa đạt: xếp loại Khá, yêu cầu từ Tốt trở lên") {
		t.Errorf("Khá's failing outcome: %q", got)
	}
	if n := entryRow(doc, "Đơn vị 02").Find("li.outcome.pass").Length(); n != 3 {
		t.Errorf("a proposed unit shows %d passing outcomes, want 3", n)
	}
	// The nominations say where they stand, with the reason.
	var status, reason string
	_ = a.db.Pool.QueryRow(ctx, `SELECT status, reason FROM nominations WHERE id = $1`, fx.nominations["Cán bộ 02"]).Scan(&status, &reason)
	if status != "not_shortlisted" || !strings.HasPrefix(reason, "Chưa đạt: đang có khiếu nại, tố cáo chưa giải quyết") {
		t.Errorf("flagged nominee: %s %q", status, reason)
	}
	_ = a.db.Pool.QueryRow(ctx, `SELECT status FROM nominations WHERE id = $1`, fx.nominations["Cán bộ 41"]).Scan(&status)
	if status != "shortlisted" {
		t.Errorf("nominee in the list: %s", status)
	}

	// Staff settle the tie: a reason is required; the page kept at v1.
	xd, ct := fx.entryID(t, fx.units["Sở Xây dựng"], 0), fx.entryID(t, fx.units["Sở Công Thương"], 0)
	entry := func(id int64, action string) string { return fmt.Sprintf("%s/entries/%d/%s", fx.base, id, action) }
	resp = staff.post(entry(xd, "add"), url.Values{"version": {"1"}, "reason": {"  "}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if htmlOf(t, resp).Find(fmt.Sprintf("#add-reason-%d-error", xd)).Length() != 1 {
		t.Error("no problem beside the reason")
	}
	wantStatus(t, staff.post(entry(xd, "add"), url.Values{"version": {"1"}, "reason": {"Hội đồng cơ sở bình xét cao hơn"}}), http.StatusSeeOther)
	fx.wantState(t, "v2 steps=2 listed=8+9 audit=2 nomination_steps=58")
	// The same click again (the page still at v1): refused, nothing more.
	wantStatus(t, staff.post(entry(xd, "add"), url.Values{"version": {"1"}, "reason": {"Hội đồng cơ sở bình xét cao hơn"}}), http.StatusConflict)
	// The quota is full: the other tied unit cannot be added, only removed.
	resp = staff.post(entry(ct, "add"), url.Values{"version": {"2"}, "reason": {"Cũng xứng đáng"}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "Đã đủ chỉ tiêu 8") {
		t.Error("quota full: no message")
	}
	wantStatus(t, staff.post(entry(ct, "remove"), url.Values{"version": {"2"}, "reason": {"Bằng điểm, hội đồng cơ sở xếp sau Sở Xây dựng"}}), http.StatusSeeOther)
	fx.wantState(t, "v3 steps=3 listed=8+9 audit=3 nomination_steps=58")

	// A unit that withdraws leaves room; the Khá can be added only with an
	// override reason, which everyone then reads.
	wantStatus(t, staff.post(entry(fx.entryID(t, fx.units["Đơn vị 02"], 0), "remove"), url.Values{"version": {"3"}, "reason": {"Đơn vị xin rút"}}), http.StatusSeeOther)
	kha := fx.entryID(t, fx.units["UBND huyện Sơn Tịnh"], 0)
	resp = staff.post(entry(kha, "add"), url.Values{"version": {"4"}, "reason": {"Thành tích đột xuất"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(cellText(htmlOf(t, resp).Find(fmt.Sprintf("#override-%d-error", kha))), "cần ghi lý do vượt điều kiện") {
		t.Error("no override problem")
	}
	fx.wantState(t, "v4 steps=4 listed=7+9 audit=4 nomination_steps=58")
	override := "Thành tích đột xuất trong giải quyết thủ tục hành chính <b>theo Quyết định 99/QĐ-UBND</b>"
	wantStatus(t, staff.post(entry(kha, "add"), url.Values{"version": {"4"}, "reason": {"Thành tích đột xuất"}, "override_reason": {override}}), http.StatusSeeOther)
	fx.wantState(t, "v5 steps=5 listed=8+9 audit=5 nomination_steps=58")

	// The leader reads it all, read-only: outcomes, reasons, the override
	// (escaped), the steps; no form but the one returning the list to
	// staff (TestShortlistReturn).
	resp = leader.get(fx.page)
	wantStatus(t, resp, http.StatusOK)
	body := bodyOf(resp)
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
	if doc.Find("main form[method=post]").Not("#return").Length() != 0 {
		t.Error("the leader's view has forms")
	}
	row := entryRow(doc, "UBND huyện Sơn Tịnh")
	if got := cellText(row.Find(".override")); got != "Vượt điều kiện – lý do: "+override {
		t.Errorf("override on the leader's view: %q", got)
	}
	if strings.Contains(body, "<b>theo") {
		t.Error("the override reason is not escaped")
	}
	if got := cellText(row.Find(".badge")); got != "Cán bộ bổ sung" {
		t.Errorf("Khá's status: %q", got)
	}
	if got := cellText(entryRow(doc, "Sở Công Thương").Find(".staff-reason")); got != "Lý do của cán bộ: Bằng điểm, hội đồng cơ sở xếp sau Sở Xây dựng" {
		t.Errorf("removal reason: %q", got)
	}
	if got := cellText(doc.Find("#history")); !strings.Contains(got, "Bổ sung · UBND huyện Sơn Tịnh") || !strings.Contains(got, override) {
		t.Errorf("history: %s", got)
	}
	var details string
	_ = a.db.Pool.QueryRow(ctx, `SELECT details::text FROM audit_log WHERE action = 'shortlist.entry' ORDER BY id DESC LIMIT 1`).Scan(&details)
	if !strings.Contains(details, "override_reason") {
		t.Errorf("audit of the override: %s", details)
	}

	// Proposing again keeps staff's decisions and reasons.
	wantStatus(t, staff.post(fx.propose, url.Values{"version": {"5"}}), http.StatusSeeOther)
	doc = htmlOf(t, staff.get(fx.page))
	if got := cellText(entryRow(doc, "UBND huyện Sơn Tịnh").Find(".override")); got != "Vượt điều kiện – lý do: "+override {
		t.Errorf("override after proposing again: %q", got)
	}
	if got := cellText(entryRow(doc, "Sở Công Thương").Find(".badge")); got != "Cán bộ đưa ra" {
		t.Errorf("removed after proposing again: %q", got)
	}
	fx.wantState(t, "v6 steps=6 listed=8+9 audit=6 nomination_steps=58")

	// Foreign IDs: another campaign's phase and plan, an entry of no list,
	// a plan of this campaign with another campaign's phase: 404, nothing
	// written.
	other := newWork(t, a)
	var otherPlan int64
	_ = a.db.Pool.QueryRow(ctx, `SELECT id FROM award_plans WHERE campaign_id = $1`, other.campaign).Scan(&otherPlan)
	for _, path := range []string{
		fmt.Sprintf("%s/shortlist/%d/%d/propose", fx.wk.page, other.phase, otherPlan),
		fmt.Sprintf("%s/shortlist/%d/%d/propose", fx.wk.page, other.phase, fx.plan),
		fmt.Sprintf("%s/shortlist/%d/%d/entries/%d/remove", other.page, other.phase, otherPlan, kha),
		fmt.Sprintf("%s/entries/%d/remove", fx.base, 987654),
	} {
		wantStatus(t, staff.post(path, url.Values{"version": {"6"}, "reason": {"x"}}), http.StatusNotFound)
	}
	wantStatus(t, staff.get(fmt.Sprintf("%s/shortlist?phase=%d&plan=%d", fx.wk.page, other.phase, otherPlan)), http.StatusNotFound)
	fx.wantState(t, "v6 steps=6 listed=8+9 audit=6 nomination_steps=58")
	// Wrong roles on the writes.
	for _, c := range []*client{leader, fx.fp} {
		wantStatus(t, c.post(entry(kha, "remove"), url.Values{"version": {"6"}, "reason": {"x"}}), http.StatusForbidden)
	}
	fx.wantState(t, "v6 steps=6 listed=8+9 audit=6 nomination_steps=58")
}

// TestShortlistPrerequisiteAcrossMerger is the prerequisite part of
// acceptance 2: a rule "Tập thể lao động xuất sắc two years running" reads
// the achievement history, and a commune formed by the 2025 merger passes
// it on the years its predecessors earned (named in the reason), while a
// unit with one year only fails with the missing year.
func TestShortlistPrerequisiteAcrossMerger(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	wk := newWork(t, a)
	var plan int64
	var end time.Time
	_ = a.db.Pool.QueryRow(ctx, `SELECT p.id, ph.end_date FROM award_plans p, phases ph WHERE p.campaign_id = $1 AND ph.id = $2`, wk.campaign, wk.phase).
		Scan(&plan, &end)
	year := end.Year()
	district, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND huyện Cao Lãnh", Code: "876", Kind: domain.KindDistrict, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	var sources []int64
	for _, n := range []string{"UBND thị trấn Mỹ Thọ", "UBND xã Mỹ Hội"} {
		id, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: n, Kind: domain.KindCommune, ParentID: &district, ValidFrom: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, id)
	}
	_, created, err := a.db.Reorganise(ctx, domain.Reorganisation{Kind: domain.EventMerge, EffectiveDate: domain.Day(2025, 7, 1),
		Decision: "Nghị quyết số 1663/NQ-UBTVQH15", Sources: sources,
		Targets: []domain.UnitInput{{Name: "UBND xã Mỹ Thọ", Code: "29994", Kind: domain.KindCommune}}})
	if err != nil {
		t.Fatal(err)
	}
	merged := created[0]
	if _, err := a.db.Pool.Exec(ctx, `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id, status, converted, appraised_converted, final_converted)
		VALUES ($1, $2, $3, $4, 'locked', 9300, 9300, 9300)`, wk.campaign, wk.set, wk.phase, merged); err != nil {
		t.Fatal(err)
	}
	wk.resultForm(t, a, "Sở Tài chính", domain.AssessLocked, 9500, 9500, 9500)
	var form int64
	_ = a.db.Pool.QueryRow(ctx, `SELECT id FROM award_forms WHERE code = 'tap_the_lao_dong_xuat_sac'`).Scan(&form)
	var finance int64
	_ = a.db.Pool.QueryRow(ctx, `SELECT id FROM units WHERE name = 'Sở Tài chính'`).Scan(&finance)
	for _, x := range []struct {
		unit int64
		year int
	}{{sources[1], year - 2}, {merged, year - 1}, {finance, year - 1}} {
		if _, err := a.db.Pool.Exec(ctx, `INSERT INTO achievements (unit_id, year, award_form_id, title, decision_number, source)
			VALUES ($1, $2, $3, 'Tập thể lao động xuất sắc', $4, 'import')`, x.unit, x.year, form, fmt.Sprintf("%d/QĐ-UBND", x.year)); err != nil {
			t.Fatal(err)
		}
	}
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	wantStatus(t, staff.post(wk.resultsAction("propose"), url.Values{"version": {"0"}}), http.StatusSeeOther)
	wantStatus(t, leader.post(wk.resultsAction("approve"), url.Values{"version": {"1"}}), http.StatusSeeOther)
	// A rule with neither form nor years is refused; then the real one.
	resp := staff.post(wk.page+"/awards/rules", url.Values{"plan_id": {fmt.Sprint(plan)}, "kind": {"prerequisite"}, "citation": {"Điều 27 Luật Thi đua, khen thưởng 2022"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantStatus(t, staff.post(wk.page+"/awards/rules", url.Values{"plan_id": {fmt.Sprint(plan)}, "kind": {"prerequisite"}, "prerequisite_form_id": {fmt.Sprint(form)},
		"prerequisite_years": {"2"}, "citation": {"Điều 27 Luật Thi đua, khen thưởng 2022"}, "in_force_from": {"2024-01-01"}}), http.StatusSeeOther)
	page := fmt.Sprintf("%s/shortlist?phase=%d&plan=%d", wk.page, wk.phase, plan)
	wantStatus(t, staff.post(fmt.Sprintf("%s/shortlist/%d/%d/propose", wk.page, wk.phase, plan), url.Values{"version": {"0"}}), http.StatusSeeOther)
	doc := htmlOf(t, leader.get(page))
	want := fmt.Sprintf("Đạt: có «Tập thể lao động xuất sắc» các năm %d–%d (gồm thành tích của UBND xã Mỹ Hội trước khi sáp nhập)", year-2, year-1)
	if got := cellText(entryRow(doc, "UBND xã Mỹ Thọ").Find("li.outcome.pass")); !strings.Contains(got, want) {
		t.Errorf("merged commune: %q, want %q", got, want)
	}
	if got := cellText(entryRow(doc, "UBND xã Mỹ Thọ").Find(".badge")); got != "Đề nghị" {
		t.Errorf("merged commune's status: %q", got)
	}
	want = fmt.Sprintf("Chưa đạt: cần «Tập thể lao động xuất sắc» 2 năm liên tục (%d–%d), thiếu năm %d", year-2, year-1, year-2)
	if got := cellText(entryRow(doc, "Sở Tài chính").Find(".why")); got != want {
		t.Errorf("one year only: %q, want %q", got, want)
	}
}
