package paths

// Decisions is the list of decisions (staff, leaders).
func Decisions() string { return "/decisions" }

// DecisionNew is where staff draft a decision from a closed session
// (?session=ID).
func DecisionNew() string { return Decisions() + "/new" }

// Decision is a decision's page (drafts editable by staff).
func Decision(decisionID int64) string { return Decisions() + "/" + id(decisionID) }

// DecisionPDF is the decision in the official layout.
func DecisionPDF(decisionID int64) string { return Decision(decisionID) + ".pdf" }

// DecisionSign is where a leader who did not draft it approves and signs it.
func DecisionSign(decisionID int64) string { return Decision(decisionID) + "/sign" }

// DecisionRevoke is where staff draft the decision revoking a signed one.
func DecisionRevoke(decisionID int64) string { return Decision(decisionID) + "/revoke" }

// Certificates are the certificates (Bằng khen, Giấy khen) of a signed
// decision, one landscape page per awardee; Certificate one awardee's.
func Certificates(decisionID int64) string { return Decision(decisionID) + "/certificates.pdf" }
func Certificate(decisionID, awardeeID int64) string {
	return Decision(decisionID) + "/certificates/" + id(awardeeID) + ".pdf"
}

// PublicDecision is a signed decision as anyone reads it; PublicDecisionPDF
// its PDF.
func PublicDecision(decisionID int64) string    { return "/public/decisions/" + id(decisionID) }
func PublicDecisionPDF(decisionID int64) string { return PublicDecision(decisionID) + ".pdf" }

// DecisionNewFrom is the draft form of a decision from a closed session.
func DecisionNewFrom(sessionID int64) string { return DecisionNew() + "?session=" + id(sessionID) }

// DecisionIssuers is the list and editor of issuing bodies; DecisionIssuer
// where one is corrected.
func DecisionIssuers() string              { return Decisions() + "/issuers" }
func DecisionIssuer(issuerID int64) string { return DecisionIssuers() + "/" + id(issuerID) }
