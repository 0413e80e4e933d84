package postgres

import "context"

// SendReminders writes the deadline reminders due now (issue 13, part
// "reminders": to be written) and returns how many it sent.
func (db *DB) SendReminders(ctx context.Context) (int, error) { return 0, nil }
