package domain

import "testing"

func TestParsePercent(t *testing.T) {
	for in, want := range map[string]Percent{"90": 9000, "66,66": 6666, "50.01": 5001, "90 %": 9000, " 0 ": 0, "100": 10000, "12,5": 1250} {
		if got, ok := ParsePercent(in); !ok || got != want {
			t.Errorf("ParsePercent(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "1,234", "9,9,9", "-5", "1000", ",5", "1e2"} {
		if _, ok := ParsePercent(in); ok {
			t.Errorf("ParsePercent(%q) accepted", in)
		}
	}
}

func TestVoteRuleInputValidate(t *testing.T) {
	from, to := Day(2026, 1, 1), Day(2025, 12, 31)
	in := VoteRuleInput{AwardFormID: 1, Basis: "half", Share: 0, Quorum: 10001, Citation: " ", From: &from, To: &to}
	err, _ := in.Validate().(*ValidationError)
	if err == nil {
		t.Fatal("a bad rule passed")
	}
	for _, f := range []string{"basis", "share", "quorum", "citation", "in_force_to"} {
		if err.Fields[f] == "" {
			t.Errorf("no problem for %s: %v", f, err.Fields)
		}
	}
	ok := VoteRuleInput{AwardFormID: 1, Basis: BasisPresent, Share: 9000, Quorum: 6666, Citation: "Quy chế"}
	if err := ok.Validate(); err != nil {
		t.Errorf("a good rule refused: %v", err)
	}
}
