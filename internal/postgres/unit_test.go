package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

var (
	day0630 = domain.Day(2025, 6, 30)
	day0701 = domain.Day(2025, 7, 1)
	before  = domain.Day(2010, 1, 1)
)

func mustUnit(t *testing.T, db *postgres.DB, in domain.UnitInput) int64 {
	t.Helper()
	if in.ValidFrom.IsZero() {
		in.ValidFrom = before
	}
	if in.Kind == "" {
		in.Kind = domain.KindCommune
	}
	id, err := db.CreateUnit(context.Background(), in)
	if err != nil {
		t.Fatalf("%s: %v", in.Name, err)
	}
	return id
}

func names(units []postgres.Unit) []string {
	var s []string
	for _, u := range units {
		s = append(s, u.Name)
	}
	return s
}

// TestMergeThreeCommunes is acceptance 2 of the registry: a merge dated
// 01/07/2025 keeps the old units and their names, the tree as of 30/06
// shows the three, as of 01/07 the new one, and lineage reads both ways.
func TestMergeThreeCommunes(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	district := mustUnit(t, db, domain.UnitInput{Name: "UBND huyện Cao Lãnh", Kind: domain.KindDistrict, Code: "876"})
	province := mustUnit(t, db, domain.UnitInput{Name: "UBND tỉnh Đồng Tháp", Kind: domain.KindProvince, Code: "87"})
	a := mustUnit(t, db, domain.UnitInput{Name: "UBND thị trấn Mỹ Thọ", Code: "29995", ParentID: &district})
	b := mustUnit(t, db, domain.UnitInput{Name: "UBND xã Mỹ Hội", Code: "29998", ParentID: &district})
	c := mustUnit(t, db, domain.UnitInput{Name: "UBND xã Mỹ Xương", Code: "30001", ParentID: &district})
	person, err := db.CreatePerson(ctx, domain.PersonInput{FullName: "Nguyễn Văn An", Category: domain.CategoryCanBo, UnitID: b, From: before})
	if err != nil {
		t.Fatal(err)
	}
	_, created, err := db.Reorganise(ctx, domain.Reorganisation{
		Kind: domain.EventMerge, EffectiveDate: day0701, Decision: "Nghị quyết số 1663/NQ-UBTVQH15",
		Sources: []int64{a, b, c},
		Targets: []domain.UnitInput{{Name: "UBND xã Mỹ Thọ", Code: "29994", Kind: domain.KindCommune, ParentID: &province}},
	})
	if err != nil {
		t.Fatal(err)
	}
	merged := created[0]

	under := func(parent int64, day string) []string {
		d, _ := domain.ParseDate(day)
		kids, err := db.ChildrenOn(ctx, parent, d)
		if err != nil {
			t.Fatal(err)
		}
		return names(kids)
	}
	if diff := cmp.Diff([]string{"UBND thị trấn Mỹ Thọ", "UBND xã Mỹ Hội", "UBND xã Mỹ Xương"}, under(district, "30/06/2025")); diff != "" {
		t.Errorf("district on 30/06/2025 (-want +got):\n%s", diff)
	}
	if got := under(district, "01/07/2025"); len(got) != 0 {
		t.Errorf("district on 01/07/2025 still has %v", got)
	}
	if diff := cmp.Diff([]string{"UBND xã Mỹ Thọ"}, under(province, "01/07/2025")); diff != "" {
		t.Errorf("province on 01/07/2025 (-want +got):\n%s", diff)
	}
	if got := under(province, "30/06/2025"); len(got) != 0 {
		t.Errorf("the new commune exists before its date: %v", got)
	}
	// The old units keep their names and are still readable.
	old, err := db.UnitOn(ctx, b, day0630)
	if err != nil || old.Name != "UBND xã Mỹ Hội" {
		t.Errorf("old unit on 30/06: %+v %v", old, err)
	}
	if _, err := db.UnitOn(ctx, b, day0701); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("old unit still in force on 01/07: %v", err)
	}
	// Every column of the tree's rows, as collectUnits scans them: the
	// merged communes under the district, each with its own code and its
	// end, the district and province at the top and still in force.
	tree, err := db.UnitsOn(ctx, day0630)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[int64]string{a: "29995", b: "29998", c: "30001", district: "876", province: "87"}
	for _, u := range tree {
		switch u.ID {
		case a, b, c:
			if u.ParentID == nil || *u.ParentID != district || u.ValidTo == nil || !u.ValidTo.Equal(day0701) || u.Code != codes[u.ID] || u.Kind == "" {
				t.Errorf("merged commune on 30/06: %+v (parent %v, end %v)", u, u.ParentID, u.ValidTo)
			}
		case district, province:
			if u.ParentID != nil || u.ValidTo != nil || u.Code != codes[u.ID] || u.ValidFrom.IsZero() {
				t.Errorf("top unit on 30/06: %+v", u)
			}
		}
	}
	if len(tree) != 5 {
		t.Errorf("%d units on 30/06, want 5", len(tree))
	}
	parents := map[*int64]bool{}
	for _, u := range tree {
		if u.ParentID != nil {
			parents[u.ParentID] = true
		}
	}
	if len(parents) != 3 {
		t.Errorf("the three communes share %d parent values, want each its own (rows are scanned into one variable)", len(parents))
	}
	// Lineage both ways.
	preds, _, err := db.Lineage(ctx, merged)
	if err != nil {
		t.Fatal(err)
	}
	var predNames []string
	for _, p := range preds {
		predNames = append(predNames, p.UnitName)
		if p.Kind != domain.EventMerge || !p.Date.Equal(day0701) || p.Decision == "" {
			t.Errorf("predecessor link %+v", p)
		}
	}
	if diff := cmp.Diff([]string{"UBND thị trấn Mỹ Thọ", "UBND xã Mỹ Hội", "UBND xã Mỹ Xương"}, predNames); diff != "" {
		t.Errorf("predecessors (-want +got):\n%s", diff)
	}
	_, succ, err := db.Lineage(ctx, c)
	if err != nil || len(succ) != 1 || succ[0].UnitID != merged || succ[0].UnitName != "UBND xã Mỹ Thọ" {
		t.Errorf("successors of an old commune: %+v %v", succ, err)
	}
	// People of the old units belong to the new one from the date.
	p, err := db.PersonOn(ctx, person, day0701)
	if err != nil || p.UnitID == nil || *p.UnitID != merged {
		t.Errorf("person after the merge: %+v %v", p, err)
	}
	p, _ = db.PersonOn(ctx, person, day0630)
	if p.UnitID == nil || *p.UnitID != b {
		t.Errorf("person before the merge: %+v", p)
	}
	// The same units cannot be merged twice.
	_, _, err = db.Reorganise(ctx, domain.Reorganisation{Kind: domain.EventMerge, EffectiveDate: domain.Day(2025, 8, 1),
		Sources: []int64{a, b}, Targets: []domain.UnitInput{{Name: "X", Kind: domain.KindCommune}}})
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("merging ended units: %v", err)
	}
	// The audit log holds the event.
	var n int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'unit.merge'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d merge audit entries", n)
	}
}

