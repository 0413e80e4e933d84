package domain

// Policies: one function per action on a campaign's objects, deciding from
// the user's global role, their memberships of the campaign (acc, filled by
// the server's campaign loader) and the object. Handlers and route groups
// call these instead of checking roles themselves. A nil user is an
// anonymous visitor; a nil acc a user with no membership.

// CanSeeCampaign reports whether u may open a campaign's working pages
// (registrations, forms): staff see every campaign; others see a public
// one (announced or closed), or one whose team they are on.
func CanSeeCampaign(u *User, acc *CampaignAccess) bool {
	if u == nil || acc == nil || acc.Campaign == nil {
		return false
	}
	return HasRole(u, RoleStaff) || acc.Campaign.Status.Public() || len(acc.Memberships) > 0
}

// CanSeePublicCampaign reports whether anyone, signed in or not, may read
// the campaign's public page and files: announced or closed campaigns only.
func CanSeePublicCampaign(_ *User, acc *CampaignAccess) bool {
	return acc != nil && acc.Campaign != nil && acc.Campaign.Status.Public()
}

// CanManageCampaign reports whether u may set a campaign up and run it
// (edit, phases, criteria, awards, files, registrations' decisions, forms'
// returns and extensions, exports): staff.
func CanManageCampaign(u *User, _ *CampaignAccess) bool { return CanManageCampaigns(u) }

// CanDoUnitWork reports whether u may use a campaign's registration and
// self-assessment pages at all: staff (every unit), focal points (their
// own unit, checked object by object with CanSeeAssessment and
// CanEditAssessment).
func CanDoUnitWork(u *User, _ *CampaignAccess) bool {
	return HasRole(u, RoleStaff, RoleFocalPoint)
}

// CanRegister reports whether u may register their unit in a campaign or
// start its self-assessment form: a focal point with a unit.
func CanRegister(u *User, _ *CampaignAccess) bool {
	return u != nil && u.Role == RoleFocalPoint && u.UnitID != nil
}

// CanEditRegistration reports whether u may change or withdraw the
// registration of unitID: its own focal point.
func CanEditRegistration(u *User, unitID int64) bool { return CanEditUnitWork(u, unitID) }

// CanSeeAssessment reports whether u may read the form of unitID: staff,
// the unit's own focal point, and an appraiser it is assigned to (asg is
// u's assignment to that form, nil when there is none).
func CanSeeAssessment(u *User, acc *CampaignAccess, unitID int64, asg *Assignment) bool {
	return CanSeeUnitWork(u, unitID) || CanAppraise(u, acc, asg)
}

// CanEditAssessment reports whether u may fill in, save and submit the
// self-assessment of unitID, and attach its evidence: only its own focal
// point.
func CanEditAssessment(u *User, unitID int64) bool { return CanEditUnitWork(u, unitID) }

// CanReply reports whether u may reply to the appraisal of unitID's form
// (giải trình bổ sung): its own focal point.
func CanReply(u *User, unitID int64) bool { return CanEditUnitWork(u, unitID) }

// CanReceive reports whether u may mark submitted forms received, return
// them, lock and reopen them: staff.
func CanReceive(u *User, _ *CampaignAccess) bool { return HasRole(u, RoleStaff) }

// CanManageTeam reports whether u may add appraisers to a campaign and
// assign them participants: staff.
func CanManageTeam(u *User, _ *CampaignAccess) bool { return HasRole(u, RoleStaff) }

// CanAppraise reports whether u may appraise a form through asg, u's
// assignment to it: the assignment is u's, still active, in this
// campaign, and u is still on the campaign's appraisal team for the form's
// phase. Whatever their global role, nobody appraises a form not assigned
// to them.
func CanAppraise(u *User, acc *CampaignAccess, asg *Assignment) bool {
	return u != nil && acc != nil && acc.Campaign != nil && asg.Active() && asg.AppraiserID == u.ID &&
		asg.CampaignID == acc.Campaign.ID && acc.Member(MemberAppraiser, asg.PhaseID)
}

// CanSeeAppraisalWork reports whether u may open the list of forms assigned
// to them in a campaign: members of its appraisal team.
func CanSeeAppraisalWork(u *User, acc *CampaignAccess) bool {
	return u != nil && acc.Member(MemberAppraiser, 0)
}

// CanRecuse reports whether u may withdraw from asg with a reason: the
// appraiser it names, while it is active.
func CanRecuse(u *User, asg *Assignment) bool {
	return u != nil && asg.Active() && asg.AppraiserID == u.ID
}

// CanReadRanking reports whether u may read a campaign's ranking, charts
// and "why this total": staff, leaders and the campaign's council.
func CanReadRanking(u *User, acc *CampaignAccess) bool {
	return HasRole(u, RoleStaff, RoleLeader) || (u != nil && acc.Member(MemberCouncil, 0))
}

// CanImportIndices reports whether u may import external measures' values:
// staff.
func CanImportIndices(u *User, _ *CampaignAccess) bool { return HasRole(u, RoleStaff) }

// CanProposeResults reports whether u may propose a phase's results for
// approval: staff.
func CanProposeResults(u *User, _ *CampaignAccess) bool { return HasRole(u, RoleStaff) }

// CanApproveResults reports whether u may approve or return results that
// proposerID proposed: a leader who is not the proposer.
func CanApproveResults(u *User, _ *CampaignAccess, proposerID *int64) bool {
	return u != nil && u.Role == RoleLeader && (proposerID == nil || *proposerID != u.ID)
}

