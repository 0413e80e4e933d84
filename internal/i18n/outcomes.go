package i18n

import (
	"context"
	"fmt"
	"math"
	"time"

	"thidua/internal/domain"
)

// Outcome words an eligibility rule's outcome in the user's language:
// bands, flag kinds and dates among its arguments are translated too.
func Outcome(ctx context.Context, o domain.Outcome) string {
	args := make([]any, len(o.Args))
	for i, a := range o.Args {
		// JSON gives numbers back as float64: the catalogue wants %d.
		if f, ok := a.(float64); ok && f == math.Trunc(f) {
			a = int(f)
		}
		args[i] = a
	}
	switch o.Kind {
	case domain.RuleMinBand:
		for i, a := range args {
			if b, ok := a.(string); ok {
				args[i] = T(ctx, "band."+b)
			}
		}
	case domain.RuleNoPendingFlag:
		if len(args) == 3 {
			args[0] = T(ctx, fmt.Sprint("shortlist.flag.", args[0]))
			if d, err := time.Parse(time.DateOnly, fmt.Sprint(args[1])); err == nil {
				args[1] = Day(d)
			}
		}
	}
	return T(ctx, o.Key, args...)
}

// ProposalReason words, in Vietnamese (the language of the records), why a
// shortlist's proposal left a nominee out: what the focal point reads on
// the nomination ("" when it did not).
func ProposalReason(p domain.Proposal, quota *int) string {
	ctx := WithLocale(context.Background(), "vi")
	if o, fails := domain.FirstFailure(p.Outcomes); fails {
		return Outcome(ctx, o)
	}
	if p.Status == domain.EntryExcluded && quota != nil {
		return T(ctx, "shortlist.why.over_quota", *quota)
	}
	return ""
}
