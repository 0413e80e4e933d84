package i18n

// notifyMessages holds the texts of the inbox, the header's unread count
// and the names of the kinds of notification (issue 13).
var notifyMessages = map[string]message{
	"notify.kind.campaign_announced":   {"Phong trào mới được phát động", "A campaign is announced"},
	"notify.kind.registration_decided": {"Đăng ký thi đua được duyệt hoặc không duyệt", "A registration is approved or rejected"},
	"notify.kind.form_returned":        {"Hồ sơ tự chấm bị trả lại để bổ sung", "A self-assessment is returned for revision"},
	"notify.kind.extension_granted":    {"Được gia hạn nộp hồ sơ", "An extension is granted"},
	"notify.kind.total_amended":        {"Sửa đổi tiêu chí làm thay đổi tổng điểm đã nộp", "A criteria amendment changes a submitted total"},
	"notify.kind.appraisal_completed":  {"Thẩm định xong, mở thời hạn giải trình", "The appraisal is complete and the reply window open"},
	"notify.kind.deadline_reminder":    {"Nhắc hạn nộp", "Deadline reminders"},
	"notify.kind.results_published":    {"Kết quả được công bố", "Results are published"},
	"notify.kind.nomination_returned":  {"Hồ sơ đề nghị khen thưởng bị trả lại", "A nomination is returned"},
	"notify.kind.session_opened":       {"Phiên họp Hội đồng mở bỏ phiếu", "A council session opens its ballot"},
	"notify.kind.decision_to_sign":     {"Quyết định chờ ký", "A decision waits for a signature"},
	"notify.kind.decision_signed":      {"Quyết định khen thưởng đã ký", "An award decision is signed"},
}
