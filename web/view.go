package web

import "strconv"

// Chrome is what the layout needs on every page.
type Chrome struct {
	// Title is the page title, already translated.
	Title string
	// User is the signed-in user, nil for anonymous visitors.
	User *CurrentUser
	// Nav is the navigation of the user's role.
	Nav []NavItem
	// Flash is a one-time notice from the previous action, already translated.
	Flash string
	// Path is the request path, kept by the language switch.
	Path string
	// Refresh reloads the page after this many seconds (0: never): how a
	// page shows the progress of a long job without JavaScript.
	Refresh int
}

// CurrentUser is the signed-in user as the header shows it.
type CurrentUser struct {
	Name     string
	Email    string
	RoleKey  string
	UnitName string
	// Unread counts the user's unread notifications (the header's inbox link).
	Unread int
}

// NavItem is one link of the navigation.
type NavItem struct {
	Href   string
	Label  string
	Active bool
}

// Option is one choice of a select box.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// unreadCount is the header's badge: the count, or "99+" beyond.
func unreadCount(n int) string {
	if n > 99 {
		return "99+"
	}
	return strconv.Itoa(n)
}
