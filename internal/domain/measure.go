package domain

import (
	"fmt"
	"time"
)

// MeasureScale is what a measure's values count: a percentage or points on
// the measure's own scale (PAPI's dimensions run from 1 to 10).
type MeasureScale string

// Measure scales.
const (
	ScalePercent MeasureScale = "percent"
	ScalePoints  MeasureScale = "points"
)

// Measure is an external index published about units by someone else (PAR
// INDEX and SIPAS by Bộ Nội vụ, PAPI's dimensions by UNDP, the share of
// dossiers handled on time). Min and Max bound its values, in hundredths.
type Measure struct {
	ID        int64
	Code      string // PAR_INDEX, SIPAS, PAPI_1 … PAPI_8, TTHC_DUNG_HAN
	ShortName string // "PAR INDEX"
	Name      string
	Scale     MeasureScale
	Min, Max  int64
	Publisher string
}

// FormatValue writes a value of the measure the Vietnamese way, with its
// unit: "85,23 %", "6,12 điểm".
func (m *Measure) FormatValue(v int64) string {
	if m.Scale == ScalePercent {
		return Points(v).String() + " %"
	}
	return Points(v).String() + " điểm"
}

// MeasureValue is a unit's value of a measure for a period (a year), with
// where it came from.
type MeasureValue struct {
	MeasureID   int64
	UnitID      int64
	Period      int
	Value       int64 // hundredths
	Source      string
	PublishedOn time.Time
}

// MeasureSource says where an appraised value came from, as the form shows
// it: "PAR INDEX 2025 — Bộ Nội vụ, công bố 15/04/2026".
func MeasureSource(shortName string, period int, source string, published time.Time) string {
	return fmt.Sprintf("%s %d — %s, công bố %s", shortName, period, source, published.Format("02/01/2006"))
}

// ValidMeasurePeriod reports whether a year can carry a measure's value.
func ValidMeasurePeriod(y int) bool { return y >= 2000 && y <= 2100 }

// MeasureRow is one row of an external values file; Invalid as for UnitRow.
type MeasureRow struct {
	Invalid     bool
	Line        int
	UnitCode    string
	UnitName    string
	MeasureCode string
	Period      int
	Value       int64
	HasValue    bool
	Source      string
	PublishedOn time.Time
}
