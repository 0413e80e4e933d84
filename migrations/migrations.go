// Package migrations holds the SQL schema changes of Thi Đua as golang-migrate
// pairs, embedded in the binary so that a deployed portal migrates itself.
package migrations

import "embed"

// FS holds every NNNNNN_name.up.sql / .down.sql pair.
//
//go:embed *.sql
var FS embed.FS