func TestRenameKeepsHistory(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	parent := mustUnit(t, db, domain.UnitInput{Name: "UBND tỉnh A", Kind: domain.KindProvince})
	other := mustUnit(t, db, domain.UnitInput{Name: "UBND tỉnh B", Kind: domain.KindProvince})
	id := mustUnit(t, db, domain.UnitInput{Name: "Sở Nội vụ", Kind: domain.KindDepartment, ParentID: &parent})
	child := mustUnit(t, db, domain.UnitInput{Name: "Phòng Tổ chức", Kind: domain.KindDivision, ParentID: &id})
	if err := db.ChangeUnit(ctx, id, postgres.UnitChange{Kind: domain.EventRename, Date: day0701, Name: "Sở Nội vụ và Lao động"}); err != nil {
		t.Fatal(err)
	}
	for day, want := range map[string]string{"30/06/2025": "Sở Nội vụ", "01/07/2025": "Sở Nội vụ và Lao động"} {
		d, _ := domain.ParseDate(day)
		u, err := db.UnitOn(ctx, id, d)
		if err != nil || u.Name != want {
			t.Errorf("on %s: %+v %v", day, u, err)
		}
	}
	// The child stays under the renamed unit: identity did not change.
	kids, _ := db.ChildrenOn(ctx, id, day0701)
	if len(kids) != 1 || kids[0].ID != child {
		t.Errorf("children after rename: %v", names(kids))
	}
	versions, _ := db.UnitVersions(ctx, id)
	if len(versions) != 2 || versions[0].Name != "Sở Nội vụ" || versions[0].ValidTo == nil || !versions[0].ValidTo.Equal(day0701) {
		t.Errorf("versions %+v", versions)
	}
	// Moving a unit under its own child is a cycle.
	err := db.ChangeUnit(ctx, id, postgres.UnitChange{Kind: domain.EventMove, Date: domain.Day(2025, 8, 1), Name: "Sở Nội vụ và Lao động", ParentID: &child})
	if ve, ok := err.(*domain.ValidationError); !ok || ve.Fields["parent_id"] != "unit.parent.cycle" {
		t.Errorf("cycle: %v", err)
	}
	if err := db.ChangeUnit(ctx, id, postgres.UnitChange{Kind: domain.EventMove, Date: domain.Day(2025, 8, 1), Name: "Sở Nội vụ và Lao động", ParentID: &other}); err != nil {
		t.Fatal(err)
	}
	kidsA, _ := db.ChildrenOn(ctx, parent, domain.Day(2025, 8, 1))
	kidsB, _ := db.ChildrenOn(ctx, other, domain.Day(2025, 8, 1))
	if len(kidsA) != 0 || len(kidsB) != 1 {
		t.Errorf("after move: A %v B %v", names(kidsA), names(kidsB))
	}
	// A change dated before a recorded later one is refused.
	err = db.ChangeUnit(ctx, id, postgres.UnitChange{Kind: domain.EventRename, Date: domain.Day(2025, 6, 1), Name: "Tên cũ"})
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("back-dated change: %v", err)
	}
}

