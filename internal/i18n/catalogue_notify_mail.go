package i18n

// mailMessages holds the e-mails: greeting, links, unsubscribe, the outbox (issue 13, part "mail").
var mailMessages = map[string]message{
	"mail.greeting": {"Kính gửi %s,", "Dear %s,"},
	"mail.open":     {"Xem và xử lý tại:", "See it and act at:"},
}
