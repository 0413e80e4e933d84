// Package paths builds the addresses of the portal's pages, in one place,
// for the handlers (redirects) and the templates (links, form actions)
// alike. Every address a page links to or a handler redirects to comes from
// here, so a route that moves changes here and in routes.go only. It
// imports nothing of the portal, so both internal/server and web may use it.
package paths

import (
	"net/url"
	"strconv"
)

func id(n int64) string { return strconv.FormatInt(n, 10) }

// Fragment is a link to the element with the given id on the same page
// ("#" + id), as the error summary links to a field.
func Fragment(elementID string) string { return "#" + elementID }

// Campaigns is the staff list of campaigns.
func Campaigns() string { return "/campaigns" }

// Campaign is a campaign's staff page.
func Campaign(campaignID int64) string { return "/campaigns/" + id(campaignID) }

// CampaignEdit is the form that edits a campaign.
func CampaignEdit(campaignID int64) string { return Campaign(campaignID) + "/edit" }

// CampaignTransition is where a campaign is announced, closed, ….
func CampaignTransition(campaignID int64) string { return Campaign(campaignID) + "/transition" }

// CampaignAttachments is where a campaign's documents are uploaded.
func CampaignAttachments(campaignID int64) string { return Campaign(campaignID) + "/attachments" }

// CampaignAttachment is one document of a campaign, as staff download it.
func CampaignAttachment(campaignID int64, key string) string {
	return CampaignAttachments(campaignID) + "/" + url.PathEscape(key)
}

// PublicCampaign is a campaign's public page.
func PublicCampaign(campaignID int64) string { return "/public/campaigns/" + id(campaignID) }

// PublicCampaignAttachment is one document of a campaign, as anyone
// downloads it.
func PublicCampaignAttachment(campaignID int64, key string) string {
	return PublicCampaign(campaignID) + "/attachments/" + url.PathEscape(key)
}

// Phases is a campaign's phases page.
func Phases(campaignID int64) string { return Campaign(campaignID) + "/phases" }

// Phase is the edit form of one phase of a campaign.
func Phase(campaignID, phaseID int64) string { return Phases(campaignID) + "/" + id(phaseID) }

// Awards is a campaign's award plan.
func Awards(campaignID int64) string { return Campaign(campaignID) + "/awards" }

// Criteria is a campaign's criteria page.
func Criteria(campaignID int64) string { return Campaign(campaignID) + "/criteria" }

// CriteriaSets is where a new criteria set is created.
func CriteriaSets(campaignID int64) string { return Criteria(campaignID) + "/sets" }

// CriteriaSet is a criteria set on the criteria page (its section).
func CriteriaSet(campaignID, setID int64) string {
	return Criteria(campaignID) + "#set-" + id(setID)
}

// CriteriaSetAction is one action on a whole criteria set: "nodes" (add a
// criterion), "template", "copy" or "import".
func CriteriaSetAction(campaignID, setID int64, action string) string {
	return Criteria(campaignID) + "/" + id(setID) + "/" + action
}

// CriteriaSetExport is a criteria set as an XLSX file.
func CriteriaSetExport(campaignID, setID int64) string {
	return Criteria(campaignID) + "/" + id(setID) + "/export.xlsx"
}

// CriterionNode is the edit form of one criterion of a set.
func CriterionNode(campaignID, setID, nodeID int64) string {
	return CriteriaSetAction(campaignID, setID, "nodes") + "/" + id(nodeID)
}

// CriterionNodeDelete removes one criterion of a set.
func CriterionNodeDelete(campaignID, setID, nodeID int64) string {
	return CriterionNode(campaignID, setID, nodeID) + "/delete"
}

// Registrations is a campaign's registrations: the unit's own for a focal
// point, the list to decide for staff.
func Registrations(campaignID int64) string { return Campaign(campaignID) + "/registrations" }

// RegistrationsDecide is where staff accept or refuse registrations.
func RegistrationsDecide(campaignID int64) string { return Registrations(campaignID) + "/decide" }

// RegisterAll is the staff page that registers many units at once.
func RegisterAll(campaignID int64) string { return Registrations(campaignID) + "/all" }

// RegistrationWithdraw withdraws one registration.
func RegistrationWithdraw(campaignID, registrationID int64) string {
	return Registrations(campaignID) + "/" + id(registrationID) + "/withdraw"
}

// Assessments is a campaign's self-assessments: the list, or where a unit
// starts its form (POST).
func Assessments(campaignID int64) string { return Campaign(campaignID) + "/assessments" }

// AssessmentsFiltered is the list of a campaign's self-assessments with a
// filter (status, phase, …) set.
func AssessmentsFiltered(campaignID int64, query url.Values) string {
	return Assessments(campaignID) + "?" + query.Encode()
}

// AssessmentsExport is a campaign's self-assessments as a file, format
// "csv" or "xlsx".
func AssessmentsExport(campaignID int64, format string) string {
	return Assessments(campaignID) + "." + format
}

// AssessmentScoresExport is every criterion's score of a campaign's
// self-assessments, as CSV.
func AssessmentScoresExport(campaignID int64) string {
	return Campaign(campaignID) + "/assessments-criteria.csv"
}

