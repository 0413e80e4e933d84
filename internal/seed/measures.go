package seed

import (
	"context"
	"fmt"

	"thidua/internal/domain"
	"thidua/internal/postgres"
)

// linkDemoMeasures links the PAR templates' SIPAS criterion (8.1, tiers) and
// dossiers-on-time criterion (3.2, share of a target) to those indices for
// year, so the running campaign's appraisal can take them from the values
// seedMeasures imports.
func linkDemoMeasures(ctx context.Context, db *postgres.DB, nodes []domain.Criterion, year int) error {
	measures, err := db.Measures(ctx)
	if err != nil {
		return err
	}
	byCode := map[string]int64{}
	for _, m := range measures {
		byCode[m.Code] = m.ID
	}
	for i := range nodes {
		switch {
		case nodes[i].Code == "8.1" && nodes[i].Method == domain.MethodTiers:
			nodes[i].MeasureID, nodes[i].MeasurePeriod = byCode["SIPAS"], year
		case nodes[i].Code == "3.2" && nodes[i].Method == domain.MethodTargetShare:
			nodes[i].MeasureID, nodes[i].MeasurePeriod = byCode["TTHC_DUNG_HAN"], year
		}
	}
	return nil
}

// seedMeasures imports the previous year's SIPAS and dossiers-on-time
// values of most departments and of the new communes, as published in the
// spring, through the import's own code. Sở Y tế has no on-time share: the
// fill lists it instead of giving it zero.
func seedMeasures(ctx context.Context, db *postgres.DB, year int) error {
	published := domain.Day(year+1, 4, 15)
	var rows []*domain.MeasureRow
	add := func(unit, measure string, value int64, source string) {
		rows = append(rows, &domain.MeasureRow{Line: len(rows) + 2, UnitCode: unit, MeasureCode: measure, Period: year,
			Value: value, HasValue: true, Source: source, PublishedOn: published})
	}
	for i, d := range departments {
		add(d[0], "SIPAS", int64(8600+i*97%1300), "Sở Nội vụ tỉnh Đồng Tháp")
		if d[0] != "SYT" {
			add(d[0], "TTHC_DUNG_HAN", int64(9300+i*61%700), "Văn phòng UBND tỉnh (Hệ thống thông tin giải quyết TTHC tỉnh)")
		}
	}
	for i, c := range newCommunes {
		add(c.code, "SIPAS", int64(8200+i*131%1700), "Sở Nội vụ tỉnh Đồng Tháp")
		add(c.code, "TTHC_DUNG_HAN", int64(9000+i*83%1000), "Văn phòng UBND tỉnh (Hệ thống thông tin giải quyết TTHC tỉnh)")
	}
	next := 0
	report := &domain.ImportReport{Rows: len(rows)}
	err := db.ImportMeasureValues(ctx, "", func() (*domain.MeasureRow, error) {
		if next == len(rows) {
			return nil, nil
		}
		next++
		return rows[next-1], nil
	}, report, false)
	if err != nil {
		return err
	}
	if !report.OK() {
		return fmt.Errorf("demo index values: %+v", report.Problems)
	}
	return nil
}
