package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
)

// TestSubmitNeedsRequiredEvidence is issue 8 points 4 and 5: a form whose
// required-evidence criteria have no file is refused (422) with every such
// criterion listed, linked, in form order, even with an explanation; the
// page says the entries were saved as a draft and the form was not
// submitted; once the files are attached, it submits.
func TestSubmitNeedsRequiredEvidence(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	required := map[string]bool{"1.1": true, "3.2": true, "7.1": true}
	wk := newWorkWith(t, a, func(nodes []domain.Criterion) {
		for i := range nodes {
			nodes[i].EvidenceRequired = required[nodes[i].Code]
		}
	})
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	var want []string // links of the required criteria, in form order
	ids := map[string]int64{}
	for _, n := range domain.Leaves(nodes) {
		ids[n.Code] = n.ID
		if required[n.Code] {
			want = append(want, fmt.Sprintf("#c-%d", n.ID))
		}
	}

	vals := fullMarks(t, fp, wk, form) // every criterion scored and explained, no file
	resp := fp.post(form+"/submit", vals)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc := htmlOf(t, resp)
	summary := doc.Find(".error-summary")
	var got []string
	summary.Find("li a").Each(func(_ int, s *goquery.Selection) { got = append(got, s.AttrOr("href", "")) })
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("problems linked %v, want the required criteria in form order %v", got, want)
	}
	if !strings.Contains(summary.Text(), "tài liệu kiểm chứng bắt buộc") {
		t.Errorf("the summary does not name the missing evidence: %q", summary.Text())
	}
	text := summary.Find("p").First().Text()
	if strings.Contains(text, "chưa lưu được") || !strings.Contains(text, "CHƯA được nộp") || !strings.Contains(text, "bản nháp") {
		t.Errorf("summary heading %q: want it to say the draft was saved and the form not submitted", text)
	}
	if doc.Find(fmt.Sprintf("#c-%d .field-error", ids["3.2"])).Length() != 1 {
		t.Error("no problem beside criterion 3.2")
	}
	as, _ := a.db.AssessmentByID(context.Background(), mustAssessment(t, a, form))
	if as.Status != domain.AssessDraft || as.Scored != len(domain.Leaves(nodes)) {
		t.Fatalf("after the refusal: status %s, %d scored; want a saved draft with every criterion", as.Status, as.Scored)
	}

	// Files on two of three: still refused, naming the third only.
	for _, code := range []string{"1.1", "3.2"} {
		wantStatus(t, fp.upload(fmt.Sprintf("%s/criteria/%d/evidence", form, ids[code]), "minh-chung.pdf", []byte("%PDF-1.4\n% "+code+"\n%%EOF\n")), http.StatusSeeOther)
	}
	resp = fp.post(form+"/submit", formValues(htmlOf(t, fp.get(form))))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	got = nil
	htmlOf(t, resp).Find(".error-summary li a").Each(func(_ int, s *goquery.Selection) { got = append(got, s.AttrOr("href", "")) })
	if len(got) != 1 || got[0] != fmt.Sprintf("#c-%d", ids["7.1"]) {
		t.Errorf("after two files, problems %v, want only 7.1", got)
	}
	wantStatus(t, fp.upload(fmt.Sprintf("%s/criteria/%d/evidence", form, ids["7.1"]), "minh-chung.pdf", []byte("%PDF-1.4\n% 7.1\n%%EOF\n")), http.StatusSeeOther)
	wantStatus(t, fp.post(form+"/submit", formValues(htmlOf(t, fp.get(form)))), http.StatusSeeOther)
}
