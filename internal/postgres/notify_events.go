package postgres

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
)

// The helpers of the events' notifications (issue 13): what each message
// names, read in the event's transaction.

// campaignTitle returns a campaign's title for a notification.
func campaignTitle(ctx context.Context, tx pgx.Tx, campaignID int64) (string, error) {
	var title string
	err := tx.QueryRow(ctx, `SELECT title FROM campaigns WHERE id = $1`, campaignID).Scan(&title)
	return title, err
}

// pointsText writes points as a notification shows them: a decimal comma,
// as the portal's Vietnamese pages write them.
func pointsText(p domain.Points) string { return strings.ReplaceAll(p.String(), ".", ",") }

// detailMax is the longest detail a notification keeps (the column's check).
const detailMax = 4000

// notifyDetail keeps words a person typed within a notification's detail:
// cut at a character, marked by an ellipsis, when they are longer.
func notifyDetail(s string) string {
	if utf8.RuneCountInString(s) <= detailMax {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:detailMax-1]), " \n") + "…"
}

// scopeUnits selects, as of day $1, the units in force of a campaign's
// scope ($2, NULL for the whole province) and target kinds ($3, empty for
// every kind): the units it is announced to (scopeUnregistered's units,
// registered or not).
const scopeUnits = `
	WITH RECURSIVE inforce AS (` + unitAsOf + `),
	scoped AS (
		SELECT id FROM inforce WHERE $2::bigint IS NULL OR id = $2
		UNION SELECT i.id FROM inforce i JOIN scoped s ON i.parent_id = s.id WHERE $2::bigint IS NOT NULL)
	SELECT i.id FROM inforce i JOIN scoped s ON s.id = i.id
	WHERE cardinality($3::text[]) = 0 OR i.kind = ANY($3)`

// notifyAnnounced tells the focal points of the units in the campaign's
// scope that it is announced and they may register.
func (db *DB) notifyAnnounced(ctx context.Context, tx pgx.Tx, campaignID int64) error {
	var title string
	var kinds []string
	var scope *int64
	if err := tx.QueryRow(ctx, `SELECT title, target_kinds, scope_unit_id FROM campaigns WHERE id = $1`, campaignID).
		Scan(&title, &kinds, &scope); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, scopeUnits, domain.DateOf(db.Now()), scope, kinds)
	if err != nil {
		return err
	}
	units, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	return db.notifyUnits(ctx, tx, domain.NewNotification{Kind: domain.NotifyCampaignAnnounced, Message: "notify.campaign_announced",
		Args: []string{title}, Link: paths.Registrations(campaignID)}, units...)
}

// notifyDecided tells each unit whose registration was approved or
// rejected, with the reason of a rejection.
func (db *DB) notifyDecided(ctx context.Context, tx pgx.Tx, campaignID int64, registrationIDs []int64, approved bool, reason string) error {
	if len(registrationIDs) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT unit_id FROM registrations WHERE id = ANY ($1) ORDER BY unit_id`, registrationIDs)
	if err != nil {
		return err
	}
	units, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	return db.notifyUnitsDecided(ctx, tx, campaignID, units, approved, reason)
}

// notifyUnitsDecided tells each of the units that its registration was
// approved or rejected: a notice per unit, naming it.
func (db *DB) notifyUnitsDecided(ctx context.Context, tx pgx.Tx, campaignID int64, unitIDs []int64, approved bool, reason string) error {
	if len(unitIDs) == 0 {
		return nil
	}
	title, err := campaignTitle(ctx, tx, campaignID)
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `
		SELECT id, name FROM units WHERE id = ANY ($1) ORDER BY id`, unitIDs)
	if err != nil {
		return err
	}
	type unit struct {
		ID   int64
		Name string
	}
	units, err := pgx.CollectRows(rows, pgx.RowToStructByPos[unit])
	if err != nil {
		return err
	}
	message := "notify.registration_decided.rejected"
	if approved {
		message, reason = "notify.registration_decided.approved", ""
	}
	for _, u := range units {
		if err := db.notifyUnits(ctx, tx, domain.NewNotification{Kind: domain.NotifyRegistrationDecided, Message: message,
			Args: []string{u.Name, title}, Detail: notifyDetail(reason), Link: paths.Registrations(campaignID)}, u.ID); err != nil {
			return err
		}
	}
	return nil
}

// notifyPublished tells the participants of a published result group (the
// units on its proposal's rows) that their results are public.
func (db *DB) notifyPublished(ctx context.Context, tx pgx.Tx, campaignID, resultID int64) error {
	var title, phase, set string
	if err := tx.QueryRow(ctx, `SELECT c.title, p.name, s.name FROM phase_results r JOIN campaigns c ON c.id = r.campaign_id
		JOIN phases p ON p.id = r.phase_id JOIN criteria_sets s ON s.id = r.set_id WHERE r.id = $1`, resultID).Scan(&title, &phase, &set); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT unit_id FROM result_rows
		WHERE step_id = (SELECT proposal_step_id FROM phase_results WHERE id = $1) ORDER BY unit_id`, resultID)
	if err != nil {
		return err
	}
	units, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	return db.notifyUnits(ctx, tx, domain.NewNotification{Kind: domain.NotifyResultsPublished, Message: "notify.results_published",
		Args: []string{phase, set, title}, Link: paths.PublicResults(campaignID)}, units...)
}

