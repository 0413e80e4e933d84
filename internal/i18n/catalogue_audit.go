package i18n

// auditMessages holds the texts of the audit log and its actions.
var auditMessages = map[string]message{
	// Audit
	"audit.title":       {"Nhật ký hệ thống", "Audit log"},
	"audit.lead":        {"Nhật ký chỉ được ghi thêm, không ai sửa hay xóa được. Thời gian theo giờ Việt Nam.", "The log is append-only: nobody can change or delete it. Times are Vietnam time."},
	"audit.empty":       {"Chưa có sự kiện nào.", "No events yet."},
	"audit.col.at":      {"Thời gian", "Time"},
	"audit.col.actor":   {"Người thực hiện", "Actor"},
	"audit.col.action":  {"Hành động", "Action"},
	"audit.col.object":  {"Đối tượng", "Object"},
	"audit.col.details": {"Chi tiết", "Details"},
	"audit.col.addr":    {"Địa chỉ", "Address"},
	"audit.older":       {"Cũ hơn", "Older"},
	"audit.system":      {"Hệ thống", "System"},

	// Audit actions, one per domain.AuditActions entry.
	"audit.action.login.success":        {"Đăng nhập", "Signed in"},
	"audit.action.login.failure":        {"Đăng nhập thất bại", "Failed sign-in"},
	"audit.action.login.throttled":      {"Chặn đăng nhập do sai nhiều lần", "Sign-in throttled"},
	"audit.action.logout":               {"Đăng xuất", "Signed out"},
	"audit.action.user.create":          {"Tạo tài khoản", "Account created"},
	"audit.action.user.update":          {"Sửa tài khoản", "Account changed"},
	"audit.action.user.disable":         {"Khóa tài khoản", "Account disabled"},
	"audit.action.user.enable":          {"Mở khóa tài khoản", "Account enabled"},
	"audit.action.user.password_change": {"Đổi mật khẩu", "Password changed"},
	"audit.action.user.password_reset":  {"Cấp lại mật khẩu", "Password reset"},
	"audit.action.user.sessions_end":    {"Kết thúc mọi phiên đăng nhập", "All sessions ended"},
	"audit.action.unit.create":          {"Tạo đơn vị", "Unit created"},
}