// Assessment is one self-assessment form.
func Assessment(campaignID, assessmentID int64) string {
	return Assessments(campaignID) + "/" + id(assessmentID)
}

// AssessmentHistory is a form's whole history, from the form.
func AssessmentHistory(campaignID, assessmentID int64) string {
	return Assessment(campaignID, assessmentID) + "/history"
}

// AssessmentAction is one action on a self-assessment form: "submit",
// "receipt", "return", "extend".
func AssessmentAction(campaignID, assessmentID int64, action string) string {
	return Assessment(campaignID, assessmentID) + "/" + action
}

// AssessmentCriterion is one criterion's row on a self-assessment form.
func AssessmentCriterion(campaignID, assessmentID, criterionID int64) string {
	return Assessment(campaignID, assessmentID) + "#" + CriterionAnchor(criterionID)
}

// CriterionAnchor is the id of a criterion's row on a form.
func CriterionAnchor(criterionID int64) string { return "c-" + id(criterionID) }

// Evidence is the evidence page of one criterion of a self-assessment.
func Evidence(campaignID, assessmentID, criterionID int64) string {
	return Assessment(campaignID, assessmentID) + "/criteria/" + id(criterionID) + "/evidence"
}

// EvidenceAction is one change of a criterion's evidence: "reuse" a file
// of the unit's library, "remove" one.
func EvidenceAction(campaignID, assessmentID, criterionID int64, action string) string {
	return Evidence(campaignID, assessmentID, criterionID) + "/" + action
}

// EvidenceFile is one evidence file, to open or download.
func EvidenceFile(key string) string { return "/evidence/" + url.PathEscape(key) }

// Units is the unit registry.
func Units() string { return "/units" }

// UnitsAt is the unit registry as of a day (yyyy-mm-dd).
func UnitsAt(day string) string { return Units() + "?at=" + url.QueryEscape(day) }

// NewUnitUnder is the form that registers a unit under a parent.
func NewUnitUnder(parentID int64) string { return Units() + "/new?parent=" + id(parentID) }

// Unit is a unit's page as of today.
func Unit(unitID int64) string { return "/units/" + id(unitID) }

// UnitAt is a unit's page as of a day (yyyy-mm-dd).
func UnitAt(unitID int64, day string) string { return Unit(unitID) + "?at=" + url.QueryEscape(day) }

// UnitAction is one change of a unit: "change", "dissolve".
func UnitAction(unitID int64, action string) string { return Unit(unitID) + "/" + action }

// People is the register of people.
func People() string { return "/people" }

// PeopleOfUnit is the register of people filtered to a unit as of a day.
func PeopleOfUnit(unitID int64, day string) string {
	return People() + "?" + url.Values{"unit": {id(unitID)}, "at": {day}}.Encode()
}

// Person is one person's page.
func Person(personID int64) string { return "/people/" + id(personID) }

// PersonMove moves a person to another unit.
func PersonMove(personID int64) string { return Person(personID) + "/move" }

// Users is the administrators' list of users.
func Users() string { return "/users" }

// User is one user's administration page.
func User(userID int64) string { return "/users/" + id(userID) }

// UserAction is one action on a user's account: "disabled", "password",
// "sessions/end".
func UserAction(userID int64, action string) string { return User(userID) + "/" + action }

// Registry is the list an import fills: "units" or "people".
func Registry(kind string) string { return "/" + url.PathEscape(kind) }

// ImportUpload is the upload page of the import of a registry ("units",
// "people").
func ImportUpload(kind string) string { return Registry(kind) + "/import" }

// ImportTemplate is the empty file of a registry's import, format "csv" or
// "xlsx".
func ImportTemplate(kind, format string) string { return Registry(kind) + "/template." + format }

// AuditBefore is the audit log from an entry on, older first.
func AuditBefore(entryID int64) string { return "/audit?before=" + id(entryID) }

// Import is the report of one import job.
func Import(key string) string { return "/imports/" + url.PathEscape(key) }

// ImportRun runs an import job whose dry run was clean.
func ImportRun(key string) string { return Import(key) + "/run" }

// CampaignMeasures is a campaign's page of criteria linked to external
// indices.
func CampaignMeasures(campaignID int64) string { return Campaign(campaignID) + "/measures" }

// PhaseMeasures fills a phase's appraised values from external indices.
func PhaseMeasures(campaignID, phaseID int64) string { return Phase(campaignID, phaseID) + "/measures" }

// Measures is the page of external indices and their values.
func Measures() string { return "/measures" }

// Ranking is a campaign's ranking (its first phase and group).
func Ranking(campaignID int64) string { return Campaign(campaignID) + "/ranking" }

// RankingOf is a campaign's ranking of one phase and participant group;
// suffix is "" for the page, ".csv", ".xlsx" or "-criteria.csv" for a file.
func RankingOf(campaignID, phaseID, setID int64, suffix string) string {
	return Ranking(campaignID) + suffix + "?phase=" + id(phaseID) + "&set=" + id(setID)
}

// RankingForm is "why this total" of one form of a campaign.
func RankingForm(campaignID, assessmentID int64) string {
	return Ranking(campaignID) + "/" + id(assessmentID)
}
