package seed

import (
	"context"
	"fmt"
	"time"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/postgres"
)

// demoCampaign is one of the five campaigns of the seed articles, with the
// numbers they give. Where an article gives no plan number or no quota, the
// seed says so rather than inventing one.
type demoCampaign struct {
	c      domain.Campaign
	phases []domain.Phase
	awards []demoAward
	sets   []demoSet
	status []domain.CampaignStatus
	issuer string // unit code in the demo registry, if the issuer is there
}

type demoAward struct {
	form                   string
	collective, individual *int
	minBand                string
	note                   string
}

type demoSet struct {
	name     string
	kinds    []string
	template string
	rows     []criteria.Row
}

func n(v int) *int { return &v }

func d(y int, m time.Month, day int) time.Time { return domain.Day(y, m, day) }

func dp(y int, m time.Month, day int) *time.Time { t := d(y, m, day); return &t }

func yearly(from, to int, final domain.ReviewKind) []domain.Phase {
	var ps []domain.Phase
	for y := from; y <= to; y++ {
		kind := domain.ReviewAnnual
		if y == to {
			kind = final
		}
		ps = append(ps, domain.Phase{Name: fmt.Sprintf("Năm %d", y), Start: d(y, 1, 1), End: d(y, 12, 31),
			AssessmentFrom: dp(y, 12, 1), AssessmentTo: dp(y, 12, 20), AppraisalFrom: dp(y+1, 1, 5), AppraisalTo: dp(y+1, 2, 15),
			ReplyFrom: dp(y+1, 2, 16), ReplyTo: dp(y+1, 2, 25), ReviewKind: kind, ReviewDate: dp(y+1, 3, 31)})
	}
	return ps
}

var allStaff = []string{string(domain.CategoryCanBo), string(domain.CategoryCongChuc), string(domain.CategoryVienChuc)}

