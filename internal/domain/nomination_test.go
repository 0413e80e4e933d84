package domain

import (
	"slices"
	"testing"
)

func TestMergeReport(t *testing.T) {
	orig := NominationReport{Position: "Chuyên viên", Tasks: "A", Achievements: "B"}
	hashes := map[string]string{}
	for _, f := range ReportFields {
		hashes[f] = ReportHash(orig.Field(f))
	}
	stored := orig
	stored.Tasks = "A (người khác sửa)"
	stored.Initiatives = "Sáng kiến X; Quyết định số 1/QĐ ngày 01/01/2025"
	typed := orig
	typed.Achievements = "B (tôi sửa)"
	merged, conflicts := MergeReport(hashes, typed, stored)
	if len(conflicts) != 0 {
		t.Fatalf("conflicts %v, want none", conflicts)
	}
	want := NominationReport{Position: "Chuyên viên", Tasks: "A (người khác sửa)", Achievements: "B (tôi sửa)", Initiatives: stored.Initiatives}
	if merged != want {
		t.Errorf("merged %+v, want %+v", merged, want)
	}
	// Both changed the same field differently: a conflict, the typed text kept.
	typed.Tasks = "A (tôi sửa)"
	merged, conflicts = MergeReport(hashes, typed, stored)
	if !slices.Equal(conflicts, []string{"tasks"}) || merged.Tasks != "A (tôi sửa)" {
		t.Errorf("conflicts %v, tasks %q", conflicts, merged.Tasks)
	}
	// The same change on both sides is no conflict.
	typed.Tasks = stored.Tasks
	if _, conflicts = MergeReport(hashes, typed, stored); len(conflicts) != 0 {
		t.Errorf("same change: conflicts %v", conflicts)
	}
	// No hashes (a form from elsewhere): every differing field is a conflict.
	if _, conflicts = MergeReport(nil, orig, stored); !slices.Equal(conflicts, []string{"tasks", "initiatives"}) {
		t.Errorf("without hashes: %v", conflicts)
	}
}

func TestNominationTransitions(t *testing.T) {
	n := &Nomination{Status: NominationDraft}
	if err := n.Receive(); ErrorCode(err) != ECONFLICT {
		t.Errorf("receive a draft: %v", err)
	}
	if err := n.Submit(); ErrorCode(err) != EINVALID && err == nil {
		t.Errorf("submit an empty report: %v", err)
	}
	if err := n.Edit(NominationReport{Position: " Chuyên viên ", Tasks: "Nhiệm vụ\r\nthứ hai", Achievements: "Kết quả"}); err != nil {
		t.Fatal(err)
	}
	if n.Report.Position != "Chuyên viên" || n.Report.Tasks != "Nhiệm vụ\nthứ hai" {
		t.Errorf("report not cleaned: %+v", n.Report)
	}
	if err := n.Edit(NominationReport{Tasks: "x\x00"}); err == nil {
		t.Error("bad bytes accepted")
	}
	if err := n.Submit(); err != nil || n.Status != NominationSubmitted {
		t.Fatalf("submit: %v, %s", err, n.Status)
	}
	if err := n.Edit(n.Report); ErrorCode(err) != ECONFLICT {
		t.Errorf("edit a submitted nomination: %v", err)
	}
	if err := n.Return("  "); err == nil {
		t.Error("return without a reason accepted")
	}
	if err := n.Return("Thiếu biên bản bình xét"); err != nil || n.Status != NominationReturned || n.Reason != "Thiếu biên bản bình xét" {
		t.Fatalf("return: %v, %s %q", err, n.Status, n.Reason)
	}
	if err := n.Return("lần nữa"); ErrorCode(err) != ECONFLICT {
		t.Errorf("return a returned nomination: %v", err)
	}
	if err := n.Submit(); err != nil {
		t.Fatal(err)
	}
	if err := n.Receive(); err != nil || n.Status != NominationReceived || n.Reason != "" {
		t.Fatalf("receive: %v, %s", err, n.Status)
	}
	if err := n.Decide(false, ""); err == nil {
		t.Error("not shortlisted without a reason accepted")
	}
	if err := n.Decide(false, "Vượt chỉ tiêu"); err != nil || n.Status != NominationNotShortlisted {
		t.Errorf("decide: %v, %s", err, n.Status)
	}
}

func TestNominationPolicies(t *testing.T) {
	unit, other := int64(1), int64(2)
	fp := &User{ID: 1, Role: RoleFocalPoint, UnitID: &unit}
	staff := &User{ID: 2, Role: RoleStaff}
	leader := &User{ID: 3, Role: RoleLeader}
	if !CanNominate(fp, nil) || CanNominate(staff, nil) || CanNominate(leader, nil) || CanNominate(&User{Role: RoleFocalPoint}, nil) {
		t.Error("CanNominate: only focal points with a unit")
	}
	if !CanSeeNomination(fp, unit) || CanSeeNomination(fp, other) || !CanSeeNomination(staff, other) || CanSeeNomination(leader, unit) {
		t.Error("CanSeeNomination: staff and the unit's own focal point")
	}
	if !CanEditNomination(fp, unit) || CanEditNomination(fp, other) || CanEditNomination(staff, unit) {
		t.Error("CanEditNomination: the unit's own focal point only")
	}
	if !CanReceiveNomination(staff, nil) || CanReceiveNomination(fp, nil) || CanReceiveNomination(leader, nil) {
		t.Error("CanReceiveNomination: staff")
	}
	if CanListNominations(leader, nil) || !CanListNominations(fp, nil) || !CanListNominations(staff, nil) {
		t.Error("CanListNominations: staff and focal points")
	}
}
