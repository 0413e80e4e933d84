package postgres

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"thidua/internal/domain"
)

// SendMailArgs is the job that delivers one notification's mail (the mails
// row), queued in the transaction of the event.
type SendMailArgs struct {
	MailID int64 `json:"mail_id"`
}

// Kind names the job for the queue.
func (SendMailArgs) Kind() string { return "send_mail" }

// InsertOpts gives a mail job its retries: with river's default schedule
// (the n-th retry n⁴ seconds after the one before) twelve attempts span
// about eleven hours before the mail is given up as failed.
func (SendMailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "mail", MaxAttempts: 12}
}

// notify writes the notice for each of the users (the acting user, who
// knows already, and disabled accounts are left out) in tx, and queues the
// mail of those who receive this kind by e-mail: the notification, its mail
// and the job commit or roll back with the event.
func (db *DB) notify(ctx context.Context, tx pgx.Tx, n domain.NewNotification, userIDs []int64) error {
	_, err := db.notifyMails(ctx, tx, n, userIDs)
	return err
}

// Notify writes the notice for the users in a transaction of its own,
// exactly as an event does, and returns the mails it queued: for what
// notifies outside a store operation, and for the tests of delivery.
func (db *DB) Notify(ctx context.Context, n domain.NewNotification, userIDs []int64) (mailIDs []int64, err error) {
	defer wrap(&err, "Notify")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		mailIDs, err = db.notifyMails(ctx, tx, n, userIDs)
		return err
	})
	return mailIDs, err
}

