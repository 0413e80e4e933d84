package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/paths"
)

// The routes of the achievement history and the pending flags, added to the
// access table of TestRouteAccessMatrix from here so the shared table is
// not edited.
func init() {
	for route, kind := range map[string]string{
		"GET /units/{unitID}/achievements":            "user",
		"GET /people/{personID}/achievements":         "people",
		"POST /units/{unitID}/flags":                  "staff",
		"POST /units/{unitID}/flags/{flagID}/lift":    "staff",
		"POST /people/{personID}/flags":               "staff",
		"POST /people/{personID}/flags/{flagID}/lift": "staff",
		"GET /awards":               "staff",
		"GET /awards/import":        "staff",
		"POST /awards/import":       "staff",
		"GET /awards/template.csv":  "staff",
		"GET /awards/template.xlsx": "staff",
	} {
		access[route] = kind
	}
}

// flagState counts the flags of the database and their lifted ones, with
// the audit entries of flags.
func flagState(t *testing.T, a *app) string {
	t.Helper()
	var flags, lifted, audits int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM pending_flags),
		(SELECT count(*) FROM pending_flags WHERE lifted_at IS NOT NULL),
		(SELECT count(*) FROM audit_log WHERE action LIKE 'flag.%')`).Scan(&flags, &lifted, &audits); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("flags=%d lifted=%d audit=%d", flags, lifted, audits)
}

func wantFlags(t *testing.T, a *app, want string) {
	t.Helper()
	if got := flagState(t, a); got != want {
		t.Fatalf("%s, want %s", got, want)
	}
}

// flagKey reads the idempotency key of the set form on a page.
func flagKey(t *testing.T, c *client, page string) string {
	t.Helper()
	doc := htmlOf(t, c.get(page))
	key, ok := doc.Find(`#flags form[action$="/flags"] input[name=key]`).Attr("value")
	if !ok || key == "" {
		t.Fatalf("no flag form with a key on %s", page)
	}
	return key
}

