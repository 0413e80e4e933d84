package postgres_test

import (
	"context"
	"errors"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
)

// TestCampaignMembers: a user is put on a campaign's team for a phase or
// for all, once; a disabled user or another campaign's phase is refused;
// CampaignAccess returns the user's current memberships with the campaign;
// a removal keeps the row and is audited.
func TestCampaignMembers(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	staff, _, err := db.CreateUser(ctx, domain.NewUser{Email: "canbo@example.vn", FullName: "Nguyễn Thị Cán Bộ", Role: domain.RoleStaff}, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	leader, _, err := db.CreateUser(ctx, domain.NewUser{Email: "lanhdao@example.vn", FullName: "Đoàn Văn Đức", Role: domain.RoleLeader}, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	gone, _, err := db.CreateUser(ctx, domain.NewUser{Email: "nghi@example.vn", FullName: "Người Đã Nghỉ", Role: domain.RoleStaff}, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx = domain.WithActor(ctx, domain.Actor{UserID: staff.ID})
	if err := db.SetUserDisabled(ctx, gone.ID, true); err != nil {
		t.Fatal(err)
	}
	c1, err := db.CreateCampaign(ctx, quangNgai(), "")
	if err != nil {
		t.Fatal(err)
	}
	other := quangNgai()
	other.PlanNumber = "26/KH-UBND"
	c2, err := db.CreateCampaign(ctx, other, "")
	if err != nil {
		t.Fatal(err)
	}
	p1, err := db.SavePhase(ctx, &domain.Phase{CampaignID: c1, Name: "Đợt 1", Start: domain.Day(2017, 4, 1), End: domain.Day(2018, 12, 31), ReviewKind: domain.ReviewInterim})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := db.SavePhase(ctx, &domain.Phase{CampaignID: c2, Name: "Đợt 1", Start: domain.Day(2017, 4, 1), End: domain.Day(2018, 12, 31), ReviewKind: domain.ReviewInterim})
	if err != nil {
		t.Fatal(err)
	}

	m1, err := db.AddMember(ctx, c1, &p1, leader.ID, domain.MemberAppraiser)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := db.AddMember(ctx, c1, &p1, leader.ID, domain.MemberAppraiser); err != nil || again != m1 {
		t.Fatalf("adding twice: %d, %v; want %d", again, err, m1)
	}
	if _, err := db.AddMember(ctx, c1, nil, leader.ID, domain.MemberCouncil); err != nil {
		t.Fatal(err)
	}
	var ve *domain.ValidationError
	if _, err := db.AddMember(ctx, c1, &p2, leader.ID, domain.MemberAppraiser); !asValidation(err, &ve) || ve.Fields["phase_id"] == "" {
		t.Errorf("another campaign's phase: %v", err)
	}
	if _, err := db.AddMember(ctx, c1, nil, gone.ID, domain.MemberAppraiser); !asValidation(err, &ve) || ve.Fields["user_id"] == "" {
		t.Errorf("a disabled user: %v", err)
	}
	if _, err := db.AddMember(ctx, c1, nil, 987654, domain.MemberAppraiser); !asValidation(err, &ve) || ve.Fields["user_id"] == "" {
		t.Errorf("a missing user: %v", err)
	}
	if _, err := db.AddMember(ctx, c1, nil, leader.ID, "chairman"); !asValidation(err, &ve) {
		t.Errorf("an unknown role: %v", err)
	}

	acc, err := db.CampaignAccess(ctx, c1, leader.ID)
	if err != nil {
		t.Fatal(err)
	}
	if acc.Campaign.ID != c1 || len(acc.Memberships) != 2 || !acc.Member(domain.MemberAppraiser, p1) || acc.Member(domain.MemberAppraiser, p2) ||
		!acc.Member(domain.MemberCouncil, p1) {
		t.Fatalf("access: %+v", acc)
	}
	if acc, err := db.CampaignAccess(ctx, c2, leader.ID); err != nil || len(acc.Memberships) != 0 {
		t.Fatalf("another campaign: %+v, %v", acc, err)
	}
	if _, err := db.CampaignAccess(ctx, 987654, leader.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a missing campaign: %v", err)
	}
	if acc, err := db.CampaignAccess(ctx, c1, 0); err != nil || acc.Campaign.ID != c1 || len(acc.Memberships) != 0 {
		t.Fatalf("anonymous: %+v, %v", acc, err)
	}

	team, err := db.Members(ctx, c1, domain.MemberAppraiser)
	if err != nil || len(team) != 1 || team[0].FullName != "Đoàn Văn Đức" || team[0].PhaseName != "Đợt 1" {
		t.Fatalf("team: %+v, %v", team, err)
	}
	if err := db.RemoveMember(ctx, c2, m1); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("removing through another campaign: %v", err)
	}
	if err := db.RemoveMember(ctx, c1, m1); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveMember(ctx, c1, m1); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("removing twice: %v", err)
	}
	if acc, _ := db.CampaignAccess(ctx, c1, leader.ID); acc.Member(domain.MemberAppraiser, p1) {
		t.Error("a removed member still counts")
	}
	var rows, audited int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM campaign_members WHERE id = $1 AND removed_by = $2 AND removed_at IS NOT NULL`, m1, staff.ID).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("removed row kept with who removed it: %d, %v", rows, err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action LIKE 'campaign_member.%' AND actor_id = $1`, staff.ID).Scan(&audited); err != nil || audited != 3 {
		t.Errorf("audit entries: %d, %v; want 3 (two additions, one removal)", audited, err)
	}
}

func asValidation(err error, ve **domain.ValidationError) bool { return errors.As(err, ve) }
