package paths

// Notifications is the signed-in user's inbox.
func Notifications() string { return "/notifications" }

// UnreadNotifications is the inbox showing only what is not read yet.
func UnreadNotifications() string { return Notifications() + "?show=unread" }

// Notification opens one notification: marks it read and goes to its link.
func Notification(notificationID int64) string { return Notifications() + "/" + id(notificationID) }

// NotificationRead marks one notification read (POST).
func NotificationRead(notificationID int64) string { return Notification(notificationID) + "/read" }

// NotificationsReadAll marks every notification shown read (POST).
func NotificationsReadAll() string { return Notifications() + "/read" }

// NotificationPrefs is where a user chooses which kinds come by e-mail.
func NotificationPrefs() string { return "/account/notifications" }
