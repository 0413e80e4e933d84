package server

import (
	"net/http"
	"strconv"
	"strings"

	"thidua/internal/domain"
	"thidua/web"
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

func pageParam(r *http.Request) int {
	p, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || p < 1 || p > 100000 {
		return 1
	}
	return p
}

func pager(r *http.Request, page, total, size int) web.Pager {
	pages := (total + size - 1) / size
	p := web.Pager{Page: page, Pages: pages}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}
