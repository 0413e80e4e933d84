package i18n

// mailMessages holds the e-mails: greeting, links, unsubscribe, the outbox (issue 13, part "mail").
var mailMessages = map[string]message{
	"mail.greeting":    {"Kính gửi %s,", "Dear %s,"},
	"mail.open":        {"Xem và xử lý tại:", "See it and act at:"},
	"mail.why":         {"Thư này do Cổng Thi đua – Khen thưởng gửi tự động; vui lòng không trả lời.", "This mail was sent automatically by the Emulation & Commendation portal; please do not reply."},
	"mail.unsubscribe": {"Không nhận e-mail loại «%s» nữa:", "Stop e-mails about «%s»:"},
	"mail.prefs":       {"Chọn các loại thông báo nhận qua e-mail:", "Choose which notifications come by e-mail:"},
}
