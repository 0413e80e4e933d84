package server

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"thidua/internal/domain"
)

// expected is what the test's own routine says of one ranked unit.
type expected struct {
	self, appraised, final int64 // hundredths on the 100-point scale
	areas                  []string
	rank                   int
	tied                   bool
	band                   string
}

// convertedOf is the test's own sum: Σ points of the applicable leaves ÷
// Σ their maxima × 100, in hundredths, rounded half up (integers only).
func convertedOf(leaves []domain.Criterion, entries map[int64]domain.Entry) int64 {
	var pts, most int64
	for _, l := range leaves {
		e := entries[l.ID]
		if e.NA {
			continue
		}
		most += int64(l.Max)
		if e.Points != nil {
			pts += int64(*e.Points)
		}
	}
	if most == 0 {
		return 0
	}
	q, r := pts*10000/most, pts*10000%most
	if 2*r >= most {
		q++
	}
	return q
}

// bandWord is the test's own reading of the thresholds, in Vietnamese.
func bandWord(b domain.Bands, total int64) string {
	switch {
	case total >= int64(b.Excellent):
		return "Xuất sắc"
	case total >= int64(b.Good):
		return "Tốt"
	case total >= int64(b.Fair):
		return "Khá"
	case total >= int64(b.Average):
		return "Trung bình"
	}
	return "Yếu"
}

// hundredthsText writes hundredths as the pages do ("80", "79,5", "79,25").
func hundredthsText(v int64) string {
	s := fmt.Sprintf("%d,%02d", v/100, v%100)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ",")
}

// expectations computes, without the portal's ranking code, every ranked
// unit's totals, area subtotals, rank, tie and band.
func (fx *rankingFixture) expectations() map[string]*expected {
	out := map[string]*expected{}
	var areaIDs []int64
	parent := map[int64]*int64{}
	for _, n := range fx.nodes {
		parent[n.ID] = n.ParentID
		if n.ParentID == nil {
			areaIDs = append(areaIDs, n.ID)
		}
	}
	root := func(id int64) int64 {
		for parent[id] != nil {
			id = *parent[id]
		}
		return id
	}
	for _, u := range fx.units {
		if u.status != domain.AssessAppraised && u.status != domain.AssessLocked {
			continue
		}
		e := &expected{self: convertedOf(fx.leaves, u.self), appraised: convertedOf(fx.leaves, u.appraised), final: convertedOf(fx.leaves, u.final)}
		for _, area := range areaIDs {
			var sum int64
			applicable := false
			for _, l := range fx.leaves {
				if root(l.ID) != area || u.final[l.ID].NA {
					continue
				}
				applicable = true
				sum += int64(*u.final[l.ID].Points)
			}
			if applicable {
				e.areas = append(e.areas, hundredthsText(sum))
			} else {
				e.areas = append(e.areas, "Không áp dụng")
			}
		}
		e.band = bandWord(fx.bands, e.final)
		out[u.name] = e
	}
	for name, e := range out {
		e.rank = 1
		for other, o := range out {
			if o.final > e.final {
				e.rank++
			}
			if other != name && o.final == e.final {
				e.tied = true
			}
		}
	}
	return out
}

