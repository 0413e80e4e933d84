package seed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/password"
	"thidua/internal/postgres"
)

// The council and the award decision in the demo (issue 12): the
// province's issuers, its standing emulation council (nine voting members
// and the secretary), and the running campaign's second award plan, the
// title "Tập thể lao động tiên tiến", carried from its shortlist through a
// public notice that has ended to two sessions: one held last week,
// closed, whose passing nominees are in a signed decision published on
// the public pages; one today, open, where the demo leader has yet to
// vote.

// councilMembers are the council's members beside the demo leader (vice
// chair) and the demo staff member (secretary): users with no demo login.
var councilMembers = []struct {
	email, name, position string
	role                  domain.CouncilRole
}{
	{"chutich.hdtdkt@thidua.local", "Trần Minh Khoa", "Chủ tịch UBND tỉnh", domain.CouncilChair},
	{"giamdoc.snv@thidua.local", "Lê Thị Thu Hà", "Giám đốc Sở Nội vụ", domain.CouncilViceChair},
	{"uyvien.mttq@thidua.local", "Nguyễn Hoàng Phúc", "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", domain.CouncilOrdinary},
	{"uyvien.ldld@thidua.local", "Võ Thị Kim Ngân", "Chủ tịch Liên đoàn Lao động tỉnh", domain.CouncilOrdinary},
	{"uyvien.vpubnd@thidua.local", "Phan Quốc Bảo", "Chánh Văn phòng UBND tỉnh", domain.CouncilOrdinary},
	{"uyvien.stc@thidua.local", "Huỳnh Văn Lộc", "Giám đốc Sở Tài chính", domain.CouncilOrdinary},
	{"uyvien.sgddt@thidua.local", "Đặng Thị Mỹ Linh", "Giám đốc Sở Giáo dục và Đào tạo", domain.CouncilOrdinary},
	{"uyvien.tdtn@thidua.local", "Bùi Thanh Tùng", "Bí thư Tỉnh đoàn", domain.CouncilOrdinary},
}

