package server

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
	"thidua/internal/paths"
)

// TestBallotSecrecy is acceptance 2: after a session where every member
// voted differently (in person, and once by a written ballot), a dump of
// every row of every table of the public schema (to_jsonb, so every
// column), the audit log among them, and the application's log hold no row
// or line with both a voter (their user or member ID in an ID column, their
// name or e-mail anywhere) and a choice (a tally column, a choice's word or
// a ballot field); no page shows one either.
func TestBallotSecrecy(t *testing.T) {
	t.Parallel()
	fx := newVoteFixture(t, 3, 5)
	ctx := context.Background()
	fx.newSession(t)
	fx.putNominees(t, http.StatusSeeOther, fx.entries...)
	att := map[string][]string{"version": {fx.version(t)}, fmt.Sprintf("attendance-%d", fx.voters[4].member): {"written"}}
	wantStatus(t, fx.staff.post(paths.SessionAttendance(fx.council, fx.session), att), http.StatusSeeOther)
	fx.open(t, fx.staff)
	n := []int64{fx.nominee(t, fx.entries[0]), fx.nominee(t, fx.entries[1]), fx.nominee(t, fx.entries[2])}
	marks := []map[int64]string{
		{n[0]: "for", n[1]: "for", n[2]: "for"},
		{n[0]: "against", n[1]: "for", n[2]: ""},
		{n[0]: "for", n[1]: "against", n[2]: "against"},
		{n[0]: "", n[1]: "", n[2]: "for"},
	}
	for i, m := range marks {
		wantStatus(t, fx.vote(t, fx.voters[i], m), http.StatusSeeOther)
	}
	written := ballot(map[int64]string{n[0]: "against", n[1]: "against", n[2]: ""})
	written.Set("member", fmt.Sprint(fx.voters[4].member))
	wantStatus(t, fx.secretary.c.post(paths.WrittenBallot(fx.council, fx.session), written), http.StatusSeeOther)
	// Refused attempts leave no trace of their marks either.
	wantStatus(t, fx.vote(t, fx.voters[1], map[int64]string{n[0]: "for"}), http.StatusConflict)
	wantStatus(t, fx.vote(t, fx.secretary, map[int64]string{n[0]: "against"}), http.StatusForbidden)
	bad := ballot(map[int64]string{n[0]: "maybe"})
	wantStatus(t, fx.voters[0].c.post(paths.Ballot(fx.council, fx.session), bad), http.StatusBadRequest)
	fx.closeSession(t, fx.staff)
	if got := fx.tally(t, n[0]) + " | " + fx.tally(t, n[1]) + " | " + fx.tally(t, n[2]); got != "2/2/1 failed | 2/2/1 failed | 2/1/2 failed" {
		t.Fatalf("tallies %q", got)
	}

	// Who the voters are.
	voters := append(append([]*voter{}, fx.voters...), fx.secretary)
	userIDs, memberIDs := map[int64]bool{}, map[int64]bool{}
	var words []string
	for _, v := range voters {
		userIDs[v.u.ID], memberIDs[v.member] = true, true
		words = append(words, v.u.FullName, v.u.Email)
	}
	choiceWords := map[string]bool{"for": true, "against": true, "blank": true, "đồng ý": true, "không đồng ý": true}
	ballotField := regexp.MustCompile(`\bn-\d+=`)

	// A row holds a voter or a choice; nested values (the audit's details)
	// included.
	var holds func(key string, v any, voter, choice *bool)
	holds = func(key string, v any, voter, choice *bool) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				holds(k, e, voter, choice)
			}
		case []any:
			for _, e := range x {
				holds(key, e, voter, choice)
			}
		case json.Number:
			id, err := x.Int64()
			if err != nil {
				return
			}
			switch {
			case strings.HasSuffix(key, "user_id") || key == "actor_id" || strings.HasSuffix(key, "_by"):
				*voter = *voter || userIDs[id]
			case strings.HasSuffix(key, "member_id"):
				*voter = *voter || memberIDs[id]
			}
		case string:
			if strings.HasPrefix(x, `\x`) { // bytea: the sign-in sessions' data
				if b, err := hex.DecodeString(x[2:]); err == nil {
					x = string(b)
				}
			}
			for _, w := range words {
				if strings.Contains(x, w) {
					*voter = true
				}
			}
			low := strings.ToLower(strings.TrimSpace(x))
			if choiceWords[low] || ballotField.MatchString(x) || strings.Contains(low, "không đồng ý") || strings.Contains(x, "against") {
				*choice = true
			}
		}
		switch key {
		case "votes_for", "votes_against", "votes_blank", "choice":
			*choice = true
		}
	}

	tables := []string{}
	rows, err := fx.a.db.Pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		_ = rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	var sawVoter, sawChoice, dumped int
	for _, table := range tables {
		rows, err := fx.a.db.Pool.Query(ctx, fmt.Sprintf(`SELECT to_jsonb(t)::text FROM %q t`, table))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var raw string
			if err := rows.Scan(&raw); err != nil {
				t.Fatal(err)
			}
			dumped++
			dec := json.NewDecoder(strings.NewReader(raw))
			dec.UseNumber()
			var row map[string]any
			if err := dec.Decode(&row); err != nil {
				t.Fatal(err)
			}
			voter, choice := false, false
			if table == "users" {
				id, _ := row["id"].(json.Number).Int64()
				voter = userIDs[id]
			}
			if table == "council_members" || table == "session_members" {
				key := "id"
				if table == "session_members" {
					key = "member_id"
				}
				id, _ := row[key].(json.Number).Int64()
				voter = voter || memberIDs[id]
			}
			holds("", row, &voter, &choice)
			if voter {
				sawVoter++
			}
			if choice {
				sawChoice++
			}
			if voter && choice {
				t.Errorf("table %s: a row holds a voter and a choice: %s", table, raw)
			}
		}
		rows.Close()
	}
	// The test looks where it should: voters (participation, audit,
	// roster) and choices (the tallies) are there, apart.
	if sawVoter < 10 || sawChoice < 3 || dumped < 100 {
		t.Fatalf("the dump saw %d rows with a voter, %d with a choice, %d in all", sawVoter, sawChoice, dumped)
	}
	var cast int
	if err := fx.a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('ballot.cast', 'ballot.written')`).Scan(&cast); err != nil || cast != 5 {
		t.Fatalf("%d ballot entries in the audit log, want 5 (%v)", cast, err)
	}

	// The application's log, line by line: the access log names the user
	// of each request; no line carries a mark.
	logs := fx.a.logs.String()
	choiceInLog := regexp.MustCompile(`(?i)\b(for|against)\b|đồng ý|n-\d+`)
	logVoter := 0
	for _, line := range strings.Split(logs, "\n") {
		voter := false
		for id := range userIDs {
			if regexp.MustCompile(`\buser_id=` + strconv.FormatInt(id, 10) + `\b`).MatchString(line) {
				voter = true
			}
		}
		for _, w := range words {
			voter = voter || strings.Contains(line, w)
		}
		if voter {
			logVoter++
			if choiceInLog.MatchString(line) {
				t.Errorf("log line with a voter and a choice: %s", line)
			}
		}
	}
	if logVoter < 5 {
		t.Fatalf("only %d log lines name a voter: is the log captured?", logVoter)
	}

	// Pages: the session (staff, a voter), the minutes, the audit log: no
	// line of them names a voter beside a choice.
	admin, _ := fx.a.loggedIn(domain.RoleAdmin)
	for name, doc := range map[string]*goquery.Document{
		"session (staff)": htmlOf(t, fx.staff.get(paths.Session(fx.council, fx.session))),
		"session (voter)": htmlOf(t, fx.voters[1].c.get(paths.Session(fx.council, fx.session))),
		"minutes":         htmlOf(t, fx.voters[2].c.get(paths.Minutes(fx.council, fx.session))),
		"audit":           htmlOf(t, admin.get("/audit")),
	} {
		doc.Find("li, tr, p, dd, td").Each(func(_ int, s *goquery.Selection) {
			text := s.Text()
			low := strings.ToLower(text)
			hasVoter := false
			for _, w := range words {
				hasVoter = hasVoter || strings.Contains(text, w)
			}
			if hasVoter && (strings.Contains(low, "đồng ý") || regexp.MustCompile(`\b(for|against)\b`).MatchString(low)) {
				t.Errorf("%s: %q names a voter beside a choice", name, strings.Join(strings.Fields(text), " "))
			}
		})
	}
}
