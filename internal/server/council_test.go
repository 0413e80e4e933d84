package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/password"
	"thidua/internal/paths"
)

// voteFixture is a public campaign whose shortlist (built directly in the
// shared tables: the notice's own pages are another part's work) has been
// on public notice, ended three days ago, with its nominees sent to the
// council; a council set up through the pages by staff.
type voteFixture struct {
	a                 *app
	staff             *client
	campaign          int64
	shortlist, notice int64
	// entries sent to the council, of the award form "Chiến sĩ thi đua cấp
	// tỉnh" (seeded rule: 90 % of all members, quorum 66,66 %).
	entries   []int64
	council   int64
	voters    []*voter
	secretary *voter
	session   int64
}

// voter is a council member signed in.
type voter struct {
	u      *domain.User
	c      *client
	member int64
}

// namedUser makes a user with a name of its own (the dump test looks for
// names).
func (a *app) namedUser(role domain.Role, name string) *domain.User {
	a.t.Helper()
	n := domain.NewUser{Email: "hd-" + newIdempotencyKey()[:10] + "@example.vn", FullName: name, Role: role}
	if role == domain.RoleFocalPoint {
		n.UnitID = &a.unit
	}
	hash, err := password.Hash(domain.NormalizePassword(testPassword), password.Default)
	if err != nil {
		a.t.Fatal(err)
	}
	u, _, err := a.db.CreateUser(context.Background(), n, hash, "")
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

func (fx *voteFixture) q(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := fx.a.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return id
}

var voterNames = []string{"Đoàn Văn Đức", "Lê Thị Hạnh", "Trần Quốc Bảo", "Phạm Thị Ngọc Ánh", "Huỳnh Minh Trí",
	"Võ Thị Thu Sương", "Nguyễn Hoàng Phúc", "Đặng Thị Kiều Oanh", "Bùi Văn Lộc", "Tạ Thị Mỹ Dung", "Châu Văn Khải"}

// newVoteFixture makes the campaign with nominees individuals (entries)
// and a standing council of voting members (the first the chair) and a
// secretary, added by staff through the pages.
func newVoteFixture(t *testing.T, nominees, voting int) *voteFixture {
	t.Helper()
	a := newApp(t, nil)
	ctx := context.Background()
	fx := &voteFixture{a: a}
	fx.staff, _ = a.loggedIn(domain.RoleStaff)
	var err error
	fx.campaign, err = a.db.CreateCampaign(ctx, &domain.Campaign{PlanNumber: "15/KH-UBND", Title: "Thi đua cải cách hành chính 2025", IssuerName: "UBND tỉnh Đồng Tháp",
		IssueDate: domain.Day(2025, 1, 10), Kind: domain.KindRegular, PeriodStart: domain.Day(2025, 1, 1), PeriodEnd: domain.Day(2026, 12, 31)}, "")
	if err != nil {
		t.Fatal(err)
	}
	fx.q(t, `UPDATE campaigns SET status = 'announced' WHERE id = $1 RETURNING id`, fx.campaign)
	phase := fx.q(t, `INSERT INTO phases (campaign_id, seq, name, start_date, end_date, review_kind) VALUES ($1, 1, 'Năm 2025', '2025-01-01', '2025-12-31', 'annual') RETURNING id`, fx.campaign)
	plan := fx.q(t, `INSERT INTO award_plans (campaign_id, award_form_id) SELECT $1, id FROM award_forms WHERE code = 'chien_si_thi_dua_tinh' RETURNING id`, fx.campaign)
	fx.shortlist = fx.q(t, `INSERT INTO shortlists (campaign_id, phase_id, plan_id, status) VALUES ($1, $2, $3, 'council') RETURNING id`, fx.campaign, phase, plan)
	fx.notice = fx.q(t, `INSERT INTO notices (campaign_id, shortlist_id, starts_on, ends_on, working_days) VALUES ($1, $2, current_date - 12, current_date - 3, 7) RETURNING id`,
		fx.campaign, fx.shortlist)
	for i := range nominees {
		person, err := a.db.CreatePerson(ctx, domain.PersonInput{FullName: fmt.Sprintf("Nguyễn Thị Đề Cử %c", 'A'+i), Position: "Chuyên viên",
			Category: domain.CategoryCongChuc, UnitID: a.unit, From: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		fx.entries = append(fx.entries, fx.q(t, `INSERT INTO shortlist_entries (shortlist_id, target, unit_id, person_id, status, rank, sent_to_council_at)
			VALUES ($1, 'individual', $2, $3, 'proposed', $4, now()) RETURNING id`, fx.shortlist, a.unit, person, i+1))
	}
	resp := fx.staff.post(paths.Councils(), url.Values{"name": {"Hội đồng Thi đua – Khen thưởng tỉnh Đồng Tháp"}, "form_key": {newIdempotencyKey()}})
	wantStatus(t, resp, http.StatusSeeOther)
	fx.council = fx.q(t, `SELECT max(id) FROM councils`)
	for i := range voting {
		role, cr := domain.RoleLeader, domain.CouncilOrdinary
		switch {
		case i == 0:
			cr = domain.CouncilChair
		case i == 1:
			cr = domain.CouncilViceChair
		case i%3 == 2:
			role = domain.RoleFocalPoint // any global role may sit on the council
		case i%3 == 0:
			role = domain.RoleStaff
		}
		fx.voters = append(fx.voters, fx.addMember(t, role, cr, voterNames[i]))
	}
	fx.secretary = fx.addMember(t, domain.RoleStaff, domain.CouncilSecretary, voterNames[len(voterNames)-1])
	return fx
}

// addMember puts a new user on the council through the staff's form and
// signs them in.
func (fx *voteFixture) addMember(t *testing.T, role domain.Role, cr domain.CouncilRole, name string) *voter {
	t.Helper()
	u := fx.a.namedUser(role, name)
	resp := fx.staff.post(paths.CouncilMembers(fx.council), url.Values{"user": {fmt.Sprint(u.ID)}, "role": {string(cr)},
		"position": {"Ủy viên Hội đồng"}, "valid_from": {"01/01/2025"}})
	wantStatus(t, resp, http.StatusSeeOther)
	c := fx.a.client()
	c.login(u.Email, testPassword)
	return &voter{u: u, c: c, member: fx.q(t, `SELECT id FROM council_members WHERE user_id = $1`, u.ID)}
}

func (fx *voteFixture) version(t *testing.T) string {
	t.Helper()
	return fmt.Sprint(fx.q(t, `SELECT version FROM council_sessions WHERE id = $1`, fx.session))
}

// newSession creates a session of today through the staff's form.
func (fx *voteFixture) newSession(t *testing.T) {
	t.Helper()
	resp := fx.staff.post(paths.Sessions(fx.council), url.Values{"campaign": {fmt.Sprint(fx.campaign)}, "held_on": {isoDay(fx.a.srv.today())},
		"starts_at": {"08:00"}, "place": {"Phòng họp số 1, UBND tỉnh"}, "form_key": {newIdempotencyKey()}})
	wantStatus(t, resp, http.StatusSeeOther)
	fx.session = fx.q(t, `SELECT max(id) FROM council_sessions WHERE council_id = $1`, fx.council)
	if resp.Header.Get("Location") != paths.Session(fx.council, fx.session) {
		t.Fatalf("created session redirects to %q", resp.Header.Get("Location"))
	}
}

// putNominees puts the entries to the session; want is the status.
func (fx *voteFixture) putNominees(t *testing.T, want int, entries ...int64) *http.Response {
	t.Helper()
	form := url.Values{"version": {fx.version(t)}}
	for _, e := range entries {
		form.Add("entry", fmt.Sprint(e))
	}
	resp := fx.staff.post(paths.SessionNominees(fx.council, fx.session), form)
	wantStatus(t, resp, want)
	return resp
}

// nominee is the session's nominee of an entry.
func (fx *voteFixture) nominee(t *testing.T, entry int64) int64 {
	t.Helper()
	return fx.q(t, `SELECT id FROM session_nominees WHERE session_id = $1 AND entry_id = $2`, fx.session, entry)
}

func (fx *voteFixture) open(t *testing.T, by *client) {
	t.Helper()
	wantStatus(t, by.post(paths.SessionOpen(fx.council, fx.session), url.Values{"version": {fx.version(t)}}), http.StatusSeeOther)
}

func (fx *voteFixture) closeSession(t *testing.T, by *client) {
	t.Helper()
	wantStatus(t, by.post(paths.SessionClose(fx.council, fx.session), url.Values{"version": {fx.version(t)}}), http.StatusSeeOther)
}

// ballot is a ballot form: nominee → "for", "against" or "" (unmarked).
func ballot(marks map[int64]string) url.Values {
	form := url.Values{}
	for n, m := range marks {
		if m != "" {
			form.Set(fmt.Sprintf("n-%d", n), m)
		}
	}
	return form
}

func (fx *voteFixture) vote(t *testing.T, v *voter, marks map[int64]string) *http.Response {
	t.Helper()
	return v.c.post(paths.Ballot(fx.council, fx.session), ballot(marks))
}

// tally reads a nominee's counters and outcome.
func (fx *voteFixture) tally(t *testing.T, nominee int64) string {
	t.Helper()
	var f, a, b int
	var outcome *string
	if err := fx.a.db.Pool.QueryRow(context.Background(), `SELECT votes_for, votes_against, votes_blank, outcome FROM session_nominees WHERE id = $1`,
		nominee).Scan(&f, &a, &b, &outcome); err != nil {
		t.Fatal(err)
	}
	o := ""
	if outcome != nil {
		o = *outcome
	}
	return fmt.Sprintf("%d/%d/%d %s", f, a, b, o)
}

// shareLineOf finds a nominee's arithmetic on the session page.
func (fx *voteFixture) shareLineOf(t *testing.T, c *client, nominee int64) string {
	t.Helper()
	doc := htmlOf(t, c.get(paths.Session(fx.council, fx.session)))
	return strings.Join(strings.Fields(doc.Find(fmt.Sprintf("#nominee-%d .share-line", nominee)).Text()), " ")
}

// TestCouncilVoteNinetyPercentOfTotal is acceptance 1: nine voting members
// and a rule of 90 % of the total membership: eight votes for fail, nine
// pass, with the arithmetic shown; a member votes once (a second submit,
// concurrent ones included, is 409 and changes nothing); the secretary
// cannot vote.
func TestCouncilVoteNinetyPercentOfTotal(t *testing.T) {
	t.Parallel()
	fx := newVoteFixture(t, 2, 9)
	fx.newSession(t)
	fx.putNominees(t, http.StatusSeeOther, fx.entries...)
	a, b := fx.nominee(t, fx.entries[0]), fx.nominee(t, fx.entries[1])
	// Nobody votes before the session opens.
	wantStatus(t, fx.vote(t, fx.voters[0], map[int64]string{a: "for"}), http.StatusConflict)
	fx.open(t, fx.staff)

	// The secretary may not vote: not the form, not a ballot.
	wantStatus(t, fx.secretary.c.get(paths.Ballot(fx.council, fx.session)), http.StatusForbidden)
	wantStatus(t, fx.vote(t, fx.secretary, map[int64]string{a: "for", b: "for"}), http.StatusForbidden)
	// Staff who are not on the roster may not either.
	wantStatus(t, fx.vote(t, &voter{c: fx.staff}, map[int64]string{a: "for", b: "for"}), http.StatusForbidden)

	// The ballot form works without script: one radio pair per nominee,
	// nothing marked beforehand.
	doc := htmlOf(t, fx.voters[0].c.get(paths.Ballot(fx.council, fx.session)))
	if n := doc.Find(`form.ballot input[type=radio]`).Length(); n != 4 {
		t.Errorf("%d radio buttons, want 2 per nominee", n)
	}
	if doc.Find(`input[checked]`).Length() != 0 || doc.Find("script").Length() != 0 {
		t.Error("the ballot has marks set beforehand or a script")
	}

	// Eight members vote for A and for B; the last votes against A, for
	// B, twice at the same moment: one is counted, the other is 409.
	for _, v := range fx.voters[:8] {
		wantStatus(t, fx.vote(t, v, map[int64]string{a: "for", b: "for"}), http.StatusSeeOther)
	}
	last := fx.voters[8]
	statuses := make([]int, 4)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, fx.a.ts.URL+paths.Ballot(fx.council, fx.session),
				strings.NewReader(ballot(map[int64]string{a: "against", b: "for"}).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := last.c.http.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	counted := 0
	for _, s := range statuses {
		switch s {
		case http.StatusSeeOther:
			counted++
		case http.StatusConflict:
		default:
			t.Errorf("concurrent ballot: status %d", s)
		}
	}
	if counted != 1 {
		t.Errorf("%d of 4 concurrent ballots counted, want 1 (%v)", counted, statuses)
	}
	// Again later: refused, nothing changes.
	wantStatus(t, fx.vote(t, fx.voters[0], map[int64]string{a: "against", b: "against"}), http.StatusConflict)
	if got := fx.tally(t, a) + " | " + fx.tally(t, b); got != "8/1/0  | 9/0/0 " {
		t.Errorf("tallies %q", got)
	}
	// While voting runs the page shows who has voted, never a count.
	page := htmlOf(t, fx.staff.get(paths.Session(fx.council, fx.session)))
	if page.Find(".tally, .share-line").Length() != 0 {
		t.Error("the open session's page shows the tally")
	}
	if n := page.Find(`#roster .badge-on`).Length(); n != 9 {
		t.Errorf("%d members shown as having voted, want 9", n)
	}

	// The secretary closes it (staff or the secretary run a session).
	fx.closeSession(t, fx.secretary.c)
	if got := fx.tally(t, a) + " | " + fx.tally(t, b); got != "8/1/0 failed | 9/0/0 passed" {
		t.Errorf("outcomes %q", got)
	}
	if got, want := fx.shareLineOf(t, fx.staff, a), "8/9 thành viên = 88,9 % < 90 % tổng số thành viên → Không đạt"; got != want {
		t.Errorf("A: %q, want %q", got, want)
	}
	if facts := cellText(htmlOf(t, fx.staff.get(paths.Session(fx.council, fx.session))).Find("dl.facts")); !strings.Contains(facts, "08 giờ 00, ngày ") {
		t.Errorf("the session's time reads %q", facts)
	}
	if got, want := fx.shareLineOf(t, fx.voters[3].c, b), "9/9 thành viên = 100 % ≥ 90 % tổng số thành viên → Đạt"; got != want {
		t.Errorf("B: %q, want %q", got, want)
	}
	// After the close nobody votes.
	wantStatus(t, fx.vote(t, fx.voters[0], map[int64]string{a: "for"}), http.StatusConflict)
	// The minutes: members and the counts per nominee.
	minutes := htmlOf(t, fx.voters[5].c.get(paths.Minutes(fx.council, fx.session)))
	text := strings.Join(strings.Fields(minutes.Find("article.minutes").Text()), " ")
	for _, want := range []string{"BIÊN BẢN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tổng số thành viên có quyền biểu quyết: 9; có mặt: 9",
		"8/9 thành viên = 88,9 % < 90 % tổng số thành viên", "Nguyễn Thị Đề Cử A", "Chủ trì: Đoàn Văn Đức. Thư ký: Châu Văn Khải."} {
		if !strings.Contains(text, want) {
			t.Errorf("minutes without %q:\n%s", want, text)
		}
	}
	// The PDF (its layout is the document package's): the counts and the
	// share line of each nominee.
	wantPDF(t, fx.staff.get(paths.MinutesPDF(fx.council, fx.session)), "BIÊN BẢN", "8/9 thành viên = 88,9 % < 90 %")
	// Minutes of a session still open do not exist.
	fx.newSession(t)
	wantStatus(t, fx.staff.get(paths.Minutes(fx.council, fx.session)), http.StatusConflict)
}

// TestCouncilVotePresentBasis is acceptance 1's second half: a rule on the
// members taking part follows the present count (a written ballot entered
// by the secretary counts), while the rule on the total does not.
func TestCouncilVotePresentBasis(t *testing.T) {
	t.Parallel()
	fx := newVoteFixture(t, 2, 9)
	// A second form with a rule on those present, set through the editor
	// (the form's seeded rule ended first).
	ctx := context.Background()
	plan := fx.q(t, `INSERT INTO award_plans (campaign_id, award_form_id) SELECT $1, id FROM award_forms WHERE code = 'bang_khen_chu_tich_tinh' RETURNING id`, fx.campaign)
	other := fx.q(t, `INSERT INTO shortlists (campaign_id, phase_id, plan_id, status) SELECT campaign_id, phase_id, $2, 'council' FROM shortlists WHERE id = $1 RETURNING id`,
		fx.shortlist, plan)
	fx.q(t, `INSERT INTO notices (campaign_id, shortlist_id, starts_on, ends_on, working_days) VALUES ($1, $2, current_date - 12, current_date - 3, 7) RETURNING id`,
		fx.campaign, other)
	fx.q(t, `UPDATE shortlist_entries SET shortlist_id = $2 WHERE id = $1 RETURNING id`, fx.entries[1], other)
	form := fx.q(t, `SELECT id FROM award_forms WHERE code = 'bang_khen_chu_tich_tinh'`)
	old := fx.q(t, `SELECT id FROM vote_rules WHERE award_form_id = $1`, form)
	rule := url.Values{"award_form": {fmt.Sprint(form)}, "basis": {"present"}, "share": {"90"}, "quorum": {"50"},
		"citation": {"Quy chế của Hội đồng (thử): từ 90 % số thành viên tham dự"}, "in_force_from": {"01/01/2026"}}
	resp := fx.staff.post(paths.VoteRules(), rule)
	wantStatus(t, resp, http.StatusConflict) // the old rule is still in force
	if !strings.Contains(bodyOf(resp), "đã có tỷ lệ biểu quyết") {
		t.Error("overlapping rule refused without its reason")
	}
	wantStatus(t, fx.staff.post(paths.VoteRuleEnd(old), url.Values{"in_force_to": {"31/12/2025"}}), http.StatusSeeOther)
	wantStatus(t, fx.staff.post(paths.VoteRules(), rule), http.StatusSeeOther)
	// A leader reads the rules but may not add one.
	leader, _ := fx.a.loggedIn(domain.RoleLeader)
	wantStatus(t, leader.post(paths.VoteRules(), rule), http.StatusForbidden)

	fx.newSession(t)
	fx.putNominees(t, http.StatusSeeOther, fx.entries...)
	total, present := fx.nominee(t, fx.entries[0]), fx.nominee(t, fx.entries[1])
	// Five present, one absent with a written ballot, three absent; the
	// secretary sets the attendance.
	att := url.Values{"version": {fx.version(t)}}
	for i, v := range fx.voters {
		switch {
		case i == 5:
			att.Set(fmt.Sprintf("attendance-%d", v.member), "written")
		case i > 5:
			att.Set(fmt.Sprintf("attendance-%d", v.member), "absent")
		}
	}
	// A stale form is refused.
	stale := url.Values{"version": {"0"}}
	wantStatus(t, fx.secretary.c.post(paths.SessionAttendance(fx.council, fx.session), stale), http.StatusConflict)
	wantStatus(t, fx.secretary.c.post(paths.SessionAttendance(fx.council, fx.session), att), http.StatusSeeOther)
	// An ordinary member may not run the session.
	wantStatus(t, fx.voters[2].c.post(paths.SessionOpen(fx.council, fx.session), url.Values{"version": {fx.version(t)}}), http.StatusForbidden)
	fx.open(t, fx.secretary.c)
	if _, err := fx.a.db.Pool.Exec(ctx, `SELECT 1`); err != nil {
		t.Fatal(err)
	}

	for _, v := range fx.voters[:5] {
		wantStatus(t, fx.vote(t, v, map[int64]string{total: "for", present: "for"}), http.StatusSeeOther)
	}
	// The absent ones cannot vote in person.
	wantStatus(t, fx.vote(t, fx.voters[5], map[int64]string{total: "for"}), http.StatusForbidden)
	wantStatus(t, fx.vote(t, fx.voters[7], map[int64]string{total: "for"}), http.StatusForbidden)
	// Only the secretary enters the written ballot, once, and only of a
	// member recorded with one.
	written := ballot(map[int64]string{total: "for", present: "for"})
	written.Set("member", fmt.Sprint(fx.voters[5].member))
	wantStatus(t, fx.voters[0].c.post(paths.WrittenBallot(fx.council, fx.session), written), http.StatusForbidden)
	wantStatus(t, fx.staff.post(paths.WrittenBallot(fx.council, fx.session), written), http.StatusForbidden)
	absent := ballot(map[int64]string{total: "for"})
	absent.Set("member", fmt.Sprint(fx.voters[7].member))
	wantStatus(t, fx.secretary.c.post(paths.WrittenBallot(fx.council, fx.session), absent), http.StatusConflict)
	wantStatus(t, fx.secretary.c.post(paths.WrittenBallot(fx.council, fx.session), written), http.StatusSeeOther)
	wantStatus(t, fx.secretary.c.post(paths.WrittenBallot(fx.council, fx.session), written), http.StatusConflict)
	fx.closeSession(t, fx.staff)

	// 6 took part of 9 (quorum 66,66 % met): 6/9 fails 90 % of all, 6/6
	// passes 90 % of those taking part.
	if got := fx.tally(t, total) + " | " + fx.tally(t, present); got != "6/0/0 failed | 6/0/0 passed" {
		t.Errorf("outcomes %q", got)
	}
	if got, want := fx.shareLineOf(t, fx.staff, total), "6/9 thành viên = 66,7 % < 90 % tổng số thành viên → Không đạt"; got != want {
		t.Errorf("total: %q, want %q", got, want)
	}
	if got, want := fx.shareLineOf(t, fx.staff, present), "6/6 thành viên tham dự = 100 % ≥ 90 % số thành viên tham dự → Đạt"; got != want {
		t.Errorf("present: %q, want %q", got, want)
	}
}

// TestNomineeOffSessionUntilObjectionsAnswered is acceptance 3's first
// part: a nominee with an unanswered objection is kept off the session
// (409 with the reason), as is one whose notice still runs, one not sent
// to the council, another campaign's, and one already passed elsewhere;
// nothing is put when one is refused.
func TestNomineeOffSessionUntilObjectionsAnswered(t *testing.T) {
	t.Parallel()
	fx := newVoteFixture(t, 3, 1)
	ctx := context.Background()
	fx.newSession(t)
	objected := fx.entries[2]
	// The list was sent before the objection came (data as it may be); the
	// objection has no answer.
	objection := fx.q(t, `INSERT INTO objections (notice_id, entry_id, receipt, name, contact, body) VALUES ($1, $2, 'YK-TEST-1', 'Lê Văn Dân', '0905 123 456', 'Đề nghị xem lại thành tích') RETURNING id`,
		fx.notice, objected)
	resp := fx.putNominees(t, http.StatusConflict, fx.entries[0], objected)
	if msg := htmlOf(t, resp).Find(".error-summary").Text(); !strings.Contains(msg, "Nguyễn Thị Đề Cử C còn 1 ý kiến phản ánh chưa được trả lời") {
		t.Errorf("refusal without the reason: %q", msg)
	}
	var n int
	if err := fx.a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM session_nominees WHERE session_id = $1`, fx.session).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d nominees put after a refusal (%v)", n, err)
	}
	// The candidates list says why, without a box to tick.
	page := htmlOf(t, fx.staff.get(paths.Session(fx.council, fx.session)))
	if page.Find(fmt.Sprintf(`input[name=entry][value="%d"]`, objected)).Length() != 0 || page.Find(fmt.Sprintf(`input[name=entry][value="%d"]`, fx.entries[0])).Length() != 1 {
		t.Error("the candidates list offers the objected nominee, or not the other")
	}
	// Answered: it may go.
	fx.q(t, `UPDATE objections SET outcome = 'dismissed', answer = 'Đã xác minh', answered_at = now() WHERE id = $1 RETURNING id`, objection)
	fx.putNominees(t, http.StatusSeeOther, objected)

	// A notice still running, a nominee not sent, another campaign's.
	fx.q(t, `UPDATE shortlist_entries SET sent_to_council_at = NULL WHERE id = $1 RETURNING id`, fx.entries[1])
	resp = fx.putNominees(t, http.StatusConflict, fx.entries[1])
	if !strings.Contains(bodyOf(resp), "chưa được cán bộ trình Hội đồng") {
		t.Error("not sent: no reason")
	}
	// Ending today by the portal's day (Vietnam's), not the database's
	// current_date, which is still yesterday from 17:00 UTC.
	fx.q(t, `UPDATE notices SET ends_on = $2 WHERE id = $1 RETURNING id`, fx.notice, domain.DateOf(fx.a.db.Now()))
	resp = fx.putNominees(t, http.StatusConflict, fx.entries[0])
	if !strings.Contains(bodyOf(resp), "Chưa hết thời gian công khai") {
		t.Error("notice running: no reason")
	}
	fx.q(t, `UPDATE notices SET ends_on = current_date - 3 WHERE id = $1 RETURNING id`, fx.notice)
	otherCampaign := fx.q(t, `INSERT INTO campaigns (plan_number, title, issuer_name, issue_date, kind, period_start, period_end)
		SELECT '16/KH-UBND', 'Phong trào khác', issuer_name, issue_date, kind, period_start, period_end FROM campaigns WHERE id = $1 RETURNING id`, fx.campaign)
	fx.q(t, `UPDATE shortlists SET campaign_id = $2 WHERE id = $1 RETURNING id`, fx.shortlist, otherCampaign)
	resp = fx.putNominees(t, http.StatusConflict, fx.entries[0])
	if !strings.Contains(bodyOf(resp), "không thuộc phong trào của phiên họp") {
		t.Error("other campaign: no reason")
	}
	fx.q(t, `UPDATE shortlists SET campaign_id = $2 WHERE id = $1 RETURNING id`, fx.shortlist, fx.campaign)
	// Passed at a closed session: not again.
	fx.q(t, `UPDATE session_nominees SET outcome = 'passed' WHERE session_id = $1 RETURNING id`, fx.session)
	first := fx.session
	fx.newSession(t)
	resp = fx.putNominees(t, http.StatusConflict, objected)
	if !strings.Contains(bodyOf(resp), "đã được Hội đồng thông qua") {
		t.Error("passed elsewhere: no reason")
	}
	// A nominee waiting at another open session is not put twice.
	fx.q(t, `UPDATE session_nominees SET outcome = NULL WHERE session_id = $1 RETURNING id`, first)
	resp = fx.putNominees(t, http.StatusConflict, objected)
	if !strings.Contains(bodyOf(resp), "đang được xét ở một phiên họp khác") {
		t.Error("pending elsewhere: no reason")
	}
	// A session without nominees does not open.
	resp = fx.staff.post(paths.SessionOpen(fx.council, fx.session), url.Values{"version": {fx.version(t)}})
	wantStatus(t, resp, http.StatusConflict)
}

// TestCouncilForeignIDs: a member reads their own council only; another
// council's session through this council's address is not found; a
// focal point on no council sees no council at all.
func TestCouncilForeignIDs(t *testing.T) {
	t.Parallel()
	fx := newVoteFixture(t, 1, 3)
	fx.newSession(t)
	member := fx.voters[2] // a focal point on the council
	wantStatus(t, member.c.get(paths.Councils()), http.StatusOK)
	wantStatus(t, member.c.get(paths.Council(fx.council)), http.StatusOK)
	wantStatus(t, member.c.get(paths.Session(fx.council, fx.session)), http.StatusOK)
	// Another council with its own session.
	wantStatus(t, fx.staff.post(paths.Councils(), url.Values{"name": {"Hội đồng khác"}, "form_key": {newIdempotencyKey()}}), http.StatusSeeOther)
	other := fx.q(t, `SELECT max(id) FROM councils`)
	wantStatus(t, fx.staff.post(paths.Sessions(other), url.Values{"campaign": {fmt.Sprint(fx.campaign)}, "held_on": {"05/12/2026"}, "place": {"Hội trường"},
		"form_key": {newIdempotencyKey()}}), http.StatusSeeOther)
	otherSession := fx.q(t, `SELECT max(id) FROM council_sessions WHERE council_id = $1`, other)
	wantStatus(t, member.c.get(paths.Council(other)), http.StatusForbidden)
	wantStatus(t, member.c.get(paths.Session(other, otherSession)), http.StatusForbidden)
	wantStatus(t, member.c.get(paths.Session(fx.council, otherSession)), http.StatusNotFound)
	wantStatus(t, fx.staff.get(paths.Session(fx.council, otherSession)), http.StatusNotFound)
	wantStatus(t, fx.staff.post(paths.SessionOpen(fx.council, otherSession), url.Values{"version": {"1"}}), http.StatusNotFound)
	wantStatus(t, member.c.get(paths.Ballot(fx.council, otherSession)), http.StatusForbidden)
	// A member is not staff: no managing.
	wantStatus(t, member.c.post(paths.CouncilMembers(fx.council), url.Values{"user": {fmt.Sprint(member.u.ID)}, "role": {"chair"}, "valid_from": {"01/01/2025"}}),
		http.StatusForbidden)
	// A focal point on no council: 403 everywhere.
	outsider, _ := fx.a.loggedIn(domain.RoleFocalPoint)
	wantStatus(t, outsider.get(paths.Councils()), http.StatusForbidden)
	wantStatus(t, outsider.get(paths.Council(fx.council)), http.StatusForbidden)
	// The member's list names only their council.
	doc := htmlOf(t, member.c.get(paths.Councils()))
	if n := doc.Find("table.councils tbody tr").Length(); n != 1 {
		t.Errorf("the member's list has %d councils, want 1", n)
	}
	// A membership is ended with a reason; a second end is refused; the
	// same user cannot be added twice over the same days.
	end := url.Values{"valid_to": {"31/12/2025"}, "reason": {"Nghỉ hưu theo chế độ"}}
	wantStatus(t, fx.staff.post(paths.CouncilMemberEnd(fx.council, member.member), url.Values{"valid_to": {"31/12/2025"}}), http.StatusUnprocessableEntity)
	wantStatus(t, fx.staff.post(paths.CouncilMemberEnd(fx.council, member.member), end), http.StatusSeeOther)
	wantStatus(t, fx.staff.post(paths.CouncilMemberEnd(fx.council, member.member), end), http.StatusConflict)
	wantStatus(t, fx.staff.post(paths.CouncilMemberEnd(other, member.member), end), http.StatusNotFound)
	wantStatus(t, fx.staff.post(paths.CouncilMembers(fx.council), url.Values{"user": {fmt.Sprint(fx.voters[0].u.ID)}, "role": {"member"},
		"valid_from": {"01/06/2025"}}), http.StatusConflict)
	// Ended before the session's day: not on its roster when it opens.
	fx.putNominees(t, http.StatusSeeOther, fx.entries[0])
	fx.open(t, fx.staff)
	var onRoster bool
	if err := fx.a.db.Pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM session_members WHERE session_id = $1 AND member_id = $2)`,
		fx.session, member.member).Scan(&onRoster); err != nil || onRoster {
		t.Errorf("an ended membership is on the roster (%v)", err)
	}
	wantStatus(t, member.c.get(paths.Ballot(fx.council, fx.session)), http.StatusForbidden)
}

// TestSessionsToVote: the leader's home lists open sessions where the user
// votes in person and has not voted yet.
func TestSessionsToVote(t *testing.T) {
	t.Parallel()
	fx := newVoteFixture(t, 1, 3)
	ctx := context.Background()
	fx.newSession(t)
	fx.putNominees(t, http.StatusSeeOther, fx.entries[0])
	count := func(v *voter) int {
		t.Helper()
		list, err := fx.a.db.SessionsToVote(ctx, v.u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if s.SessionID != fx.session || s.CouncilID != fx.council || s.Nominees != 1 {
				t.Errorf("session to vote %+v", s)
			}
		}
		return len(list)
	}
	if count(fx.voters[0]) != 0 {
		t.Error("a draft session waits for a vote")
	}
	att := url.Values{"version": {fx.version(t)}, fmt.Sprintf("attendance-%d", fx.voters[2].member): {"absent"}}
	wantStatus(t, fx.staff.post(paths.SessionAttendance(fx.council, fx.session), att), http.StatusSeeOther)
	fx.open(t, fx.staff)
	if count(fx.voters[0]) != 1 || count(fx.voters[1]) != 1 || count(fx.voters[2]) != 0 || count(fx.secretary) != 0 {
		t.Error("sessions to vote: want the two present voters only")
	}
	n := fx.nominee(t, fx.entries[0])
	wantStatus(t, fx.vote(t, fx.voters[0], map[int64]string{n: "for"}), http.StatusSeeOther)
	if count(fx.voters[0]) != 0 || count(fx.voters[1]) != 1 {
		t.Error("a member who voted still has the session to vote in")
	}
	fx.closeSession(t, fx.staff)
	if count(fx.voters[1]) != 0 {
		t.Error("a closed session waits for a vote")
	}
}