// TestRankingIndependentCheck is issue 9 acceptance 1: for a campaign of
// 300 units with random self and appraised scores (criteria not
// applicable, ties), the ranks, converted totals and bands on the ranking
// page and in the XLSX equal those the test computes itself.
func TestRankingIndependentCheck(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	fx := newRankingFixture(t, a, 300, 12, 20, 9)
	want := fx.expectations()
	if len(want) != 280 {
		t.Fatalf("%d ranked units expected, want 280", len(want))
	}
	ties := 0
	for _, e := range want {
		if e.tied {
			ties++
		}
	}
	if ties < 2 {
		t.Fatalf("the fixture has no tie")
	}
	staff, _ := a.loggedIn(domain.RoleStaff)
	path := fmt.Sprintf("%s/ranking?phase=%d&set=%d", fx.wk.page, fx.wk.phase, fx.wk.set)

	// The page.
	doc := htmlOf(t, staff.get(path))
	rows := doc.Find("table.ranking tbody tr")
	if rows.Length() != len(want) {
		t.Fatalf("the page ranks %d units, want %d", rows.Length(), len(want))
	}
	lastFinal, lastRank := int64(1<<62), 0
	rows.Each(func(i int, tr *goquery.Selection) {
		cells := tr.Find("td")
		name := strings.TrimSpace(cells.Eq(1).Find("a").Text())
		e, ok := want[name]
		if !ok {
			t.Errorf("page row %d: %q is not a ranked unit", i, name)
			return
		}
		rankText := strings.Fields(cells.Eq(0).Text())
		rank, _ := strconv.Atoi(rankText[0])
		tied := tr.HasClass("tied") && strings.Contains(cells.Eq(0).Text(), "đồng hạng")
		got := fmt.Sprintf("rank %d tied %v self %s appraised %s final %s diff %s band %s",
			rank, tied, cells.Eq(2).Text(), cells.Eq(3).Text(), strings.TrimSpace(cells.Eq(4).Text()), cells.Eq(5).Text(), strings.TrimSpace(cells.Eq(6).Text()))
		diff := hundredthsText(e.appraised - e.self)
		if e.appraised-e.self < 0 {
			diff = "-" + hundredthsText(e.self-e.appraised)
		} else if e.appraised > e.self {
			diff = "+" + diff
		}
		exp := fmt.Sprintf("rank %d tied %v self %s appraised %s final %s diff %s band %s",
			e.rank, e.tied, hundredthsText(e.self), hundredthsText(e.appraised), hundredthsText(e.final), diff, e.band)
		if got != exp {
			t.Errorf("page, %s:\n got  %s\n want %s", name, got, exp)
		}
		for k, area := range e.areas {
			if g := strings.TrimSpace(cells.Eq(7 + k).Text()); g != area {
				t.Errorf("page, %s: area %d shows %q, want %q", name, k+1, g, area)
			}
		}
		if e.final > lastFinal || rank < lastRank {
			t.Errorf("page row %d (%s) is out of order", i, name)
		}
		lastFinal, lastRank = e.final, rank
	})
	pending := doc.Find("table.ranking-pending tbody tr")
	if pending.Length() != 20 {
		t.Errorf("%d forms listed as not appraised, want 20", pending.Length())
	}

	// The XLSX.
	resp := staff.get(strings.Replace(path, "/ranking?", "/ranking.xlsx?", 1))
	f := openXLSX(t, resp)
	sheet := f.GetSheetName(0)
	if sheet != "Xếp hạng" {
		t.Errorf("first sheet %q", sheet)
	}
	xrows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != len(want)+1 {
		t.Fatalf("the XLSX has %d rows, want %d and a header", len(xrows), len(want))
	}
	if strings.Join(xrows[0][:12], "|") != "Hạng|Đồng hạng|Mã đơn vị|Đơn vị|Tên đợt|Nhóm đối tượng|Tình trạng hồ sơ|Tổng điểm tự chấm|Tổng điểm thẩm định|Tổng điểm cuối cùng|Chênh lệch (thẩm định − tự chấm)|Xếp loại" {
		t.Errorf("XLSX header %q", xrows[0])
	}
	num := func(s string) int64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Errorf("XLSX cell %q is not a number", s)
		}
		if v < 0 {
			return int64(v*100 - 0.5)
		}
		return int64(v*100 + 0.5)
	}
	for _, r := range xrows[1:] {
		e, ok := want[r[3]]
		if !ok {
			t.Errorf("XLSX row of %q, not a ranked unit", r[3])
			continue
		}
		rank, _ := strconv.Atoi(r[0])
		if rank != e.rank || (r[1] == "có") != e.tied || num(r[7]) != e.self || num(r[8]) != e.appraised || num(r[9]) != e.final ||
			num(r[10]) != e.appraised-e.self || r[11] != e.band {
			t.Errorf("XLSX, %s: %q; want rank %d tied %v totals %d %d %d band %s", r[3], r, e.rank, e.tied, e.self, e.appraised, e.final, e.band)
		}
		for k, area := range e.areas {
			got := r[12+k]
			if area != "Không áp dụng" {
				got = hundredthsText(num(got))
			}
			if got != area {
				t.Errorf("XLSX, %s: area %d %q, want %q", r[3], k+1, got, area)
			}
		}
	}

	// The public results page, once the group is published.
	checkPublicResults(t, fx, want)
}

