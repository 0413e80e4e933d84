package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"thidua/internal/domain"
)

func TestCreateUserWithGeneratedPassword(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, _ := a.loggedIn(domain.RoleAdmin)
	doc := htmlOf(t, admin.get("/users"))
	key, _ := doc.Find("input[name=idempotency_key]").Attr("value")
	if len(key) < 16 {
		t.Fatalf("form has no idempotency key: %q", key)
	}
	form := url.Values{
		"idempotency_key": {key}, "email": {" Dau.Moi@Example.VN "}, "full_name": {"Nguye\u0302\u0303n Văn A"},
		"role": {"focal_point"}, "unit_id": {fmt.Sprint(a.unit)}, "password": {""},
	}
	resp := admin.post("/users", form)
	wantStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	page := htmlOf(t, admin.get(loc))
	pw := strings.TrimSpace(page.Find(".notice .secret code").Text())
	if len(pw) != 16 {
		t.Fatalf("generated password not shown once on %s: %q", loc, pw)
	}
	if again := htmlOf(t, admin.get(loc)).Find(".notice .secret").Length(); again != 0 {
		t.Error("the generated password is shown a second time")
	}
	u, err := a.db.UserByEmail(context.Background(), "dau.moi@example.vn")
	if err != nil {
		t.Fatal(err)
	}
	if u.FullName != "Nguyễn Văn A" || u.Role != domain.RoleFocalPoint || u.UnitID == nil || *u.UnitID != a.unit {
		t.Errorf("stored user %+v", u)
	}
	// The new user signs in with the password shown.
	a.client().login(u.Email, pw)

	// Double submit (same key): the same user, no error, no second row.
	resp = admin.post("/users", form)
	wantStatus(t, resp, http.StatusSeeOther)
	if resp.Header.Get("Location") != loc {
		t.Errorf("repeat submission went to %q, want %q", resp.Header.Get("Location"), loc)
	}
	var n int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users WHERE email = 'dau.moi@example.vn'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d users after a double submit", n)
	}
	assertAudit(t, a, "user.create")
}

