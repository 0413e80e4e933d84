package i18n

// reminderMessages holds the deadline reminders and who was reminded when (issue 13, part "reminders").
var reminderMessages = map[string]message{
	"notify.deadline_reminder.assessment": {"Còn %s ngày đến hạn nộp hồ sơ tự chấm điểm của phong trào “%s” (%s): hạn cuối ngày %s.",
		"%s days left to submit the self-assessment of the campaign “%s” (%s): the deadline is %s."},
	"notify.deadline_reminder.assessment_tomorrow": {"Ngày mai là hạn cuối nộp hồ sơ tự chấm điểm của phong trào “%s” (%s): ngày %s.",
		"Tomorrow is the last day to submit the self-assessment of the campaign “%s” (%s): %s."},
	"notify.deadline_reminder.reply": {"Còn %s ngày đến hạn giải trình bổ sung kết quả thẩm định của phong trào “%s” (%s): hạn cuối ngày %s.",
		"%s days left to reply to the appraisal of the campaign “%s” (%s): the deadline is %s."},
	"notify.deadline_reminder.reply_tomorrow": {"Ngày mai là hạn cuối giải trình bổ sung kết quả thẩm định của phong trào “%s” (%s): ngày %s.",
		"Tomorrow is the last day to reply to the appraisal of the campaign “%s” (%s): %s."},

	// Who was reminded when: the staff dashboard and the reply view.
	"reminder.sent": {"Đã nhắc: %s", "Reminded: %s"},
	"reminder.item": {"%d ngày (%s)", "%d days before (%s)"},

	// The phase form.
	"phase.reminder_days":         {"Nhắc hạn trước (số ngày)", "Reminders (days before)"},
	"phase.reminder_days.hint":    {"Nhắc các đơn vị chưa nộp trước hạn nộp hồ sơ tự chấm điểm và hạn giải trình bổ sung, ví dụ “7, 3, 1”: tối đa 5 số khác nhau, mỗi số từ 1 đến 60. Để trống: không nhắc.", "Remind the units that have not submitted before the self-assessment and reply deadlines, e.g. “7, 3, 1”: at most 5 different numbers, each from 1 to 60. Empty: no reminders."},
	"phase.reminder_days.invalid": {"Số ngày nhắc hạn phải là tối đa 5 số nguyên khác nhau, mỗi số từ 1 đến 60, cách nhau bằng dấu phẩy.", "The reminder days must be at most 5 different whole numbers from 1 to 60, separated by commas."},
	"phase.reminder_days.short":   {"Nhắc hạn: %s ngày trước", "Reminders: %s days before"},
	"phase.reminder_days.none":    {"Không nhắc hạn", "No reminders"},
}
