package domain

// Reply decisions: the appraiser's answer to a unit's reply on one criterion.
const (
	ReplyAccepted = "accepted" // the final value is the one the appraiser enters
	ReplyKept     = "kept"     // the adjustment stands, with a reason
)

// ReplyAnswer is the appraiser's answer to a reply on one criterion.
type ReplyAnswer struct {
	Decision string
	Value    Entry  // the final value when accepted
	Reason   string // required when the adjustment is kept
}

// Validate checks an answer against its criterion and returns the final
// points when accepted.
func (a *ReplyAnswer) Validate(c *Criterion) (*Points, error) {
	f := FieldErrors{}
	a.Reason = CleanText(a.Reason)
	if RuneLen(a.Reason) > 2000 || !ValidText(a.Reason) {
		f.Add("reason", "field.too_long")
	}
	var pts *Points
	switch a.Decision {
	case ReplyKept:
		if a.Reason == "" {
			f.Add("reason", "reply.reason_required")
		}
	case ReplyAccepted:
		a.Value.Explanation = ""
		p, err := EntryPoints(c, a.Value)
		if err != nil {
			key, _ := ErrorMessage(err)
			f.Add("value", key)
		} else if p == nil && !(a.Value.NA && c.AllowNA) {
			f.Add("value", "reply.value_required")
		}
		pts = p
	default:
		f.Add("decision", "reply.decision_required")
	}
	return pts, f.Err()
}

// ReplyText cleans a unit's reply on one criterion and checks its length.
func ReplyText(s string) (string, error) {
	s = CleanText(s)
	if RuneLen(s) > 4000 || !ValidText(s) {
		return "", Errorf(EINVALID, "reply.too_long")
	}
	return s, nil
}
