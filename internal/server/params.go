package server

import (
	"net/http"
	"strconv"
	"strings"

	"thidua/internal/domain"
)

// queryID reads an optional query parameter that holds a record number or a
// position (an ID, a keyset cursor): 0 when it is absent or empty, else a
// whole number from 1 to the largest bigint. Anything else (letters, a sign,
// a number too large) is the user's mistake and answers 400 naming the
// parameter, never a database error.
func queryID(r *http.Request, name string) (int64, error) {
	raw := strings.TrimSpace(r.URL.Query().Get(name))
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 1 || raw[0] == '+' {
		return 0, domain.Errorf(domain.EINVALID, "error.bad_parameter", name)
	}
	return n, nil
}
