package paths

import (
	"net/url"
	"testing"
)

func TestPaths(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Campaign(7), "/campaigns/7"},
		{CampaignEdit(7), "/campaigns/7/edit"},
		{Phase(7, 3), "/campaigns/7/phases/3"},
		{CriteriaSet(7, 2), "/campaigns/7/criteria#set-2"},
		{CriteriaSetAction(7, 2, "nodes"), "/campaigns/7/criteria/2/nodes"},
		{CriteriaSetExport(7, 2), "/campaigns/7/criteria/2/export.xlsx"},
		{CriterionNodeDelete(7, 2, 9), "/campaigns/7/criteria/2/nodes/9/delete"},
		{RegistrationWithdraw(7, 4), "/campaigns/7/registrations/4/withdraw"},
		{AssessmentAction(7, 5, "submit"), "/campaigns/7/assessments/5/submit"},
		{AssessmentCriterion(7, 5, 11), "/campaigns/7/assessments/5#c-11"},
		{AssessmentsFiltered(7, url.Values{"status": {"late"}}), "/campaigns/7/assessments?status=late"},
		{AssessmentsExport(7, "xlsx"), "/campaigns/7/assessments.xlsx"},
		{AssessmentScoresExport(7), "/campaigns/7/assessments-criteria.csv"},
		{Evidence(7, 5, 11), "/campaigns/7/assessments/5/criteria/11/evidence"},
		{EvidenceFile("ab12"), "/evidence/ab12"},
		{PublicCampaignAttachment(7, "k"), "/public/campaigns/7/attachments/k"},
		{UnitAt(3, "2025-07-01"), "/units/3?at=2025-07-01"},
		{UnitAction(3, "dissolve"), "/units/3/dissolve"},
		{PersonMove(8), "/people/8/move"},
		{UserAction(2, "sessions/end"), "/users/2/sessions/end"},
		{ImportRun("k1"), "/imports/k1/run"},
		{ImportUpload("people"), "/people/import"},
		{ImportTemplate("units", "xlsx"), "/units/template.xlsx"},
		{EvidenceAction(7, 5, 11, "reuse"), "/campaigns/7/assessments/5/criteria/11/evidence/reuse"},
		{UnitsAt("2025-07-01"), "/units?at=2025-07-01"},
		{NewUnitUnder(3), "/units/new?parent=3"},
		{PeopleOfUnit(3, "2025-07-01"), "/people?at=2025-07-01&unit=3"},
		{EvidenceFile("a/b"), "/evidence/a%2Fb"}, // a key never opens another path
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}
