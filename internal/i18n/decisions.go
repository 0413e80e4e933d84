package i18n

import (
	"context"
	"strings"

	"thidua/internal/domain"
)

// DecisionDefaults is a new award decision's texts in the user's language,
// as staff find them prefilled on the draft form (and as the demo drafts
// one): the title, the grounds (the law, its decree, the campaign's plan),
// the proposal it answers, the achievement, the articles after the first
// and the recipients. The issuer, place and signer are the caller's.
func DecisionDefaults(ctx context.Context, campaignTitle, planNumber, campaignIssuer string) domain.DecisionInput {
	return domain.DecisionInput{
		Title: T(ctx, "decision.default.title", campaignTitle),
		Grounds: strings.Join([]string{
			T(ctx, "decision.default.ground_law"),
			T(ctx, "decision.default.ground_decree"),
			T(ctx, "decision.default.ground_plan", planNumber, campaignIssuer, campaignTitle),
		}, "\n"),
		Proposal:    T(ctx, "decision.default.proposal"),
		Achievement: T(ctx, "decision.default.achievement", campaignTitle),
		Articles:    T(ctx, "decision.default.article2") + "\n" + T(ctx, "decision.default.article3"),
		Recipients:  T(ctx, "decision.default.recipients"),
	}
}
