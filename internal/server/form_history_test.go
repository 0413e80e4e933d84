package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
	"thidua/internal/paths"
)

// A form with 130 changes more than its first save and submission shows
// its latest 30 on the form, newest first, and links to its whole history,
// 100 a page; a page past the end goes to the last one. The unit's focal
// point and staff read it; another unit's focal point gets the form's 404;
// the form's appraiser reads it from the appraisal side; the reply page
// shows the same end of it.
func TestFormHistoryPages(t *testing.T) {
	t.Parallel()
	st := newAppraisalSetup(t)
	a, fp, staff, id := st.a, st.fp, st.staff, st.id
	form := paths.Assessment(st.wk.campaign, id)
	// The form's saves and submission so far, then 130 saves of criterion
	// 1.1, the value n at the n-th.
	var before int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM assessment_history WHERE assessment_id = $1`, id).Scan(&before); err != nil {
		t.Fatal(err)
	}
	total := before + 130
	if _, err := a.db.Pool.Exec(context.Background(), `
		INSERT INTO assessment_history (assessment_id, criterion_id, action, old_value, new_value)
		SELECT a.id, c.id, 'score', jsonb_build_object('points', (n - 1) * 100, 'measured', null, 'na', false, 'explanation', ''),
			jsonb_build_object('points', n * 100, 'measured', null, 'na', false, 'explanation', '')
		FROM assessments a JOIN criteria c ON c.set_id = a.set_id AND c.code = '1.1', generate_series(1, 130) AS n
		WHERE a.id = $1 ORDER BY n`, id); err != nil {
		t.Fatal(err)
	}
	lines := func(c *client, url string) []string {
		t.Helper()
		resp := c.get(url)
		wantStatus(t, resp, http.StatusOK)
		var out []string
		htmlOf(t, resp).Find("ol.versions li").Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
		return out
	}
	page := htmlOf(t, fp.get(form))
	shown := page.Find("details.history ol.versions li")
	if shown.Length() != formHistoryShown {
		t.Errorf("the form shows %d changes, want %d", shown.Length(), formHistoryShown)
	}
	if first := shown.First().Text(); !strings.Contains(first, "1.1") || !strings.Contains(first, "130") {
		t.Errorf("the newest change is not first on the form: %q", first)
	}
	if got := strings.TrimSpace(page.Find("details.history summary").Text()); got != fmt.Sprintf("Lịch sử thay đổi: 30 thay đổi gần nhất trong %d", total) {
		t.Errorf("summary %q", got)
	}
	all, ok := page.Find("details.history a").Attr("href")
	if !ok || all != form+"/history" {
		t.Fatalf("link to the whole history %q, want %s/history", all, form)
	}

	first := lines(fp, all)
	if len(first) != historyPageSize || !strings.Contains(first[0], "130") {
		t.Errorf("page 1 lists %d changes (first %q), want %d from the newest", len(first), first[0], historyPageSize)
	}
	second := lines(staff, all+"?page=2")
	if len(second) != total-historyPageSize {
		t.Errorf("page 2 lists %d changes, want the %d oldest", len(second), total-historyPageSize)
	}
	if resp := fp.get(all + "?page=9"); resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "page=2") {
		t.Errorf("page 9: %d %q, want a redirect to page 2", resp.StatusCode, resp.Header.Get("Location"))
	}

	other, err := a.db.CreateUnit(context.Background(), domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	stranger := a.client()
	stranger.login(a.userIn(domain.RoleFocalPoint, other).Email, testPassword)
	wantStatus(t, stranger.get(all), http.StatusNotFound)

	// The appraisal side: the form's appraiser (a focal point of another
	// unit) reads it from the appraisal form, not from the unit's.
	if got := lines(st.appraiser, st.page+"/history"); len(got) != historyPageSize {
		t.Errorf("the appraiser's history lists %d changes, want %d", len(got), historyPageSize)
	}
	wantStatus(t, st.appraiser.get(all), http.StatusNotFound)
	if link, _ := htmlOf(t, st.appraiser.get(st.page)).Find("details.history a").Attr("href"); link != st.page+"/history" {
		t.Errorf("the appraisal form links to %q, want %s/history", link, st.page)
	}
	// The reply page shows the same end of it, linking each reader to the
	// whole history they may open.
	for _, c := range []struct {
		who  string
		c    *client
		want string
	}{{"staff", staff, all}, {"the appraiser", st.appraiser, st.page + "/history"}} {
		doc := htmlOf(t, c.c.get(form+"/reply"))
		if n := doc.Find("details.history ol.versions li").Length(); n != formHistoryShown {
			t.Errorf("the reply page shows %s %d changes, want %d", c.who, n, formHistoryShown)
		}
		if link, _ := doc.Find("details.history a").Attr("href"); link != c.want {
			t.Errorf("the reply page links %s to %q, want %q", c.who, link, c.want)
		}
	}
}

// A score line of the history shows the values before and after the change
// as the form does (points, a measured value, not applicable, none), for
// the unit's saves and the appraiser's, whatever the explanation holds; a
// line of another kind keeps its own wording; a malformed value shows as
// none, and the page does not fail.
func TestFormHistoryLineValues(t *testing.T) {
	t.Parallel()
	st := newAppraisalSetup(t)
	a, fp, id := st.a, st.fp, st.id
	if _, err := a.db.Pool.Exec(context.Background(), `
		INSERT INTO assessment_history (assessment_id, criterion_id, action, old_value, new_value)
		SELECT a.id, c.id, v.action, v.old::jsonb, v.new::jsonb
		FROM assessments a JOIN criteria c ON c.set_id = a.set_id AND c.code = '1.1',
			(VALUES (1, 'score', NULL, '{"points": 850, "measured": null, "na": false, "explanation": "Đã làm \"đủ\"; xem {báo cáo}"}'),
			        (2, 'score', '{"points": 850, "measured": null, "na": false, "explanation": ""}', '{"points": null, "measured": null, "na": true, "explanation": "x"}'),
			        (3, 'appraise', '{"points": null, "measured": 9550, "na": false, "explanation": ""}', '{"points": 1000, "measured": 10000, "na": false, "explanation": "y"}'),
			        (4, 'appraise', '{"points": 1000, "measured": null, "na": false}', '{"points": null, "measured": null, "na": false}'),
			        (5, 'evidence', NULL, '{"file": "a.pdf"}'),
			        (6, 'score', '{"points": "tám", "measured": [], "na": "yes"}', '{"points": 850.0, "na": false}')) AS v(n, action, old, new)
		WHERE a.id = $1 ORDER BY v.n`, id); err != nil {
		t.Fatal(err)
	}
	resp := fp.get(paths.AssessmentHistory(st.wk.campaign, id))
	wantStatus(t, resp, http.StatusOK)
	var got []string
	htmlOf(t, resp).Find("ol.versions li").Slice(0, 6).Each(func(_ int, s *goquery.Selection) {
		line := strings.TrimSpace(s.Text())
		if i := strings.Index(line, "tiêu chí"); i >= 0 {
			line = line[i:]
		} else if i := strings.LastIndex(line, " – "); i >= 0 {
			line = line[i+len(" – "):]
		}
		got = append(got, line)
	})
	want := []string{
		"tiêu chí 1.1: — → 8,5", // values that are not numbers show as none
		"tiêu chí 1.1)",
		"tiêu chí 1.1: 10 → —",
		"tiêu chí 1.1: 95,5 → 100",
		"tiêu chí 1.1: 8,5 → không áp dụng",
		"tiêu chí 1.1: — → 8,5",
	}
	if len(got) != len(want) {
		t.Fatalf("lines %q", got)
	}
	for i := range want {
		if !strings.HasSuffix(got[i], want[i]) {
			t.Errorf("line %d: %q, want it to end with %q", i, got[i], want[i])
		}
	}
}
