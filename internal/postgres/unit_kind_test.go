package postgres_test

import (
	"context"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
)

// TestTownKind is issue 8 point 12: the database takes the kind thị trấn.
func TestTownKind(t *testing.T) {
	db := pgtest.NewDB(t)
	id := mustUnit(t, db, domain.UnitInput{Name: "UBND thị trấn Mỹ Thọ", Code: "29995", Kind: domain.KindTown})
	u, err := db.UnitByID(context.Background(), id)
	if err != nil || u.Kind != domain.KindTown {
		t.Fatalf("town read back as %+v, %v", u, err)
	}
}
