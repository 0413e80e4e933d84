package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"thidua/internal/pgtest"
)

// A request does not start with a ping: pgxpool by default pings every
// connection idle for more than a second, a round trip before the first
// query of most requests on a quiet portal. Only connections idle for over
// a minute are checked.
func TestPoolPingsOnlyLongIdleConnections(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	should := db.Pool.Config().ShouldPing
	if should == nil {
		t.Fatal("the pool pings every connection idle for more than a second (pgxpool's default)")
	}
	for idle, want := range map[time.Duration]bool{0: false, 2 * time.Second: false, 50 * time.Second: false, 2 * time.Minute: true} {
		if got := should(context.Background(), pgxpool.ShouldPingParams{IdleDuration: idle}); got != want {
			t.Errorf("connection idle for %v: ping %v, want %v", idle, got, want)
		}
	}
}
