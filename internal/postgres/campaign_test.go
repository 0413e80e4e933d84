package postgres_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

func quangNgai() *domain.Campaign {
	return &domain.Campaign{PlanNumber: "25/KH-UBND", Title: "Phong trào thi đua đẩy mạnh cải cách hành chính, nhất là cải cách thủ tục hành chính tỉnh Quảng Ngãi",
		IssuerName: "Ủy ban nhân dân tỉnh Quảng Ngãi", IssueDate: domain.Day(2018, 4, 1), Kind: domain.KindRegular,
		PeriodStart: domain.Day(2017, 4, 1), PeriodEnd: domain.Day(2020, 12, 31)}
}

// TestLifecycle is acceptance 2 at the storage level: legal moves only,
// each recorded with who and when; announcing needs phases, awards, criteria.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	u, _, err := db.CreateUser(ctx, domain.NewUser{Email: "canbo@example.vn", FullName: "Nguyễn Thị Cán Bộ", Role: domain.RoleStaff}, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx = domain.WithActor(ctx, domain.Actor{UserID: u.ID})
	id, err := db.CreateCampaign(ctx, quangNgai(), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Transition(ctx, id, domain.StatusAnnounced, ""); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("announcing an empty campaign: %v", err)
	}
	for _, p := range []*domain.Phase{
		{CampaignID: id, Name: "Đợt 1", Start: domain.Day(2017, 4, 1), End: domain.Day(2018, 12, 31), ReviewKind: domain.ReviewInterim},
		{CampaignID: id, Name: "Đợt 2", Start: domain.Day(2019, 1, 1), End: domain.Day(2020, 12, 31), ReviewKind: domain.ReviewFinal},
	} {
		if _, err := db.SavePhase(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	forms, _ := db.AwardForms(ctx)
	var bangKhen int64
	for _, f := range forms {
		if f.Code == "bang_khen_chu_tich_tinh" {
			bangKhen = f.ID
		}
	}
	eight, ten := 8, 10
	if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: id, AwardFormID: bangKhen, CollectiveQuota: &eight, IndividualQuota: &ten, MinBand: "good"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Transition(ctx, id, domain.StatusAnnounced, ""); err != nil {
		t.Fatalf("announce: %v", err)
	}
	// Rules are frozen once announced; texts are not.
	c, _ := db.CampaignByID(ctx, id)
	c.PeriodEnd = domain.Day(2021, 6, 30)
	if err := db.UpdateCampaign(ctx, c); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("changing the period of an announced campaign: %v", err)
	}
	c, _ = db.CampaignByID(ctx, id)
	c.Purposes = "Xây dựng nền hành chính dân chủ, trong sạch, vững mạnh."
	if err := db.UpdateCampaign(ctx, c); err != nil {
		t.Errorf("changing the purposes: %v", err)
	}
	if _, err := db.SavePhase(ctx, &domain.Phase{CampaignID: id, Name: "Đợt 3", Start: domain.Day(2020, 1, 1), End: domain.Day(2020, 6, 30), ReviewKind: domain.ReviewAnnual}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("adding a phase after announcing: %v", err)
	}
	if err := db.Transition(ctx, id, domain.StatusClosed, "Đã tổng kết"); err != nil {
		t.Fatal(err)
	}
	err = db.Transition(ctx, id, domain.StatusAnnounced, "")
	if de, ok := err.(*domain.Error); !ok || de.Code != domain.ECONFLICT || de.Message != "campaign.transition.illegal" {
		t.Fatalf("closed → announced: %v", err)
	}
	tr, _ := db.Transitions(ctx, id)
	if len(tr) != 2 || tr[0].To != domain.StatusAnnounced || tr[1].To != domain.StatusClosed || tr[0].ActorName != "Nguyễn Thị Cán Bộ" || tr[0].At.IsZero() {
		t.Errorf("transitions %+v", tr)
	}
	// Phases outside the period and quotas that do not fit the form are refused.
	other, _ := db.CreateCampaign(ctx, &domain.Campaign{PlanNumber: "1/KH", Title: "Khác", IssuerName: "Sở Nội vụ", IssueDate: domain.Day(2021, 1, 1),
		Kind: domain.KindThematic, PeriodStart: domain.Day(2021, 1, 1), PeriodEnd: domain.Day(2021, 12, 31)}, "")
	if _, err := db.SavePhase(ctx, &domain.Phase{CampaignID: other, Name: "Ngoài kỳ", Start: domain.Day(2022, 1, 1), End: domain.Day(2022, 2, 1), ReviewKind: domain.ReviewAnnual}); err == nil {
		t.Error("a phase outside the period was accepted")
	}
	for _, f := range forms {
		if f.Code == "lao_dong_tien_tien" {
			if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: other, AwardFormID: f.ID, CollectiveQuota: &eight, MinBand: "good"}); err == nil {
				t.Error("a collective quota on an individual award was accepted")
			}
		}
	}
	// The same plan number from the same issuer is refused.
	if _, err := db.CreateCampaign(ctx, quangNgai(), ""); err == nil {
		t.Error("duplicate plan number accepted")
	}
}

// TestListCampaignsCounts: the campaign list's counts per campaign (phases,
// the phase under way, criteria of every set, award plans) are those of its
// own rows, a campaign without any shows zeros, and the criteria count
// follows a change made by hand in SQL (the sets' trigger-kept count).
func TestListCampaignsCounts(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	campaign, _, set := campaignWithSet(t, db)
	if _, err := db.SavePhase(ctx, &domain.Phase{CampaignID: campaign, Name: "Tổng kết", Start: domain.Day(2026, 12, 1), End: domain.Day(2026, 12, 31),
		ReviewKind: domain.ReviewFinal}); err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateCriteriaSet(ctx, campaign, "Bộ xã", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range []int64{set, set, other} {
		if _, err := db.SaveCriterion(ctx, s, domain.Criterion{Code: strconv.Itoa(i + 1), Title: "Tiêu chí", Max: 1000, Method: domain.MethodPoints, Step: 25}, ""); err != nil {
			t.Fatal(err)
		}
	}
	forms, _ := db.AwardForms(ctx)
	for _, f := range forms {
		if f.Code == "bang_khen_chu_tich_tinh" {
			five := 5
			if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: campaign, AwardFormID: f.ID, CollectiveQuota: &five, MinBand: "good"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	empty, err := db.CreateCampaign(ctx, quangNgai(), "")
	if err != nil {
		t.Fatal(err)
	}
	list := func() map[int64]string {
		t.Helper()
		rows, err := db.ListCampaigns(ctx, postgres.CampaignFilter{}, domain.Day(2026, 12, 2))
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]string{}
		for _, r := range rows {
			out[r.ID] = fmt.Sprintf("phases %d, current %d, criteria %d, awards %d", r.Phases, r.CurrentSeq, r.Criteria, r.Awards)
		}
		return out
	}
	got := list()
	if want := "phases 2, current 1, criteria 3, awards 1"; got[campaign] != want {
		t.Errorf("campaign: %q, want %q", got[campaign], want)
	}
	if want := "phases 0, current 0, criteria 0, awards 0"; got[empty] != want {
		t.Errorf("empty campaign: %q, want %q", got[empty], want)
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM criteria WHERE set_id = $1 AND code = '1'`, set); err != nil {
		t.Fatal(err)
	}
	if got, want := list()[campaign], "phases 2, current 1, criteria 2, awards 1"; got != want {
		t.Errorf("after a criterion was deleted by hand: %q, want %q", got, want)
	}
}
