// Package i18n is the one message catalogue of the portal: every text a user
// reads comes from here, in Vietnamese (the default) and English.
package i18n

import (
	"context"
	"fmt"
	"time"

	"thidua/internal/domain"
)

// Locales supported, the default first.
const (
	Vietnamese = "vi"
	English    = "en"
)

type localeKey struct{}

// WithLocale returns ctx carrying the locale.
func WithLocale(ctx context.Context, locale string) context.Context {
	return context.WithValue(ctx, localeKey{}, locale)
}

// Locale returns the locale of ctx, Vietnamese when none was set.
func Locale(ctx context.Context) string {
	if l, ok := ctx.Value(localeKey{}).(string); ok {
		return l
	}
	return Vietnamese
}

// T returns the message key in the locale of ctx, formatted with args. An
// unknown key is returned as is, so a missing text shows, never panics.
func T(ctx context.Context, key string, args ...any) string {
	return Translate(Locale(ctx), key, args...)
}

// Translate returns the message key in locale, formatted with args.
func Translate(locale, key string, args ...any) string {
	m, ok := catalogue[key]
	if !ok {
		return key
	}
	s := m.vi
	if locale == English {
		s = m.en
		if one, ok := englishOne[key]; ok && len(args) > 0 && isOne(args[0]) {
			s = one
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// isOne reports whether a message's first argument is the count 1.
func isOne(v any) bool {
	switch n := v.(type) {
	case int:
		return n == 1
	case int64:
		return n == 1
	case int32:
		return n == 1
	}
	return false
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := catalogue[key]
	return ok
}

// Zone is the time zone every date is shown in.
var Zone = domain.Zone

// Date formats t as dd/mm/yyyy in Asia/Ho_Chi_Minh.
func Date(t time.Time) string { return t.In(Zone).Format("02/01/2006") }

// Day formats a calendar date (stored as midnight UTC) as dd/mm/yyyy.
func Day(d time.Time) string { return d.Format("02/01/2006") }

// DateTime formats t as HH:MM dd/mm/yyyy in Asia/Ho_Chi_Minh, the order of
// Vietnamese official documents.
func DateTime(t time.Time) string { return t.In(Zone).Format("15:04 02/01/2006") }
