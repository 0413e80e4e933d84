package seed

import (
	"context"
	"fmt"
	"time"

	"thidua/internal/domain"
	"thidua/internal/postgres"
)

// demoAwards are past awards of the demo province, imported as staff
// import earlier records: two consecutive years of UBND thị trấn Mỹ Thọ and
// one of UBND xã Mỹ Hội, both merged into UBND xã Mỹ Thọ on 01/07/2025
// (seen from the new commune, which has its own award of 2025), a thematic
// award (no ground for later merit awards), Sở Tư pháp's award of 2025 and
// two consecutive years of a person.
var demoAwards = []domain.AwardRow{
	{UnitCode: "29995", Year: 2023, Title: "Tập thể lao động tiên tiến", DecisionNumber: "1045/QĐ-UBND", DecisionDate: dp(2024, time.January, 15), Issuer: "Chủ tịch UBND huyện Cao Lãnh"},
	{UnitCode: "29995", Year: 2024, Title: "Tập thể lao động tiên tiến", DecisionNumber: "76/QĐ-UBND", DecisionDate: dp(2025, time.January, 16), Issuer: "Chủ tịch UBND huyện Cao Lãnh"},
	{UnitCode: "29998", Year: 2024, Title: "Giấy khen của Chủ tịch UBND huyện", DecisionNumber: "88/QĐ-UBND", DecisionDate: dp(2025, time.February, 10), Issuer: "Chủ tịch UBND huyện Cao Lãnh"},
	{UnitCode: "29998", Year: 2024, Title: "Giấy khen phong trào “Chung tay xây dựng nông thôn mới”", DecisionNumber: "97/QĐ-UBND", DecisionDate: dp(2025, time.March, 3), Issuer: "Chủ tịch UBND huyện Cao Lãnh", Thematic: true},
	{UnitCode: "29994", Year: 2025, Title: "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", DecisionNumber: "4012/QĐ-UBND", DecisionDate: dp(2025, time.December, 18), Issuer: "Chủ tịch UBND tỉnh Đồng Tháp"},
	{UnitCode: "STP", Year: 2025, Title: "Tập thể lao động tiên tiến", DecisionNumber: "215/QĐ-UBND", DecisionDate: dp(2026, time.January, 20), Issuer: "Chủ tịch UBND tỉnh Đồng Tháp"},
	{PersonCode: "CB00001", Year: 2023, Title: "Chiến sĩ thi đua cơ sở", DecisionNumber: "3120/QĐ-UBND", DecisionDate: dp(2024, time.January, 22), Issuer: "Chủ tịch UBND tỉnh Đồng Tháp"},
	{PersonCode: "CB00001", Year: 2024, Title: "Chiến sĩ thi đua cơ sở", DecisionNumber: "220/QĐ-UBND", DecisionDate: dp(2025, time.January, 20), Issuer: "Chủ tịch UBND tỉnh Đồng Tháp"},
}

// seedHistory imports the demo's past awards through the import's own
// code and records two pending flags: an inspection still open on Sở Công
// Thương, and a complaint on UBND xã Mỹ Thọ already lifted.
func seedHistory(ctx context.Context, db *postgres.DB, ids map[string]int64) error {
	i := 0
	next := func() (*domain.AwardRow, error) {
		if i == len(demoAwards) {
			return nil, nil
		}
		row := demoAwards[i]
		i++
		row.Line = i + 1
		return &row, nil
	}
	report := &domain.ImportReport{Rows: len(demoAwards)}
	if err := db.ImportAchievements(ctx, "", next, report, false); err != nil {
		return err
	}
	if !report.OK() {
		return &importProblems{report.Problems}
	}
	today := domain.DateOf(db.Now())
	if _, err := db.SetFlag(ctx, "", domain.FlagInput{Subject: domain.Subject{UnitID: ids["SCT"]}, Kind: domain.FlagInspection,
		Reason: "Quyết định thanh tra số 15/QĐ-TTr của Thanh tra tỉnh về công tác quản lý chợ, đang thanh tra", From: today.AddDate(0, 0, -40)}); err != nil {
		return err
	}
	lifted, err := db.SetFlag(ctx, "", domain.FlagInput{Subject: domain.Subject{UnitID: ids["29994"]}, Kind: domain.FlagComplaint,
		Reason: "Đơn khiếu nại về thủ tục cấp giấy chứng nhận quyền sử dụng đất", From: domain.Day(2025, 8, 4)})
	if err != nil {
		return err
	}
	return db.LiftFlag(ctx, domain.Subject{UnitID: ids["29994"]}, lifted, domain.FlagLift{To: domain.Day(2025, 10, 15),
		Reason: "Quyết định giải quyết khiếu nại số 77/QĐ-UBND: đơn không có cơ sở"})
}

// importProblems is a demo file that did not import cleanly: a bug of the
// demo data.
type importProblems struct{ list []domain.ImportProblem }

func (e *importProblems) Error() string {
	p := e.list[0]
	return fmt.Sprintf("demo awards: line %d, %s: %s %v", p.Line, p.Column, p.Message, p.Args)
}
