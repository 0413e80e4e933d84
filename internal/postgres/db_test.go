package postgres

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

func TestWrapNamesTheOperation(t *testing.T) {
	fail := func(err error) (out error) {
		out = err
		wrap(&out, "UnitByID")
		return out
	}
	if err := fail(nil); err != nil {
		t.Errorf("nil wrapped: %v", err)
	}
	err := fail(pgx.ErrNoRows)
	if err.Error() != "postgres.UnitByID: no rows in result set" || !errors.Is(err, pgx.ErrNoRows) {
		t.Errorf("database error: %q (Is ErrNoRows: %v)", err, errors.Is(err, pgx.ErrNoRows))
	}
	de := domain.Errorf(domain.ECONFLICT, "campaign.transition.illegal")
	if err := fail(de); err != de {
		t.Errorf("a domain error must pass unchanged, got %v", err)
	}
	ve := &domain.ValidationError{Fields: domain.FieldErrors{"code": "unit.code.taken"}}
	if err := fail(ve); err != ve {
		t.Errorf("a validation error must pass unchanged, got %v", err)
	}
}
