package i18n

// importJobMessages holds the texts of imports run as queued jobs (issue 14, part "jobs").
var importJobMessages = map[string]message{
	"import_job.attempt": {"Lần thử thứ %d (tối đa %d): lần trước chưa hoàn thành, chưa có dữ liệu nào được ghi.",
		"Attempt %d (at most %d): the previous one did not finish, and nothing of it was written."},
	"import_job.failed.attempts": {"Không hoàn thành được do sự cố của hệ thống sau %d lần thử; chưa có dữ liệu nào được ghi. Hãy thử lại sau hoặc báo quản trị viên.",
		"It could not finish because of a problem on the server after %d attempts; nothing was written. Try again later or tell the administrator."},
	"import_job.file_gone": {"Không còn tệp của lần nhập này trên máy chủ; chưa có dữ liệu nào được ghi. Hãy tải tệp lên lại.",
		"The file of this import is no longer on the server; nothing was written. Upload it again."},
	"import_job.expired": {"Tệp đã kiểm tra nhưng không được nhập trong vòng một ngày nên đã bị xóa. Hãy tải tệp lên lại.",
		"The file was checked but not imported within a day, so it was deleted. Upload it again."},
}
