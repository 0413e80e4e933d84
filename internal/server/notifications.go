package server

import (
	"net/http"
	"net/url"
	"strconv"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/web"
)

const inboxPageSize = 50

// inbox shows the signed-in user's notifications, newest first, fifty a
// page; ?show=unread keeps the unread ones only.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	before, err := queryID(r, "before")
	if err != nil {
		return err
	}
	unreadOnly := r.URL.Query().Get("show") == "unread"
	list, err := s.db.Notifications(ctx, u.ID, unreadOnly, before, inboxPageSize+1)
	if err != nil {
		return err
	}
	// The unread count was read with this request's session.
	v := web.InboxView{UnreadOnly: unreadOnly, Unread: u.Unread, ReadAllAction: paths.NotificationsReadAll()}
	if len(list) > inboxPageSize {
		list = list[:inboxPageSize]
		q := url.Values{"before": {strconv.FormatInt(list[len(list)-1].ID, 10)}}
		if unreadOnly {
			q.Set("show", "unread")
		}
		v.Next = paths.Notifications() + "?" + q.Encode()
	}
	for _, n := range list {
		if n.ID > v.Newest {
			v.Newest = n.ID
		}
		v.Items = append(v.Items, web.InboxItem{
			Text:       notificationText(r, n),
			Detail:     n.Detail,
			Kind:       i18n.T(ctx, "notify.kind."+string(n.Kind)),
			At:         i18n.DateTime(n.CreatedAt),
			Unread:     n.ReadAt == nil,
			Open:       paths.Notification(n.ID),
			ReadAction: paths.NotificationRead(n.ID),
		})
	}
	c := s.chrome(r, i18n.T(ctx, "inbox.title"))
	s.render(w, r, http.StatusOK, web.Inbox(c, v))
	return nil
}

// notificationText is a notification's sentence in the reader's language.
func notificationText(r *http.Request, n domain.Notification) string {
	args := make([]any, len(n.Args))
	for i, a := range n.Args {
		args[i] = a
	}
	return i18n.T(r.Context(), n.Message, args...)
}

// openNotification marks one of the user's notifications read and goes to
// the page where the user acts. Another user's notification is not found.
func (s *Server) openNotification(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r, "notificationID", "notifications.not_found")
	if err != nil {
		return err
	}
	n, err := s.db.ReadNotification(ctx, userFrom(ctx).ID, id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, localPath(n.Link, paths.Notifications()), http.StatusSeeOther)
	return nil
}

// readNotification marks one notification read and comes back to the inbox.
func (s *Server) readNotification(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r, "notificationID", "notifications.not_found")
	if err != nil {
		return err
	}
	if _, err := s.db.ReadNotification(ctx, userFrom(ctx).ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, backToInbox(r), http.StatusSeeOther)
	return nil
}

// readAllNotifications marks read every notification up to the newest the
// page showed (one that arrived since stays unread).
func (s *Server) readAllNotifications(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var upTo int64
	if raw := r.PostFormValue("up_to"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 1 {
			return domain.Errorf(domain.EINVALID, "error.bad_parameter", "up_to")
		}
		upTo = n
	}
	n, err := s.db.ReadAllNotifications(ctx, userFrom(ctx).ID, upTo)
	if err != nil {
		return err
	}
	if n > 0 {
		s.flash(ctx, "inbox.flash.all_read")
	}
	http.Redirect(w, r, backToInbox(r), http.StatusSeeOther)
	return nil
}

// backToInbox keeps the inbox's filter across a mark-read.
func backToInbox(r *http.Request) string {
	if r.PostFormValue("show") == "unread" {
		return paths.UnreadNotifications()
	}
	return paths.Notifications()
}
