package domain

// Audit actions: what the audit log records. Each has a translated label
// "audit.action.<action>" in the message catalogue.
const (
	AuditLogin              = "login.success"
	AuditLoginFailure       = "login.failure"
	AuditLoginThrottled     = "login.throttled"
	AuditLogout             = "logout"
	AuditUserCreate         = "user.create"
	AuditUserUpdate         = "user.update"
	AuditUserDisable        = "user.disable"
	AuditUserEnable         = "user.enable"
	AuditPasswordChange     = "user.password_change"
	AuditPasswordReset      = "user.password_reset"
	AuditSessionsEnd        = "user.sessions_end"
	AuditUnitCreate         = "unit.create"
	AuditUnitUpdate         = "unit.update"
	AuditUnitMerge          = "unit.merge"
	AuditUnitSplit          = "unit.split"
	AuditUnitRename         = "unit.rename"
	AuditUnitMove           = "unit.move"
	AuditUnitDissolve       = "unit.dissolve"
	AuditUnitImport         = "unit.import"
	AuditPersonCreate       = "person.create"
	AuditPersonMove         = "person.move"
	AuditPersonImport       = "person.import"
	AuditCampaignCreate     = "campaign.create"
	AuditCampaignUpdate     = "campaign.update"
	AuditCampaignTransition = "campaign.transition"
	AuditPhaseSave          = "phase.save"
	AuditAwardPlanSave      = "award_plan.save"
	AuditCriteriaSave       = "criteria.save"
	AuditCriteriaAmend      = "criteria.amend"
	AuditCriteriaReplace    = "criteria.replace"
	AuditAttachmentAdd      = "attachment.add"
	AuditRegistrationSave   = "registration.save"
	AuditRegistrationDecide = "registration.decide"
	AuditAssessmentStart    = "assessment.start"
	AuditAssessmentSave     = "assessment.save"
	AuditAssessmentSubmit   = "assessment.submit"
	AuditAssessmentReturn   = "assessment.return"
	AuditAssessmentExtend   = "assessment.extend"
	AuditEvidenceAdd        = "evidence.add"
	AuditEvidenceRemove     = "evidence.remove"
	AuditHolidayAdd         = "holiday.add"
	AuditHolidayRemove      = "holiday.remove"
	AuditReplySave          = "reply.save"
	AuditReplySubmit        = "reply.submit"
	AuditReplyAnswer        = "reply.answer"
	AuditAssessmentLock     = "assessment.lock"
	AuditAssessmentReopen   = "assessment.reopen"
	// Campaign membership (the appraisal team, the council).
	AuditMemberAdd    = "campaign_member.add"
	AuditMemberRemove = "campaign_member.remove"
	// External indices: values imported, appraised values filled from them.
	AuditMeasureImport = "measure.import"
	AuditMeasureApply  = "measure.apply"
	// Nominations of individuals.
	AuditNominationCreate  = "nomination.create"
	AuditNominationSave    = "nomination.save"
	AuditNominationSubmit  = "nomination.submit"
	AuditNominationReceive = "nomination.receive"
	AuditNominationReturn  = "nomination.return"
	// Awards: eligibility rules and quotas, the shortlist.
	AuditRuleAdd          = "award_rule.add"
	AuditRuleRemove       = "award_rule.remove"
	AuditQuotaSave        = "award_quota.save"
	AuditShortlistPropose = "shortlist.propose"
	AuditShortlistEntry   = "shortlist.entry"
)

// AuditActions lists every audit action.
var AuditActions = []string{
	AuditLogin, AuditLoginFailure, AuditLoginThrottled, AuditLogout,
	AuditUserCreate, AuditUserUpdate, AuditUserDisable, AuditUserEnable,
	AuditPasswordChange, AuditPasswordReset, AuditSessionsEnd, AuditUnitCreate,
	AuditUnitUpdate, AuditUnitMerge, AuditUnitSplit, AuditUnitRename, AuditUnitMove, AuditUnitDissolve, AuditUnitImport,
	AuditPersonCreate, AuditPersonMove, AuditPersonImport,
	AuditCampaignCreate, AuditCampaignUpdate, AuditCampaignTransition, AuditPhaseSave, AuditAwardPlanSave,
	AuditCriteriaSave, AuditCriteriaAmend, AuditCriteriaReplace, AuditAttachmentAdd,
	AuditRegistrationSave, AuditRegistrationDecide, AuditAssessmentStart, AuditAssessmentSave, AuditAssessmentSubmit,
	AuditAssessmentReturn, AuditAssessmentExtend, AuditEvidenceAdd, AuditEvidenceRemove,
	AuditHolidayAdd, AuditHolidayRemove, AuditReplySave, AuditReplySubmit, AuditReplyAnswer,
	AuditAssessmentLock, AuditAssessmentReopen,
	AuditMemberAdd, AuditMemberRemove,
	AuditMeasureImport, AuditMeasureApply,
	AuditNominationCreate, AuditNominationSave, AuditNominationSubmit, AuditNominationReceive, AuditNominationReturn,
	AuditRuleAdd, AuditRuleRemove, AuditQuotaSave, AuditShortlistPropose, AuditShortlistEntry,
}
