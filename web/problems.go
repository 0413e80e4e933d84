package web

import "slices"

// Problem is one thing that stops a form, as shown: Text is already in the
// user's language; Field is the id of the control it is about ("" when it is
// about the form as a whole), so the error summary can link to it.
type Problem struct {
	Field string
	Text  string
}

// Problems are what stops a form: at most one message per field, in the
// order the fields appear on the form, and messages about the form as a
// whole. The zero value is an empty set, ready to use. Every form shows its
// problems the same way: ErrorSummary above the form, each field's message
// beside it (Input and friends, through Of).
type Problems struct {
	list []Problem
}

// FormProblems are problems of a form as a whole, one per non-empty text:
// a page that reports a single refusal (a failed import, a conflict)
// shows it with ErrorSummary like any form.
func FormProblems(texts ...string) Problems {
	var p Problems
	for _, t := range texts {
		if t != "" {
			p.Form(t)
		}
	}
	return p
}

// Field records the problem of a field; a field keeps its first problem.
func (p *Problems) Field(field, text string) {
	if field == "" {
		p.Form(text)
		return
	}
	if p.Of(field) != "" {
		return
	}
	p.list = append(p.list, Problem{Field: field, Text: text})
}

// Form records a problem of the form as a whole. The same message is kept
// once.
func (p *Problems) Form(text string) {
	if slices.ContainsFunc(p.list, func(q Problem) bool { return q.Field == "" && q.Text == text }) {
		return
	}
	p.list = append(p.list, Problem{Text: text})
}

// Of is the message of a field, "" when it has none.
func (p Problems) Of(field string) string {
	for _, q := range p.list {
		if q.Field == field && field != "" {
			return q.Text
		}
	}
	return ""
}

// Says reports whether one of the problems reads text: a page with a
// standing notice does not repeat it when a refusal already said it.
func (p Problems) Says(text string) bool {
	return slices.ContainsFunc(p.list, func(q Problem) bool { return q.Text == text })
}

// Len is the number of problems, of the fields and of the form.
func (p Problems) Len() int { return len(p.list) }

// Any reports whether the form has a problem.
func (p Problems) Any() bool { return len(p.list) > 0 }

// Fields are the problems of fields, in form order.
func (p Problems) Fields() []Problem {
	var fs []Problem
	for _, q := range p.list {
		if q.Field != "" {
			fs = append(fs, q)
		}
	}
	return fs
}

// FormMessages are the problems of the form as a whole, in the order they
// were recorded.
func (p Problems) FormMessages() []string {
	var ms []string
	for _, q := range p.list {
		if q.Field == "" {
			ms = append(ms, q.Text)
		}
	}
	return ms
}

// Order puts the field problems in the order of fields, the order the
// controls appear on the form; fields not named keep their relative order
// after the named ones. Form messages stay after the field problems.
func (p *Problems) Order(fields ...string) {
	rank := func(q Problem) int {
		if q.Field == "" {
			return len(fields) + 1
		}
		if i := slices.Index(fields, q.Field); i >= 0 {
			return i
		}
		return len(fields)
	}
	slices.SortStableFunc(p.list, func(a, b Problem) int { return rank(a) - rank(b) })
}

// Rename moves the problem of field from to the control to, for a rule
// whose field name differs from the control the user fills in (the domain
// checks "issuer_unit_id", the form asks for "issuer_code").
func (p *Problems) Rename(from, to string) {
	for i, q := range p.list {
		if q.Field == from {
			if p.Of(to) != "" {
				p.list = slices.Delete(p.list, i, i+1)
				return
			}
			p.list[i].Field = to
			return
		}
	}
}
