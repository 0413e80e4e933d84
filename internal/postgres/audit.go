package postgres

import (
	"context"
	"encoding/json"
	"net/netip"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// auditEntry is one line of the append-only audit log.
type auditEntry struct {
	Action     string
	ObjectType string
	ObjectID   string
	Details    map[string]any
}

// audit writes e in tx, so the entry commits or rolls back with the change it
// records. The actor comes from ctx.
func audit(ctx context.Context, tx pgx.Tx, e auditEntry) error {
	a := domain.ActorFrom(ctx)
	details, err := json.Marshal(e.Details)
	if err != nil {
		return err
	}
	if e.Details == nil {
		details = []byte("{}")
	}
	var actor *int64
	if a.UserID != 0 {
		actor = &a.UserID
	}
	var addr *netip.Addr
	if ip, err := netip.ParseAddr(a.ClientAddr); err == nil {
		addr = &ip
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO audit_log (actor_id, action, object_type, object_id, details, request_id, client_addr)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		actor, e.Action, e.ObjectType, e.ObjectID, details, a.RequestID, addr)
	return err
}

// Audit records an event that changes nothing else (a login, a denied
// request) in its own transaction.
func (db *DB) Audit(ctx context.Context, action, objectType, objectID string, details map[string]any) (err error) {
	defer wrap(&err, "Audit")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		return audit(ctx, tx, auditEntry{Action: action, ObjectType: objectType, ObjectID: objectID, Details: details})
	})
}

// AuditRecord is an audit log line as shown to administrators.
type AuditRecord struct {
	ID         int64
	At         time.Time
	ActorID    *int64
	ActorName  string
	Action     string
	ObjectType string
	ObjectID   string
	Details    string
	RequestID  string
	ClientAddr string
}

// ListAudit returns the newest audit entries, at most limit, older than
// beforeID when it is not zero (keyset pagination).
func (db *DB) ListAudit(ctx context.Context, beforeID int64, limit int) (_ []AuditRecord, err error) {
	defer wrap(&err, "ListAudit")
	rows, err := db.Pool.Query(ctx, `
		SELECT a.id, a.at, a.actor_id, coalesce(u.full_name, ''), a.action, a.object_type, a.object_id,
		       a.details::text, a.request_id, coalesce(host(a.client_addr), '')
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
		WHERE $1::bigint = 0 OR a.id < $1::bigint
		ORDER BY a.id DESC
		LIMIT $2`, beforeID, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[AuditRecord])
}
