package web

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProblemsOrderAndFirstWins(t *testing.T) {
	var p Problems
	p.Field("role", "vai trò")
	p.Form("biểu mẫu")
	p.Field("email", "thư điện tử")
	p.Field("email", "thư điện tử lần hai") // a field keeps its first problem
	p.Field("extra", "khác")
	p.Field("", "cũng của biểu mẫu") // no field: the form's
	p.Form("biểu mẫu")               // the same form message once
	p.Order("email", "full_name", "role")

	want := []Problem{{Field: "email", Text: "thư điện tử"}, {Field: "role", Text: "vai trò"}, {Field: "extra", Text: "khác"}}
	if diff := cmp.Diff(want, p.Fields()); diff != "" {
		t.Errorf("field problems mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"biểu mẫu", "cũng của biểu mẫu"}, p.FormMessages()); diff != "" {
		t.Errorf("form messages mismatch (-want +got):\n%s", diff)
	}
	if p.Len() != 5 || !p.Any() {
		t.Errorf("Len %d Any %v, want 5 true", p.Len(), p.Any())
	}
	if got := p.Of("email"); got != "thư điện tử" {
		t.Errorf("Of(email) = %q", got)
	}
	if got := p.Of("full_name") + p.Of(""); got != "" {
		t.Errorf("a field without a problem, or the form, has %q", got)
	}
}

func TestProblemsRename(t *testing.T) {
	var p Problems
	p.Field("issuer_unit_id", "không có đơn vị")
	p.Rename("issuer_unit_id", "issuer_code")
	if p.Of("issuer_unit_id") != "" || p.Of("issuer_code") != "không có đơn vị" {
		t.Errorf("after Rename: %+v", p.Fields())
	}
	// Renaming onto a field that already has a problem keeps that one.
	p.Field("scope_unit_id", "phạm vi")
	p.Field("scope_code", "mã")
	p.Rename("scope_unit_id", "scope_code")
	if p.Of("scope_code") != "mã" || p.Len() != 2 {
		t.Errorf("after Rename onto a field with a problem: %+v", p.Fields())
	}
}

func TestZeroProblemsAreEmpty(t *testing.T) {
	var p Problems
	if p.Any() || p.Len() != 0 || p.Fields() != nil || p.FormMessages() != nil {
		t.Errorf("zero Problems not empty: %+v", p)
	}
}

func TestFormProblemsAndSays(t *testing.T) {
	p := FormProblems("", "Hồ sơ đã nộp.", "")
	if p.Len() != 1 || len(p.Fields()) != 0 || !p.Says("Hồ sơ đã nộp.") || p.Says("khác") {
		t.Errorf("FormProblems: %+v", p)
	}
	if FormProblems().Any() {
		t.Error("no text, no problem")
	}
}
