package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"maps"
	"slices"

	"thidua/internal/domain"
	"thidua/internal/i18n"
)

// formError turns a validation or domain error into form messages; it
// reports false for errors that are not the user's to fix.
func formError(ctx context.Context, err error, into map[string]string) bool {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		for k, m := range ve.Fields {
			into[k] = m
		}
		return true
	}
	var de *domain.Error
	if errors.As(err, &de) && (de.Code == domain.EINVALID || de.Code == domain.ECONFLICT) {
		into["form"] = i18n.T(ctx, de.Message, de.Args...)
		return true
	}
	return false
}

// formMessages turns the errors formError collected into one list for a
// summary, translated where they are catalogue keys, in a stable order.
func formMessages(ctx context.Context, errs map[string]string) []string {
	var msgs []string
	for _, field := range slices.Sorted(maps.Keys(errs)) {
		m := errs[field]
		if i18n.Has(m) {
			m = i18n.T(ctx, m)
		}
		msgs = append(msgs, m)
	}
	return msgs
}

func newIdempotencyKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
