package domain

import (
	"testing"
	"time"
)

// TestPolicies checks each policy against the role, the memberships and
// the object: the rules the handlers rely on instead of role checks.
func TestPolicies(t *testing.T) {
	unit, other := int64(7), int64(8)
	staff := &User{ID: 1, Role: RoleStaff}
	admin := &User{ID: 2, Role: RoleAdmin}
	fp := &User{ID: 3, Role: RoleFocalPoint, UnitID: &unit}
	leader := &User{ID: 4, Role: RoleLeader}
	appraiser := &User{ID: 5, Role: RoleLeader} // any role may appraise
	draft := &Campaign{ID: 10, Status: StatusDraft}
	announced := &Campaign{ID: 10, Status: StatusAnnounced}
	phase := int64(20)
	team := &CampaignAccess{Campaign: announced, Memberships: []Membership{{CampaignID: 10, PhaseID: &phase, UserID: 5, Role: MemberAppraiser}}}
	none := &CampaignAccess{Campaign: announced}
	asg := &Assignment{CampaignID: 10, AssessmentID: 30, PhaseID: phase, AppraiserID: 5}
	now := time.Now()
	recused := &Assignment{CampaignID: 10, AssessmentID: 30, PhaseID: phase, AppraiserID: 5, RecusedAt: &now, RecusalReason: "x"}
	otherPhase := &Assignment{CampaignID: 10, AssessmentID: 31, PhaseID: phase + 1, AppraiserID: 5}
	otherCampaign := &Assignment{CampaignID: 11, AssessmentID: 32, PhaseID: phase, AppraiserID: 5}

	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"staff see a draft", CanSeeCampaign(staff, &CampaignAccess{Campaign: draft}), true},
		{"focal point does not see a draft", CanSeeCampaign(fp, &CampaignAccess{Campaign: draft}), false},
		{"focal point sees an announced campaign", CanSeeCampaign(fp, none), true},
		{"a member sees the draft of their campaign", CanSeeCampaign(appraiser, &CampaignAccess{Campaign: draft, Memberships: team.Memberships}), true},
		{"anonymous sees no working page", CanSeeCampaign(nil, none), false},
		{"public: announced", CanSeePublicCampaign(nil, none), true},
		{"public: draft", CanSeePublicCampaign(nil, &CampaignAccess{Campaign: draft}), false},
		{"admin manages", CanManageCampaign(admin, none), true},
		{"leader does not manage", CanManageCampaign(leader, none), false},
		{"leader does no unit work", CanDoUnitWork(leader, none), false},
		{"focal point registers", CanRegister(fp, none), true},
		{"staff do not register", CanRegister(staff, none), false},
		{"focal point sees own form", CanSeeAssessment(fp, none, unit, nil), true},
		{"focal point does not see another unit's form", CanSeeAssessment(fp, none, other, nil), false},
		{"assigned appraiser sees the form", CanSeeAssessment(appraiser, team, other, asg), true},
		{"leader without assignment does not see a form", CanSeeAssessment(leader, none, other, nil), false},
		{"focal point edits own form", CanEditAssessment(fp, unit), true},
		{"staff do not edit forms", CanEditAssessment(staff, unit), false},
		{"appraiser appraises through their assignment", CanAppraise(appraiser, team, asg), true},
		{"not after a recusal", CanAppraise(appraiser, team, recused), false},
		{"not another's assignment", CanAppraise(leader, team, asg), false},
		{"not without the membership", CanAppraise(appraiser, none, asg), false},
		{"not in a phase they are not on the team for", CanAppraise(appraiser, team, otherPhase), false},
		{"not another campaign's assignment", CanAppraise(appraiser, team, otherCampaign), false},
		{"not without an assignment, even staff", CanAppraise(staff, none, nil), false},
		{"appraiser recuses", CanRecuse(appraiser, asg), true},
		{"not twice", CanRecuse(appraiser, recused), false},
		{"nobody recuses for another", CanRecuse(staff, asg), false},
		{"team member opens their list", CanSeeAppraisalWork(appraiser, team), true},
		{"others do not", CanSeeAppraisalWork(leader, none), false},
		{"staff manage the team", CanManageTeam(staff, none), true},
		{"focal point does not", CanManageTeam(fp, none), false},
		{"leader reads the ranking", CanReadRanking(leader, none), true},
		{"focal point does not", CanReadRanking(fp, none), false},
		{"council member reads it", CanReadRanking(fp, &CampaignAccess{Campaign: announced, Memberships: []Membership{{UserID: 3, Role: MemberCouncil}}}), true},
		{"staff propose results", CanProposeResults(staff, none), true},
		{"leader approves another's proposal", CanApproveResults(leader, none, &staff.ID), true},
		{"the proposer never approves", CanApproveResults(leader, none, &leader.ID), false},
		{"staff do not approve", CanApproveResults(staff, none, &leader.ID), false},
		{"focal point replies for own unit", CanReply(fp, unit), true},
		{"not for another", CanReply(fp, other), false},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}