// seedCouncil runs the council part of the demo, each step by its actor
// through the store.
func seedCouncil(ctx context.Context, db *postgres.DB, units map[string]int64, campaignID, phaseID int64, users map[string]int64) error {
	staffID, leaderID := users["canbo@thidua.local"], users["lanhdao@thidua.local"]
	staff := domain.WithActor(ctx, domain.Actor{UserID: staffID})
	leader := domain.WithActor(ctx, domain.Actor{UserID: leaderID})
	today := domain.DateOf(db.Now())

	province := units["82"]
	ubnd, err := db.SaveIssuer(staff, domain.Issuer{Name: "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", Code: "UBND", Place: "Đồng Tháp",
		SignerAuthority: "KT. CHỦ TỊCH", SignerTitle: "PHÓ CHỦ TỊCH", UnitID: &province})
	if err != nil {
		return fmt.Errorf("issuer: %w", err)
	}
	snv := units["SNV"]
	if _, err := db.SaveIssuer(staff, domain.Issuer{Name: "SỞ NỘI VỤ", ParentName: "UBND TỈNH ĐỒNG THÁP", Code: "SNV", Place: "Đồng Tháp",
		SignerTitle: "GIÁM ĐỐC", UnitID: &snv}); err != nil {
		return fmt.Errorf("issuer: %w", err)
	}

	// The standing council, its members valid since the start of the year.
	councilID, err := db.CreateCouncil(staff, domain.CouncilInput{Name: "Hội đồng Thi đua – Khen thưởng tỉnh Đồng Tháp", IssuerID: &ubnd}, "")
	if err != nil {
		return fmt.Errorf("council: %w", err)
	}
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	hash, err := password.Hash(hex.EncodeToString(secret), password.Default)
	if err != nil {
		return err
	}
	from := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	voters := map[string]int64{}  // email → user ID
	memberOf := map[int64]int64{} // user ID → council member ID
	add := func(userID int64, role domain.CouncilRole, position string) error {
		id, err := db.AddCouncilMember(staff, councilID, domain.MemberInput{UserID: userID, Role: role, Position: position, From: from})
		memberOf[userID] = id
		return err
	}
	for _, m := range councilMembers {
		n := domain.NewUser{Email: m.email, FullName: m.name, Role: domain.RoleLeader}
		n.Normalize()
		u, _, err := db.CreateUser(ctx, n, hash, "")
		if err != nil {
			return fmt.Errorf("council member: %w", err)
		}
		voters[m.email] = u.ID
		if err := add(u.ID, m.role, m.position); err != nil {
			return fmt.Errorf("council member: %w", err)
		}
	}
	voters["lanhdao@thidua.local"] = leaderID
	if err := add(leaderID, domain.CouncilViceChair, "Phó Chủ tịch UBND tỉnh"); err != nil {
		return fmt.Errorf("council member: %w", err)
	}
	if err := add(staffID, domain.CouncilSecretary, "Trưởng phòng Thi đua – Khen thưởng, Sở Nội vụ"); err != nil {
		return fmt.Errorf("council secretary: %w", err)
	}

	// The title's shortlist (every commune rated Tốt or better), posted a
	// month ago, its notice over, every nominee sent to the council.
	var planID int64
	plans, err := db.AwardPlans(ctx, campaignID)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if p.FormTarget == "collective" {
			planID = p.ID
		}
	}
	if planID == 0 {
		return fmt.Errorf("no collective award plan in campaign %d", campaignID)
	}
	listID, err := db.ProposeShortlist(staff, campaignID, phaseID, planID, staffID, 0, i18n.ProposalReason)
	if err != nil {
		return fmt.Errorf("title shortlist: %w", err)
	}
	notice, err := db.PublishNotice(staff, campaignID, listID, today.AddDate(0, 0, -30))
	if err != nil {
		return fmt.Errorf("title notice: %w", err)
	}
	entries, err := db.NoticeEntries(ctx, listID)
	if err != nil {
		return err
	}
	if len(entries) < 4 {
		return fmt.Errorf("title shortlist: %d nominees, want at least 4", len(entries))
	}
	var entryIDs []int64
	for _, e := range entries {
		if err := db.SendToCouncil(staff, notice.ID, e.ID, today); err != nil {
			return fmt.Errorf("to the council: %w", err)
		}
		entryIDs = append(entryIDs, e.ID)
	}

	// Last week's session: eight members present, one by a written
	// ballot; three nominees, one of whom fails.
	written := voters["uyvien.tdtn@thidua.local"]
	closed, err := seedSession(staff, db, councilID, domain.SessionInput{CampaignID: campaignID, HeldOn: today.AddDate(0, 0, -7),
		StartsAt: "08:00", Place: "Phòng họp số 1, Ủy ban nhân dân tỉnh"}, entryIDs[:3],
		map[int64]domain.Attendance{memberOf[written]: domain.AttendWritten}, today)
	if err != nil {
		return err
	}
	nominees, err := db.SessionNominees(ctx, closed)
	if err != nil {
		return err
	}
	// Nominee 1: all for; 2: one against; 3: four for, five against.
	against := map[int]int{0: 0, 1: 1, 2: 5}
	i := 0
	for _, email := range append(memberEmails(), "lanhdao@thidua.local") {
		uid := voters[email]
		b := postgres.Ballot{}
		for k, n := range nominees {
			b[n.ID] = domain.ChoiceFor
			if i < against[k] {
				b[n.ID] = domain.ChoiceAgainst
			}
		}
		if uid == written {
			err = db.EnterWrittenBallot(staff, councilID, closed, staffID, memberOf[uid], b)
		} else {
			err = db.CastBallot(domain.WithActor(ctx, domain.Actor{UserID: uid}), councilID, closed, uid, b)
		}
		if err != nil {
			return fmt.Errorf("ballot: %w", err)
		}
		i++
	}
	s, err := db.CouncilSession(ctx, councilID, closed)
	if err != nil {
		return err
	}
	if err := db.CloseSession(staff, councilID, closed, s.Version); err != nil {
		return fmt.Errorf("close the session: %w", err)
	}

	// The decision: drafted by staff from the passing nominees, signed by
	// the demo leader today.
	src, err := db.DecisionSourceOf(ctx, closed)
	if err != nil {
		return err
	}
	in := i18n.DecisionDefaults(ctx, src.CampaignTitle, src.PlanNumber, src.CampaignIssuer)
	in.IssuerID, in.Place, in.SignerAuthority, in.SignerTitle, in.SignerName = ubnd, "Đồng Tháp", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đoàn Văn Đức"
	in.Proposal = "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 215/TTr-SNV ngày " + i18n.Day(today.AddDate(0, 0, -5)) + "."
	in.Recipients = "- Như Điều 3;\n- Thường trực Tỉnh ủy;\n- Chủ tịch, các PCT UBND tỉnh;\n- Lưu: VT, SNV."
	decisionID, err := db.DraftDecision(staff, closed, in, "")
	if err != nil {
		return fmt.Errorf("decision draft: %w", err)
	}
	if _, err := db.SignDecision(leader, decisionID, 1, today); err != nil {
		return fmt.Errorf("decision: %w", err)
	}

	// Today's session: the last nominee, open; five members have voted,
	// the demo leader has not.
	open, err := seedSession(staff, db, councilID, domain.SessionInput{CampaignID: campaignID, HeldOn: today,
		StartsAt: "14:00", Place: "Phòng họp số 2, Ủy ban nhân dân tỉnh"}, entryIDs[3:4],
		map[int64]domain.Attendance{memberOf[voters["uyvien.tdtn@thidua.local"]]: domain.AttendAbsent}, today)
	if err != nil {
		return err
	}
	nominees, err = db.SessionNominees(ctx, open)
	if err != nil {
		return err
	}
	for _, email := range memberEmails()[:5] {
		uid := voters[email]
		b := postgres.Ballot{}
		for _, n := range nominees {
			b[n.ID] = domain.ChoiceFor
		}
		if err := db.CastBallot(domain.WithActor(ctx, domain.Actor{UserID: uid}), councilID, open, uid, b); err != nil {
			return fmt.Errorf("ballot: %w", err)
		}
	}
	return nil
}

