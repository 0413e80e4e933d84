package i18n

// notifyMessages holds the texts of the inbox, the header's unread count
// and the names of the kinds of notification (issue 13).
var notifyMessages = map[string]message{
	"inbox.title":                {"Thông báo", "Notifications"},
	"inbox.lead":                 {"Những việc liên quan đến anh/chị trên cổng: mở một thông báo để đến trang cần xử lý.", "What happened that concerns you: open a notification to go where you act."},
	"inbox.filter":               {"Lọc thông báo", "Filter notifications"},
	"inbox.all":                  {"Tất cả", "All"},
	"inbox.unread":               {"Chưa đọc (%d)", "Unread (%d)"},
	"inbox.new":                  {"Mới", "New"},
	"inbox.read_all":             {"Đánh dấu tất cả là đã đọc", "Mark all as read"},
	"inbox.mark_read":            {"Đánh dấu đã đọc", "Mark as read"},
	"inbox.prefs":                {"Chọn thông báo nhận qua e-mail", "Choose what comes by e-mail"},
	"inbox.none":                 {"Chưa có thông báo nào.", "No notification yet."},
	"inbox.none_unread":          {"Không còn thông báo chưa đọc.", "Nothing unread."},
	"inbox.older":                {"Thông báo cũ hơn", "Older notifications"},
	"inbox.flash.all_read":       {"Đã đánh dấu tất cả là đã đọc.", "All marked as read."},
	"inbox.link":                 {"Thông báo", "Notifications"},
	"inbox.link.unread":          {"Thông báo: %d chưa đọc", "Notifications: %d unread"},
	"notifications.not_found":    {"Không tìm thấy thông báo.", "Notification not found."},
	"notifications.kind_unknown": {"Loại thông báo không hợp lệ.", "Unknown kind of notification."},

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
