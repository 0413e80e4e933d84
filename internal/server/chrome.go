package server

import (
	"net/http"
	"strings"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/web"
)

// navItem is a link of the navigation and the roles that see it.
type navItem struct {
	href, key string
	roles     []domain.Role // empty: every signed-in user
}

var navigation = []navItem{
	{href: "/home", key: "nav.home"},
	{href: "/campaigns", key: "nav.campaigns", roles: []domain.Role{domain.RoleStaff}},
	{href: "/units", key: "nav.units"},
	{href: "/people", key: "nav.people", roles: []domain.Role{domain.RoleStaff, domain.RoleFocalPoint}},
	{href: "/councils", key: "nav.councils", roles: []domain.Role{domain.RoleStaff, domain.RoleLeader}},
	{href: "/decisions", key: "nav.decisions", roles: []domain.Role{domain.RoleStaff, domain.RoleLeader}},
	{href: "/measures", key: "nav.measures", roles: []domain.Role{domain.RoleStaff}},
	{href: "/holidays", key: "nav.holidays", roles: []domain.Role{domain.RoleStaff}},
	{href: "/users", key: "nav.users", roles: []domain.Role{domain.RoleAdmin}},
	{href: "/audit", key: "nav.audit", roles: []domain.Role{domain.RoleAdmin}},
	{href: "/admin/outbox", key: "nav.outbox", roles: []domain.Role{domain.RoleAdmin}},
	{href: "/account", key: "nav.account"},
}

// chrome builds what the layout needs: the user, the navigation of their
// role, the one-time notice and the current path.
func (s *Server) chrome(r *http.Request, title string) web.Chrome {
	ctx := r.Context()
	c := web.Chrome{Title: title, Path: r.URL.RequestURI()}
	if key := s.takeFlash(r); key != "" {
		c.Flash = i18n.T(ctx, key)
	}
	u := userFrom(ctx)
	if u == nil {
		return c
	}
	c.User = &web.CurrentUser{Name: u.FullName, Email: u.Email, RoleKey: "role." + string(u.Role), UnitName: u.UnitName, Unread: u.Unread}
	for _, n := range navigation {
		if len(n.roles) > 0 && !domain.HasRole(u, n.roles...) {
			continue
		}
		active := r.URL.Path == n.href || strings.HasPrefix(r.URL.Path, n.href+"/")
		c.Nav = append(c.Nav, web.NavItem{Href: n.href, Label: i18n.T(ctx, n.key), Active: active})
	}
	return c
}
