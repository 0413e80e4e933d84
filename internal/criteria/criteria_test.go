package criteria

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
	"thidua/internal/tabular"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestTemplatesAreCompleteAndTotal100(t *testing.T) {
	for _, tpl := range Templates {
		nodes, ps := Nodes(tpl.Rows)
		if len(ps) > 0 {
			t.Errorf("%s: %+v", tpl.Key, ps)
		}
		if ps := domain.ValidateTree(nodes, true); len(ps) > 0 {
			t.Errorf("%s: %+v", tpl.Key, ps)
		}
		if total := domain.TreeTotal(nodes); total != 10000 {
			t.Errorf("%s totals %s, want 100", tpl.Key, total)
		}
	}
}

func newCampaign(t *testing.T, db *postgres.DB) (campaign, set int64) {
	t.Helper()
	ctx := context.Background()
	c := &domain.Campaign{PlanNumber: "1/KH-TEST", Title: "Thi đua thử", IssuerName: "Sở Nội vụ", IssueDate: domain.Day(2025, 1, 1),
		Kind: domain.KindRegular, PeriodStart: domain.Day(2025, 1, 1), PeriodEnd: domain.Day(2025, 12, 31)}
	id, err := db.CreateCampaign(ctx, c, "")
	if err != nil {
		t.Fatal(err)
	}
	set, err = db.CreateCriteriaSet(ctx, id, "Sở, ban, ngành", []string{"department"}, false)
	if err != nil {
		t.Fatal(err)
	}
	return id, set
}

func load(t *testing.T, db *postgres.DB, set int64, key string) {
	t.Helper()
	tpl, _ := TemplateByKey(key)
	nodes, _ := Nodes(tpl.Rows)
	if err := db.ReplaceCriteria(context.Background(), set, nodes, "template:"+key); err != nil {
		t.Fatal(err)
	}
}

// comparable strips the IDs, which differ between copies.
func comparable(nodes []domain.Criterion) []Row {
	var rows []Row
	for _, n := range nodes {
		rows = append(rows, RowOf(n))
	}
	return rows
}

// TestTreeRules is acceptance 3 of the campaigns feature.
func TestTreeRules(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	campaign, set := newCampaign(t, db)
	load(t, db, set, "par-department")
	stored, err := db.Criteria(ctx, set)
	if err != nil {
		t.Fatal(err)
	}
	if total := domain.TreeTotal(stored); total != 10000 || len(stored) != len(Templates[0].Rows) {
		t.Fatalf("PAR template stored with total %s and %d nodes", total, len(stored))
	}

	// Children summing to more than their parent's max: refused, node named.
	var leaf domain.Criterion
	for _, n := range stored {
		if n.Code == "1.2" {
			leaf = n
		}
	}
	leaf.Max = 500 // 5 points: area 1 would hold 13 of 12
	_, err = db.SaveCriterion(ctx, set, leaf, "")
	var te domain.TreeErrors
	if !errors.As(err, &te) || te[0].Code != "1" || te[0].Message != "criteria.sum.over" {
		t.Fatalf("over-sum: %v", err)
	}

	// XLSX export then import reproduces the same tree.
	path := filepath.Join(t.TempDir(), "tieu-chi.xlsx")
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]string{})
	header := make([]any, len(Columns))
	for i, c := range Columns {
		header[i] = c
	}
	_ = f.SetSheetRow("Sheet1", "A1", &header)
	for i, n := range stored {
		rec := Record(RowOf(n))
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		_ = f.SetSheetRow("Sheet1", cell, &row)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	r, err := tabular.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, problems, err := Read(r)
	r.Close()
	if err != nil || len(problems) > 0 {
		t.Fatalf("read back: %v %+v", err, problems)
	}
	nodes, ps := Nodes(rows)
	if len(ps) > 0 {
		t.Fatalf("nodes: %+v", ps)
	}
	other, err := db.CreateCriteriaSet(ctx, campaign, "Bản nhập lại", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceCriteria(ctx, other, nodes, "file"); err != nil {
		t.Fatal(err)
	}
	back, _ := db.Criteria(ctx, other)
	if diff := cmp.Diff(comparable(stored), comparable(back)); diff != "" {
		t.Errorf("XLSX round trip (-exported +imported):\n%s", diff)
	}

	// A copy is independent: changing it leaves the original as it was.
	copySet, _ := db.CreateCriteriaSet(ctx, campaign, "Bản sao", nil, false)
	if err := db.ReplaceCriteria(ctx, copySet, stored, "copy"); err != nil {
		t.Fatal(err)
	}
	copied, _ := db.Criteria(ctx, copySet)
	for _, n := range copied {
		if n.Code == "1.5" {
			n.Title = "Đã sửa ở bản sao"
			if _, err := db.SaveCriterion(ctx, copySet, n, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	again, _ := db.Criteria(ctx, set)
	if diff := cmp.Diff(comparable(stored), comparable(again)); diff != "" {
		t.Errorf("the original changed with its copy:\n%s", diff)
	}
}

// TestFrozenAfterSelfAssessment is acceptance 4: once a self-assessment
// exists, changing a criterion's max is refused unless made as a recorded
// amendment.
func TestFrozenAfterSelfAssessment(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	campaign, set := newCampaign(t, db)
	load(t, db, set, "papi")
	unit, _ := db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Tư pháp", Kind: domain.KindDepartment})
	phase := &domain.Phase{CampaignID: campaign, Name: "Năm 2025", Start: domain.Day(2025, 1, 1), End: domain.Day(2025, 12, 31), ReviewKind: domain.ReviewAnnual}
	if _, err := db.SavePhase(ctx, phase); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id) VALUES ($1, $2, $3, $4)`,
		campaign, set, phase.ID, unit); err != nil {
		t.Fatal(err)
	}
	nodes, _ := db.Criteria(ctx, set)
	n := nodes[0]
	n.Max = 1000
	if _, err := db.SaveCriterion(ctx, set, n, ""); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("change without amendment: %v", err)
	}
	if err := db.DeleteCriterion(ctx, set, n.ID); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("delete of a frozen criterion: %v", err)
	}
	if err := db.ReplaceCriteria(ctx, set, nodes, "x"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("replacing a frozen tree: %v", err)
	}
	if _, err := db.SaveCriterion(ctx, set, n, "Điều chỉnh theo Quyết định 99/QĐ-UBND"); err != nil {
		t.Fatalf("amendment: %v", err)
	}
	s, _ := db.CriteriaSetByID(ctx, set)
	am, _ := db.Amendments(ctx, set)
	if s.Version != 2 || len(am) != 1 || am[0].Criterion != n.Code || am[0].Reason == "" {
		t.Errorf("set version %d, amendments %+v", s.Version, am)
	}
	after, _ := db.Criteria(ctx, set)
	if after[0].Max != 1000 {
		t.Errorf("amended max %s", after[0].Max)
	}
}
