package i18n

// notifyEventMessages holds the notifications of each event: what happened, in a line (issue 13, part "events").
var notifyEventMessages = map[string]message{}