// checkPublicResults publishes the group through the real steps and
// compares the public results page with the test's own ranks, totals and
// bands: the pending forms go back to their units (ReturnAssessment), the
// appraised ones are locked once their reply window is over
// (LockAssessment), staff propose and a leader approves.
func checkPublicResults(t *testing.T, fx *rankingFixture, want map[string]*expected) {
	t.Helper()
	ctx := context.Background()
	a := fx.a
	var criterion int64
	for _, l := range fx.leaves {
		criterion = l.ID
		break
	}
	for _, u := range fx.units {
		switch u.status {
		case domain.AssessSubmitted, domain.AssessReceived:
			if err := a.db.ReturnAssessment(ctx, u.form, map[int64]string{criterion: "Bổ sung tài liệu kiểm chứng."}, nil); err != nil {
				t.Fatalf("return %s: %v", u.code, err)
			}
		}
	}
	start := a.db.Now
	a.db.Now = func() time.Time { return start().AddDate(0, 2, 0) } // every reply window is over
	for _, u := range fx.units {
		if u.status == domain.AssessAppraised {
			if locked, err := a.db.LockAssessment(ctx, u.form); err != nil || !locked {
				t.Fatalf("lock %s: %v %v", u.code, locked, err)
			}
		}
	}
	a.db.Now = start
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	wantStatus(t, staff.post(fx.wk.resultsAction("propose"), url.Values{"version": {"0"}}), http.StatusSeeOther)
	wantStatus(t, leader.post(fx.wk.resultsAction("approve"), url.Values{"version": {"1"}}), http.StatusSeeOther)

	rows := publicRows(htmlOf(t, a.client().get(fmt.Sprintf("/public/campaigns/%d/results", fx.wk.campaign))))
	if len(rows) != len(want) {
		t.Fatalf("the public page lists %d units, want %d", len(rows), len(want))
	}
	seen := map[string]bool{}
	for i, row := range rows {
		cells := strings.Split(row, " | ")
		if len(cells) != 6 {
			t.Fatalf("public row %d: %q", i, row)
		}
		e, ok := want[cells[1]]
		if !ok || seen[cells[1]] {
			t.Errorf("public row %d: %q is not a ranked unit, or twice", i, cells[1])
			continue
		}
		seen[cells[1]] = true
		exp := fmt.Sprintf("%d | %s | %s | %s | %s | %s", e.rank, cells[1], e.band, hundredthsText(e.self), hundredthsText(e.appraised), hundredthsText(e.final))
		if row != exp {
			t.Errorf("public results:\n got  %s\n want %s", row, exp)
		}
	}
}

// rankingURL is a fixture's ranking address with its phase and set.
func (fx *rankingFixture) rankingURL(suffix string) string {
	return fmt.Sprintf("%s/ranking%s?phase=%d&set=%d", fx.wk.page, suffix, fx.wk.phase, fx.wk.set)
}

