package seed

import (
	"context"
	"time"

	"thidua/internal/domain"
	"thidua/internal/postgres"
)

// holidays are the public holidays of 2025–2027 as working-day counts skip
// them (Bộ luật Lao động 2019, Điều 112): Tết Dương lịch, Tết Nguyên đán,
// Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh 2/9 with its adjacent day, and
// the compensatory days off (nghỉ bù) when a holiday falls on a weekend.
// Only working days are listed: a holiday on a Saturday or Sunday is skipped
// anyway. The government announces the exact days every year (Tết, the day
// beside 2/9, swaps with a Saturday worked in exchange, which are left out
// because a worked Saturday cannot be recorded): these need confirming
// against each year's announcement (cần xác nhận theo thông báo hằng năm),
// 2027's above all, which is an estimate from the lunar calendar.
var holidays = []domain.Holiday{
	{Day: d(2025, 1, 1), Name: "Tết Dương lịch"},
	{Day: d(2025, 1, 27), Name: "Tết Nguyên đán Ất Tỵ (28 tháng Chạp)"},
	{Day: d(2025, 1, 28), Name: "Tết Nguyên đán Ất Tỵ (29 tháng Chạp)"},
	{Day: d(2025, 1, 29), Name: "Tết Nguyên đán Ất Tỵ (mùng 1)"},
	{Day: d(2025, 1, 30), Name: "Tết Nguyên đán Ất Tỵ (mùng 2)"},
	{Day: d(2025, 1, 31), Name: "Tết Nguyên đán Ất Tỵ (mùng 3)"},
	{Day: d(2025, 4, 7), Name: "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
	{Day: d(2025, 4, 30), Name: "Ngày Chiến thắng (30/4)"},
	{Day: d(2025, 5, 1), Name: "Ngày Quốc tế Lao động (1/5)"},
	{Day: d(2025, 9, 1), Name: "Quốc khánh (ngày liền kề)"},
	{Day: d(2025, 9, 2), Name: "Quốc khánh (2/9)"},

	{Day: d(2026, 1, 1), Name: "Tết Dương lịch"},
	{Day: d(2026, 2, 16), Name: "Tết Nguyên đán Bính Ngọ"},
	{Day: d(2026, 2, 17), Name: "Tết Nguyên đán Bính Ngọ (mùng 1)"},
	{Day: d(2026, 2, 18), Name: "Tết Nguyên đán Bính Ngọ (mùng 2)"},
	{Day: d(2026, 2, 19), Name: "Tết Nguyên đán Bính Ngọ (mùng 3)"},
	{Day: d(2026, 2, 20), Name: "Tết Nguyên đán Bính Ngọ (mùng 4)"},
	{Day: d(2026, 4, 27), Name: "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch là Chủ nhật 26/4)"},
	{Day: d(2026, 4, 30), Name: "Ngày Chiến thắng (30/4)"},
	{Day: d(2026, 5, 1), Name: "Ngày Quốc tế Lao động (1/5)"},
	{Day: d(2026, 9, 1), Name: "Quốc khánh (ngày liền kề)"},
	{Day: d(2026, 9, 2), Name: "Quốc khánh (2/9)"},

	{Day: d(2027, 1, 1), Name: "Tết Dương lịch"},
	{Day: d(2027, 2, 5), Name: "Tết Nguyên đán Đinh Mùi (29 tháng Chạp, dự kiến)"},
	{Day: d(2027, 2, 8), Name: "Tết Nguyên đán Đinh Mùi (mùng 3, dự kiến)"},
	{Day: d(2027, 2, 9), Name: "Tết Nguyên đán Đinh Mùi (mùng 4, dự kiến)"},
	{Day: d(2027, 2, 10), Name: "Nghỉ bù Tết Nguyên đán Đinh Mùi (dự kiến)"},
	{Day: d(2027, 2, 11), Name: "Nghỉ bù Tết Nguyên đán Đinh Mùi (dự kiến)"},
	{Day: d(2027, 4, 16), Name: "Giỗ Tổ Hùng Vương (10/3 âm lịch, dự kiến)"},
	{Day: d(2027, 4, 30), Name: "Ngày Chiến thắng (30/4)"},
	{Day: d(2027, 5, 3), Name: "Nghỉ bù Ngày Quốc tế Lao động (1/5 là thứ Bảy)"},
	{Day: d(2027, 9, 2), Name: "Quốc khánh (2/9)"},
	{Day: d(2027, 9, 3), Name: "Quốc khánh (ngày liền kề, dự kiến)"},
}

// seedHolidays records the days off above.
func seedHolidays(ctx context.Context, db *postgres.DB) error {
	for _, h := range holidays {
		if wd := h.Day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue // skipped anyway; the list holds working days only
		}
		if err := db.AddHoliday(ctx, h); err != nil {
			return err
		}
	}
	return nil
}
