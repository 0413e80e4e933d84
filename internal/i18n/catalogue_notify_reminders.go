package i18n

// reminderMessages holds the deadline reminders and who was reminded when (issue 13, part "reminders").
var reminderMessages = map[string]message{
	"notify.deadline_reminder.assessment": {"Còn %s ngày đến hạn nộp hồ sơ tự chấm điểm của phong trào “%s” (%s): hạn cuối ngày %s.",
		"%s days left to submit the self-assessment of the campaign “%s” (%s): the deadline is %s."},
	"notify.deadline_reminder.assessment_tomorrow": {"Ngày mai là hạn cuối nộp hồ sơ tự chấm điểm của phong trào “%s” (%s): ngày %s.",
		"Tomorrow is the last day to submit the self-assessment of the campaign “%s” (%s): %s."},
	"notify.deadline_reminder.nomination": {"Còn %s ngày đến hạn gửi hồ sơ đề nghị khen thưởng của phong trào “%s” (%s): hạn cuối ngày %s. Đơn vị còn hồ sơ chưa gửi.",
		"%s days left to send the nominations of the campaign “%s” (%s): the deadline is %s. Your unit has nominations not yet sent."},
	"notify.deadline_reminder.nomination_tomorrow": {"Ngày mai là hạn cuối gửi hồ sơ đề nghị khen thưởng của phong trào “%s” (%s): ngày %s. Đơn vị còn hồ sơ chưa gửi.",
		"Tomorrow is the last day to send the nominations of the campaign “%s” (%s): %s. Your unit has nominations not yet sent."},
	"notify.deadline_reminder.reply": {"Còn %s ngày đến hạn giải trình bổ sung kết quả thẩm định của phong trào “%s” (%s): hạn cuối ngày %s.",
		"%s days left to reply to the appraisal of the campaign “%s” (%s): the deadline is %s."},
	"notify.deadline_reminder.reply_tomorrow": {"Ngày mai là hạn cuối giải trình bổ sung kết quả thẩm định của phong trào “%s” (%s): ngày %s.",
		"Tomorrow is the last day to reply to the appraisal of the campaign “%s” (%s): %s."},

	// Who was reminded when: the staff dashboard and the reply view.
	"reminder.sent": {"Đã nhắc: %s", "Reminded: %s"},
	"reminder.item": {"%d ngày (%s)", "%d days before (%s)"},

	// The phase form.
	"phase.reminder_days":         {"Nhắc hạn trước (số ngày)", "Reminders (days before)"},
	"phase.reminder_days.hint":    {"Nhắc các đơn vị chưa nộp trước hạn nộp hồ sơ tự chấm điểm, hạn giải trình bổ sung và hạn gửi hồ sơ đề nghị khen thưởng, ví dụ “7, 3, 1”: tối đa 5 số khác nhau, mỗi số từ 1 đến 60. Để trống: không nhắc.", "Remind the units that have not submitted before the self-assessment, reply and nomination deadlines, e.g. “7, 3, 1”: at most 5 different numbers, each from 1 to 60. Empty: no reminders."},
	"phase.reminder_days.invalid": {"Số ngày nhắc hạn phải là tối đa 5 số nguyên khác nhau, mỗi số từ 1 đến 60, cách nhau bằng dấu phẩy.", "The reminder days must be at most 5 different whole numbers from 1 to 60, separated by commas."},
	"phase.reminder_days.short":   {"Nhắc hạn: %s ngày trước", "Reminders: %s days before"},
	"phase.reminder_days.none":    {"Không nhắc hạn", "No reminders"},

	// The nomination deadline of a phase.
	"phase.nomination_to":         {"Hạn gửi hồ sơ đề nghị khen thưởng", "Nominations due by"},
	"phase.nomination_to.hint":    {"Ngày cuối cùng đơn vị được gửi hồ sơ đề nghị khen thưởng cá nhân của đợt; sau ngày này cổng không nhận. Để trống: nhận trong suốt thời gian phong trào được phát động.", "The last day units may send their nominations of the phase; the portal refuses them after it. Empty: taken while the campaign is announced."},
	"phase.nomination_to.outside": {"Hạn gửi hồ sơ đề nghị phải nằm trong thời gian của đợt.", "The nomination deadline must fall within the phase."},
	"phase.nomination_to.short":   {"Hạn gửi hồ sơ đề nghị: %s", "Nominations due by %s"},
	"nomination.deadline_passed":  {"Đã hết hạn gửi hồ sơ đề nghị khen thưởng của đợt này (hạn cuối ngày %s).", "The nominations of this phase were due by %s: the deadline has passed."},
}
