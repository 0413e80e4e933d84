package domain

import (
	"net/mail"
	"strings"
	"time"
)

// Role is what a user may do in the portal.
type Role string

// The roles, described in docs/domain.md.
const (
	RoleAdmin      Role = "admin"
	RoleStaff      Role = "staff"
	RoleFocalPoint Role = "focal_point"
	RoleLeader     Role = "leader"
)

// Roles lists every role in the order they are offered in forms.
var Roles = []Role{RoleAdmin, RoleStaff, RoleFocalPoint, RoleLeader}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Locales the portal speaks; the first is the default.
var Locales = []string{"vi", "en"}

// User is a person who signs in.
type User struct {
	ID           int64
	Email        string
	FullName     string
	Role         Role
	UnitID       *int64
	UnitName     string
	PasswordHash string
	Locale       string
	SessionEpoch int
	DisabledAt   *time.Time
	Version      int
	CreatedAt    time.Time
	// Unread counts the user's unread notifications when the user was read
	// with the request's session (the header shows it).
	Unread int
}

// Disabled reports whether the user may no longer sign in.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// NewUser is the input for creating a user.
type NewUser struct {
	Email    string
	FullName string
	Role     Role
	UnitID   *int64
	Password string
}

// Normalize cleans the text fields in place.
func (n *NewUser) Normalize() {
	n.Email = NormalizeEmail(n.Email)
	n.FullName = CleanText(n.FullName)
}

// Validate checks the fields of a new user; the password is checked by
// ValidatePassword separately, since it may be generated.
func (n *NewUser) Validate() error {
	f := FieldErrors{}
	if !ValidEmail(n.Email) {
		f.Add("email", "user.email.invalid")
	}
	switch l := RuneLen(n.FullName); {
	case l == 0:
		f.Add("full_name", "field.required")
	case l > 200:
		f.Add("full_name", "field.too_long")
	}
	if !n.Role.Valid() {
		f.Add("role", "user.role.invalid")
	}
	if n.Role == RoleFocalPoint && n.UnitID == nil {
		f.Add("unit_id", "user.unit.required")
	}
	return f.Err()
}

// NormalizeEmail lower-cases and NFC-normalizes an e-mail address.
func NormalizeEmail(s string) string { return strings.ToLower(CleanText(s)) }

// ValidEmail reports whether s is a plain address (no display name).
func ValidEmail(s string) bool {
	if RuneLen(s) < 3 || RuneLen(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// CanManageUsers reports whether u may list, create and disable users.
func CanManageUsers(u *User) bool { return u != nil && u.Role == RoleAdmin }

// HasRole reports whether u has one of the roles. Admins pass every staff
// check, since they can do everything staff can.
func HasRole(u *User, roles ...Role) bool {
	if u == nil {
		return false
	}
	for _, r := range roles {
		if u.Role == r || (r == RoleStaff && u.Role == RoleAdmin) {
			return true
		}
	}
	return false
}
