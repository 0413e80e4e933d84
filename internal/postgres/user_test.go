package postgres_test

import (
	"context"
	"errors"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
)

func TestCreateUserIdempotent(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	n := domain.NewUser{Email: "a@example.vn", FullName: "Nguyễn Văn A", Role: domain.RoleStaff}
	u1, created1, err := db.CreateUser(ctx, n, "hash", "key-0123456789abcdef")
	if err != nil || !created1 {
		t.Fatalf("first create: %v, created=%v", err, created1)
	}
	u2, created2, err := db.CreateUser(ctx, n, "hash", "key-0123456789abcdef")
	if err != nil || created2 || u2.ID != u1.ID {
		t.Fatalf("repeat create: %v, created=%v, id %d vs %d", err, created2, u2.ID, u1.ID)
	}
	_, _, err = db.CreateUser(ctx, n, "hash", "key-other-0123456789ab")
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || ve.Fields["email"] != "user.email.taken" {
		t.Fatalf("duplicate email: got %v", err)
	}
}

func TestUpdateUserStaleVersion(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	u, _, err := db.CreateUser(ctx, domain.NewUser{Email: "b@example.vn", FullName: "Trần Thị B", Role: domain.RoleStaff}, "hash", "")
	if err != nil {
		t.Fatal(err)
	}
	up := postgresUpdate(u, domain.RoleLeader)
	if err := db.UpdateUser(ctx, u.ID, up); err != nil {
		t.Fatal(err)
	}
	after, _ := db.UserByID(ctx, u.ID)
	if after.Role != domain.RoleLeader || after.SessionEpoch != u.SessionEpoch+1 {
		t.Errorf("after role change: role %s epoch %d (was %d)", after.Role, after.SessionEpoch, u.SessionEpoch)
	}
	// The same form submitted again carries the old version: a conflict.
	if err := db.UpdateUser(ctx, u.ID, up); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("stale update: got %v, want conflict", err)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	if err := db.Audit(ctx, "test.event", "test", "1", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE audit_log SET action = 'x'`); err == nil {
		t.Error("UPDATE of audit_log succeeded")
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM audit_log`); err == nil {
		t.Error("DELETE from audit_log succeeded")
	}
	if _, err := db.Pool.Exec(ctx, `TRUNCATE audit_log`); err == nil {
		t.Error("TRUNCATE of audit_log succeeded")
	}
	recs, err := db.ListAudit(ctx, 0, 10)
	if err != nil || len(recs) != 1 || recs[0].Action != "test.event" {
		t.Errorf("ListAudit = %+v, %v", recs, err)
	}
}

func TestNamesMustBeNFC(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	nfd := "Nguye\u0302\u0303n" // "Nguyễn" decomposed
	_, err := db.Pool.Exec(context.Background(), `INSERT INTO units (name) VALUES ($1)`, nfd)
	if err == nil {
		t.Error("NFD unit name accepted by the database")
	}
	id, err := db.CreateUnit(context.Background(), domain.UnitInput{Name: nfd, Kind: domain.KindOther})
	if err != nil {
		t.Fatalf("CreateUnit normalizes: %v", err)
	}
	var name string
	_ = db.Pool.QueryRow(context.Background(), `SELECT name FROM units WHERE id = $1`, id).Scan(&name)
	if name != "Nguyễn" {
		t.Errorf("stored %q, want NFC %q", name, "Nguyễn")
	}
}
