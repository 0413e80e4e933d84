package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/web"
)

func TestProblemsOf(t *testing.T) {
	vi := i18n.WithLocale(context.Background(), i18n.Vietnamese)
	en := i18n.WithLocale(context.Background(), i18n.English)
	order := []string{"email", "full_name", "role"}

	// Field errors land beside their fields, translated, in form order (the
	// map they come in has none); "form" is the form's.
	ve := &domain.ValidationError{Fields: domain.FieldErrors{
		"role": "user.role.invalid", "email": "user.email.invalid", "full_name": "field.required", "form": "error.stale",
	}}
	p, ok := problemsOf(vi, fmt.Errorf("saving: %w", ve), order...)
	if !ok {
		t.Fatal("a validation error is the user's to fix")
	}
	want := []web.Problem{
		{Field: "email", Text: "Thư điện tử không hợp lệ."},
		{Field: "full_name", Text: "Trường này là bắt buộc."},
		{Field: "role", Text: i18n.T(vi, "user.role.invalid")},
	}
	if diff := cmp.Diff(want, p.Fields()); diff != "" {
		t.Errorf("fields mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{i18n.T(vi, "error.stale")}, p.FormMessages()); diff != "" {
		t.Errorf("form messages mismatch (-want +got):\n%s", diff)
	}
	if p, _ := problemsOf(en, ve, order...); p.Of("email") != "Not a valid e-mail address." {
		t.Errorf("English: %q", p.Of("email"))
	}

	// A domain refusal is the form's, with its arguments.
	p, ok = problemsOf(vi, domain.Errorf(domain.ECONFLICT, "error.stale"))
	if !ok || p.FormMessages()[0] != i18n.T(vi, "error.stale") || len(p.Fields()) != 0 {
		t.Errorf("conflict: %v %+v", ok, p)
	}
	// The problems of a criteria tree name the node.
	p, ok = problemsOf(vi, domain.TreeErrors{{Code: "1.2", Message: "criteria.too_deep", Args: []any{5}}})
	if !ok || p.FormMessages()[0] != "Tiêu chí 1.2: "+i18n.T(vi, "criteria.too_deep", 5) {
		t.Errorf("tree: %v %q", ok, p.FormMessages())
	}
	// Other failures are not the user's: the error page shows them.
	for _, err := range []error{errors.New("connection reset"), domain.Errorf(domain.EFORBIDDEN, "error.forbidden"), domain.Errorf(domain.ENOTFOUND, "error.not_found")} {
		if _, ok := problemsOf(vi, err); ok {
			t.Errorf("%v treated as a form problem", err)
		}
	}
	if refusalStatus(domain.Errorf(domain.ECONFLICT, "x")) != http.StatusConflict || refusalStatus(ve) != http.StatusUnprocessableEntity {
		t.Error("refusalStatus: want 409 for a conflict, 422 otherwise")
	}
}

// A refused form comes back with 422, what was typed, the summary linking
// to each field in form order, and each field marked for screen readers.
func TestRefusedFormShownAgain(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, _ := a.loggedIn(domain.RoleAdmin)
	resp := admin.post("/users", url.Values{"email": {"không phải email"}, "full_name": {""}, "role": {"staff"},
		"idempotency_key": {"0123456789abcdef0123"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc := htmlOf(t, resp)
	if v, _ := doc.Find("#new input[name=email]").Attr("value"); v != "không phải email" {
		t.Errorf("typed e-mail not kept: %q", v)
	}
	if v, _ := doc.Find("#new select[name=role] option[selected]").Attr("value"); v != "staff" {
		t.Errorf("chosen role not kept: %q", v)
	}
	if v, _ := doc.Find("#new input[name=idempotency_key]").Attr("value"); v != "0123456789abcdef0123" {
		t.Errorf("idempotency key not kept: %q", v)
	}
	var links []string
	doc.Find("#new .error-summary li a").Each(func(_ int, s *goqueryTr) { links = append(links, s.AttrOr("href", "")+" "+s.Text()) })
	want := []string{"#email Thư điện tử không hợp lệ.", "#full_name Trường này là bắt buộc."}
	if diff := cmp.Diff(want, links); diff != "" {
		t.Errorf("summary links mismatch (-want +got):\n%s", diff)
	}
	email := doc.Find("#new input[name=email]")
	if email.AttrOr("aria-invalid", "") != "true" || email.AttrOr("aria-describedby", "") != "email-error" {
		t.Errorf("e-mail control: aria-invalid %q aria-describedby %q", email.AttrOr("aria-invalid", ""), email.AttrOr("aria-describedby", ""))
	}
	if got := doc.Find("#new #email-error.field-error").Text(); got != "Thư điện tử không hợp lệ." {
		t.Errorf("e-mail's problem beside it: %q", got)
	}
	unit := doc.Find("#new select[name=unit_id]")
	if _, invalid := unit.Attr("aria-invalid"); invalid || unit.AttrOr("aria-describedby", "") != "unit_id-hint" {
		t.Errorf("a field without a problem: aria-invalid %v, aria-describedby %q", invalid, unit.AttrOr("aria-describedby", ""))
	}
}
