package i18n

// commonMessages holds the texts of forms and errors shared by every page.
var commonMessages = map[string]message{
	// Forms
	"form.save":       {"Lưu", "Save"},
	"form.has_errors": {"Biểu mẫu có %d chỗ cần sửa. Những gì bạn đã nhập vẫn được giữ nguyên.", "The form has %d problems to fix. What you typed has been kept."},
	"field.required":  {"Trường này là bắt buộc.", "This field is required."},
	"field.too_long":  {"Nội dung quá dài.", "Too long."},
	"field.invalid":   {"Giá trị không hợp lệ.", "Not a valid value."},

	// Errors
	"error.title.400":        {"Yêu cầu không hợp lệ", "Bad request"},
	"error.title.401":        {"Cần đăng nhập", "Sign-in required"},
	"error.title.403":        {"Không có quyền truy cập", "Access denied"},
	"error.title.404":        {"Không tìm thấy trang", "Page not found"},
	"error.title.405":        {"Phương thức không được hỗ trợ", "Method not allowed"},
	"error.title.409":        {"Xung đột dữ liệu", "Conflict"},
	"error.title.413":        {"Dữ liệu gửi lên quá lớn", "Request too large"},
	"error.title.415":        {"Định dạng không được chấp nhận", "Unsupported format"},
	"error.title.422":        {"Dữ liệu chưa hợp lệ", "Invalid data"},
	"error.title.429":        {"Quá nhiều yêu cầu", "Too many requests"},
	"error.title.500":        {"Lỗi hệ thống", "Internal error"},
	"error.title.503":        {"Tạm thời gián đoạn", "Temporarily unavailable"},
	"error.bad_request":      {"Yêu cầu không hợp lệ.", "The request is not valid."},
	"error.bad_parameter":    {"Tham số “%s” trên địa chỉ trang phải là một số nguyên dương.", "The address parameter “%s” must be a positive whole number."},
	"error.bad_text":         {"Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL hoặc sai mã UTF-8). Vui lòng kiểm tra lại nội dung đã nhập.", "The request contains invalid characters (NUL or malformed UTF-8). Please check what you entered."},
	"error.forbidden":        {"Tài khoản của bạn không có quyền thực hiện thao tác này.", "Your account is not allowed to do this."},
	"error.cross_origin":     {"Yêu cầu bị từ chối vì không xuất phát từ trang của cổng thông tin.", "The request was refused because it did not come from this portal's pages."},
	"error.not_found":        {"Trang hoặc dữ liệu bạn tìm không tồn tại hoặc bạn không được xem.", "The page or record does not exist or is not visible to you."},
	"error.method":           {"Địa chỉ này không nhận phương thức yêu cầu đã gửi.", "This address does not accept that request method."},
	"error.stale":            {"Dữ liệu đã được người khác thay đổi sau khi bạn mở trang. Vui lòng tải lại và thực hiện lại.", "Someone else changed this record after you opened it. Reload and try again."},
	"error.duplicate_submit": {"Biểu mẫu này đã được gửi trước đó.", "This form was already submitted."},
	"error.invalid_form":     {"Dữ liệu chưa hợp lệ: %s", "The data is not valid: %s"},
	"error.too_large":        {"Dữ liệu gửi lên vượt quá giới hạn cho phép.", "The data sent is larger than allowed."},
	"error.unsupported":      {"Định dạng tệp hoặc dữ liệu không được chấp nhận.", "That file or data format is not accepted."},
	"error.too_many":         {"Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau.", "Too many requests. Please try again later."},
	"error.internal":         {"Đã có lỗi xảy ra phía máy chủ. Lỗi đã được ghi lại; vui lòng thử lại sau hoặc báo cho quản trị hệ thống kèm mã yêu cầu.", "Something went wrong on the server. It has been logged; please try again later or tell the administrator the request ID."},
	"error.unavailable":      {"Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau ít phút.", "The database is temporarily unreachable. Please try again in a few minutes."},
	"error.request_id":       {"Mã yêu cầu:", "Request ID:"},
	"error.back":             {"Quay lại", "Go back"},
	"error.home":             {"Về trang chủ", "Home page"},
}