// notifyMails is notify, returning the mails it queued.
func (db *DB) notifyMails(ctx context.Context, tx pgx.Tx, n domain.NewNotification, userIDs []int64) ([]int64, error) {
	if !n.Kind.Valid() {
		return nil, errors.New("notify: unknown kind " + string(n.Kind))
	}
	ids := slices.Clone(userIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if actor := domain.ActorFrom(ctx).UserID; actor != 0 {
		ids = slices.DeleteFunc(ids, func(id int64) bool { return id == actor })
	}
	if len(ids) == 0 {
		return nil, nil
	}
	args := n.Args
	if args == nil {
		args = []string{}
	}
	rows, err := tx.Query(ctx, `
		WITH ins AS (
			INSERT INTO notifications (user_id, kind, message, args, detail, link)
			SELECT u.id, $2, $3, $4, $5, $6 FROM users u
			WHERE u.id = ANY ($1) AND u.disabled_at IS NULL
			ORDER BY u.id
			RETURNING id, user_id)
		INSERT INTO mails (notification_id)
		SELECT ins.id FROM ins
		WHERE NOT EXISTS (SELECT 1 FROM notification_prefs p WHERE p.user_id = ins.user_id AND p.kind = $2 AND NOT p.email)
		RETURNING id`, ids, string(n.Kind), n.Message, args, n.Detail, n.Link)
	if err != nil {
		return nil, err
	}
	mailIDs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(mailIDs) == 0 {
		return nil, err
	}
	params := make([]river.InsertManyParams, len(mailIDs))
	for i, id := range mailIDs {
		params[i] = river.InsertManyParams{Args: SendMailArgs{MailID: id}}
	}
	if _, err := db.jobs.InsertManyTx(ctx, tx, params); err != nil {
		return nil, err
	}
	return mailIDs, nil
}

// focalPointsOf returns the active focal points of the units.
func focalPointsOf(ctx context.Context, tx pgx.Tx, unitIDs ...int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `
		SELECT id FROM users
		WHERE role = 'focal_point' AND unit_id = ANY ($1) AND disabled_at IS NULL
		ORDER BY id`, unitIDs)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// usersWithRole returns the active users of the roles.
func usersWithRole(ctx context.Context, tx pgx.Tx, roles ...domain.Role) ([]int64, error) {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	rows, err := tx.Query(ctx, `
		SELECT id FROM users WHERE role = ANY ($1) AND disabled_at IS NULL ORDER BY id`, names)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// notifyUnits writes the notice for the focal points of the units.
func (db *DB) notifyUnits(ctx context.Context, tx pgx.Tx, n domain.NewNotification, unitIDs ...int64) error {
	users, err := focalPointsOf(ctx, tx, unitIDs...)
	if err != nil {
		return err
	}
	return db.notify(ctx, tx, n, users)
}

// Notifications returns the user's notifications, newest first, at most
// limit, older than beforeID when it is not zero; only the unread ones when
// unreadOnly.
func (db *DB) Notifications(ctx context.Context, userID int64, unreadOnly bool, beforeID int64, limit int) (_ []domain.Notification, err error) {
	defer wrap(&err, "Notifications")
	rows, err := db.Pool.Query(ctx, `
		SELECT id, user_id, kind, message, args, detail, link, created_at, read_at
		FROM notifications
		WHERE user_id = $1 AND ($2::bigint = 0 OR id < $2) AND (NOT $3 OR read_at IS NULL)
		ORDER BY id DESC LIMIT $4`, userID, beforeID, unreadOnly, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Notification, error) {
		var n domain.Notification
		err := row.Scan(&n.ID, &n.UserID, &n.Kind, &n.Message, &n.Args, &n.Detail, &n.Link, &n.CreatedAt, &n.ReadAt)
		return n, err
	})
}

// ReadNotification marks one of the user's notifications read and returns
// it (to follow its link). Another user's notification is not found.
func (db *DB) ReadNotification(ctx context.Context, userID, id int64) (_ *domain.Notification, err error) {
	defer wrap(&err, "ReadNotification")
	var n domain.Notification
	err = db.Pool.QueryRow(ctx, `
		UPDATE notifications SET read_at = coalesce(read_at, now())
		WHERE id = $1 AND user_id = $2
		RETURNING id, user_id, kind, message, args, detail, link, created_at, read_at`, id, userID).
		Scan(&n.ID, &n.UserID, &n.Kind, &n.Message, &n.Args, &n.Detail, &n.Link, &n.CreatedAt, &n.ReadAt)
	if err != nil {
		return nil, notFound(err, "notifications.not_found")
	}
	return &n, nil
}

// ReadAllNotifications marks every unread notification of the user read,
// up to the newest one the user saw (upTo; zero: all), and returns how many.
func (db *DB) ReadAllNotifications(ctx context.Context, userID, upTo int64) (n int64, err error) {
	defer wrap(&err, "ReadAllNotifications")
	tag, err := db.Pool.Exec(ctx, `
		UPDATE notifications SET read_at = now()
		WHERE user_id = $1 AND read_at IS NULL AND ($2::bigint = 0 OR id <= $2)`, userID, upTo)
	return tag.RowsAffected(), err
}

// NotificationPrefs returns, per kind, whether the user receives it by
// e-mail.
func (db *DB) NotificationPrefs(ctx context.Context, userID int64) (_ map[domain.NotificationKind]bool, err error) {
	defer wrap(&err, "NotificationPrefs")
	prefs := make(map[domain.NotificationKind]bool, len(domain.NotificationKinds))
	for _, k := range domain.NotificationKinds {
		prefs[k] = true
	}
	rows, err := db.Pool.Query(ctx, `SELECT kind, email FROM notification_prefs WHERE user_id = $1`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var email bool
		if err := rows.Scan(&k, &email); err != nil {
			return nil, err
		}
		prefs[domain.NotificationKind(k)] = email
	}
	return prefs, rows.Err()
}

// SetNotificationPref sets whether the user receives the kind by e-mail.
func (db *DB) SetNotificationPref(ctx context.Context, userID int64, kind domain.NotificationKind, email bool) (err error) {
	defer wrap(&err, "SetNotificationPref")
	return db.SetNotificationPrefs(ctx, userID, map[domain.NotificationKind]bool{kind: email})
}

// SetNotificationPrefs sets, in one transaction, whether the user receives
// each of the kinds by e-mail.
func (db *DB) SetNotificationPrefs(ctx context.Context, userID int64, prefs map[domain.NotificationKind]bool) (err error) {
	defer wrap(&err, "SetNotificationPrefs")
	kinds := make([]string, 0, len(prefs))
	emails := make([]bool, 0, len(prefs))
	for k, v := range prefs {
		if !k.Valid() {
			return domain.Errorf(domain.EINVALID, "notifications.kind_unknown")
		}
		kinds, emails = append(kinds, string(k)), append(emails, v)
	}
	_, err = db.Pool.Exec(ctx, `
		INSERT INTO notification_prefs (user_id, kind, email)
		SELECT $1, k, e FROM unnest($2::text[], $3::boolean[]) AS x (k, e)
		ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email`, userID, kinds, emails)
	return err
}

// Mail is a notification's mail as the sender and the outbox see it.
type Mail struct {
	ID           int64
	State        domain.MailState
	Notification domain.Notification
	UserEmail    string
	UserName     string
	UserLocale   string
	ToAddr       string
	Subject      string
	Body         string
	MessageID    string
	Attempts     int
	LastError    string
	CreatedAt    time.Time
	DoneAt       *time.Time
}

// Delivered is what a delivery attempt made of a mail.
type Delivered struct {
	State     domain.MailState // sent or kept
	ToAddr    string
	Subject   string
	Body      string
	MessageID string
}

// DeliverMail runs one delivery attempt of a pending mail: the row stays
// locked while send runs, so that two instances (or a job run twice) never
// send it twice; a mail no longer pending is left alone. When send fails
// the attempt and its error are recorded, the mail becomes failed when last
// is set, and the error is returned for the queue to retry.
func (db *DB) DeliverMail(ctx context.Context, mailID int64, last bool, send func(*Mail) (Delivered, error)) (err error) {
	defer wrap(&err, "DeliverMail")
	var sendErr error
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		m := Mail{ID: mailID}
		n := &m.Notification
		err := tx.QueryRow(ctx, `
			SELECT m.state, m.attempts, n.id, n.user_id, n.kind, n.message, n.args, n.detail, n.link, n.created_at,
			       u.email, u.full_name, u.locale, m.created_at
			FROM mails m JOIN notifications n ON n.id = m.notification_id JOIN users u ON u.id = n.user_id
			WHERE m.id = $1
			FOR UPDATE OF m`, mailID).
			Scan(&m.State, &m.Attempts, &n.ID, &n.UserID, &n.Kind, &n.Message, &n.Args, &n.Detail, &n.Link, &n.CreatedAt,
				&m.UserEmail, &m.UserName, &m.UserLocale, &m.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // removed meanwhile: nothing to send
		}
		if err != nil {
			return err
		}
		if m.State != domain.MailPending {
			return nil
		}
		d, err := send(&m)
		if err != nil {
			sendErr = err
			msg := err.Error()
			if len(msg) > 1000 {
				msg = msg[:1000]
			}
			_, err = tx.Exec(ctx, `
				UPDATE mails SET attempts = attempts + 1, last_error = $2,
				       state = CASE WHEN $3 THEN 'failed' ELSE state END,
				       done_at = CASE WHEN $3 THEN now() END
				WHERE id = $1`, mailID, msg, last)
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE mails SET state = $2, to_addr = $3, subject = $4, body = $5, message_id = $6,
			       attempts = attempts + 1, last_error = '', done_at = now()
			WHERE id = $1`, mailID, string(d.State), d.ToAddr, d.Subject, d.Body, d.MessageID)
		return err
	})
	if err != nil {
		return err
	}
	return sendErr
}

// Mails returns the newest mails in a state (all states when empty), at
// most limit, older than beforeID when it is not zero: the admin's outbox.
func (db *DB) Mails(ctx context.Context, state domain.MailState, beforeID int64, limit int) (_ []Mail, err error) {
	defer wrap(&err, "Mails")
	rows, err := db.Pool.Query(ctx, `
		SELECT m.id, m.state, m.to_addr, m.subject, m.body, m.message_id, m.attempts, m.last_error, m.created_at, m.done_at,
		       n.id, n.user_id, n.kind, n.message, n.args, n.detail, n.link, n.created_at, u.email, u.full_name, u.locale
		FROM mails m JOIN notifications n ON n.id = m.notification_id JOIN users u ON u.id = n.user_id
		WHERE ($1 = '' OR m.state = $1) AND ($2::bigint = 0 OR m.id < $2)
		ORDER BY m.id DESC LIMIT $3`, string(state), beforeID, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Mail, error) {
		var m Mail
		n := &m.Notification
		err := row.Scan(&m.ID, &m.State, &m.ToAddr, &m.Subject, &m.Body, &m.MessageID, &m.Attempts, &m.LastError, &m.CreatedAt, &m.DoneAt,
			&n.ID, &n.UserID, &n.Kind, &n.Message, &n.Args, &n.Detail, &n.Link, &n.CreatedAt, &m.UserEmail, &m.UserName, &m.UserLocale)
		return m, err
	})
}

// MailCounts counts the mails per state.
func (db *DB) MailCounts(ctx context.Context) (_ map[domain.MailState]int, err error) {
	defer wrap(&err, "MailCounts")
	rows, err := db.Pool.Query(ctx, `SELECT state, count(*) FROM mails GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[domain.MailState]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		counts[domain.MailState(s)] = n
	}
	return counts, rows.Err()
}

// Secret returns the named secret shared by every instance, creating it
// from fresh (random) bytes the first time.
func (db *DB) Secret(ctx context.Context, name string, fresh []byte) (_ []byte, err error) {
	defer wrap(&err, "Secret")
	var v []byte
	// Two instances starting at once: the one whose insert waited on the
	// other's finds nothing in its statement's snapshot, and reads again.
	for range 2 {
		err = db.Pool.QueryRow(ctx, `
			WITH ins AS (INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value)
			SELECT value FROM ins UNION ALL SELECT value FROM app_secrets WHERE name = $1 LIMIT 1`, name, fresh).Scan(&v)
		if !errors.Is(err, pgx.ErrNoRows) {
			break
		}
	}
	return v, err
}
