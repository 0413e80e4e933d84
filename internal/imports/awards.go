package imports

import (
	"context"
	"strconv"

	"thidua/internal/domain"
	"thidua/internal/postgres"
	"thidua/internal/tabular"
)

// AwardColumns is the documented layout of a past-awards file.
var AwardColumns = []Column{
	{"ma_don_vi", false, "Mã đơn vị được khen (tập thể); đơn vị đã hợp nhất năm 2025 vẫn dùng mã cũ của mình. Để trống nếu khen cá nhân"},
	{"ma_can_bo", false, "Mã cán bộ được khen (cá nhân). Mỗi dòng có đúng một trong hai mã"},
	{"nam", true, "Năm được khen, ví dụ 2024"},
	{"hinh_thuc", true, "Hình thức, danh hiệu, ví dụ: Tập thể lao động tiên tiến, Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"},
	{"so_quyet_dinh", false, "Số quyết định khen thưởng, ví dụ 125/QĐ-UBND; dùng cùng mã, năm và hình thức để nhận ra khi nhập lại"},
	{"ngay_quyet_dinh", false, "Ngày quyết định, dd/mm/yyyy (hoặc yyyy-mm-dd)"},
	{"co_quan", false, "Cơ quan, người ký quyết định, ví dụ: Chủ tịch UBND tỉnh Đồng Tháp"},
	{"chuyen_de", false, "Có nếu khen theo phong trào thi đua chuyên đề (không làm căn cứ khen thành tích sau); để trống hoặc Không nếu không"},
	{"ghi_chu", false, "Ghi chú"},
}

// Awards dry-runs or imports a past-awards file into the achievement
// history. jobKey names the web import job the awards are recorded with
// ("" from the command line).
func Awards(ctx context.Context, db *postgres.DB, r tabular.Reader, dryRun bool, progress func(int), jobKey string) (*domain.ImportReport, error) {
	report := &domain.ImportReport{DryRun: dryRun}
	h, ok := readHeader(r, AwardColumns, report)
	if !ok {
		return report, nil
	}
	_, unit := h["ma_don_vi"]
	_, person := h["ma_can_bo"]
	if !unit && !person {
		report.AddProblem(domain.ImportProblem{Line: 1, Column: "ma_don_vi", Message: "import.award.subject_columns"})
		return report, nil
	}
	next := rows(r, report, progress, func(c *cells) *domain.AwardRow {
		c.h = h
		a := &domain.AwardRow{Line: c.line, UnitCode: c.get("ma_don_vi"), PersonCode: c.get("ma_can_bo"), Title: c.get("hinh_thuc"),
			DecisionNumber: c.get("so_quyet_dinh"), Issuer: c.get("co_quan"), Note: c.get("ghi_chu")}
		switch {
		case a.UnitCode == "" && a.PersonCode == "":
			c.problem("ma_don_vi", "import.award.subject_required")
		case a.UnitCode != "" && a.PersonCode != "":
			c.problem("ma_don_vi", "import.award.subject_both")
		}
		if a.UnitCode != "" && !domain.ValidCode(a.UnitCode) {
			c.problem("ma_don_vi", "unit.code.invalid")
			a.UnitCode = ""
		}
		if a.PersonCode != "" && !domain.ValidCode(a.PersonCode) {
			c.problem("ma_can_bo", "person.code.invalid")
			a.PersonCode = ""
		}
		switch y := c.get("nam"); {
		case y == "":
			c.problem("nam", "field.required")
		default:
			year, err := strconv.Atoi(y)
			if err != nil || year < 1945 || year > 2100 {
				c.problem("nam", "import.award.bad_year", y)
			} else {
				a.Year = year
			}
		}
		switch n := domain.RuneLen(a.Title); {
		case n == 0:
			c.problem("hinh_thuc", "field.required")
		case n > 300:
			c.problem("hinh_thuc", "field.too_long")
			a.Title = ""
		}
		if domain.RuneLen(a.DecisionNumber) > 60 {
			c.problem("so_quyet_dinh", "field.too_long")
			a.DecisionNumber = ""
		}
		if domain.RuneLen(a.Issuer) > 300 {
			c.problem("co_quan", "field.too_long")
			a.Issuer = ""
		}
		if domain.RuneLen(a.Note) > 2000 {
			c.problem("ghi_chu", "field.too_long")
			a.Note = ""
		}
		if d, ok := c.date("ngay_quyet_dinh", false); ok {
			a.DecisionDate = &d
			if a.Year != 0 && d.Year() < a.Year {
				c.problem("ngay_quyet_dinh", "import.award.date_before_year", strconv.Itoa(a.Year)) // a string: reports go through JSON
			}
		}
		raw := c.get("chuyen_de")
		switch domain.SearchKey(raw) {
		case "", "khong", "no", "0":
		case "co", "yes", "x", "1":
			a.Thematic = true
		default:
			c.problem("chuyen_de", "import.award.bad_thematic", raw)
		}
		a.Invalid = c.bad
		return a
	})
	err := db.ImportAchievements(ctx, jobKey, next, report, dryRun)
	return report, err
}