// TestUnitFlags: staff set a pending flag on a unit with its reason and
// dates and lift it with a reason; staff, leaders and the unit's own focal
// point see it, another unit's focal point does not; a focal point cannot
// set one; the form sent twice records one flag; a stale lift is a 409; a
// flag of another unit is not found through this one; bad input is refused
// beside its field and writes nothing.
func TestUnitFlags(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	other, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	own := a.client()
	own.login(a.userIn(domain.RoleFocalPoint, a.unit).Email, testPassword)
	stranger := a.client()
	stranger.login(a.userIn(domain.RoleFocalPoint, other).Email, testPassword)
	page := paths.Unit(a.unit)
	today := domain.DateOf(a.db.Now())
	from := isoDay(today.AddDate(0, 0, -10))

	// Refused input: beside each field, what was typed kept, nothing written.
	key := flagKey(t, staff, page)
	resp := staff.post(page+"/flags", url.Values{"key": {key}, "kind": {"audit"}, "reason": {"  "}, "from": {from}, "to": {isoDay(today.AddDate(0, 0, -20))}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc := htmlOf(t, resp)
	for id, want := range map[string]string{
		"flag_kind": "Chọn một loại việc trong danh sách.", "flag_reason": "Trường này là bắt buộc.", "flag_to": "Ngày kết thúc không được trước ngày bắt đầu.",
	} {
		if got := doc.Find("#" + id + "-error").Text(); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if v, _ := doc.Find("#flag_from").Attr("value"); v != from {
		t.Errorf("typed start lost: %q", v)
	}
	resp = staff.post(page+"/flags", url.Values{"key": {key}, "kind": {"inspection"}, "reason": {"Quyết định\x00 thanh tra"}, "from": {from}})
	wantStatus(t, resp, http.StatusBadRequest)
	resp = staff.post(page+"/flags", url.Values{"key": {key}, "kind": {"inspection"}, "reason": {strings.Repeat("x", 2001)}, "from": {from}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	resp = staff.post(page+"/flags", url.Values{"key": {key}, "kind": {"inspection"}, "reason": {"Thanh tra"}, "from": {"31/02/2026"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	wantFlags(t, a, "flags=0 lifted=0 audit=0")

	// A focal point cannot set one, even on their own unit.
	wantStatus(t, own.post(page+"/flags", url.Values{"key": {key}, "kind": {"inspection"}, "reason": {"Thanh tra"}, "from": {from}}), http.StatusForbidden)
	wantFlags(t, a, "flags=0 lifted=0 audit=0")

	// Staff set it; the same form sent twice records one flag.
	form := url.Values{"key": {key}, "kind": {"inspection"}, "reason": {"Quyết định thanh tra số 12/QĐ-TTr <script>x</script>"}, "from": {from}}
	for range 2 {
		resp = staff.post(page+"/flags", form)
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != page+"#flags" {
			t.Errorf("redirect to %q", loc)
		}
	}
	wantFlags(t, a, "flags=1 lifted=0 audit=1")
	var flagID int64
	_ = a.db.Pool.QueryRow(ctx, `SELECT id FROM pending_flags`).Scan(&flagID)

	// Who sees it.
	for name, c := range map[string]*client{"staff": staff, "leader": leader, "own focal point": own} {
		doc := htmlOf(t, c.get(page))
		sec := doc.Find("#flags")
		if !strings.Contains(sec.Find(".flag-reason").Text(), "Quyết định thanh tra số 12/QĐ-TTr <script>x</script>") ||
			!strings.Contains(sec.Text(), "Thanh tra, kiểm tra") || !strings.Contains(sec.Find(".badge").Text(), "Đang xem xét") {
			t.Errorf("%s does not see the flag: %q", name, strings.Join(strings.Fields(sec.Text()), " "))
		}
		if doc.Find("#flags script").Length() != 0 {
			t.Errorf("%s: the reason is not escaped", name)
		}
		if canSet := sec.Find(`form[action$="/flags"]`).Length() == 1; canSet != (c == staff) {
			t.Errorf("%s: set form shown %v", name, canSet)
		}
	}
	if doc := htmlOf(t, stranger.get(page)); doc.Find("#flags").Length() != 0 || strings.Contains(doc.Text(), "12/QĐ-TTr") {
		t.Error("another unit's focal point sees the flag")
	}

	// Another unit's flag is not found through this unit's address, and
	// this unit's flag is not lifted through another's.
	otherFlag, err := a.db.SetFlag(ctx, "", domain.FlagInput{Subject: domain.Subject{UnitID: other}, Kind: domain.FlagComplaint, Reason: "Đơn khiếu nại", From: today})
	if err != nil {
		t.Fatal(err)
	}
	lift := url.Values{"to": {isoDay(today)}, "reason": {"Kết luận thanh tra số 3/KL-TTr: không có sai phạm"}}
	wantStatus(t, staff.post(fmt.Sprintf("%s/flags/%d/lift", page, otherFlag), lift), http.StatusNotFound)
	wantStatus(t, staff.post(fmt.Sprintf("%s/flags/%d/lift", paths.Unit(other), flagID), lift), http.StatusNotFound)
	wantStatus(t, staff.post(fmt.Sprintf("%s/flags/%d/lift", page, flagID+1000), lift), http.StatusNotFound)
	wantFlags(t, a, "flags=2 lifted=0 audit=2")

	// A lift before the flag's start or without a reason is refused beside
	// its field.
	resp = staff.post(fmt.Sprintf("%s/flags/%d/lift", page, flagID), url.Values{"to": {isoDay(today.AddDate(0, 0, -30))}, "reason": {""}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc = htmlOf(t, resp)
	prefix := fmt.Sprintf("#lift_%d", flagID)
	if !strings.Contains(doc.Find(prefix+"_to-error").Text(), "không được trước ngày bắt đầu") || doc.Find(prefix+"_reason-error").Length() != 1 {
		t.Errorf("lift problems: %q", doc.Find(".error-summary").Text())
	}
	wantFlags(t, a, "flags=2 lifted=0 audit=2")

	// Lifted; the second click (a stale page) is a conflict that says so.
	wantStatus(t, staff.post(fmt.Sprintf("%s/flags/%d/lift", page, flagID), lift), http.StatusSeeOther)
	wantFlags(t, a, "flags=2 lifted=1 audit=3")
	resp = staff.post(fmt.Sprintf("%s/flags/%d/lift", page, flagID), lift)
	wantStatus(t, resp, http.StatusConflict)
	if text := htmlOf(t, resp).Find("#flags .error-summary").Text(); !strings.Contains(text, "đã được gỡ trước đó") {
		t.Errorf("stale lift says %q", text)
	}
	wantFlags(t, a, "flags=2 lifted=1 audit=3")
	doc = htmlOf(t, own.get(page))
	if !strings.Contains(doc.Find("#flags").Text(), "Kết luận thanh tra số 3/KL-TTr") || !strings.Contains(doc.Find("#flags .badge").Text(), "Đã gỡ") {
		t.Errorf("the lift is not shown: %q", strings.Join(strings.Fields(doc.Find("#flags").Text()), " "))
	}

	// The audit log says it in words.
	admin, _ := a.loggedIn(domain.RoleAdmin)
	log := strings.Join(strings.Fields(htmlOf(t, admin.get("/audit")).Find("tbody").Text()), " ")
	for _, want := range []string{"đã ghi nhận việc đang xem xét của Sở Tư pháp", "đã gỡ việc đang xem xét của Sở Tư pháp", "Loại việc: Thanh tra, kiểm tra"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

// TestPersonFlags: flags on a person are set by staff and seen by the
// focal point of the person's unit; a person of another unit stays hidden
// from a focal point, and a flag of a unit is not lifted through a person.
func TestPersonFlags(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	person, err := a.db.CreatePerson(ctx, domain.PersonInput{FullName: "Nguyễn Văn An", Category: domain.CategoryCongChuc, UnitID: a.unit, From: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	stranger := a.client()
	stranger.login(a.userIn(domain.RoleFocalPoint, other).Email, testPassword)
	staff, _ := a.loggedIn(domain.RoleStaff)
	own, _ := a.loggedIn(domain.RoleFocalPoint)
	page := paths.Person(person)
	key := flagKey(t, staff, page)
	form := url.Values{"key": {key}, "kind": {"discipline"}, "reason": {"Quyết định kỷ luật khiển trách số 5/QĐ-SNV"}, "from": {"2026-01-05"}, "to": {"2026-12-31"}}
	wantStatus(t, staff.post(page+"/flags", form), http.StatusSeeOther)
	wantStatus(t, staff.post(page+"/flags", form), http.StatusSeeOther)
	wantFlags(t, a, "flags=1 lifted=0 audit=1")
	if doc := htmlOf(t, own.get(page)); !strings.Contains(doc.Find("#flags").Text(), "Quyết định kỷ luật khiển trách số 5/QĐ-SNV") ||
		!strings.Contains(doc.Find("#flags").Text(), "Từ 05/01/2026 đến 31/12/2026") {
		t.Errorf("the unit's focal point does not see the person's flag: %q", doc.Find("#flags").Text())
	}
	wantStatus(t, stranger.get(page), http.StatusNotFound)
	wantStatus(t, stranger.get(page+"/achievements"), http.StatusNotFound)
	wantStatus(t, stranger.post(page+"/flags", form), http.StatusForbidden)

	unitFlag, err := a.db.SetFlag(ctx, "", domain.FlagInput{Subject: domain.Subject{UnitID: a.unit}, Kind: domain.FlagInspection, Reason: "Thanh tra", From: domain.Day(2026, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, staff.post(fmt.Sprintf("%s/flags/%d/lift", page, unitFlag), url.Values{"to": {"2026-02-01"}, "reason": {"Xong"}}), http.StatusNotFound)
	wantFlags(t, a, "flags=2 lifted=0 audit=2")
}

// historyFixture gives a's database a phase with approved results of three
// units and awards of each, then merges two of them into a new unit:
// the work, the successor and the three units.
func historyFixture(t *testing.T, a *app) (wk work, successor, plan, finance, build int64) {
	t.Helper()
	ctx := context.Background()
	wk = newWork(t, a)
	wk.resultForm(t, a, "Sở Kế hoạch và Đầu tư", domain.AssessLocked, 9250, 9000, 9100)
	wk.resultForm(t, a, "Sở Tài chính", domain.AssessLocked, 8800, 8000, 8000)
	wk.resultForm(t, a, "Sở Xây dựng", domain.AssessLocked, 8100, 7000, 7000)
	unitOf := func(name string) int64 {
		var id int64
		if err := a.db.Pool.QueryRow(ctx, `SELECT id FROM units WHERE name = $1`, name).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	plan, finance, build = unitOf("Sở Kế hoạch và Đầu tư"), unitOf("Sở Tài chính"), unitOf("Sở Xây dựng")
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	wantStatus(t, staff.post(wk.resultsAction("propose"), url.Values{"version": {"0"}}), http.StatusSeeOther)
	if doc := htmlOf(t, staff.get(paths.UnitAchievements(finance))); doc.Find("table.history-results").Length() != 0 {
		t.Error("results shown before their approval")
	}
	wantStatus(t, leader.post(wk.resultsAction("approve"), url.Values{"version": {"1"}}), http.StatusSeeOther)

	// Awards of both predecessors and of an unrelated unit.
	add := func(unit int64, year int, title, decision string) {
		if _, err := a.db.Pool.Exec(ctx, `INSERT INTO achievements (unit_id, year, title, decision_number, decision_date, issuer, source)
			VALUES ($1, $2, $3, $4, $5, 'Chủ tịch UBND tỉnh', 'import')`, unit, year, title, decision, domain.Day(year+1, 1, 20)); err != nil {
			t.Fatal(err)
		}
	}
	add(plan, 2024, "Tập thể lao động tiên tiến", "215/QĐ-UBND")
	add(finance, 2023, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "98/QĐ-UBND")
	add(build, 2024, "Cờ thi đua của Ủy ban nhân dân tỉnh", "77/QĐ-UBND")
	_, created, err := a.db.Reorganise(ctx, domain.Reorganisation{Kind: domain.EventMerge, EffectiveDate: domain.DateOf(a.db.Now()),
		Decision: "Nghị quyết số 1663/NQ-UBTVQH15", Sources: []int64{plan, finance},
		Targets: []domain.UnitInput{{Name: "Sở Tài chính (mới)", Code: "TEST-STC2", Kind: domain.KindDepartment}}})
	if err != nil {
		t.Fatal(err)
	}
	successor = created[0]
	return wk, successor, plan, finance, build
}

// TestAchievementHistoryAcrossMerger: a unit's history page shows its
// awards with their decisions and its published results, and those of the
// units merged into it (named), never another unit's; results proposed but
// not approved are not shown; a person's history is their own.
func TestAchievementHistoryAcrossMerger(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk, successor, plan, finance, _ := historyFixture(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)

	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	for name, c := range map[string]*client{"staff": staff, "leader": leader, "focal point": fp} {
		doc := htmlOf(t, c.get(paths.UnitAchievements(successor)))
		var awards, results []string
		doc.Find("table.history-awards tbody tr").Each(func(_ int, tr *goqueryTr) { awards = append(awards, rowText(tr)) })
		doc.Find("table.history-results tbody tr").Each(func(_ int, tr *goqueryTr) { results = append(results, rowText(tr)) })
		wantAwards := []string{
			"2024 | Tập thể lao động tiên tiến (nhập từ hồ sơ cũ) | 215/QĐ-UBND ngày 20/01/2025 | Chủ tịch UBND tỉnh | Sở Kế hoạch và Đầu tư",
			"2023 | Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh (nhập từ hồ sơ cũ) | 98/QĐ-UBND ngày 20/01/2024 | Chủ tịch UBND tỉnh | Sở Tài chính",
		}
		if strings.Join(awards, "\n") != strings.Join(wantAwards, "\n") {
			t.Errorf("%s: awards\n%s\nwant\n%s", name, strings.Join(awards, "\n"), strings.Join(wantAwards, "\n"))
		}
		year := wk.phaseEndYear(t, a)
		wantResults := []string{
			year + " | Thi đua cải cách hành chính năm nay Đợt 1 | Sở, ban, ngành | 1/3 | Xuất sắc | 91 | Sở Kế hoạch và Đầu tư",
			year + " | Thi đua cải cách hành chính năm nay Đợt 1 | Sở, ban, ngành | 2/3 | Tốt | 80 | Sở Tài chính",
		}
		if strings.Join(results, "\n") != strings.Join(wantResults, "\n") {
			t.Errorf("%s: results\n%s\nwant\n%s", name, strings.Join(results, "\n"), strings.Join(wantResults, "\n"))
		}
		if strings.Contains(doc.Text(), "Sở Xây dựng") || strings.Contains(doc.Text(), "77/QĐ-UBND") {
			t.Errorf("%s: an unrelated unit's history is shown", name)
		}
		if doc.Find(`.history-lineage a[href="`+paths.UnitAchievements(plan)+`"]`).Length() != 1 {
			t.Errorf("%s: the predecessors are not named", name)
		}
	}
	// The predecessor's own page: its own rows, marked as its own.
	doc := htmlOf(t, staff.get(paths.UnitAchievements(finance)))
	if n := doc.Find("table.history-results tbody tr").Length(); n != 1 || !strings.Contains(doc.Find("table.history-results").Text(), "Chính đơn vị") {
		t.Errorf("the predecessor's own results: %d rows", n)
	}
	// The unit page counts the awards and links the history.
	doc = htmlOf(t, fp.get(paths.Unit(successor)))
	if doc.Find(`#achievements a[href="`+paths.UnitAchievements(successor)+`"]`).Length() != 1 || !strings.Contains(doc.Find("#achievements").Text(), "2") {
		t.Errorf("unit page: %q", doc.Find("#achievements").Text())
	}
	wantStatus(t, staff.get("/units/999999/achievements"), http.StatusNotFound)
}

// rowText is a table row's cells, each with its white space collapsed,
// joined by " | ".
func rowText(tr *goqueryTr) string {
	var cells []string
	tr.Find("th, td").Each(func(_ int, c *goqueryTr) { cells = append(cells, strings.Join(strings.Fields(c.Text()), " ")) })
	return strings.Join(cells, " | ")
}

// phaseEndYear is the year the work's phase ends, the year its results
// belong to.
func (wk work) phaseEndYear(t *testing.T, a *app) string {
	t.Helper()
	var year int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT extract(year FROM end_date)::int FROM phases WHERE id = $1`, wk.phase).Scan(&year); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(year)
}

// awardsState fingerprints the achievement history.
func awardsState(t *testing.T, a *app) string {
	t.Helper()
	var n int
	var sum string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY id), ''))
		FROM achievements x`).Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d %s", n, sum)
}

// TestAwardsImportWeb is acceptance 6: a file of past awards with planted
// errors is reported line by line and writes nothing, the import included;
// a clean file imports once, a merged commune's award by its old code seen
// from its successor; importing it again changes nothing.
func TestAwardsImportWeb(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir()})
	ctx := context.Background()
	district, _ := a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND huyện Cao Lãnh", Kind: domain.KindDistrict, Code: "876", ValidFrom: domain.Day(2010, 1, 1)})
	old, _ := a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND thị trấn Mỹ Thọ", Kind: domain.KindTown, Code: "29995", ParentID: &district, ValidFrom: domain.Day(2010, 1, 1)})
	hoi, _ := a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND xã Mỹ Hội", Kind: domain.KindCommune, Code: "29998", ParentID: &district, ValidFrom: domain.Day(2010, 1, 1)})
	_, created, err := a.db.Reorganise(ctx, domain.Reorganisation{Kind: domain.EventMerge, EffectiveDate: domain.Day(2025, 7, 1),
		Decision: "Nghị quyết số 1663/NQ-UBTVQH15", Sources: []int64{old, hoi},
		Targets: []domain.UnitInput{{Name: "UBND xã Mỹ Thọ", Code: "29994", Kind: domain.KindCommune}}})
	if err != nil {
		t.Fatal(err)
	}
	successor := created[0]
	if _, err := a.db.CreatePerson(ctx, domain.PersonInput{Code: "CB00001", FullName: "Nguyễn Văn An", Category: domain.CategoryCanBo, UnitID: successor, From: domain.Day(2025, 7, 1)}); err != nil {
		t.Fatal(err)
	}
	staff, _ := a.loggedIn(domain.RoleStaff)
	header := "ma_don_vi,ma_can_bo,nam,hinh_thuc,so_quyet_dinh,ngay_quyet_dinh,co_quan,chuyen_de,ghi_chu\n"
	bad := header +
		"29995,,2024,Tập thể lao động tiên tiến,76/QĐ-UBND,16/01/2025,Chủ tịch UBND huyện Cao Lãnh,,\n" + // line 2: clean
		"99999,,2024,Giấy khen,1/QĐ,,,,\n" + // 3: unknown unit
		"29994,,2023,Giấy khen,2/QĐ,,,,\n" + // 4: the new commune did not exist in 2023
		",CB99999,2024,Chiến sĩ thi đua cơ sở,3/QĐ,,,,\n" + // 5: unknown person
		"29995,CB00001,2024,Giấy khen,4/QĐ,,,,\n" + // 6: both codes
		",CB00001,năm ngoái,Chiến sĩ thi đua cơ sở,5/QĐ,,,,\n" + // 7: bad year
		"29995,,2024,Tập thể lao động tiên tiến,76/QĐ-UBND,16/01/2025,Chủ tịch UBND huyện Cao Lãnh,,\n" + // 8: same as line 2
		",CB00001,2024,Chiến sĩ thi đua cơ sở,6/QĐ,2023-05-01,,,\n" + // 9: decided before the year
		",CB00001,2024,Giấy khen\x00,7/QĐ,,,có lẽ,\n" // 10: a NUL byte, a bad thematic mark
	before := awardsState(t, a)
	resp := staff.upload("/awards/import", "khen-thuong.csv", []byte(bad))
	wantStatus(t, resp, http.StatusSeeOther)
	job := resp.Header.Get("Location")
	doc := waitJob(t, staff, job)
	var problems []string
	doc.Find("table.problems tbody tr").Each(func(_ int, tr *goqueryTr) { problems = append(problems, rowText(tr)) })
	want := []string{
		"3 | ma_don_vi | Không có đơn vị nào mã 99999.",
		"4 | ma_don_vi | Đơn vị mã 29994 (2023) không tồn tại vào năm, ngày quyết định khen thưởng.",
		"5 | ma_can_bo | Không có cán bộ nào mã CB99999.",
		"6 | ma_don_vi | Chỉ ghi một trong hai: mã đơn vị (tập thể) hoặc mã cán bộ (cá nhân).",
		"7 | nam | Năm không hợp lệ: năm ngoái (từ 1945 đến 2100).",
		"8 | so_quyet_dinh | Trùng khen thưởng ở dòng 2 (cùng đối tượng, năm, hình thức và số quyết định).",
		"9 | ngay_quyet_dinh | Ngày quyết định trước năm được khen (2024).",
		"10 | hinh_thuc | " + "",
		"10 | chuyen_de | Cột chuyên đề chỉ nhận Có hoặc Không, không nhận «có lẽ».",
	}
	if len(problems) != len(want) {
		t.Fatalf("problems:\n%s", strings.Join(problems, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(problems[i], want[i]) {
			t.Errorf("problem %d: %q, want %q", i, problems[i], want[i])
		}
	}
	if doc.Find(`form[action$="/run"]`).Length() != 0 {
		t.Error("a file with problems can be imported")
	}
	wantStatus(t, staff.post(job+"/run", nil), http.StatusSeeOther)
	if awardsState(t, a) != before {
		t.Fatal("a file with problems wrote awards")
	}

	// A clean file: the dry run counts, writes nothing; the import writes.
	clean := header +
		"29995,,2023,Tập thể lao động tiên tiến,1045/QĐ-UBND,15/01/2024,Chủ tịch UBND huyện Cao Lãnh,,\n" +
		"29995,,2024,Tập thể lao động tiên tiến,76/QĐ-UBND,16/01/2025,Chủ tịch UBND huyện Cao Lãnh,,\n" +
		"29994,,2025,Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh,4012/QĐ-UBND,18/12/2025,Chủ tịch UBND tỉnh,,\n" +
		",CB00001,2024,Chiến sĩ thi đua cơ sở,220/QĐ-UBND,20/01/2025,Chủ tịch UBND tỉnh,Không,\n" +
		"29995,,2024,Giấy khen phong trào chuyên đề,97/QĐ-UBND,03/03/2025,Chủ tịch UBND huyện Cao Lãnh,Có,\n"
	importOnce := func(wantCounts string) {
		t.Helper()
		prior := awardsState(t, a)
		resp := staff.upload("/awards/import", "khen-thuong.csv", []byte(clean))
		wantStatus(t, resp, http.StatusSeeOther)
		job := resp.Header.Get("Location")
		doc := waitJob(t, staff, job)
		if n := doc.Find("table.problems tbody tr").Length(); n != 0 {
			t.Fatalf("clean file has %d problems", n)
		}
		if got := awardsState(t, a); got != prior {
			t.Fatalf("the dry run wrote awards: %s", got)
		}
		wantStatus(t, staff.post(job+"/run", nil), http.StatusSeeOther)
		doc = waitJob(t, staff, job)
		var stats []string
		doc.Find("dl .stat").Each(func(_ int, st *goqueryTr) {
			stats = append(stats, strings.TrimSpace(st.Find("dt").Text())+" "+strings.TrimSpace(st.Find("dd").Text()))
		})
		if got := strings.Join(stats, ", "); !strings.Contains(got, wantCounts) {
			t.Errorf("import report %q, want %q", got, wantCounts)
		}
	}
	importOnce("Thêm mới 5, Thay đổi 0, Không đổi 0")
	first := awardsState(t, a)
	if !strings.HasPrefix(first, "5 ") {
		t.Fatalf("after the import: %s", first)
	}
	importOnce("Thêm mới 0, Thay đổi 0, Không đổi 5")
	if again := awardsState(t, a); again != first {
		t.Error("importing the same file again changed the history")
	}
	// A corrected issuer corrects the recorded award, adding none.
	clean = strings.Replace(clean, "4012/QĐ-UBND,18/12/2025,Chủ tịch UBND tỉnh,", "4012/QĐ-UBND,18/12/2025,Chủ tịch UBND tỉnh Đồng Tháp,", 1)
	importOnce("Thêm mới 0, Thay đổi 1, Không đổi 4")
	var issuer string
	_ = a.db.Pool.QueryRow(ctx, `SELECT issuer FROM achievements WHERE decision_number = '4012/QĐ-UBND'`).Scan(&issuer)
	if issuer != "Chủ tịch UBND tỉnh Đồng Tháp" {
		t.Errorf("issuer %q after the correction", issuer)
	}

	// Seen from the successor: the old commune's awards, named.
	doc = htmlOf(t, staff.get(paths.UnitAchievements(successor)))
	text := strings.Join(strings.Fields(doc.Find("table.history-awards").Text()), " ")
	for _, want := range []string{"1045/QĐ-UBND", "76/QĐ-UBND", "4012/QĐ-UBND", "UBND thị trấn Mỹ Thọ", "Chuyên đề"} {
		if !strings.Contains(text, want) {
			t.Errorf("the successor's history lacks %q: %s", want, text)
		}
	}
	var thematic bool
	_ = a.db.Pool.QueryRow(ctx, `SELECT thematic FROM achievements WHERE decision_number = '97/QĐ-UBND'`).Scan(&thematic)
	if !thematic {
		t.Error("the thematic mark was not imported")
	}
	if doc := htmlOf(t, staff.get("/awards")); doc.Find("table.award-records tbody tr").Length() != 5 {
		t.Error("the award records page does not list the five awards")
	}
}
