package domain

import (
	"errors"
	"strings"
	"testing"
)

func TestValidatePassword(t *testing.T) {
	for pw, want := range map[string]string{
		"ngắn":                   "password.too_short",
		"1234567":                "password.too_short",
		"12345678":               "password.common",
		"MatKhau123":             "password.common",
		"P@ssw0rd":               "password.common",
		strings.Repeat("a", 129): "password.too_long",
		string([]rune(strings.Repeat("Một câu dễ nhớ, ", 9))[:128]): "",
		"Một câu dễ nhớ":            "",
		"tám ký tự":                 "",
		"chứa\x00nul rồi":           "password.invalid",
		"Mật khẩu hợp lệ với tab\t": "",
	} {
		if got := ValidatePassword(NormalizePassword(pw)); got != want {
			t.Errorf("ValidatePassword(%q) = %q, want %q", pw, got, want)
		}
	}
}

func TestNormalizePasswordNFC(t *testing.T) {
	nfd := "Mâ\u0323t khâ\u0309u"
	if NormalizePassword(nfd) != "Mật khẩu" {
		t.Error("NFD password not normalized to NFC")
	}
}

func TestNewUserValidate(t *testing.T) {
	unit := int64(1)
	for _, tc := range []struct {
		n      NewUser
		fields []string
	}{
		{NewUser{Email: "a@b.vn", FullName: "A", Role: RoleStaff}, nil},
		{NewUser{Email: "a@b.vn", FullName: "A", Role: RoleFocalPoint, UnitID: &unit}, nil},
		{NewUser{Email: "a@b.vn", FullName: "A", Role: RoleFocalPoint}, []string{"unit_id"}},
		{NewUser{Email: "Tên <a@b.vn>", FullName: "", Role: "root"}, []string{"email", "full_name", "role"}},
	} {
		tc.n.Normalize()
		err := tc.n.Validate()
		var ve *ValidationError
		if len(tc.fields) == 0 {
			if err != nil {
				t.Errorf("%+v: %v", tc.n, err)
			}
			continue
		}
		if !errors.As(err, &ve) || len(ve.Fields) != len(tc.fields) {
			t.Errorf("%+v: got %v, want problems in %v", tc.n, err, tc.fields)
			continue
		}
		for _, f := range tc.fields {
			if ve.Fields[f] == "" {
				t.Errorf("%+v: no problem at %s", tc.n, f)
			}
		}
	}
}

func TestHasRole(t *testing.T) {
	admin := &User{Role: RoleAdmin}
	staff := &User{Role: RoleStaff}
	focal := &User{Role: RoleFocalPoint}
	if !HasRole(admin, RoleStaff) || !HasRole(staff, RoleStaff) || HasRole(focal, RoleStaff) || HasRole(nil, RoleStaff) {
		t.Error("HasRole: admins pass staff checks, focal points and nobody else do not")
	}
	if HasRole(staff, RoleAdmin) || !CanManageUsers(admin) || CanManageUsers(staff) {
		t.Error("only admins manage users")
	}
}

func TestCleanText(t *testing.T) {
	if got := CleanText("  Đo\u0302\u0300ng Tháp \n"); got != "Đồng Tháp" {
		t.Errorf("CleanText = %q", got)
	}
	if ValidText("a\x00b") || ValidText("\xff") || !ValidText("dòng 1\ndòng 2") {
		t.Error("ValidText")
	}
}

func TestErrors(t *testing.T) {
	err := Errorf(ENOTFOUND, "user.not_found")
	if ErrorCode(err) != ENOTFOUND || ErrorCode(errors.New("x")) != EINTERNAL {
		t.Error("ErrorCode")
	}
	if key, _ := ErrorMessage(errors.New("db exploded")); key != "error.internal" {
		t.Error("internal errors must not show their text")
	}
}