// memberEmails are the councilMembers' addresses in order.
func memberEmails() []string {
	out := make([]string, len(councilMembers))
	for i, m := range councilMembers {
		out[i] = m.email
	}
	return out
}

// seedSession creates a session of the council, puts entries to it, sets
// the attendance given (everyone else present) and opens it.
func seedSession(staff context.Context, db *postgres.DB, councilID int64, in domain.SessionInput, entries []int64,
	att map[int64]domain.Attendance, today time.Time) (int64, error) {
	id, err := db.CreateSession(staff, councilID, in, "")
	if err != nil {
		return 0, fmt.Errorf("session: %w", err)
	}
	version := func() (int, error) {
		s, err := db.CouncilSession(staff, councilID, id)
		if err != nil {
			return 0, err
		}
		return s.Version, nil
	}
	v, err := version()
	if err != nil {
		return 0, err
	}
	if err := db.AddNominees(staff, councilID, id, v, entries, today); err != nil {
		return 0, fmt.Errorf("session nominees: %w", err)
	}
	if v, err = version(); err != nil {
		return 0, err
	}
	if err := db.SetAttendance(staff, councilID, id, v, att); err != nil {
		return 0, fmt.Errorf("attendance: %w", err)
	}
	if v, err = version(); err != nil {
		return 0, err
	}
	if err := db.OpenSession(staff, councilID, id, v); err != nil {
		return 0, fmt.Errorf("open the session: %w", err)
	}
	return id, nil
}
