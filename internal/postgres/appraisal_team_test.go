package postgres_test

import (
	"context"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

// teamFixture is a province as it was reorganised on 01/07/2025: district
// H (Huyện Cao Lãnh) with communes A, B and C until that day; then commune
// A merged into B, B and C moved under the province, and H dissolved. A
// department D sits under the province throughout, with a division D1.
// The campaign has one phase before the reorganisation and one after.
type teamFixture struct {
	db                      *postgres.DB
	ctx                     context.Context
	campaign                int64
	before, after           int64 // phases
	province, h, a, b, c, d int64
	d1                      int64
	set                     int64
	forms                   map[string]int64 // "A/before" → assessment
}

func newTeamFixture(t *testing.T) *teamFixture {
	t.Helper()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	staff, _, err := db.CreateUser(ctx, domain.NewUser{Email: "canbo@example.vn", FullName: "Nguyễn Thị Cán Bộ", Role: domain.RoleStaff}, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx = domain.WithActor(ctx, domain.Actor{UserID: staff.ID})
	f := &teamFixture{db: db, ctx: ctx, forms: map[string]int64{}}
	unit := func(name, code string, kind domain.UnitKind, parent *int64) int64 {
		t.Helper()
		id, err := db.CreateUnit(ctx, domain.UnitInput{Name: name, Code: code, Kind: kind, ParentID: parent, ValidFrom: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.province = unit("Tỉnh Đồng Tháp", "T87", domain.KindProvince, nil)
	f.h = unit("Huyện Cao Lãnh", "H869", domain.KindDistrict, &f.province)
	f.a = unit("Xã Mỹ Thọ", "X30001", domain.KindCommune, &f.h)
	f.b = unit("Xã Mỹ Hiệp", "X30002", domain.KindCommune, &f.h)
	f.c = unit("Xã Bình Hàng Trung", "X30003", domain.KindCommune, &f.h)
	f.d = unit("Sở Tư pháp", "STP", domain.KindDepartment, &f.province)
	f.d1 = unit("Phòng Hành chính tư pháp", "STP-HCTP", domain.KindDivision, &f.d)
	day := domain.Day(2025, 7, 1)
	if _, _, err := db.Reorganise(ctx, domain.Reorganisation{Kind: domain.EventMerge, EffectiveDate: day, Decision: "Nghị quyết số 1663/NQ-UBTVQH15",
		Sources: []int64{f.a}, Into: &f.b}); err != nil {
		t.Fatal(err)
	}
	for id, name := range map[int64]string{f.b: "Xã Mỹ Hiệp", f.c: "Xã Bình Hàng Trung"} {
		if err := db.ChangeUnit(ctx, id, postgres.UnitChange{Kind: domain.EventMove, Date: day, Name: name, ParentID: &f.province}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DissolveUnit(ctx, f.h, day, "Nghị quyết số 1663/NQ-UBTVQH15"); err != nil {
		t.Fatal(err)
	}
	c := quangNgai()
	c.PeriodStart, c.PeriodEnd = domain.Day(2025, 1, 1), domain.Day(2025, 12, 31)
	if f.campaign, err = db.CreateCampaign(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	if f.before, err = db.SavePhase(ctx, &domain.Phase{CampaignID: f.campaign, Name: "6 tháng đầu năm", Start: domain.Day(2025, 1, 1),
		End: domain.Day(2025, 6, 30), ReviewKind: domain.ReviewInterim}); err != nil {
		t.Fatal(err)
	}
	if f.after, err = db.SavePhase(ctx, &domain.Phase{CampaignID: f.campaign, Name: "6 tháng cuối năm", Start: domain.Day(2025, 7, 1),
		End: domain.Day(2025, 12, 31), ReviewKind: domain.ReviewFinal}); err != nil {
		t.Fatal(err)
	}
	if f.set, err = db.CreateCriteriaSet(ctx, f.campaign, "Bộ tiêu chí cấp xã", nil, false); err != nil {
		t.Fatal(err)
	}
	form := func(key string, phase, unit int64) {
		t.Helper()
		var id int64
		if err := db.Pool.QueryRow(ctx, `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id) VALUES ($1, $2, $3, $4) RETURNING id`,
			f.campaign, f.set, phase, unit).Scan(&id); err != nil {
			t.Fatal(err)
		}
		f.forms[key] = id
	}
	form("A/before", f.before, f.a)
	form("B/before", f.before, f.b)
	form("C/before", f.before, f.c)
	form("D/before", f.before, f.d)
	form("B/after", f.after, f.b)
	form("C/after", f.after, f.c)
	form("D/after", f.after, f.d)
	return f
}

// appraiser makes a user of unit (nil: none) on the team for every phase.
func (f *teamFixture) appraiser(t *testing.T, email string, unit *int64) int64 {
	t.Helper()
	u, _, err := f.db.CreateUser(f.ctx, domain.NewUser{Email: email, FullName: "Người thẩm định " + email, Role: domain.RoleLeader, UnitID: unit}, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.AddMember(f.ctx, f.campaign, nil, u.ID, domain.MemberAppraiser); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestConflictOfInterest is acceptance 2's first half at the storage
// level: an appraiser of the participant's own unit, of an ancestor or of a
// descendant is refused, as of the phase's dates, also across the 2025
// merger; others are assigned.
func TestConflictOfInterest(t *testing.T) {
	t.Parallel()
	f := newTeamFixture(t)
	cases := []struct {
		name      string
		unit      *int64
		form      string
		refused   bool
		kind      domain.ConflictKind
		lineage   bool
		otherUnit int64
	}{
		{"own unit", &f.c, "C/before", true, domain.ConflictSelf, false, 0},
		{"own unit after the move", &f.c, "C/after", true, domain.ConflictSelf, false, 0},
		{"the district above the commune before 01/07/2025", &f.h, "C/before", true, domain.ConflictAncestor, false, f.h},
		{"the dissolved district is above nothing after it", &f.h, "C/after", false, "", false, 0},
		{"the province above a commune", &f.province, "C/after", true, domain.ConflictAncestor, false, f.province},
		{"a division under the department", &f.d1, "D/before", true, domain.ConflictDescendant, false, f.d1},
		{"the department's own division in the next phase too", &f.d1, "D/after", true, domain.ConflictDescendant, false, f.d1},
		{"a sibling commune", &f.c, "B/before", false, "", false, 0},
		{"a department is not above a commune", &f.d, "C/before", false, "", false, 0},
		{"no unit, no conflict", nil, "C/before", false, "", false, 0},
		// Across the merger of Mỹ Thọ (A) into Mỹ Hiệp (B) on 01/07/2025.
		{"an official still recorded at merged Mỹ Thọ, for Mỹ Hiệp after the merger", &f.a, "B/after", true, domain.ConflictSelf, true, f.b},
		{"an official of Mỹ Hiệp, for Mỹ Thọ's form before the merger", &f.b, "A/before", true, domain.ConflictSelf, true, f.a},
		{"an official of Mỹ Thọ, for its own form before the merger", &f.a, "A/before", true, domain.ConflictSelf, false, f.a},
		{"an official of Mỹ Thọ, for Bình Hàng Trung (a sibling then, a neighbour now)", &f.a, "C/after", false, "", false, 0},
	}
	for i, c := range cases {
		user := f.appraiser(t, "tham-dinh-"+string(rune('a'+i))+"@example.vn", c.unit)
		phase := f.before
		if c.form[len(c.form)-5:] == "after" {
			phase = f.after
		}
		res, err := f.db.Assign(f.ctx, f.campaign, phase, user, []int64{f.forms[c.form]})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !c.refused {
			if len(res.Assigned) != 1 || len(res.Refused) != 0 {
				t.Errorf("%s: %+v, want assigned", c.name, res)
			}
			continue
		}
		if len(res.Assigned) != 0 || len(res.Refused) != 1 || res.Refused[0].Conflict == nil {
			t.Errorf("%s: %+v, want refused for a conflict of interest", c.name, res)
			continue
		}
		got := res.Refused[0].Conflict
		if got.Kind != c.kind || got.Lineage != c.lineage || (c.otherUnit != 0 && got.UnitID != c.otherUnit) {
			t.Errorf("%s: conflict %+v, want %s (lineage %v) through unit %d", c.name, got, c.kind, c.lineage, c.otherUnit)
		}
		var n int
		if err := f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM appraisal_assignments WHERE appraiser_id = $1`, user).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d assignment rows written for a refusal", c.name, n)
		}
	}
}

// TestAssignSubtreeAndRecuse: a batch over a part of the tree assigns the
// participants without a conflict and lists the others with their reason;
// assigning again changes nothing; a form of another phase or campaign is
// not found; someone off the team is refused; a recusal is recorded with
// its reason and audit entry, and a recused appraiser is not assigned again.
func TestAssignSubtreeAndRecuse(t *testing.T) {
	t.Parallel()
	f := newTeamFixture(t)
	// An official of the district: its communes before the merger are
	// descendants of H.
	user := f.appraiser(t, "huyen@example.vn", &f.c)
	res, err := f.db.AssignSubtree(f.ctx, f.campaign, f.before, user, f.h)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Assigned) != 2 || len(res.Refused) != 1 || res.Refused[0].AssessmentID != f.forms["C/before"] || res.Refused[0].Conflict.Kind != domain.ConflictSelf {
		t.Fatalf("subtree of the district before the merger: %+v", res)
	}
	again, err := f.db.AssignSubtree(f.ctx, f.campaign, f.before, user, f.h)
	if err != nil || len(again.Assigned) != 0 || len(again.Already) != 2 || len(again.Refused) != 1 {
		t.Fatalf("assigning again: %+v, %v", again, err)
	}
	// After 01/07/2025 the district has no commune left: nothing to assign.
	if _, err := f.db.AssignSubtree(f.ctx, f.campaign, f.after, user, f.h); err == nil {
		t.Error("the dissolved district's subtree after the merger is not empty")
	}
	if _, err := f.db.Assign(f.ctx, f.campaign, f.after, user, []int64{f.forms["A/before"]}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a form of another phase: %v", err)
	}
	outsider, _, err := f.db.CreateUser(f.ctx, domain.NewUser{Email: "ngoai@example.vn", FullName: "Người Ngoài Tổ", Role: domain.RoleLeader}, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Assign(f.ctx, f.campaign, f.before, outsider.ID, []int64{f.forms["D/before"]}); err == nil {
		t.Error("someone off the team was assigned")
	}

	forms, err := f.db.AssignedAssessments(f.ctx, f.campaign, user)
	if err != nil || len(forms) != 2 {
		t.Fatalf("assigned forms: %+v, %v", forms, err)
	}
	target := f.forms["A/before"]
	if err := f.db.Recuse(f.ctx, f.campaign, target, user, "  "); domain.ErrorCode(err) == domain.ENOTFOUND || err == nil {
		t.Errorf("a recusal without a reason: %v", err)
	}
	if err := f.db.Recuse(f.ctx, f.campaign, f.forms["D/before"], user, "Không được phân công"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("recusing from a form not assigned: %v", err)
	}
	if err := f.db.Recuse(f.ctx, f.campaign, target, user, "Người thân công tác tại xã Mỹ Thọ"); err != nil {
		t.Fatal(err)
	}
	var reason string
	var audited int
	if err := f.db.Pool.QueryRow(f.ctx, `SELECT recusal_reason FROM appraisal_assignments WHERE assessment_id = $1 AND appraiser_id = $2 AND recused_at IS NOT NULL`,
		target, user).Scan(&reason); err != nil || reason != "Người thân công tác tại xã Mỹ Thọ" {
		t.Errorf("recusal recorded: %q, %v", reason, err)
	}
	if err := f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM audit_log WHERE action = 'appraisal.recuse' AND object_id = $1::bigint::text`, target).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("recusal audited: %d, %v", audited, err)
	}
	if forms, _ := f.db.AssignedAssessments(f.ctx, f.campaign, user); len(forms) != 1 {
		t.Errorf("after the recusal the appraiser still sees %d forms", len(forms))
	}
	if _, err := f.db.AssignmentOf(f.ctx, f.campaign, target, user); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("the recused assignment is still active: %v", err)
	}
	back, err := f.db.Assign(f.ctx, f.campaign, f.before, user, []int64{target})
	if err != nil || len(back.Assigned) != 0 || len(back.Refused) != 1 || back.Refused[0].Reason != "appraisal.refused.recused" {
		t.Errorf("assigning a recused appraiser again: %+v, %v", back, err)
	}
	if err := f.db.Recuse(f.ctx, f.campaign, target, user, "lần hai"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("recusing twice: %v", err)
	}
}
