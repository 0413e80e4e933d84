package server

import (
	"context"
	"sort"
	"strings"

	"thidua/internal/domain"
	"thidua/internal/i18n"
)

// describeMethod says how a criterion is scored as people read it: "Đạt → 2
// điểm; không đạt → 0 điểm", "≥ 80 % → 6 điểm; ≥ 50 % → 4 điểm; dưới 50 % →
// 0 điểm", "đạt 100 % chỉ tiêu → tối đa 5 điểm". It is the one description
// of a method, used by the form, the criteria editor and the receipt.
func describeMethod(ctx context.Context, n domain.Criterion) string {
	switch n.Method {
	case domain.MethodYesNo:
		return i18n.T(ctx, "method.describe.yes_no", n.Max.String())
	case domain.MethodTiers:
		tiers := append([]domain.Tier(nil), n.Tiers...)
		sort.Slice(tiers, func(i, j int) bool { return tiers[i].Min > tiers[j].Min })
		var parts []string
		for _, t := range tiers {
			parts = append(parts, i18n.T(ctx, "method.describe.tier", domain.Points(t.Min).String(), t.Points.String()))
		}
		if len(tiers) > 0 && tiers[len(tiers)-1].Min > 0 {
			parts = append(parts, i18n.T(ctx, "method.describe.tier_below", domain.Points(tiers[len(tiers)-1].Min).String()))
		}
		return i18n.T(ctx, "method.describe.tiers", strings.Join(parts, "; "))
	case domain.MethodTargetShare:
		// An example at 80 % of the target, computed by the method itself.
		example, _ := n.PointsFor(domain.Score{Measured: n.Target * 80 / 100})
		return i18n.T(ctx, "method.describe.target_share", domain.Points(n.Target).String(), n.Max.String(), example.String())
	}
	return i18n.T(ctx, "method.describe.points", n.Max.String(), n.Step.String())
}
