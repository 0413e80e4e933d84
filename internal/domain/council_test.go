package domain

import "testing"

// TestCountVotes is the arithmetic of issue 12 acceptance 1: with 9 voting
// members and 90 % of the total, 8 for fails and 9 passes; on the members
// present, the outcome follows who took part; no quorum, no outcome.
func TestCountVotes(t *testing.T) {
	total90 := VoteRule{Basis: BasisTotal, Share: 9000, Quorum: 6666}
	present90 := VoteRule{Basis: BasisPresent, Share: 9000, Quorum: 6666}
	all := Turnout{Total: 9, Present: 9}
	seven := Turnout{Total: 9, Present: 6, Written: 1}
	for _, tc := range []struct {
		name    string
		rule    VoteRule
		turnout Turnout
		tally   Tally
		want    VoteOutcome
		share   string
		denom   int
	}{
		{"8 of 9, total", total90, all, Tally{For: 8, Against: 1}, VoteFailed, "88,9", 9},
		{"9 of 9, total", total90, all, Tally{For: 9}, VotePassed, "100", 9},
		{"7 of 7 present, total", total90, seven, Tally{For: 7}, VoteFailed, "77,8", 9},
		{"7 of 7 present, present", present90, seven, Tally{For: 7}, VotePassed, "100", 7},
		{"6 of 7 present, present", present90, seven, Tally{For: 6, Blank: 1}, VoteFailed, "85,7", 7},
		{"5 of 9 took part", present90, Turnout{Total: 9, Present: 5}, Tally{For: 5}, VoteNoQuorum, "100", 5},
		{"6 of 9 is two thirds", present90, Turnout{Total: 9, Present: 6}, Tally{For: 6}, VotePassed, "100", 6},
		{"half plus", VoteRule{Basis: BasisTotal, Share: 5001, Quorum: 6666}, all, Tally{For: 5, Against: 4}, VotePassed, "55,6", 9},
		{"half is not more than half", VoteRule{Basis: BasisTotal, Share: 5001, Quorum: 6666}, Turnout{Total: 10, Present: 10}, Tally{For: 5, Against: 5}, VoteFailed, "50", 10},
		// 899 of 1000 is 89,9 %; rounding to one decimal would print 90,0.
		{"no rounding across the share", total90, Turnout{Total: 1000, Present: 1000}, Tally{For: 899}, VoteFailed, "89,9", 1000},
		{"8999 of 10000", total90, Turnout{Total: 10000, Present: 10000}, Tally{For: 8999}, VoteFailed, "89,99", 10000},
	} {
		c := CountVotes(tc.rule, tc.turnout, tc.tally)
		if c.Outcome != tc.want || c.ShareOf() != tc.share || c.Denominator != tc.denom {
			t.Errorf("%s: outcome %s share %s of %d, want %s %s of %d", tc.name, c.Outcome, c.ShareOf(), c.Denominator, tc.want, tc.share, tc.denom)
		}
	}
}

func TestCouncilWords(t *testing.T) {
	if CouncilSecretary.Votes() || !CouncilChair.Votes() || CouncilRole("x").Votes() {
		t.Error("only chair, vice-chair and members vote")
	}
	if got := Percent(6667).String(); got != "66,67" {
		t.Errorf("Percent(6667) = %q", got)
	}
	if got := Percent(9000).String(); got != "90" {
		t.Errorf("Percent(9000) = %q", got)
	}
	if got := Percent(5010).String(); got != "50,1" {
		t.Errorf("Percent(5010) = %q", got)
	}
	if got := DecisionNumber(5, "UBND"); got != "05/QĐ-UBND" {
		t.Errorf("DecisionNumber = %q", got)
	}
	if got := Money(RewardAmount(150, 2340000)); got != "3.510.000" {
		t.Errorf("1,5 × 2.340.000 = %q", got)
	}
	roster := []SessionMember{{Role: CouncilChair, Attendance: AttendPresent}, {Role: CouncilSecretary, Attendance: AttendPresent},
		{Role: CouncilOrdinary, Attendance: AttendWritten}, {Role: CouncilOrdinary, Attendance: AttendAbsent}}
	if got := TurnoutOf(roster); got != (Turnout{Total: 3, Present: 1, Written: 1}) {
		t.Errorf("TurnoutOf = %+v", got)
	}
}
