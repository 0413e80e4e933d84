package i18n

// evidenceMessages holds the texts of evidence files and of their store.
var evidenceMessages = map[string]message{
	"assessment.evidence.empty":       {"Tệp rỗng: “%s” có 0 byte, không có nội dung nào. Hãy chọn đúng tệp tài liệu.", "Empty file: “%s” has 0 bytes, no content at all. Choose the right document."},
	"assessment.evidence.file":        {"Tệp tài liệu", "File"},
	"assessment.evidence.too_large":   {"Tệp lớn hơn mức tối đa %s nên chưa được nhận. Hãy giảm dung lượng (nén, quét ở độ phân giải thấp hơn) hoặc tách thành nhiều tệp.", "The file is larger than the %s allowed, so it was not received. Make it smaller (compress it, scan at a lower resolution) or split it into several files."},
	"assessment.evidence.locked_hint": {"Các tệp đã đính kèm vẫn được giữ và tải xuống được.", "The attached files are kept and can still be downloaded."},
	"error.no_space":                  {"Máy chủ đã hết dung lượng lưu trữ nên chưa nhận được tệp. Tệp của bạn không có lỗi; vui lòng thử lại sau hoặc báo quản trị viên.", "The server is out of storage space, so the file was not received. Your file is fine; please try again later or tell the administrator."},
	"upload.gone":                     {"Tệp vừa tải lên chưa lưu được: đúng lúc đó máy chủ đang xoá một tệp cũ có cùng nội dung. Tệp của bạn không có lỗi; hãy tải lên lại.", "The file just uploaded was not kept: at that moment the server was deleting an old file with the same content. Your file is fine; please upload it again."},
	"error.title.507":                 {"Máy chủ hết dung lượng", "Server out of space"},
}