// demoCampaigns are five real campaign plans (docs/domain.md), with their real numbers.
func demoCampaigns() []demoCampaign {
	thachThat := []criteria.Row{
		{Code: "1", Title: "Mức độ hài lòng của người dân, tổ chức, doanh nghiệp về giải quyết thủ tục hành chính (chỉ tiêu tối thiểu 95%)", Max: "30", Method: domain.MethodTiers, Tiers: "95:30;90:15", Evidence: true},
		{Code: "2", Title: "Tỷ lệ hồ sơ thủ tục hành chính trả kết quả đúng hạn, trước hạn (chỉ tiêu 100%)", Max: "30", Method: domain.MethodTargetShare, Target: "100", Evidence: true},
		{Code: "3", Title: "Tỷ lệ cán bộ, công chức, viên chức tiếp dân, giải quyết hồ sơ được bồi dưỡng kỹ năng giao tiếp, ứng xử, làm việc nhóm, giải quyết hồ sơ trực tuyến (chỉ tiêu 100%)", Max: "15", Method: domain.MethodTargetShare, Target: "100", Evidence: true},
		{Code: "4", Title: "Tỷ lệ cán bộ cấp xã được bồi dưỡng về các Chỉ số PAR INDEX, SIPAS, PAPI (chỉ tiêu 100%)", Max: "15", Method: domain.MethodTargetShare, Target: "100", Evidence: true},
		{Code: "5", Title: "Có trang thông tin điện tử thành phần trên Cổng thông tin điện tử của huyện", Max: "10", Method: domain.MethodYesNo, Evidence: true},
	}
	return []demoCampaign{
		{
			issuer: "87",
			c: domain.Campaign{PlanNumber: "KH-UBND (2021–2025)", Title: "Phát động phong trào thi đua đẩy mạnh thực hiện công tác cải cách hành chính tỉnh Đồng Tháp giai đoạn 2021 – 2025",
				IssuerName: "Ủy ban nhân dân tỉnh Đồng Tháp", IssueDate: d(2021, 3, 1), Kind: domain.KindRegular,
				Purposes:    "Góp phần xây dựng nền hành chính trong sạch, vững mạnh, hiện đại, tăng tính dân chủ, minh bạch; tạo môi trường kinh doanh bình đẳng, thông thoáng, thuận lợi; nâng cao hiệu lực, hiệu quả quản lý hành chính nhà nước tại tỉnh Đồng Tháp.\nTạo động lực, khí thế thi đua sôi nổi; biểu dương, khen thưởng các tập thể, cá nhân có thành tích xuất sắc, sáng tạo trong công tác cải cách hành chính; phát hiện và nhân rộng các mô hình mới, cách làm hay.",
				Content:     "Trách nhiệm lãnh đạo, chỉ đạo của người đứng đầu trong triển khai các nhiệm vụ cải cách hành chính, được xác định là nhiệm vụ trọng tâm, thường xuyên và là khâu đột phá của tỉnh.\nKết quả thực hiện các nhiệm vụ, đề án trong Kế hoạch CCHC của tỉnh giai đoạn 2021 – 2030 và kế hoạch CCHC hằng năm.\nTuyên truyền CCHC, nâng cao nhận thức của cán bộ, công chức, viên chức; vai trò giám sát của tổ chức, cá nhân.\nHoàn thành tốt các tiêu chí trong Bộ tiêu chí xác định Chỉ số CCHC; kết quả Chỉ số CCHC hằng năm phải đạt từ loại tốt trở lên.",
				TargetKinds: []string{"department", "district", "commune", "ward"}, TargetCategories: allStaff,
				TargetNote:  "Các sở, ngành tỉnh; UBND các huyện, thành phố thuộc tỉnh (đến 30/6/2025); UBND các xã, phường, thị trấn. Kế hoạch không ghi số lượng khen thưởng.",
				PeriodStart: d(2021, 3, 1), PeriodEnd: d(2025, 12, 31), Bands: domain.DefaultBands},
			phases: func() []domain.Phase {
				ps := yearly(2021, 2025, domain.ReviewInterim)
				ps[0].Start = d(2021, 3, 1)
				return ps
			}(),
			awards: []demoAward{{form: "bang_khen_chu_tich_tinh", minBand: "good", note: "Chỉ số CCHC hằng năm phải đạt từ loại tốt trở lên."}},
			sets: []demoSet{
				{name: "Sở, ban, ngành tỉnh", kinds: []string{"department"}, template: "par-department"},
				{name: "UBND xã, phường", kinds: []string{"commune", "ward"}, template: "par-commune"},
			},
			status: []domain.CampaignStatus{domain.StatusAnnounced},
		},
		{
			c: domain.Campaign{PlanNumber: "412/KH-SNV", Title: "Đẩy mạnh cải cách hành chính của Sở Nội vụ giai đoạn 2022 – 2025",
				IssuerName: "Sở Nội vụ", SignerPosition: "Giám đốc Sở Nội vụ", IssueDate: d(2022, 3, 9), Kind: domain.KindRegular,
				Purposes:    "Tạo khí thế thi đua sôi nổi, tạo động lực để các tập thể, cá nhân thực hiện tốt Kế hoạch cải cách hành chính giai đoạn 2022 – 2025 của Sở Nội vụ.\nNâng cao ý thức, trách nhiệm, đạo đức công vụ của công chức, viên chức, người lao động, nhất là người đứng đầu.\nBiểu dương, khen thưởng các tập thể, cá nhân có thành tích xuất sắc, đổi mới, sáng tạo; nhân rộng cách làm hay.",
				Content:     "Nâng cao trách nhiệm của người đứng đầu trong lãnh đạo, chỉ đạo thực hiện các nhiệm vụ cải cách hành chính.\nHoàn thành các chỉ tiêu, nhiệm vụ CCHC theo kế hoạch hằng năm, giai đoạn của UBND tỉnh và của Sở.\nHoàn thành tốt các tiêu chí trong Bộ chỉ số đánh giá, xếp hạng kết quả CCHC của UBND tỉnh.\nNghiên cứu, đề xuất sáng kiến, giải pháp, nhất là ứng dụng công nghệ thông tin trong giải quyết thủ tục hành chính.\nĐổi mới cơ chế quản lý tài chính đối với đơn vị sự nghiệp công lập; chuyển đổi số ngành Nội vụ.\nThực hiện tốt văn hóa công sở, đạo đức công vụ; chấp hành nghiêm kỷ luật, kỷ cương.",
				TargetKinds: []string{"division", "agency"}, TargetCategories: []string{"cong_chuc", "vien_chuc", "nguoi_lao_dong"},
				TargetNote:  "Các phòng, đơn vị thuộc Sở; công chức, viên chức, người lao động của Sở. Việc khen thưởng gắn với kiểm điểm, đánh giá Chỉ số CCHC hằng năm của Sở.",
				PeriodStart: d(2022, 3, 9), PeriodEnd: d(2025, 12, 31), Bands: domain.DefaultBands},
			phases: func() []domain.Phase {
				ps := yearly(2022, 2025, domain.ReviewFinal)
				ps[0].Start = d(2022, 3, 9)
				return ps
			}(),
			awards: []demoAward{{form: "giay_khen", minBand: "good"}},
			status: []domain.CampaignStatus{domain.StatusAnnounced, domain.StatusClosed},
		},
		{
			c: domain.Campaign{PlanNumber: "1078/KH-SNV", Title: "Thi đua thực hiện các giải pháp nâng cao hiệu quả quản trị và hành chính công (Chỉ số PAPI) tỉnh An Giang năm 2021",
				IssuerName: "Sở Nội vụ tỉnh An Giang", IssueDate: d(2021, 6, 21), Kind: domain.KindThematic,
				Purposes:    "Xác định nhiệm vụ, giải pháp cụ thể nâng cao hiệu quả điều hành, quản lý nhà nước và cung ứng dịch vụ công; chuyển biến nhận thức và hành động của cán bộ, công chức, viên chức; cải thiện chất lượng quản trị và hành chính công từ tỉnh đến xã, đáp ứng sự hài lòng của người dân, tổ chức.",
				Content:     "Tập thể: ban hành kế hoạch thực hiện các giải pháp nâng cao hiệu quả quản trị và hành chính công đủ 08 chỉ số nội dung thành phần; thực hiện hiệu quả nhiệm vụ được giao; báo cáo định kỳ đầy đủ, đúng hạn; chấp hành tốt kỷ luật, kỷ cương hành chính theo Chỉ thị số 26/CT-TTg; có sáng kiến được công nhận; điểm chỉ số thành phần được giao chủ trì cải thiện vượt bậc hoặc thuộc nhóm cao nhất.\nCá nhân: lãnh đạo, chỉ đạo, tham mưu trực tiếp, tham gia tích cực; có sáng kiến, cách làm hay góp phần nâng cao Chỉ số PAPI tỉnh được công nhận.",
				TargetKinds: []string{"department", "district", "commune", "ward"}, TargetCategories: allStaff,
				TargetNote:  "Các sở, ban, ngành tỉnh; UBND huyện, thị xã, thành phố; UBND xã, phường, thị trấn và cán bộ, công chức, viên chức thuộc các cơ quan này.",
				PeriodStart: d(2021, 6, 21), PeriodEnd: d(2021, 12, 31), Bands: domain.DefaultBands},
			phases: []domain.Phase{{Name: "Năm 2021", Start: d(2021, 6, 21), End: d(2021, 12, 31), ReviewKind: domain.ReviewFinal, ReviewDate: dp(2022, 1, 31)}},
			awards: []demoAward{{form: "bang_khen_chu_tich_tinh", collective: n(5), individual: n(10), minBand: "good"}},
			sets:   []demoSet{{name: "PAPI – 8 chỉ số thành phần", kinds: []string{"department", "district", "commune", "ward"}, template: "papi"}},
			status: []domain.CampaignStatus{domain.StatusAnnounced, domain.StatusClosed},
		},
		{
			c: domain.Campaign{PlanNumber: "KH-UBND (2018)", Title: "Phong trào thi đua đẩy mạnh cải cách hành chính, nhất là cải cách thủ tục hành chính tỉnh Quảng Ngãi giai đoạn 2018 – 2020",
				IssuerName: "Ủy ban nhân dân tỉnh Quảng Ngãi", IssueDate: d(2018, 4, 11), Kind: domain.KindRegular,
				Purposes:    "Xây dựng nền hành chính dân chủ, trong sạch, vững mạnh, chuyên nghiệp, từng bước hiện đại, hiệu lực, hiệu quả; góp phần hoàn thành các mục tiêu phát triển kinh tế – xã hội hằng năm và giai đoạn 2016 – 2021 của tỉnh.\nĐộng viên cán bộ, công chức, viên chức, người lao động; biểu dương, khen thưởng những tập thể, cá nhân có thành tích xuất sắc trong CCHC, nhất là cải cách thủ tục hành chính; góp phần thực hiện Nghị quyết số 05-NQ/TU ngày 05/12/2016 của Tỉnh ủy.",
				Content:     "Hoàn thành xuất sắc các nhiệm vụ, đề án, dự án được giao trong Quyết định số 205/QĐ-UBND ngày 13/3/2017 của UBND tỉnh, trên các nội dung: công tác chỉ đạo điều hành cải cách hành chính; cải cách thể chế; cải cách thủ tục hành chính, thực hiện cơ chế một cửa, một cửa liên thông; cải cách tổ chức bộ máy nhà nước; xây dựng và nâng cao chất lượng đội ngũ công chức, viên chức; cải cách tài chính công; hiện đại hóa nền hành chính.",
				TargetKinds: []string{"department", "division", "district", "commune"}, TargetCategories: allStaff,
				TargetNote:  "Các sở, ban, ngành tỉnh, phòng, ban chuyên môn và cán bộ, công chức, viên chức trực tiếp tham mưu CCHC; UBND cấp huyện và các phòng, ban chuyên môn; UBND cấp xã và cán bộ, công chức cấp xã.",
				PeriodStart: d(2017, 4, 1), PeriodEnd: d(2020, 12, 31), Bands: domain.DefaultBands},
			phases: []domain.Phase{
				{Name: "Đợt 1", Start: d(2017, 4, 1), End: d(2018, 12, 31), ReviewKind: domain.ReviewInterim, ReviewDate: dp(2019, 1, 31)},
				{Name: "Đợt 2", Start: d(2019, 1, 1), End: d(2020, 12, 31), ReviewKind: domain.ReviewFinal, ReviewDate: dp(2021, 1, 31)},
			},
			awards: []demoAward{{form: "bang_khen_chu_tich_tinh", collective: n(8), individual: n(10), minBand: "good"}},
			status: []domain.CampaignStatus{domain.StatusAnnounced, domain.StatusClosed},
		},
		{
			c: domain.Campaign{PlanNumber: "121/KH-UBND", Title: "Phong trào thi đua “Cải cách hành chính” trên địa bàn huyện Thạch Thất năm 2021",
				IssuerName: "Ủy ban nhân dân huyện Thạch Thất", SignerPosition: "Chủ tịch UBND huyện", IssueDate: d(2021, 4, 1), Kind: domain.KindRegular,
				Purposes:    "Động viên cán bộ, công chức, viên chức, người lao động có hoạt động cụ thể, thiết thực đẩy mạnh CCHC năm 2021; phát hiện, bồi dưỡng điển hình tiên tiến; biểu dương, khen thưởng tập thể, cá nhân có thành tích xuất sắc.",
				Content:     "Nâng cao trách nhiệm của người đứng đầu trong lãnh đạo, chỉ đạo các nhiệm vụ CCHC.\nMức độ hài lòng của người dân, tổ chức, doanh nghiệp về giải quyết thủ tục hành chính của huyện đạt tối thiểu 95%.\n100% hồ sơ thủ tục hành chính được trả kết quả đúng hạn, trước hạn.\n100% cán bộ, công chức, viên chức tiếp dân, giải quyết hồ sơ được bồi dưỡng kỹ năng giao tiếp, ứng xử, làm việc nhóm, giải quyết hồ sơ trực tuyến.\n100% cán bộ cấp xã được bồi dưỡng về các Chỉ số PAR INDEX, SIPAS, PAPI.\n100% UBND xã, thị trấn có trang thông tin điện tử thành phần trên Cổng thông tin điện tử của huyện.",
				TargetKinds: []string{"division", "agency", "commune"}, TargetCategories: allStaff,
				TargetNote:  "Các cơ quan, phòng, ban, ngành, đơn vị, UBND xã, thị trấn trên địa bàn huyện; cán bộ, công chức, viên chức thuộc huyện và các đơn vị trực thuộc.",
				PeriodStart: d(2021, 4, 1), PeriodEnd: d(2021, 11, 30), Bands: domain.DefaultBands},
			phases: []domain.Phase{{Name: "Năm 2021", Start: d(2021, 4, 1), End: d(2021, 11, 30), AssessmentFrom: dp(2021, 11, 15), AssessmentTo: dp(2021, 11, 30),
				ReviewKind: domain.ReviewFinal}},
			awards: []demoAward{{form: "giay_khen", minBand: "good"}},
			sets:   []demoSet{{name: "Chỉ tiêu CCHC năm 2021", kinds: []string{"division", "agency", "commune"}, rows: thachThat}},
			status: []domain.CampaignStatus{domain.StatusAnnounced, domain.StatusClosed},
		},
	}
}