func TestCodeUniqueInTime(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	to := day0701
	mustUnit(t, db, domain.UnitInput{Name: "Cũ", Code: "100", ValidTo: &to})
	// The same code after the old unit ended is fine.
	mustUnit(t, db, domain.UnitInput{Name: "Mới", Code: "100", ValidFrom: day0701})
	// Overlapping: refused with the field named.
	_, err := db.CreateUnit(ctx, domain.UnitInput{Name: "Trùng", Code: "100", Kind: domain.KindCommune, ValidFrom: domain.Day(2026, 1, 1)})
	if ve, ok := err.(*domain.ValidationError); !ok || ve.Fields["code"] != "unit.code.taken" {
		t.Errorf("overlapping code: %v", err)
	}
}

// TestSearchIgnoresAccentsAndCase is acceptance 3: the three spellings find
// the same units, and lists sort in Vietnamese order.
func TestSearchIgnoresAccentsAndCase(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	for _, n := range []string{"Đồng Tháp", "Điện Biên", "Ấp Bắc", "Bạc Liêu", "Đà Nẵng", "An Giang", "Sở Y tế tỉnh Đồng Tháp", "Đồng Nai"} {
		mustUnit(t, db, domain.UnitInput{Name: n, Kind: domain.KindProvince})
	}
	var results [][]string
	for _, q := range []string{"dong thap", "DONG THAP", "Đồng Tháp", "Đo\u0302\u0300ng Tháp"} {
		page, err := db.SearchUnits(ctx, q, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, names(page.Units))
		if page.Total != len(page.Units) {
			t.Errorf("%q: total %d, listed %d", q, page.Total, len(page.Units))
		}
	}
	want := []string{"Đồng Tháp", "Sở Y tế tỉnh Đồng Tháp"}
	for i, r := range results {
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("query %d (-want +got):\n%s", i, diff)
		}
	}
	all, err := db.SearchUnits(ctx, "", 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantOrder := []string{"An Giang", "Ấp Bắc", "Bạc Liêu", "Đà Nẵng", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Sở Y tế tỉnh Đồng Tháp"}
	if diff := cmp.Diff(wantOrder, names(all.Units)); diff != "" {
		t.Errorf("Vietnamese order (-want +got):\n%s", diff)
	}
	// LIKE wildcards typed by a user are literal.
	if page, _ := db.SearchUnits(ctx, "%", 50, 0); page.Total != 0 {
		t.Errorf("'%%' matched %d units", page.Total)
	}
}

// TestSearchUsesIndex loads 50,000 units and reads the plan: the trigram
// index serves the accent-insensitive search.
func TestSearchUsesIndex(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	_, err := db.Pool.Exec(ctx, `
		INSERT INTO units (name, kind, code)
		SELECT 'UBND xã Thử Nghiệm ' || g || ' ' || (ARRAY['Đồng','Bình','Mỹ','Tân','Phú','An'])[1 + g % 6], 'commune', 'T' || g
		FROM generate_series(1, 50000) g;
		ANALYZE units`)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"dong thap", "nghiem 4711"} {
		var plan strings.Builder
		rows, err := db.Pool.Query(ctx, `EXPLAIN SELECT id FROM units WHERE search LIKE search_key($1)`, "%"+q+"%")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			_ = rows.Scan(&line)
			plan.WriteString(line + "\n")
		}
		rows.Close()
		if !strings.Contains(plan.String(), "units_search_idx") {
			t.Errorf("search %q does not use the trigram index:\n%s", q, plan.String())
		}
	}
	page, err := db.SearchUnits(ctx, "THU NGHIEM 4711 BINH", 10, 0)
	if err != nil || page.Total != 1 {
		t.Errorf("search among 50,000: %d %v", page.Total, err)
	}
}