// notifyOpened tells the members who vote at an opened session (present,
// not the secretary) that its ballot is open.
func (db *DB) notifyOpened(ctx context.Context, tx pgx.Tx, councilID, sessionID int64, heldOn time.Time, lines []domain.SessionMember) error {
	var council, title string
	if err := tx.QueryRow(ctx, `SELECT k.name, c.title FROM council_sessions s JOIN councils k ON k.id = s.council_id
		JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = $1`, sessionID).Scan(&council, &title); err != nil {
		return err
	}
	var voters []int64
	for i := range lines {
		if lines[i].Votes() {
			voters = append(voters, lines[i].UserID)
		}
	}
	return db.notify(ctx, tx, domain.NewNotification{Kind: domain.NotifySessionOpened, Message: "notify.session_opened",
		Args: []string{council, i18n.Day(heldOn), title}, Link: paths.Ballot(councilID, sessionID)}, voters)
}

// notifyToSign tells the leaders who may sign a drafted decision (every
// leader but its drafter, as CanSignDecision and DecisionsToSign have it)
// that it waits for a signature.
func (db *DB) notifyToSign(ctx context.Context, tx pgx.Tx, decisionID int64, kind domain.DecisionKind, title string) error {
	leaders, err := usersWithRole(ctx, tx, domain.RoleLeader)
	if err != nil {
		return err
	}
	message := "notify.decision_to_sign"
	if kind == domain.DecisionRevocation {
		message = "notify.decision_to_sign.revocation"
	}
	// The drafter is the acting user, whom notify leaves out.
	return db.notify(ctx, tx, domain.NewNotification{Kind: domain.NotifyDecisionToSign, Message: message,
		Args: []string{title}, Link: paths.Decision(decisionID)}, leaders)
}

// notifySigned tells a signed decision's drafter, and the focal points of
// the units it awards (a unit, or a person's unit) or, for a revocation,
// of the units the revoked decision awarded, that it is signed.
func (db *DB) notifySigned(ctx context.Context, tx pgx.Tx, decisionID int64, kind domain.DecisionKind, number string, day time.Time, draftedBy, revokesID *int64) error {
	var title string
	if err := tx.QueryRow(ctx, `SELECT title FROM decisions WHERE id = $1`, decisionID).Scan(&title); err != nil {
		return err
	}
	message := "notify.decision_signed"
	if kind == domain.DecisionRevocation {
		message = "notify.decision_signed.revocation"
	}
	n := domain.NewNotification{Kind: domain.NotifyDecisionSigned, Message: message,
		Args: []string{number, title, i18n.Day(day)}, Link: paths.Decision(decisionID)}
	if draftedBy != nil {
		if err := db.notify(ctx, tx, n, []int64{*draftedBy}); err != nil {
			return err
		}
	}
	awards := decisionID
	switch {
	case kind == domain.DecisionAward:
	case kind == domain.DecisionRevocation && revokesID != nil:
		awards = *revokesID
	default:
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT unit_id FROM decision_awardees WHERE decision_id = $1 AND unit_id IS NOT NULL ORDER BY unit_id`, awards)
	if err != nil {
		return err
	}
	units, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	users, err := focalPointsOf(ctx, tx, units...)
	if err != nil {
		return err
	}
	if draftedBy != nil {
		// Told once, with the staff page's link.
		users = slices.DeleteFunc(users, func(id int64) bool { return id == *draftedBy })
	}
	n.Link = paths.PublicDecision(decisionID)
	return db.notify(ctx, tx, n, users)
}