// seedCampaigns enters the five campaigns through the same operations as
// the staff pages, and takes each through its lifecycle.
func seedCampaigns(ctx context.Context, db *postgres.DB, units map[string]int64) error {
	forms, err := db.AwardForms(ctx)
	if err != nil {
		return err
	}
	formID := map[string]int64{}
	for _, f := range forms {
		formID[f.Code] = f.ID
	}
	for _, dc := range demoCampaigns() {
		c := dc.c
		if id, ok := units[dc.issuer]; ok {
			c.IssuerUnitID = &id
		}
		id, err := db.CreateCampaign(ctx, &c, "")
		if err != nil {
			return fmt.Errorf("%s: %w", c.Title, err)
		}
		for i := range dc.phases {
			p := dc.phases[i]
			p.CampaignID = id
			if _, err := db.SavePhase(ctx, &p); err != nil {
				return fmt.Errorf("%s, %s: %w", c.Title, p.Name, err)
			}
		}
		for _, a := range dc.awards {
			if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: id, AwardFormID: formID[a.form], CollectiveQuota: a.collective,
				IndividualQuota: a.individual, MinBand: a.minBand, NoPendingDiscipline: true, NotAlreadyAwarded: true, Note: a.note}); err != nil {
				return fmt.Errorf("%s: %w", c.Title, err)
			}
		}
		for _, s := range dc.sets {
			setID, err := db.CreateCriteriaSet(ctx, id, s.name, s.kinds, false)
			if err != nil {
				return err
			}
			rows := s.rows
			if s.template != "" {
				tpl, _ := criteria.TemplateByKey(s.template)
				rows = tpl.Rows
			}
			nodes, ps := criteria.Nodes(rows)
			if len(ps) > 0 {
				return fmt.Errorf("%s: %v", s.name, ps)
			}
			if err := db.ReplaceCriteria(ctx, setID, nodes, "seed"); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
		}
		for _, st := range dc.status {
			if err := db.Transition(ctx, id, st, ""); err != nil {
				return fmt.Errorf("%s → %s: %w", c.Title, st, err)
			}
		}
	}
	return nil
}