// TestRankingAccess: leaders read the ranking, its "why this total" and its
// exports; focal points get 403 (another unit's results are not theirs to
// see); a form, phase or set of another campaign is not found, exactly as a
// missing one.
func TestRankingAccess(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	fx := newRankingFixture(t, a, 6, 1, 2, 3)
	// The next campaign takes the same plan number: free it.
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE campaigns SET plan_number = '8/KH-SNV' WHERE id = $1`, fx.wk.campaign); err != nil {
		t.Fatal(err)
	}
	other := newRankingFixture(t, a, 3, 0, 0, 4)
	leader, _ := a.loggedIn(domain.RoleLeader)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	ranked := fx.units[len(fx.units)-1]
	detail := fmt.Sprintf("%s/ranking/%d", fx.wk.page, ranked.form)
	for _, path := range []string{fx.rankingURL(""), detail, fx.rankingURL(".csv"), fx.rankingURL(".xlsx"), fx.rankingURL("-criteria.csv")} {
		if resp := leader.get(path); resp.StatusCode != http.StatusOK {
			t.Errorf("leader GET %s: %d, want 200", path, resp.StatusCode)
		}
		resp := fp.get(path)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(bodyOf(resp), "không có quyền") {
			t.Errorf("focal point GET %s: %d, want 403 with the Vietnamese message", path, resp.StatusCode)
		}
		if resp := a.client().get(path); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("anonymous GET %s: %d, want the sign-in page", path, resp.StatusCode)
		}
	}
	doc := htmlOf(t, leader.get(fx.rankingURL("")))
	if n := doc.Find("table.ranking tbody tr").Length(); n != 4 {
		t.Errorf("leader sees %d ranked rows, want 4", n)
	}
	if doc.Find(`form[method=post][action^="/campaigns"], input[name^=p_]`).Length() != 0 {
		t.Errorf("the leader's ranking page offers something to change")
	}
	for _, path := range []string{
		fmt.Sprintf("%s/ranking/%d", fx.wk.page, other.units[0].form),   // a form of another campaign
		fmt.Sprintf("%s/ranking?phase=%d", fx.wk.page, other.wk.phase),  // its phase
		fmt.Sprintf("%s/ranking.xlsx?set=%d", fx.wk.page, other.wk.set), // its participant group
		fx.wk.page + "/ranking?phase=abc",
		fx.wk.page + "/ranking/0",
		"/campaigns/999999/ranking",
	} {
		if resp := leader.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
}

// TestRankingWhyThisTotal: the page of one form shows every criterion's
// self, appraised and final value with the comment and the decision on
// the reply, and totals that equal the test's own; after a score changes,
// the ranking shows the new totals and area subtotals at once.
func TestRankingWhyThisTotal(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	fx := newRankingFixture(t, a, 5, 0, 1, 11)
	staff, _ := a.loggedIn(domain.RoleStaff)
	want := fx.expectations()
	var u *rankedUnit
	var changed, na *domain.Criterion
	for _, cand := range fx.units[1:] {
		u, changed, na = cand, nil, nil
		for i := range fx.leaves {
			l := &fx.leaves[i]
			ap, f := cand.appraised[l.ID], cand.final[l.ID]
			if changed == nil && ap.Points != nil && f.Points != nil && *ap.Points != *f.Points {
				changed = l
			}
			if na == nil && f.NA {
				na = l
			}
		}
		if changed != nil {
			break
		}
	}
	if changed == nil {
		t.Fatal("the fixture has no accepted reply")
	}
	doc := htmlOf(t, staff.get(fmt.Sprintf("%s/ranking/%d", fx.wk.page, u.form)))
	if doc.Find("[role=alert]").Length() != 0 {
		t.Errorf("mismatch shown: %s", doc.Find("[role=alert]").Text())
	}
	stats := map[string]string{}
	doc.Find(".stat").Each(func(_ int, s *goquery.Selection) {
		stats[strings.TrimSpace(s.Find("dt").Text())] = strings.TrimSpace(s.Find("dd").Text())
	})
	e := want[u.name]
	if stats["Cuối cùng (quy đổi thang 100)"] != hundredthsText(e.final) || stats["Thẩm định (quy đổi thang 100)"] != hundredthsText(e.appraised) ||
		stats["Tự chấm (quy đổi thang 100)"] != hundredthsText(e.self) || !strings.HasPrefix(stats["Hạng"], strconv.Itoa(e.rank)) || stats["Xếp loại"] != e.band {
		t.Errorf("stats %v, want %+v", stats, e)
	}
	row := func(c *domain.Criterion) []string {
		var cells []string
		doc.Find("table.ranking-detail tbody tr").Each(func(_ int, tr *goquery.Selection) {
			if strings.HasPrefix(strings.TrimSpace(tr.Find("th").Text()), c.Code+" ") {
				tr.Find("td").Each(func(_ int, td *goquery.Selection) {
					text := td.Text()
					if ps := td.Find("p"); ps.Length() > 0 {
						text = strings.Join(ps.Map(func(_ int, p *goquery.Selection) string { return p.Text() }), " ")
					}
					cells = append(cells, strings.Join(strings.Fields(text), " "))
				})
			}
		})
		return cells
	}
	got := row(changed)
	wantRow := []string{changed.Max.String(), u.self[changed.ID].Points.String(), u.appraised[changed.ID].Points.String(), u.final[changed.ID].Points.String(),
		"Tài liệu kiểm chứng chưa đủ; điều chỉnh điểm.", "Đơn vị bổ sung tài liệu kiểm chứng. Chấp nhận giải trình"}
	if strings.Join(got, "|") != strings.Join(wantRow, "|") {
		t.Errorf("criterion %s: %q, want %q", changed.Code, got, wantRow)
	}
	if na != nil {
		if got := row(na); len(got) < 4 || got[1] != "Không áp dụng" || got[3] != "Không áp dụng" {
			t.Errorf("criterion %s not applicable: %q", na.Code, got)
		}
	}

	// A score changes (a later reply accepted): the ranking follows.
	first := htmlOf(t, staff.get(fx.rankingURL("")))
	if first.Find("table.ranking tbody tr").Length() != 4 {
		t.Fatalf("%d ranked rows", first.Find("table.ranking tbody tr").Length())
	}
	final := map[int64]domain.Entry{}
	for id, v := range u.final {
		final[id] = v
	}
	for _, l := range fx.leaves {
		if !final[l.ID].NA {
			p := l.Max
			final[l.ID] = domain.Entry{Points: &p}
		}
	}
	u.final = final
	if err := replyAndLockForTest(context.Background(), a.db, u.form, u.status, fx.nodes, u.self, u.appraised, final); err != nil {
		t.Fatal(err)
	}
	want = fx.expectations()
	after := htmlOf(t, staff.get(fx.rankingURL("")))
	found := false
	after.Find("table.ranking tbody tr").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.Find("td")
		if strings.TrimSpace(cells.Eq(1).Find("a").Text()) != u.name {
			return
		}
		found = true
		e := want[u.name]
		if g := strings.TrimSpace(cells.Eq(4).Text()); g != hundredthsText(e.final) || !strings.HasPrefix(strings.TrimSpace(cells.Eq(0).Text()), "1") {
			t.Errorf("after the change: final %s rank %q, want %s, rank 1", g, cells.Eq(0).Text(), hundredthsText(e.final))
		}
		for k, area := range e.areas {
			if g := strings.TrimSpace(cells.Eq(7 + k).Text()); g != area {
				t.Errorf("after the change: area %d shows %q, want %q", k+1, g, area)
			}
		}
	})
	if !found {
		t.Errorf("%s is no longer ranked", u.name)
	}
}

// TestRankingCSVStreams is issue 9 acceptance 6 (second half): the
// ranking's CSV exports of a campaign of 2,500 units × 40 criteria (the
// detail: 100,000 rows) stream with the heap of the whole process (server
// and client) under 10 MB.
func TestRankingCSVStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100,000 scores")
	}
	a := newApp(t, nil)
	ctx := context.Background()
	conn, err := a.db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	units := copyUnits(ctx, t, conn.Conn(), 2500)
	campaign, phase, set := loadRankingCampaign(ctx, t, a.db, conn.Conn(), units, 1, 8, 5)
	conn.Release()
	staff, _ := a.loggedIn(domain.RoleStaff)
	base := fmt.Sprintf("/campaigns/%d/ranking", campaign)
	query := fmt.Sprintf("?phase=%d&set=%d", phase, set)
	for _, tc := range []struct {
		suffix string
		rows   int
	}{{"-criteria.csv", 100000}, {".csv", 2500}} {
		var lines int
		var status int
		peak := peakHeap(func() {
			resp, err := staff.http.Get(a.ts.URL + base + tc.suffix + query)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			status = resp.StatusCode
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				lines++
			}
		})
		if status != http.StatusOK || lines != tc.rows+1 {
			t.Errorf("%s: status %d, %d lines, want %d rows and a header", tc.suffix, status, lines, tc.rows)
		}
		t.Logf("%s: %d rows, peak heap %.1f MiB", tc.suffix, lines-1, float64(peak)/(1<<20))
		if peak > 10<<20 {
			t.Errorf("%s: peak heap %d bytes, over 10 MiB", tc.suffix, peak)
		}
	}
}

// TestRankingXLSXInLibreOffice is issue 9 acceptance 6 (first half): the
// ranking's XLSX, opened by LibreOffice, has the Vietnamese headers, the
// numbers of the page and Vietnamese words for bands, statuses and
// criteria not applicable, on both sheets.
func TestRankingXLSXInLibreOffice(t *testing.T) {
	t.Parallel()
	lo := libreOffice(t)
	a := newApp(t, nil)
	fx := newRankingFixture(t, a, 12, 2, 2, 21)
	want := fx.expectations()
	staff, _ := a.loggedIn(domain.RoleStaff)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "xep-hang.xlsx"), []byte(bodyOf(staff.get(fx.rankingURL(".xlsx")))), 0o644); err != nil {
		t.Fatal(err)
	}
	sheets := convertToCSV(t, lo, filepath.Join(dir, "xep-hang.xlsx"))["xep-hang"]
	ranking, detail := sheets["Xếp hạng"], sheets["Chi tiết từng tiêu chí"]
	if len(ranking) != len(want)+1 || len(detail) != len(want)*len(fx.leaves)+1 {
		t.Fatalf("converted sheets: %d and %d rows; names %v", len(ranking), len(detail), keys(sheets))
	}
	if got := strings.Join(ranking[0][:12], "|"); got != "Hạng|Đồng hạng|Mã đơn vị|Đơn vị|Tên đợt|Nhóm đối tượng|Tình trạng hồ sơ|Tổng điểm tự chấm|Tổng điểm thẩm định|Tổng điểm cuối cùng|Chênh lệch (thẩm định − tự chấm)|Xếp loại" {
		t.Errorf("ranking header as LibreOffice reads it: %s", got)
	}
	if got := strings.Join(detail[0], "|"); got != "Hạng|Mã đơn vị|Đơn vị|Mã tiêu chí|Tiêu chí|Điểm tối đa|Tự chấm|Thẩm định|Cuối cùng|Nhận xét của tổ thẩm định|Giải trình của đơn vị|Kết quả xem xét giải trình|Lý do" {
		t.Errorf("detail header as LibreOffice reads it: %s", got)
	}
	num := func(s string) int64 {
		t.Helper()
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Errorf("LibreOffice reads %q as text, not a number", s)
		}
		return int64(math.Round(v * 100))
	}
	statuses := map[string]bool{"Trong hạn giải trình": true, "Đã chốt kết quả": true}
	for _, r := range ranking[1:] {
		e := want[r[3]]
		if e == nil {
			t.Errorf("row of %q", r[3])
			continue
		}
		if num(r[0]) != int64(e.rank*100) || num(r[7]) != e.self || num(r[8]) != e.appraised || num(r[9]) != e.final ||
			num(r[10]) != e.appraised-e.self || r[11] != e.band || !statuses[r[6]] || (r[1] == "có") != e.tied {
			t.Errorf("LibreOffice row %q, want %+v", r, e)
		}
		for k, area := range e.areas {
			got := r[12+k]
			if area != "Không áp dụng" {
				got = hundredthsText(num(got))
			}
			if got != area {
				t.Errorf("%s: area %d %q, want %q", r[3], k+1, got, area)
			}
		}
	}
	// The detail's final values add up to each unit's final total.
	sums, maxima := map[string]int64{}, map[string]int64{}
	sawNA := false
	for _, r := range detail[1:] {
		if r[8] == "Không áp dụng" {
			sawNA = true
			continue
		}
		sums[r[2]] += num(r[8])
		maxima[r[2]] += num(r[5])
	}
	if !sawNA {
		t.Error("no criterion shown as Không áp dụng in the detail")
	}
	for name, e := range want {
		q, rem := sums[name]*10000/maxima[name], sums[name]*10000%maxima[name]
		if 2*rem >= maxima[name] {
			q++
		}
		if q != e.final {
			t.Errorf("%s: the detail sums to %d of %d (%d), the ranking says %d", name, sums[name], maxima[name], q, e.final)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