func TestCreateUserValidation(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, existing := a.loggedIn(domain.RoleAdmin)
	for _, tc := range []struct {
		form  url.Values
		field string
		msg   string
	}{
		{url.Values{"email": {"không phải email"}, "full_name": {"A"}, "role": {"staff"}}, "email", "Thư điện tử không hợp lệ."},
		{url.Values{"email": {existing.Email}, "full_name": {"A"}, "role": {"staff"}}, "email", "Thư điện tử này đã có tài khoản."},
		{url.Values{"email": {"b@example.vn"}, "full_name": {""}, "role": {"staff"}}, "full_name", "Trường này là bắt buộc."},
		{url.Values{"email": {"b@example.vn"}, "full_name": {strings.Repeat("A", 201)}, "role": {"staff"}}, "full_name", "Nội dung quá dài."},
		{url.Values{"email": {"b@example.vn"}, "full_name": {"B"}, "role": {"superuser"}}, "role", "Vai trò không hợp lệ."},
		{url.Values{"email": {"b@example.vn"}, "full_name": {"B"}, "role": {"focal_point"}}, "unit_id", "Đầu mối phải thuộc một đơn vị."},
		{url.Values{"email": {"b@example.vn"}, "full_name": {"B"}, "role": {"focal_point"}, "unit_id": {"999999"}}, "unit_id", "Đơn vị không tồn tại."},
		{url.Values{"email": {"b@example.vn"}, "full_name": {"B"}, "role": {"staff"}, "password": {"123456789"}}, "password", "Mật khẩu này quá phổ biến"},
		{url.Values{"email": {"b@example.vn"}, "full_name": {"B"}, "role": {"staff"}, "password": {"ngắn"}}, "password", "ít nhất 8 ký tự"},
		{url.Values{"email": {"b@example.vn"}, "full_name": {"B"}, "role": {"staff"}, "password": {strings.Repeat("dài", 43)}}, "password", "128 ký tự"},
	} {
		resp := admin.post("/users", tc.form)
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		doc := htmlOf(t, resp)
		field := doc.Find("#new [name=" + tc.field + "]").Parent()
		if got := field.Find(".field-error").Text(); !strings.Contains(got, tc.msg) {
			t.Errorf("%v: error at %s = %q, want %q", tc.form, tc.field, got, tc.msg)
		}
		if v, _ := doc.Find("#new input[name=full_name]").Attr("value"); v != tc.form.Get("full_name") {
			t.Errorf("typed name not kept: %q", v)
		}
	}
	var n int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users WHERE email = 'b@example.vn'`).Scan(&n)
	if n != 0 {
		t.Error("an invalid form created a user")
	}
}

func TestUpdateUserRoleAndStaleForm(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, _ := a.loggedIn(domain.RoleAdmin)
	other, _ := a.loggedIn(domain.RoleAdmin)
	userClient, u := a.loggedIn(domain.RoleStaff)
	path := fmt.Sprintf("/users/%d", u.ID)
	doc := htmlOf(t, admin.get(path))
	version, _ := doc.Find("input[name=version]").Attr("value")

	// Another administrator saves first.
	otherDoc := htmlOf(t, other.get(path))
	otherVersion, _ := otherDoc.Find("input[name=version]").Attr("value")
	wantStatus(t, other.post(path, url.Values{"full_name": {"Tên mới"}, "role": {"staff"}, "version": {otherVersion}}), http.StatusSeeOther)

	// The first administrator's form is stale: 409, typed values kept.
	resp := admin.post(path, url.Values{"full_name": {"Tên của tôi"}, "role": {"leader"}, "version": {version}})
	wantStatus(t, resp, http.StatusConflict)
	stale := htmlOf(t, resp)
	if v, _ := stale.Find("input[name=full_name]").Attr("value"); v != "Tên của tôi" {
		t.Errorf("typed name lost on conflict: %q", v)
	}
	if !strings.Contains(stale.Text(), "người khác thay đổi") {
		t.Error("conflict page does not explain")
	}
	newVersion, _ := stale.Find("input[name=version]").Attr("value")
	if newVersion == version {
		t.Error("conflict form still carries the stale version")
	}
	// Saving again on purpose works and, as the role changed, ends the user's sessions.
	wantStatus(t, admin.post(path, url.Values{"full_name": {"Tên của tôi"}, "role": {"leader"}, "version": {newVersion}}), http.StatusSeeOther)
	got, _ := a.db.UserByID(context.Background(), u.ID)
	if got.Role != domain.RoleLeader || got.FullName != "Tên của tôi" {
		t.Errorf("after save: %+v", got)
	}
	if userClient.signedIn() {
		t.Error("role change left the user's session alive")
	}
	assertAudit(t, a, "user.update")
}

func TestAdminCannotLockThemselvesOut(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, me := a.loggedIn(domain.RoleAdmin)
	wantStatus(t, admin.post(fmt.Sprintf("/users/%d/disabled", me.ID), url.Values{"disabled": {"true"}}), http.StatusConflict)
	resp := admin.post(fmt.Sprintf("/users/%d", me.ID), url.Values{"full_name": {"X"}, "role": {"staff"}, "version": {fmt.Sprint(me.Version)}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !admin.signedIn() {
		t.Error("admin lost their session")
	}
}

func TestResetPassword(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, _ := a.loggedIn(domain.RoleAdmin)
	victim, u := a.loggedIn(domain.RoleFocalPoint)
	path := fmt.Sprintf("/users/%d", u.ID)
	wantStatus(t, admin.post(path+"/password", nil), http.StatusSeeOther)
	pw := strings.TrimSpace(htmlOf(t, admin.get(path)).Find(".notice .secret code").Text())
	if len(pw) != 16 {
		t.Fatalf("new password not shown: %q", pw)
	}
	if victim.signedIn() {
		t.Error("reset left the old session alive")
	}
	wantStatus(t, a.client().post("/login", url.Values{"email": {u.Email}, "password": {testPassword}}), http.StatusUnprocessableEntity)
	a.client().login(u.Email, pw)
	assertAudit(t, a, "user.password_reset")
}

func TestChangeOwnPassword(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	c, u := a.loggedIn(domain.RoleFocalPoint)
	elsewhere := a.client()
	elsewhere.login(u.Email, testPassword)
	for _, tc := range []struct {
		form url.Values
		msg  string
	}{
		{url.Values{"current": {"sai"}, "new": {"Một câu mật khẩu mới"}, "confirm": {"Một câu mật khẩu mới"}}, "Mật khẩu hiện tại không đúng."},
		{url.Values{"current": {testPassword}, "new": {"password123"}, "confirm": {"password123"}}, "quá phổ biến"},
		{url.Values{"current": {testPassword}, "new": {"Một câu mật khẩu mới"}, "confirm": {"khác"}}, "không khớp"},
	} {
		resp := c.post("/account/password", tc.form)
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if !strings.Contains(bodyOf(resp), tc.msg) {
			t.Errorf("%v: missing %q", tc.form, tc.msg)
		}
	}
	wantStatus(t, c.post("/account/password", url.Values{"current": {testPassword}, "new": {"Một câu mật khẩu mới"}, "confirm": {"Một câu mật khẩu mới"}}), http.StatusSeeOther)
	if !c.signedIn() {
		t.Error("changing the password ended this session")
	}
	if elsewhere.signedIn() {
		t.Error("changing the password left other sessions alive")
	}
	a.client().login(u.Email, "Một câu mật khẩu mới")
}

func TestAuditPage(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, me := a.loggedIn(domain.RoleAdmin)
	doc := htmlOf(t, admin.get("/audit"))
	found := false
	doc.Find("tbody tr").Each(func(_ int, tr *goqueryTr) {
		if strings.Contains(tr.Text(), "login.success") && strings.Contains(tr.Text(), me.FullName) {
			found = true
		}
	})
	if !found {
		t.Error("the audit page does not show the admin's login")
	}
}

func TestDisablingLastFocalPointWarns(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, _ := a.loggedIn(domain.RoleAdmin)
	fp := a.user(domain.RoleFocalPoint)
	path := fmt.Sprintf("/users/%d", fp.ID)
	if !strings.Contains(htmlOf(t, admin.get(path)).Find(".notice-warn").Text(), "đầu mối duy nhất") {
		t.Error("no warning on the page of a unit's only focal point")
	}
	resp := admin.post(path+"/disabled", url.Values{"disabled": {"true"}})
	wantStatus(t, resp, http.StatusConflict)
	if htmlOf(t, resp).Find("input[name=confirm_last]").Length() != 1 {
		t.Error("no confirmation asked")
	}
	if u, _ := a.db.UserByID(context.Background(), fp.ID); u.Disabled() {
		t.Fatal("disabled without confirmation")
	}
	wantStatus(t, admin.post(path+"/disabled", url.Values{"disabled": {"true"}, "confirm_last": {"yes"}}), http.StatusSeeOther)
	if u, _ := a.db.UserByID(context.Background(), fp.ID); !u.Disabled() {
		t.Error("not disabled after confirmation")
	}
	// With a second focal point, no warning.
	a.user(domain.RoleFocalPoint)
	other := a.user(domain.RoleFocalPoint)
	wantStatus(t, admin.post(fmt.Sprintf("/users/%d/disabled", other.ID), url.Values{"disabled": {"true"}}), http.StatusSeeOther)
}
