package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"maps"
	"net/http"
	"slices"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/web"
)

// Every form follows one convention (docs/architecture.md, "Forms"):
//
//   - the handler parses what was typed into a small struct and keeps it;
//   - its problems are one web.Problems, filled by fieldProblem for the
//     handler's own checks and by problemsOf for a domain error, each
//     translated here, in the order the form shows its fields;
//   - a refused form is shown again by its render function, with what was
//     typed and its problems, with the status refusalStatus gives: 422, or
//     409 when the refusal is a conflict (a stale version, an illegal state
//     change). refuse does all of that for an error from the domain.

// fieldProblem records the problem of a field, a catalogue key with its
// arguments, in the user's language. A field of "" or "form" is about the
// form as a whole.
func fieldProblem(ctx context.Context, p *web.Problems, field, key string, args ...any) {
	text := i18n.T(ctx, key, args...)
	if field == "form" {
		field = ""
	}
	p.Field(field, text)
}

// problemsOf turns the refusal of a form into its problems: each field of a
// *domain.ValidationError beside its field, an EINVALID or ECONFLICT
// domain error and the problems of a criteria tree (domain.TreeErrors) for
// the form as a whole, all translated and put in the order of fields (the
// controls of the form, top to bottom). It reports false for errors that are
// not the user's to fix: those go to the error page.
func problemsOf(ctx context.Context, err error, fields ...string) (web.Problems, bool) {
	var p web.Problems
	if !addProblems(ctx, &p, err) {
		return p, false
	}
	p.Order(fields...)
	return p, true
}

// addProblems adds the problems err carries to p; false when err is not a
// refusal of the user's input.
func addProblems(ctx context.Context, p *web.Problems, err error) bool {
	var ve *domain.ValidationError
	var te domain.TreeErrors
	var de *domain.Error
	switch {
	case errors.As(err, &ve):
		// A map has no order: sort by name, so the summary is stable before
		// Order puts it in form order.
		for _, field := range slices.Sorted(maps.Keys(ve.Fields)) {
			fieldProblem(ctx, p, field, ve.Fields[field])
		}
		return true
	case errors.As(err, &te):
		for _, tp := range te {
			p.Form(treeProblemText(ctx, tp))
		}
		return true
	case errors.As(err, &de) && (de.Code == domain.EINVALID || de.Code == domain.ECONFLICT):
		p.Form(i18n.T(ctx, de.Message, de.Args...))
		return true
	}
	return false
}

// treeProblemText names the criterion a problem of a criteria tree is about.
func treeProblemText(ctx context.Context, tp domain.TreeProblem) string {
	return criteria.ProblemText(func(key string, args ...any) string { return i18n.T(ctx, key, args...) }, tp)
}

// refusalStatus is the status of a form shown again after err refused it:
// 409 for a conflict, 422 for anything else the user can fix.
func refusalStatus(err error) int {
	if domain.ErrorCode(err) == domain.ECONFLICT {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// refuse shows a form again after err refused it, when err is the user's
// to fix: show renders the form with what was typed, the problems of err
// (in the order of fields) and the status refusalStatus gives. Any other
// error is returned as it is, for the error page.
func refuse(ctx context.Context, err error, fields []string, show func(status int, p web.Problems) error) error {
	p, ok := problemsOf(ctx, err, fields...)
	if !ok {
		return err
	}
	return show(refusalStatus(err), p)
}

// newIdempotencyKey is the hidden key of a creation form, so a second
// submission of the same form finds what the first created.
func newIdempotencyKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
