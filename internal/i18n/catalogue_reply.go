package i18n

// replyMessages holds the texts of working days and holidays, the unit's
// reply to its appraisal (giải trình bổ sung), the appraiser's answer, the
// lock and the reopening.
var replyMessages = map[string]message{
	"nav.holidays":                {"Ngày nghỉ lễ", "Holidays"},
	"holiday.title":               {"Ngày nghỉ lễ, Tết", "Public holidays"},
	"holiday.lead":                {"Các ngày nghỉ lễ, Tết và nghỉ bù không tính vào ngày làm việc (như thứ Bảy, Chủ nhật) khi tính hạn giải trình bổ sung. Ngày nghỉ cụ thể do Chính phủ thông báo hằng năm: cập nhật theo thông báo.", "Public holidays and compensatory days off are not working days (like Saturdays and Sundays) when reply deadlines are counted. The government announces the exact days every year: keep them up to date."},
	"holiday.years":               {"Năm", "Year"},
	"holiday.list":                {"Ngày nghỉ năm %d", "Days off in %d"},
	"holiday.none":                {"Chưa có ngày nghỉ nào của năm %d.", "No day off recorded for %d."},
	"holiday.day":                 {"Ngày", "Date"},
	"holiday.weekday":             {"Thứ", "Weekday"},
	"holiday.name":                {"Tên ngày nghỉ", "Name"},
	"holiday.add":                 {"Thêm ngày nghỉ", "Add a day off"},
	"holiday.add.button":          {"Thêm", "Add"},
	"holiday.hint":                {"Mỗi ngày nghỉ nhập một dòng, kể cả ngày nghỉ bù. Hạn giải trình đã tính trước đó không thay đổi.", "Enter each day off on its own, compensatory days included. Deadlines already computed do not change."},
	"holiday.remove":              {"Xóa", "Remove"},
	"holiday.remove.label":        {"Xóa ngày nghỉ %s (%s)", "Remove the day off %s (%s)"},
	"holiday.taken":               {"Ngày này đã có trong danh sách ngày nghỉ với tên khác.", "This day is already recorded as a day off under another name."},
	"holiday.not_found":           {"Không tìm thấy ngày nghỉ này (có thể đã được xóa).", "Day off not found (it may have been removed already)."},
	"holiday.bad_day":             {"Ngày cần xóa không hợp lệ.", "The day to remove is not a valid date."},
	"holiday.bad_year":            {"Năm phải từ 1945 đến 2100.", "The year must be from 1945 to 2100."},
	"holiday.flash.added":         {"Đã thêm ngày nghỉ.", "Day off added."},
	"holiday.flash.removed":       {"Đã xóa ngày nghỉ.", "Day off removed."},
	"audit.action.holiday.add":    {"Thêm ngày nghỉ lễ", "Holiday added"},
	"audit.action.holiday.remove": {"Xóa ngày nghỉ lễ", "Holiday removed"},
	"weekday.0":                   {"Chủ nhật", "Sunday"},
	"weekday.1":                   {"Thứ Hai", "Monday"},
	"weekday.2":                   {"Thứ Ba", "Tuesday"},
	"weekday.3":                   {"Thứ Tư", "Wednesday"},
	"weekday.4":                   {"Thứ Năm", "Thursday"},
	"weekday.5":                   {"Thứ Sáu", "Friday"},
	"weekday.6":                   {"Thứ Bảy", "Saturday"},
	"phase.reply_days":            {"Số ngày làm việc để giải trình bổ sung", "Working days for the unit's reply"},
	"phase.reply_days.hint":       {"Tính từ ngày hoàn thành thẩm định, không kể thứ Bảy, Chủ nhật và ngày nghỉ lễ (1–60).", "Counted from the day the appraisal is completed, skipping Saturdays, Sundays and holidays (1–60)."},
	"phase.reply_days.invalid":    {"Số ngày làm việc phải là số nguyên từ 1 đến 60.", "The working days must be a whole number from 1 to 60."},
}