func TestDissolveNeedsEmptyUnit(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	parent := mustUnit(t, db, domain.UnitInput{Name: "Huyện", Kind: domain.KindDistrict})
	child := mustUnit(t, db, domain.UnitInput{Name: "Xã", ParentID: &parent})
	if err := db.DissolveUnit(ctx, parent, day0701, ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("dissolving a unit with children: %v", err)
	}
	if err := db.DissolveUnit(ctx, child, day0701, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.DissolveUnit(ctx, parent, day0701, "QĐ 1/QĐ-UBND"); err != nil {
		t.Fatal(err)
	}
	units, _ := db.UnitsOn(ctx, day0701)
	if len(units) != 0 {
		t.Errorf("units in force after dissolution: %v", names(units))
	}
	units, _ = db.UnitsOn(ctx, day0630)
	if len(units) != 2 {
		t.Errorf("history lost: %v", names(units))
	}
	kind, date, ok, err := db.EndingEvent(ctx, parent)
	if err != nil || !ok || kind != domain.EventDissolve || !date.Equal(day0701) {
		t.Errorf("ending event: %v %v %v %v", kind, date, ok, err)
	}
	_ = fmt.Sprint()
}

func TestDissolvedInFutureIsNotChangedAgain(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	id := mustUnit(t, db, domain.UnitInput{Name: "Xã tương lai"})
	if err := db.DissolveUnit(ctx, id, domain.Day(2030, 1, 1), ""); err != nil {
		t.Fatal(err)
	}
	err := db.ChangeUnit(ctx, id, postgres.UnitChange{Kind: domain.EventRename, Date: domain.Day(2026, 1, 1), Name: "Tên mới"})
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("rename of a unit with a recorded end: %v", err)
	}
}

func TestImportRefusesLoopThroughRegistry(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	pa := mustUnit(t, db, domain.UnitInput{Name: "PA", Code: "PA", Kind: domain.KindProvince})
	mustUnit(t, db, domain.UnitInput{Name: "CB", Code: "CB", ParentID: &pa})
	rows := []domain.UnitRow{{Line: 2, Code: "PA", Name: "PA", Kind: domain.KindProvince, ParentCode: "CB", ValidFrom: before}}
	i := 0
	report := &domain.ImportReport{}
	err := db.ImportUnits(ctx, func() (*domain.UnitRow, error) {
		if i == len(rows) {
			return nil, nil
		}
		i++
		return &rows[i-1], nil
	}, report, false)
	if err != nil || report.OK() || report.Problems[0].Message != "import.unit.cycle" {
		t.Errorf("loop through the registry: %v %+v", err, report.Problems)
	}
}
