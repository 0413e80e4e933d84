package i18n

// reminderMessages holds the deadline reminders and who was reminded when (issue 13, part "reminders").
var reminderMessages = map[string]message{}
