package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPhaseResultTransitions(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	const staff, leader, other = 1, 2, 3
	r := &PhaseResult{Version: 1}
	// Not every submitted form locked: refused, naming them.
	err := r.Propose(staff, GroupForms{NotLocked: []string{"UBND xã Mỹ Thọ", "Sở Y tế"}, Locked: 3}, now)
	var de *Error
	if !errors.As(err, &de) || de.Code != ECONFLICT || de.Message != "results.not_locked" || de.Args[0] != 2 ||
		!strings.Contains(de.Args[1].(string), "UBND xã Mỹ Thọ; Sở Y tế") {
		t.Fatalf("propose with forms not locked: %v", err)
	}
	if r.Status != ResultNone || r.Version != 1 {
		t.Fatal("a refused proposal changed the record")
	}
	many := make([]string, 40)
	for i := range many {
		many[i] = "Xã"
	}
	if err := r.Propose(staff, GroupForms{NotLocked: many}, now); !errors.As(err, &de) || de.Args[0] != 40 || strings.Count(de.Args[1].(string), "Xã") != maxListed {
		t.Errorf("a long list is cut to %d names: %v", maxListed, err)
	}
	if err := r.Propose(staff, GroupForms{}, now); ErrorCode(err) != ECONFLICT {
		t.Errorf("propose with no locked form: %v", err)
	}
	if err := r.Approve(leader, now); ErrorCode(err) != ECONFLICT {
		t.Errorf("approve before a proposal: %v", err)
	}
	if err := r.Propose(staff, GroupForms{Locked: 3}, now); err != nil || r.Status != ResultProposed || *r.ProposedBy != staff || r.Version != 2 {
		t.Fatalf("propose: %v %+v", err, r)
	}
	if err := r.Propose(staff, GroupForms{Locked: 3}, now); ErrorCode(err) != ECONFLICT {
		t.Errorf("propose twice: %v", err)
	}
	// The proposer can never approve nor return.
	if err := r.Approve(staff, now); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("proposer approves: %v", err)
	}
	if err := r.Return(staff, "lý do", now); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("proposer returns: %v", err)
	}
	// A return needs its reason.
	var ve *ValidationError
	if err := r.Return(leader, "  \r\n ", now); !errors.As(err, &ve) || ve.Fields["reason"] != "results.reason.required" {
		t.Errorf("return without reason: %v", err)
	}
	if r.Status != ResultProposed {
		t.Fatal("refused decisions changed the status")
	}
	if err := r.Return(leader, "Cần rà soát lại xã Mỹ Thọ", now); err != nil || r.Status != ResultReturned || r.Reason != "Cần rà soát lại xã Mỹ Thọ" || r.Published() {
		t.Fatalf("return: %v %+v", err, r)
	}
	if err := r.Approve(other, now); ErrorCode(err) != ECONFLICT {
		t.Errorf("approve a returned proposal: %v", err)
	}
	if err := r.Propose(staff, GroupForms{Locked: 3}, now); err != nil || r.Reason != "" || r.DecidedBy != nil {
		t.Fatalf("propose again: %v %+v", err, r)
	}
	if err := r.Approve(leader, now); err != nil || !r.Published() || *r.DecidedBy != leader {
		t.Fatalf("approve: %v %+v", err, r)
	}
	if err := r.Propose(staff, GroupForms{Locked: 3}, now); ErrorCode(err) != ECONFLICT {
		t.Errorf("propose approved results: %v", err)
	}
}

func TestResultPolicies(t *testing.T) {
	staff := &User{ID: 1, Role: RoleStaff}
	leader := &User{ID: 2, Role: RoleLeader}
	fp := &User{ID: 3, Role: RoleFocalPoint}
	admin := &User{ID: 4, Role: RoleAdmin}
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"staff reads", CanReadRanking(staff, nil), true},
		{"leader reads", CanReadRanking(leader, nil), true},
		{"focal point reads", CanReadRanking(fp, nil), false},
		{"anonymous reads", CanReadRanking(nil, nil), false},
		{"staff proposes", CanProposeResults(staff, nil), true},
		{"admin proposes", CanProposeResults(admin, nil), true},
		{"leader proposes", CanProposeResults(leader, nil), false},
		{"leader decides", CanApproveResults(leader, nil, &staff.ID), true},
		{"leader decides own", CanApproveResults(leader, nil, &leader.ID), false},
		{"staff decides", CanApproveResults(staff, nil, &staff.ID), false},
		{"admin decides", CanApproveResults(admin, nil, &staff.ID), false},
		{"anonymous decides", CanApproveResults(nil, nil, &staff.ID), false},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestRankResults(t *testing.T) {
	rows := []ResultRow{{FinalConverted: 9500}, {FinalConverted: 8000}, {FinalConverted: 8000}, {FinalConverted: 7999}, {FinalConverted: 4000}, {FinalConverted: 4000}}
	RankResults(rows, DefaultBands)
	var ranks []int
	var bands []string
	for _, r := range rows {
		ranks = append(ranks, r.Rank)
		bands = append(bands, r.Band)
	}
	if got := ranks; got[0] != 1 || got[1] != 2 || got[2] != 2 || got[3] != 4 || got[4] != 5 || got[5] != 5 {
		t.Errorf("ranks %v, want 1 2 2 4 5 5", got)
	}
	if strings.Join(bands, " ") != "excellent good good fair weak weak" {
		t.Errorf("bands %v", bands)
	}
}