// CanOpenAppraisal reports whether u may open a campaign's appraisal list
// and its forms' appraisal pages: staff, who run the appraisal team (they
// see every submitted form and receive them, but like anyone else appraise
// only the forms assigned to them: CanAppraise), and the members of its
// appraisal team (who see only the forms assigned to them).
func CanOpenAppraisal(u *User, acc *CampaignAccess) bool {
	return HasRole(u, RoleStaff) || CanSeeAppraisalWork(u, acc)
}

// CanListNominations reports whether u may open a campaign's nominations of
// individuals: staff (every unit's) and focal points (their own unit's,
// checked nomination by nomination with CanSeeNomination).
func CanListNominations(u *User, _ *CampaignAccess) bool {
	return HasRole(u, RoleStaff, RoleFocalPoint)
}

// CanNominate reports whether u may nominate people for a campaign's
// individual awards: a focal point with a unit (their own unit's people
// only, checked against the registry).
func CanNominate(u *User, _ *CampaignAccess) bool {
	return u != nil && u.Role == RoleFocalPoint && u.UnitID != nil
}

// CanSeeNomination reports whether u may read a nomination of unitID:
// staff and the unit's own focal point.
func CanSeeNomination(u *User, unitID int64) bool { return CanSeeUnitWork(u, unitID) }

// CanEditNomination reports whether u may change, attach files to and
// submit a nomination of unitID: only its own focal point.
func CanEditNomination(u *User, unitID int64) bool { return CanEditUnitWork(u, unitID) }

// CanReceiveNomination reports whether u may receive a submitted
// nomination or return it with a reason: staff.
func CanReceiveNomination(u *User, _ *CampaignAccess) bool { return HasRole(u, RoleStaff) }

// CanReadShortlist reports whether u may read a campaign's shortlists with
// every rule's outcome: staff, and leaders (read-only until the council).
func CanReadShortlist(u *User, _ *CampaignAccess) bool { return HasRole(u, RoleStaff, RoleLeader) }

// CanEditShortlist reports whether u may propose a shortlist and add or
// remove its candidates: staff.
func CanEditShortlist(u *User, _ *CampaignAccess) bool { return HasRole(u, RoleStaff) }

// CanSeeFlags reports whether u may see the pending flags (discipline,
// inspection, complaint) of unitID or of a person working there: staff and
// leaders, and the unit's own focal point. Never the public.
func CanSeeFlags(u *User, unitID int64) bool {
	return HasRole(u, RoleStaff, RoleLeader) || CanEditUnitWork(u, unitID)
}

// CanSetFlags reports whether u may set and lift pending flags: staff.
func CanSetFlags(u *User) bool { return HasRole(u, RoleStaff) }

// CanImportAwards reports whether u may import past awards into the
// achievement history: staff.
func CanImportAwards(u *User) bool { return HasRole(u, RoleStaff) }

// CanReadNotices reports whether u may read a campaign's public notices,
// their objections and the council's dossier: staff, leaders and the
// campaign's council (leaders read only; see CanManageNotices).
func CanReadNotices(u *User, acc *CampaignAccess) bool { return CanReadRanking(u, acc) }

// CanManageNotices reports whether u may publish a shortlist for public
// notice, answer its objections and send its nominees to the council:
// staff.
func CanManageNotices(u *User, _ *CampaignAccess) bool { return HasRole(u, RoleStaff) }

// Council and decisions (issue 12).

// CanManageCouncils reports whether u may set councils up, change their
// membership, and create sessions and put nominees to them: staff.
func CanManageCouncils(u *User) bool { return HasRole(u, RoleStaff) }

// CanSeeCouncil reports whether u may read a council, its sessions and
// their minutes: staff, leaders, and the council's members (isMember: u
// has a membership of the council, past or present).
func CanSeeCouncil(u *User, isMember bool) bool {
	return HasRole(u, RoleStaff, RoleLeader) || (u != nil && isMember)
}

// CanRunSession reports whether u may set a session's attendance, open and
// close it: staff, and the session's secretary (sm: u's line on the
// session's roster, nil when u is not on it).
func CanRunSession(u *User, sm *SessionMember) bool {
	return HasRole(u, RoleStaff) || (u != nil && sm != nil && sm.UserID == u.ID && sm.Role == CouncilSecretary)
}

// CanVote reports whether u may cast their own ballot at a session: a
// voting member (not the secretary) present on its roster, whatever their
// global role.
func CanVote(u *User, sm *SessionMember) bool {
	return u != nil && sm != nil && sm.UserID == u.ID && sm.Votes()
}

// CanEnterWrittenBallot reports whether u may enter the sealed written
// ballot of an absent member: the session's secretary.
func CanEnterWrittenBallot(u *User, sm *SessionMember) bool {
	return u != nil && sm != nil && sm.UserID == u.ID && sm.Role == CouncilSecretary
}

// CanDraftDecision reports whether u may draft, edit and withdraw award
// decisions and revocations: staff.
func CanDraftDecision(u *User) bool { return HasRole(u, RoleStaff) }

// CanReadDecisions reports whether u may read every decision, drafts
// included: staff and leaders. Anyone reads a signed one on its public
// page.
func CanReadDecisions(u *User) bool { return HasRole(u, RoleStaff, RoleLeader) }

// CanSignDecision reports whether u may approve and sign d: a leader who
// did not draft it. Who proposed a decision never signs it.
func CanSignDecision(u *User, d *Decision) bool {
	return u != nil && u.Role == RoleLeader && d != nil && (d.DraftedBy == nil || *d.DraftedBy != u.ID)
}

// CanReturnShortlist reports whether u may return a shortlist to staff
// with a reason: leaders.
func CanReturnShortlist(u *User, _ *CampaignAccess) bool { return u != nil && u.Role == RoleLeader }
