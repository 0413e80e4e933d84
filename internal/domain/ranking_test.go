package domain

import (
	"fmt"
	"testing"
)

func TestRankStandardCompetition(t *testing.T) {
	for _, tc := range []struct {
		name   string
		totals []Points
		want   string // "index:rank[t]" best first
	}{
		{"empty", nil, ""},
		{"one", []Points{5000}, "0:1"},
		{"distinct, given worst first", []Points{6000, 9000, 8000}, "1:1 2:2 0:3"},
		{"1, 2, 2, 4", []Points{9500, 8000, 8000, 7000}, "0:1 1:2t 2:2t 3:4"},
		{"a tie keeps the given order", []Points{8000, 9500, 8000, 8000}, "1:1 0:2t 2:2t 3:2t"},
		{"tie at the top", []Points{9000, 9000, 100}, "0:1t 1:1t 2:3"},
		{"all tied", []Points{0, 0, 0}, "0:1t 1:1t 2:1t"},
		{"hundredths count", []Points{8001, 8000, 8001}, "0:1t 2:1t 1:3"},
		{"two ties", []Points{7, 7, 5, 3, 3, 1}, "0:1t 1:1t 2:3 3:4t 4:4t 5:6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			for i, p := range Rank(tc.totals) {
				if i > 0 {
					got += " "
				}
				got += fmt.Sprintf("%d:%d", p.Index, p.Rank)
				if p.Tied {
					got += "t"
				}
			}
			if got != tc.want {
				t.Errorf("Rank(%v) = %q, want %q", tc.totals, got, tc.want)
			}
		})
	}
}

func TestBandsOfRankedTotals(t *testing.T) {
	custom := Bands{Excellent: 9500, Good: 8500, Fair: 7000, Average: 5000}
	for _, tc := range []struct {
		bands Bands
		total Points
		want  string
	}{
		{DefaultBands, 10000, "excellent"},
		{DefaultBands, 9000, "excellent"},
		{DefaultBands, 8999, "good"},
		{DefaultBands, 6500, "fair"},
		{DefaultBands, 5000, "average"},
		{DefaultBands, 4999, "weak"},
		{DefaultBands, 0, "weak"},
		{custom, 9000, "good"},
		{custom, 8499, "fair"},
	} {
		if got := tc.bands.Classify(tc.total); got != tc.want {
			t.Errorf("%+v.Classify(%d) = %s, want %s", tc.bands, tc.total, got, tc.want)
		}
	}
}

func TestDifferenceAndRankedStatuses(t *testing.T) {
	for _, tc := range []struct{ self, appraised, want Points }{{9000, 8550, -450}, {7000, 7000, 0}, {6000, 6125, 125}} {
		if got := Difference(tc.self, tc.appraised); got != tc.want {
			t.Errorf("Difference(%d, %d) = %d, want %d", tc.self, tc.appraised, got, tc.want)
		}
	}
	for s, want := range map[AssessmentStatus]bool{AssessDraft: false, AssessSubmitted: false, AssessReturned: false,
		AssessReceived: false, AssessAppraised: true, AssessLocked: true} {
		if s.Ranked() != want {
			t.Errorf("%s.Ranked() = %v", s, !want)
		}
	}
}

func TestExplainAndAreas(t *testing.T) {
	p := func(v Points) *Points { return &v }
	area1, area2 := int64(1), int64(2)
	nodes := []Criterion{
		{ID: 1, Code: "1", Max: 2000},
		{ID: 11, ParentID: &area1, Code: "1.1", Max: 1000},
		{ID: 12, ParentID: &area1, Code: "1.2", Max: 1000, AllowNA: true},
		{ID: 2, Code: "2", Max: 1000},
		{ID: 21, ParentID: &area2, Code: "2.1", Max: 1000},
	}
	values := map[int64]ScoreValues{
		11: {Self: Entry{Points: p(1000)}, Appraised: Entry{Points: p(800)}, Final: Entry{Points: p(900)}},
		12: {Self: Entry{NA: true}, Appraised: Entry{NA: true}, Final: Entry{NA: true}},
		21: {Self: Entry{Points: p(500)}, Appraised: Entry{Points: p(500)}, Final: Entry{Points: p(500)}},
	}
	self, appraised, final := Explain(nodes, values)
	for _, tc := range []struct {
		name string
		got  Totals
		want Points
	}{{"self", self, 7500}, {"appraised", appraised, 6500}, {"final", final, 7000}} {
		if tc.got.Converted != tc.want || tc.got.ApplicableMax != 2000 {
			t.Errorf("%s: converted %d of %d, want %d of 2000", tc.name, tc.got.Converted, tc.got.ApplicableMax, tc.want)
		}
	}
	areas, leafArea := Areas(nodes)
	if len(areas) != 2 || areas[0].Code != "1" || areas[1].Code != "2" {
		t.Fatalf("areas %+v", areas)
	}
	if leafArea[11] != 0 || leafArea[12] != 0 || leafArea[21] != 1 || len(leafArea) != 3 {
		t.Errorf("leaf areas %v", leafArea)
	}
}

func TestRankerStreamsTheSameRanks(t *testing.T) {
	totals := []Points{9800, 9800, 9000, 8500, 8500, 8500, 100, 0, 0}
	var r Ranker
	for i, p := range Rank(totals) {
		if got := r.Next(totals[p.Index]); got != p.Rank {
			t.Errorf("row %d: Ranker %d, Rank %d", i, got, p.Rank)
		}
	}
}
