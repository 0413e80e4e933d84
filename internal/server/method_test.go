package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"thidua/internal/domain"
)

// TestMethodsAsPeopleReadThem is issue 8 point 14: a yes/no criterion is two
// choices (Đạt / Không đạt, radio buttons), and every method is described
// in words, the same on the form and in the criteria editor.
func TestMethodsAsPeopleReadThem(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	ids := map[string]int64{}
	for _, n := range nodes {
		ids[n.Code] = n.ID
	}
	want := map[string]string{
		"1.1": "Đạt → 2 điểm; không đạt → 0 điểm",
		"1.2": "Chấm từ 0 đến 4 điểm, mỗi bước 0,25 điểm",
		"7.1": "Theo mức đạt được: ≥ 80 % → 6 điểm; ≥ 50 % → 4 điểm; ≥ 30 % → 2 điểm; dưới 30 % → 0 điểm",
		"3.2": "đạt 100 % chỉ tiêu → tối đa 5 điểm",
	}
	doc := htmlOf(t, fp.get(form))
	for code, text := range want {
		if got := doc.Find(fmt.Sprintf("#c-%d", ids[code])).Text(); !strings.Contains(got, text) {
			t.Errorf("form, criterion %s: no %q in\n%s", code, text, got)
		}
	}
	if strings.Contains(doc.Text(), "80:6") || strings.Contains(doc.Text(), "Chỉ chấm 0 hoặc") {
		t.Error("the form still shows raw method syntax")
	}
	editor := htmlOf(t, staff.get(wk.page+"/criteria")).Find("table").Text()
	for code, text := range want {
		if !strings.Contains(editor, text) {
			t.Errorf("criteria editor, criterion %s: no %q", code, text)
		}
	}

	// 1.1 is two radio buttons with the same name: Đạt (2) and Không đạt (0).
	yes := fmt.Sprintf("p_%d", ids["1.1"])
	radios := doc.Find(fmt.Sprintf("#c-%d input[name=%s]", ids["1.1"], yes))
	if radios.Length() != 2 || radios.Filter("[type=radio]").Length() != 2 {
		t.Fatalf("criterion 1.1 inputs: %d, want two radio buttons", radios.Length())
	}
	if v1, v2 := radios.Eq(0).AttrOr("value", ""), radios.Eq(1).AttrOr("value", ""); v1 != "2" || v2 != "0" {
		t.Errorf("radio values %q, %q; want 2 (Đạt) and 0 (Không đạt)", v1, v2)
	}
	labels := doc.Find(fmt.Sprintf("#c-%d label.choice", ids["1.1"])).Text()
	if !strings.Contains(labels, "Đạt") || !strings.Contains(labels, "Không đạt") {
		t.Errorf("radio labels %q", labels)
	}
	// Choosing "Không đạt" stores 0 and shows that choice checked.
	vals := formValues(doc)
	vals.Set(yes, "0")
	wantStatus(t, fp.post(form, vals), http.StatusSeeOther)
	doc = htmlOf(t, fp.get(form))
	if _, checked := doc.Find("#" + yes + "_no").Attr("checked"); !checked {
		t.Error("Không đạt is not checked after saving it")
	}
	if _, checked := doc.Find("#" + yes).Attr("checked"); checked {
		t.Error("Đạt is checked after saving Không đạt")
	}
	as, _ := a.db.AssessmentByID(context.Background(), mustAssessment(t, a, form))
	stored, _ := a.db.Scores(context.Background(), as)
	if p := stored[ids["1.1"]].Points; p == nil || *p != 0 {
		t.Errorf("stored points for 1.1: %v, want 0", p)
	}
}
