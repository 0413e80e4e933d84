package seed

import (
	"context"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/password"
	"thidua/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestDemoOnce(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	logins, seeded, err := Demo(ctx, db)
	if err != nil || !seeded || len(logins) < 4 {
		t.Fatalf("first seed: %v seeded=%v logins=%d", err, seeded, len(logins))
	}
	roles := map[domain.Role]bool{}
	for _, l := range logins {
		u, err := db.UserByEmail(ctx, l.Email)
		if err != nil {
			t.Fatal(err)
		}
		roles[u.Role] = true
		if ok, _ := password.Verify(DemoPassword, u.PasswordHash); !ok {
			t.Errorf("%s: demo password does not work", l.Email)
		}
		if u.Role == domain.RoleFocalPoint && u.UnitName == "" {
			t.Errorf("%s: focal point without a unit", l.Email)
		}
	}
	if len(roles) != 4 {
		t.Errorf("demo logins cover roles %v, want all four", roles)
	}
	var units int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&units)
	_, seeded, err = Demo(ctx, db)
	if err != nil || seeded {
		t.Fatalf("second seed: %v seeded=%v", err, seeded)
	}
	var after int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&after)
	if after != units {
		t.Errorf("second seed changed units: %d → %d", units, after)
	}
}