// seedCurrent adds one campaign that is running on the day the demo data is
// loaded, so that registration and self-assessment can be tried at once:
// Sở Tư pháp is approved and has opened its form, Sở Y tế waits for
// approval, and UBND xã Mỹ Thọ has not registered yet. It is marked as an
// illustration; the five campaigns above are the real ones.
func seedCurrent(ctx context.Context, db *postgres.DB, units map[string]int64, staffID int64) (_, _ int64, err error) {
	today := domain.DateOf(db.Now())
	start, end := today.AddDate(0, -2, 0), today.AddDate(0, 3, 0)
	issuer := units["SNV"]
	c := domain.Campaign{PlanNumber: "Minh họa", Title: fmt.Sprintf("Thi đua thực hiện nhiệm vụ cải cách hành chính năm %d (phong trào minh họa)", today.Year()),
		IssuerName: "Sở Nội vụ tỉnh Đồng Tháp", IssuerUnitID: &issuer, SignerPosition: "Giám đốc Sở Nội vụ", IssueDate: start, Kind: domain.KindRegular,
		Purposes:    "Phong trào minh họa để dùng thử cổng: đăng ký thi đua, tự chấm điểm theo Bộ chỉ số CCHC, nộp hồ sơ và tài liệu kiểm chứng.",
		Content:     "Hoàn thành các nhiệm vụ CCHC năm theo kế hoạch của UBND tỉnh.\nTự chấm điểm theo Bộ chỉ số CCHC, có tài liệu kiểm chứng cho từng tiêu chí.",
		TargetKinds: []string{"department", "commune", "ward"}, TargetCategories: allStaff,
		TargetNote:  "Dữ liệu minh họa, không có trong các văn bản gốc: thời hạn tính theo ngày nạp dữ liệu mẫu.",
		PeriodStart: start, PeriodEnd: end, Bands: domain.DefaultBands}
	id, err := db.CreateCampaign(ctx, &c, "")
	if err != nil {
		return 0, 0, err
	}
	from, to := today.AddDate(0, 0, -7), today.AddDate(0, 0, 14)
	// Nominations due in six days: a unit with one not yet sent is reminded
	// (7 days before) as soon as the portal runs.
	nominationsDue := today.AddDate(0, 0, 6)
	p := domain.Phase{CampaignID: id, Name: "Đợt 1", Start: start, End: end, AssessmentFrom: &from, AssessmentTo: &to, ReviewKind: domain.ReviewAnnual,
		NominationTo: &nominationsDue}
	if _, err := db.SavePhase(ctx, &p); err != nil {
		return 0, 0, err
	}
	forms, err := db.AwardForms(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, f := range forms {
		switch f.Code {
		case "giay_khen":
			if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: id, AwardFormID: f.ID, CollectiveQuota: n(3), IndividualQuota: n(5),
				MinBand: "good", NoPendingDiscipline: true, NotAlreadyAwarded: true}); err != nil {
				return 0, 0, err
			}
		case "tap_the_lao_dong_tien_tien":
			// The title every collective rated Tốt or better may receive
			// (no quota); a title and a Giấy khen of the same year are not
			// the same achievement awarded twice, so no one-award rule.
			if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: id, AwardFormID: f.ID,
				MinBand: "good", NoPendingDiscipline: true}); err != nil {
				return 0, 0, err
			}
		}
	}
	for _, s := range []demoSet{
		{name: "Sở, ban, ngành tỉnh", kinds: []string{"department"}, template: "par-department"},
		{name: "UBND xã, phường", kinds: []string{"commune", "ward"}, template: "par-commune"},
	} {
		setID, err := db.CreateCriteriaSet(ctx, id, s.name, s.kinds, false)
		if err != nil {
			return 0, 0, err
		}
		tpl, _ := criteria.TemplateByKey(s.template)
		nodes, _ := criteria.Nodes(tpl.Rows)
		if err := linkDemoMeasures(ctx, db, nodes, today.Year()-1); err != nil {
			return 0, 0, err
		}
		if err := db.ReplaceCriteria(ctx, setID, nodes, "seed"); err != nil {
			return 0, 0, err
		}
	}
	if err := db.Transition(ctx, id, domain.StatusAnnounced, ""); err != nil {
		return 0, 0, err
	}
	pledge := postgres.RegistrationInput{Pledge: "Hoàn thành 100% nhiệm vụ CCHC năm; không có hồ sơ thủ tục hành chính trễ hạn.",
		Targets: []postgres.Target{{Label: "Mức độ hài lòng của người dân, tổ chức", Value: "≥ 95%"}, {Label: "Hồ sơ TTHC giải quyết đúng hạn", Value: "100%"}},
		Submit:  true}
	stp, err := db.SaveRegistration(ctx, id, units["STP"], pledge)
	if err != nil {
		return 0, 0, err
	}
	reg, err := db.RegistrationByID(ctx, stp)
	if err != nil {
		return 0, 0, err
	}
	staff := domain.WithActor(ctx, domain.Actor{UserID: staffID})
	if _, err := db.DecideRegistrations(staff, id, []postgres.RegistrationChoice{{ID: reg.ID, Version: reg.Version}}, true, ""); err != nil {
		return 0, 0, err
	}
	if _, err := db.StartAssessment(ctx, id, p.ID, units["STP"]); err != nil {
		return 0, 0, err
	}
	_, err = db.SaveRegistration(ctx, id, units["SYT"], pledge)
	return id, p.ID, err
}
