package domain

import (
	"regexp"
	"strings"
)

// What staff type for an issuer and a decision (issue 12, part
// "decisions"), with the checks the database repeats.

// AuditIssuerSave records an issuer created or corrected.
const AuditIssuerSave = "issuer.save"

func init() { AuditActions = append(AuditActions, AuditIssuerSave) }

var issuerCode = regexp.MustCompile(`^[\p{Lu}Đ0-9-]{1,20}$`)

// Normalize cleans what was typed.
func (i *Issuer) Normalize() {
	i.Name = CleanText(i.Name)
	i.ParentName = CleanText(i.ParentName)
	i.Code = strings.ToUpper(CleanText(i.Code))
	i.Place = CleanText(i.Place)
	i.SignerAuthority = CleanText(i.SignerAuthority)
	i.SignerTitle = CleanText(i.SignerTitle)
}

// Validate checks an issuer, field by field.
func (i *Issuer) Validate() error {
	f := FieldErrors{}
	textField(f, "name", i.Name, 1, 300, "issuer.name.invalid")
	textField(f, "parent_name", i.ParentName, 0, 300, "issuer.parent_name.invalid")
	if !issuerCode.MatchString(i.Code) {
		f.Add("code", "issuer.code.invalid")
	}
	textField(f, "place", i.Place, 1, 100, "issuer.place.invalid")
	textField(f, "signer_authority", i.SignerAuthority, 0, 100, "decision.text.too_long")
	textField(f, "signer_title", i.SignerTitle, 0, 100, "decision.text.too_long")
	return f.Err()
}

// textField records key for field unless s is valid text of min to max
// characters.
func textField(f FieldErrors, field, s string, min, max int, key string) {
	if !ValidText(s) || RuneLen(s) < min || RuneLen(s) > max {
		f.Add(field, key)
	}
}

// DecisionInput is what staff type on a decision's draft.
type DecisionInput struct {
	IssuerID        int64
	Place           string
	Title           string
	Grounds         string
	Proposal        string
	Achievement     string
	Articles        string
	Recipients      string
	SignerAuthority string
	SignerTitle     string
	SignerName      string
	Reason          string // a revocation's reason
}

// cleanLines cleans each line of a multi-line text and drops empty ones.
func cleanLines(s string) string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = CleanText(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Normalize cleans what was typed: one line per ground, article and
// recipient, NFC everywhere.
func (d *DecisionInput) Normalize() {
	d.Place = CleanText(d.Place)
	d.Title = CleanText(d.Title)
	d.Grounds = cleanLines(d.Grounds)
	d.Proposal = CleanText(d.Proposal)
	d.Achievement = CleanText(d.Achievement)
	d.Articles = cleanLines(d.Articles)
	d.Recipients = cleanLines(d.Recipients)
	d.SignerAuthority = CleanText(d.SignerAuthority)
	d.SignerTitle = CleanText(d.SignerTitle)
	d.SignerName = CleanText(d.SignerName)
	d.Reason = CleanText(d.Reason)
}

// Validate checks a draft; revocation says whether it revokes a decision
// (its reason is then required).
func (d *DecisionInput) Validate(revocation bool) error {
	f := FieldErrors{}
	if d.IssuerID <= 0 {
		f.Add("issuer", "decision.issuer.required")
	}
	textField(f, "place", d.Place, 1, 100, "decision.place.required")
	textField(f, "title", d.Title, 1, 1000, "decision.title.required")
	textField(f, "grounds", d.Grounds, 1, 10000, "decision.grounds.required")
	textField(f, "proposal", d.Proposal, 0, 2000, "decision.text.too_long")
	if revocation {
		textField(f, "achievement", d.Achievement, 0, 2000, "decision.text.too_long")
	} else {
		textField(f, "achievement", d.Achievement, 1, 2000, "decision.achievement.required")
	}
	textField(f, "articles", d.Articles, 0, 10000, "decision.text.too_long")
	textField(f, "recipients", d.Recipients, 1, 4000, "decision.recipients.required")
	textField(f, "signer_authority", d.SignerAuthority, 0, 100, "decision.text.too_long")
	textField(f, "signer_title", d.SignerTitle, 1, 100, "decision.signer_title.required")
	textField(f, "signer_name", d.SignerName, 0, 200, "decision.text.too_long")
	if revocation {
		textField(f, "reason", d.Reason, 1, 4000, "decision.reason.required")
	} else {
		textField(f, "reason", d.Reason, 0, 4000, "decision.text.too_long")
	}
	return f.Err()
}

// DecisionAuthority is the body that decides, printed above the grounds:
// the signer's authority without its "KT."/"TM."/"Q."/"TL." prefix (else
// the signer's title), then the issuer ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
// ĐỒNG THÁP").
func DecisionAuthority(signerAuthority, signerTitle, issuerName string) string {
	who := strings.TrimSpace(signerAuthority)
	for _, p := range []string{"KT.", "TM.", "Q.", "TL.", "TUQ."} {
		if rest, ok := strings.CutPrefix(who, p); ok {
			who = strings.TrimSpace(rest)
			break
		}
	}
	if who == "" {
		who = strings.TrimSpace(signerTitle)
	}
	name := strings.ToUpper(issuerName)
	if who == "" || strings.HasPrefix(name, strings.ToUpper(who)) {
		return name
	}
	return strings.ToUpper(who) + " " + name
}
