package i18n

// workflowMessages holds the texts of a form's lifecycle after its
// submission (the refusals of domain/workflow.go's transitions, the new
// statuses, their history lines and audit actions), shared by receiving,
// appraisal, replies and locking.
var workflowMessages = map[string]message{
	"assessment.status.received":        {"Đã tiếp nhận", "Received"},
	"assessment.status.appraised":       {"Đã thẩm định", "Appraised"},
	"assessment.status.locked":          {"Đã chốt kết quả", "Locked"},
	"assessment.locked":                 {"Kết quả của hồ sơ đã chốt: mọi thay đổi cần cán bộ mở lại hồ sơ, có ghi lý do.", "The form's result is locked: any change needs staff to reopen it, with a reason."},
	"appraisal.completed":               {"Hồ sơ đã thẩm định xong, không sửa điểm thẩm định được nữa.", "The form's appraisal is complete; its appraised scores can no longer change."},
	"appraisal.not_received":            {"Hồ sơ chưa được tiếp nhận: cần tiếp nhận trước khi thẩm định.", "The form has not been received yet: receive it before appraising it."},
	"appraisal.incomplete":              {"Còn %d tiêu chí chưa có điểm thẩm định: chấm đủ mọi tiêu chí rồi mới hoàn thành thẩm định.", "%d criteria have no appraised score yet: score every criterion before completing the appraisal."},
	"appraisal.score_missing":           {"Chưa nhập điểm thẩm định.", "No appraised score entered."},
	"appraisal.comment_required":        {"Điểm thẩm định khác điểm tự chấm: cần ghi nhận xét nêu lý do.", "The appraised score differs from the self-assessed one: a comment giving the reason is required."},
	"reply.not_open":                    {"Hồ sơ chưa thẩm định xong nên chưa thể giải trình.", "The form's appraisal is not complete, so there is nothing to reply to yet."},
	"reply.closed":                      {"Thời hạn giải trình đã hết ngày %s.", "The reply window ended on %s."},
	"lock.not_appraised":                {"Chỉ chốt được kết quả của hồ sơ đã thẩm định xong.", "Only a form whose appraisal is complete can be locked."},
	"lock.window_open":                  {"Thời hạn giải trình còn đến hết ngày %s: chưa chốt kết quả được.", "The reply window is open until %s: the result cannot be locked yet."},
	"lock.undecided":                    {"Còn %d nội dung giải trình chưa được xem xét: chưa chốt kết quả được.", "%d replies have not been decided: the result cannot be locked yet."},
	"reopen.not_locked":                 {"Chỉ mở lại được hồ sơ đã chốt kết quả.", "Only a locked form can be reopened."},
	"reopen.reason":                     {"Cần ghi lý do mở lại hồ sơ (tối đa 2.000 ký tự).", "Give the reason for reopening the form (at most 2,000 characters)."},
	"registration.not_pending":          {"Đăng ký không còn chờ duyệt.", "The registration is no longer waiting for a decision."},
	"audit.action.assessment.receive":   {"Tiếp nhận hồ sơ tự chấm", "Self-assessment received"},
	"audit.action.appraisal.save":       {"Lưu điểm thẩm định", "Appraisal saved"},
	"audit.action.appraisal.complete":   {"Hoàn thành thẩm định", "Appraisal completed"},
	"audit.says.assessment.receive":     {"%s đã tiếp nhận hồ sơ tự chấm điểm của %s", "%s received the self-assessment of %s"},
	"audit.says.appraisal.save":         {"%s đã lưu điểm thẩm định hồ sơ của %s", "%s saved the appraisal of %s"},
	"audit.says.appraisal.complete":     {"%s đã hoàn thành thẩm định hồ sơ của %s", "%s completed the appraisal of %s"},
	"assessment.history.receive":        {"tiếp nhận hồ sơ", "received the form"},
	"assessment.history.appraise":       {"%s – %s – thẩm định tiêu chí %s: %s → %s", "%s – %s – appraised criterion %s: %s → %s"},
	"assessment.history.appraisal_done": {"hoàn thành thẩm định", "completed the appraisal"},
}
