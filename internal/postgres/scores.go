package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// StoredScore is one criterion's row of a form: the unit's entry, the
// appraisal, the unit's reply to it and the final value.
type StoredScore struct {
	CriterionID    int64
	Points         *domain.Points
	Measured       *int64
	NA             bool
	Explanation    string
	ReturnedReason string
	Reopened       bool
	Version        int
	UpdatedBy      string // who last changed the row, whatever their role
	UpdatedAt      time.Time
	// The appraisal: NULL (nil) until the criterion is appraised.
	AppraisedPoints   *domain.Points
	AppraisedMeasured *int64
	AppraisedNA       *bool
	AppraisalComment  string
	AppraisalSource   string // where the appraised value came from (an external index), "" when typed
	AppraisedBy       string
	AppraisedAt       *time.Time
	// The unit's reply and the appraiser's decision on it.
	Reply         string
	ReplyAt       *time.Time
	ReplyDecision string // "", "accepted" or "kept"
	ReplyReason   string
	// The final value: the appraised one until a reply is accepted.
	FinalPoints   *domain.Points
	FinalMeasured *int64
	FinalNA       *bool
}

// Self is the unit's own entry.
func (s StoredScore) Self() domain.Entry {
	return domain.Entry{Points: s.Points, Measured: s.Measured, NA: s.NA, Explanation: s.Explanation}
}

// Appraised reports whether the criterion has an appraised value.
func (s StoredScore) Appraised() bool {
	return s.AppraisedPoints != nil || s.AppraisedNA != nil && *s.AppraisedNA
}

// AppraisedEntry is the appraiser's value, the comment as its text (the
// zero Entry when not appraised).
func (s StoredScore) AppraisedEntry() domain.Entry {
	return domain.Entry{Points: s.AppraisedPoints, Measured: s.AppraisedMeasured, NA: s.AppraisedNA != nil && *s.AppraisedNA,
		Explanation: s.AppraisalComment}
}

// FinalEntry is the final value (the zero Entry before the appraisal).
func (s StoredScore) FinalEntry() domain.Entry {
	return domain.Entry{Points: s.FinalPoints, Measured: s.FinalMeasured, NA: s.FinalNA != nil && *s.FinalNA}
}

const storedScoreColumns = `s.criterion_id, s.points, s.measured, s.na, s.explanation, s.returned_reason, s.reopened, s.version,
	coalesce(u.full_name, ''), s.updated_at, s.appraised_points, s.appraised_measured, s.appraised_na, s.appraisal_comment,
	s.appraisal_source, coalesce(ap.full_name, ''), s.appraised_at, s.reply, s.reply_at, coalesce(s.reply_decision, ''), s.reply_reason,
	s.final_points, s.final_measured, s.final_na`

const scoresSQL = `SELECT ` + storedScoreColumns + `
		FROM scores s LEFT JOIN users u ON u.id = s.updated_by LEFT JOIN users ap ON ap.id = s.appraised_by
		WHERE s.campaign_id = $1 AND s.assessment_id = $2`

func loadScores(ctx context.Context, q querier, campaignID, assessmentID int64, lock bool) (map[int64]StoredScore, error) {
	sql := scoresSQL
	if lock {
		sql += ` FOR UPDATE OF s`
	}
	rows, err := q.Query(ctx, sql, campaignID, assessmentID)
	if err != nil {
		return nil, err
	}
	return collectScores(rows)
}

// collectScores reads the rows of scoresSQL by criterion. The form pages
// read them on every request, so they are scanned field by field: pgx's
// struct scanning found the fields by reflection for every row.
func collectScores(rows pgx.Rows) (map[int64]StoredScore, error) {
	defer rows.Close()
	out := map[int64]StoredScore{}
	var s StoredScore
	var points, appraised, final *int64
	dest := []any{&s.CriterionID, &points, &s.Measured, &s.NA, &s.Explanation, &s.ReturnedReason, &s.Reopened, &s.Version,
		&s.UpdatedBy, &s.UpdatedAt, &appraised, &s.AppraisedMeasured, &s.AppraisedNA, &s.AppraisalComment,
		&s.AppraisalSource, &s.AppraisedBy, &s.AppraisedAt, &s.Reply, &s.ReplyAt, &s.ReplyDecision, &s.ReplyReason,
		&final, &s.FinalMeasured, &s.FinalNA}
	for rows.Next() {
		s = StoredScore{}
		points, appraised, final = nil, nil, nil
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		s.Points, s.AppraisedPoints, s.FinalPoints = (*domain.Points)(points), (*domain.Points)(appraised), (*domain.Points)(final)
		out[s.CriterionID] = s
	}
	return out, rows.Err()
}

// FormRecords are a form's stored rows as its pages show them.
type FormRecords struct {
	Scores   map[int64]StoredScore // by criterion
	Evidence []AttachedEvidence
	// History is the form's latest changes, newest first, as many as asked
	// for; HistoryTotal counts them all.
	History      []HistoryRecord
	HistoryTotal int
}

// FormRecords reads a form's scores and attached evidence, and its latest
// history entries (at most history of them, and the count of all), in one
// round trip: the form pages need them together.
func (db *DB) FormRecords(ctx context.Context, a *Assessment, history int) (_ *FormRecords, err error) {
	defer wrap(&err, "FormRecords")
	out := &FormRecords{}
	if err := db.run(ctx, formRecordReads(a.CampaignID, a.ID, history, out)...); err != nil {
		return nil, err
	}
	return out, nil
}

// formRecordReads are the reads of FormRecords into out.
func formRecordReads(campaignID, assessmentID int64, history int, out *FormRecords) []read {
	reads := []read{
		{scoresSQL, []any{campaignID, assessmentID}, func(rows pgx.Rows) (err error) {
			out.Scores, err = collectScores(rows)
			return err
		}},
		{evidenceSQL, []any{assessmentID}, func(rows pgx.Rows) (err error) {
			out.Evidence, err = collectEvidence(rows)
			return err
		}},
	}
	if history > 0 {
		reads = append(reads, historyReads(assessmentID, 0, history, &out.History, &out.HistoryTotal)...)
	}
	return reads
}

// Scores returns a form's stored entries by criterion.
func (db *DB) Scores(ctx context.Context, a *Assessment) (_ map[int64]StoredScore, err error) {
	defer wrap(&err, "Scores")
	return loadScores(ctx, db.Pool, a.CampaignID, a.ID, false)
}

// ScoreEdit is one criterion of a saved form: what the user sent, what the
// form showed when it was loaded (Orig) and the row version it showed.
// Entry.Explanation carries the role's text (the unit's explanation, the
// appraiser's comment, the unit's reply).
type ScoreEdit struct {
	CriterionID int64
	Entry       domain.Entry
	Orig        domain.Entry
	Version     int
}

// Conflict is a criterion someone else changed since the form was loaded:
// what this user typed (Mine) and the row as it now is (Theirs; the role's
// value of it is ScoreRole.Current(Theirs)).
type Conflict struct {
	CriterionID int64
	Mine        domain.Entry
	Theirs      StoredScore
}

// ScoreRole is who writes a criterion's row through EditScores, and so
// which columns of scores: the unit's self-assessment (SelfScores), the
// appraiser (AppraisalScores), and next the unit's reply and the
// appraiser's decision on it. A role is a value: a new one is a new
// variable of this type, not another copy of the versioned edit.
type ScoreRole struct {
	// Action names the change in the form's history (assessment_history.action).
	Action string
	// Audit is the audit log's action for a save.
	Audit string
	// Allowed checks, with the form's row locked, that the form's state
	// takes this role's changes on day: one of the domain's transition
	// checks (Assessment.CheckSelfEdit, CheckAppraisal, Reply…).
	Allowed func(a *domain.Assessment, day time.Time) error
	// Current is the role's value of a stored row: compared with what a
	// save would store (a double click is no conflict) and written to the
	// history as the old value.
	Current func(s StoredScore) domain.Entry
	// Prepare checks one criterion's new value against its criterion and
	// its stored row and returns what to store (points computed by the
	// method, text cleaned). An EINVALID error is a problem shown beside
	// the criterion; an ECONFLICT one (a criterion this role may not change
	// in the form's state) refuses the whole save.
	Prepare func(a *domain.Assessment, c *domain.Criterion, cur StoredScore, e domain.Entry) (domain.Entry, error)
	// Columns are the columns of scores the role writes, Types their SQL
	// types; Values gives their values for a prepared entry, in the same
	// order.
	Columns []string
	Types   []string
	Values  func(e domain.Entry) []any
	// Stamps are columns the role sets by rule rather than from Values:
	// the saving user (StampActor), the save's time (StampNow), or an SQL
	// expression (a constant, or another column of the row written,
	// v.<column>).
	Stamps []Stamp
	// Apply sets on a stored row what Values and Stamps write, so the
	// totals are computed from the rows as saved without reading them again.
	Apply func(s *StoredScore, e domain.Entry, actor *int64, now time.Time)
}

// Stamp is a column a role sets by rule (ScoreRole.Stamps).
type Stamp struct{ Column, Value string }

// The values of a Stamp besides SQL constants.
const (
	StampActor = "actor" // the user saving (NULL for the system)
	StampNow   = "now"   // the save's time, by the server's clock (DB.Now)
)

// SelfScores is the unit's own scoring of a draft or returned form: the
// points or measured value, not applicable, and the explanation. On a
// returned form only the criteria staff reopened change.
var SelfScores = ScoreRole{
	Action: "score",
	Audit:  domain.AuditAssessmentSave,
	Allowed: func(a *domain.Assessment, day time.Time) error {
		return a.CheckSelfEdit(day)
	},
	Current: StoredScore.Self,
	Prepare: func(a *domain.Assessment, c *domain.Criterion, cur StoredScore, e domain.Entry) (domain.Entry, error) {
		if a.Status == domain.AssessReturned && !cur.Reopened {
			return domain.Entry{}, domain.Errorf(domain.ECONFLICT, "assessment.criterion_locked", c.Code)
		}
		return domain.CheckEntry(c, e, 4000)
	},
	Columns: []string{"points", "measured", "na", "explanation"},
	Types:   []string{"integer", "bigint", "boolean", "text"},
	Values: func(e domain.Entry) []any {
		return []any{e.Points, e.Measured, e.NA, e.Explanation}
	},
	Apply: func(s *StoredScore, e domain.Entry, _ *int64, _ time.Time) {
		s.Points, s.Measured, s.NA, s.Explanation = e.Points, e.Measured, e.NA, e.Explanation
	},
}

// AppraisalScores is the appraiser's value of each criterion of a received
// form, checked by the criterion's method like the unit's own, with a
// comment wherever it differs from the unit's value. The final value
// follows the appraised one (until a reply is accepted); a value typed by
// the appraiser has no external source.
var AppraisalScores = ScoreRole{
	Action: "appraise",
	Audit:  domain.AuditAppraisalSave,
	Allowed: func(a *domain.Assessment, _ time.Time) error {
		return a.CheckAppraisal()
	},
	Current: StoredScore.AppraisedEntry,
	Prepare: func(_ *domain.Assessment, c *domain.Criterion, cur StoredScore, e domain.Entry) (domain.Entry, error) {
		return domain.CheckAppraised(c, cur.Self(), e)
	},
	Columns: []string{"appraised_points", "appraised_measured", "appraised_na", "appraisal_comment"},
	Types:   []string{"integer", "bigint", "boolean", "text"},
	Values: func(e domain.Entry) []any {
		return []any{e.Points, e.Measured, e.NA, e.Explanation}
	},
	Stamps: []Stamp{{"appraisal_source", "''"}, {"appraised_by", StampActor}, {"appraised_at", StampNow},
		{"final_points", "v.appraised_points"}, {"final_measured", "v.appraised_measured"}, {"final_na", "v.appraised_na"}},
	Apply: func(s *StoredScore, e domain.Entry, _ *int64, now time.Time) {
		na := e.NA
		s.AppraisedAt = &now
		s.AppraisedPoints, s.AppraisedMeasured, s.AppraisedNA, s.AppraisalComment, s.AppraisalSource = e.Points, e.Measured, &na, e.Explanation, ""
		s.FinalPoints, s.FinalMeasured, s.FinalNA = e.Points, e.Measured, &na
	},
}

// upsertSQL is the statement writing the rows of role, one array
// parameter per column (the criteria, then role.Columns) after $1 the
// campaign, $2 the form, $3 the actor and, when a stamp needs it, $4 the
// time: each row inserted when the criterion has none yet, else updated
// with its version bumped. One statement for the whole save, however many
// criteria; withNow reports whether it takes the time.
func (role *ScoreRole) upsertSQL() (sql string, withNow bool) {
	for _, s := range role.Stamps {
		withNow = withNow || s.Value == StampNow
	}
	next := 4
	if withNow {
		next = 5
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO scores (campaign_id, assessment_id, criterion_id, updated_by`)
	for _, c := range role.Columns {
		b.WriteString(", " + c)
	}
	for _, s := range role.Stamps {
		b.WriteString(", " + s.Column)
	}
	b.WriteString(`) SELECT $1, $2, v.criterion_id, $3::bigint`)
	for _, c := range role.Columns {
		b.WriteString(", v." + c)
	}
	for _, s := range role.Stamps {
		switch s.Value {
		case StampActor:
			b.WriteString(", $3::bigint")
		case StampNow:
			b.WriteString(", $4::timestamptz")
		default:
			b.WriteString(", " + s.Value)
		}
	}
	b.WriteString(` FROM unnest($` + strconv.Itoa(next) + `::bigint[]`)
	for i, t := range role.Types {
		b.WriteString(", $" + strconv.Itoa(next+1+i) + "::" + t + "[]")
	}
	b.WriteString(`) AS v (criterion_id`)
	for _, c := range role.Columns {
		b.WriteString(", " + c)
	}
	b.WriteString(`) ON CONFLICT (campaign_id, assessment_id, criterion_id) DO UPDATE SET `)
	for _, c := range role.Columns {
		b.WriteString(c + " = EXCLUDED." + c + ", ")
	}
	for _, s := range role.Stamps {
		b.WriteString(s.Column + " = EXCLUDED." + s.Column + ", ")
	}
	b.WriteString(`updated_by = EXCLUDED.updated_by, updated_at = now(), version = scores.version + 1`)
	return b.String(), withNow
}

// entryJSON is an entry as the history stores it: {"points", "measured",
// "na", "explanation"}, nulls for values not given. Written by hand: a save
// writes two per criterion, and encoding/json on a map took a twentieth of
// a 25-criterion save's time.
func entryJSON(e domain.Entry) []byte {
	b := make([]byte, 0, 64+len(e.Explanation))
	b = append(b, `{"points":`...)
	if e.Points != nil {
		b = strconv.AppendInt(b, int64(*e.Points), 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"measured":`...)
	if e.Measured != nil {
		b = strconv.AppendInt(b, *e.Measured, 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"na":`...)
	b = strconv.AppendBool(b, e.NA)
	b = append(b, `,"explanation":`...)
	text, _ := json.Marshal(e.Explanation) // a string always encodes
	b = append(b, text...)
	return append(b, '}')
}

// SaveScores saves the unit's own scores (EditScores with SelfScores).
func (db *DB) SaveScores(ctx context.Context, assessmentID int64, edits []ScoreEdit) (_ []Conflict, err error) {
	defer wrap(&err, "SaveScores")
	return db.EditScores(ctx, assessmentID, &SelfScores, edits)
}

// EditScores is the one versioned per-criterion edit of a form, for every
// role that writes scores (role says which columns). It saves the criteria
// a user changed (Entry differs from Orig), each against the row version
// the form showed:
//   - a criterion changed meanwhile by someone else is not overwritten but
//     returned as a Conflict, what the user typed kept in it (unless the
//     row already holds exactly that: a double click, nothing to do);
//   - criteria the user did not touch are left alone, so two people filling
//     different criteria do not clobber each other;
//   - a value the role's Prepare refuses is returned, with every other
//     refusal, as domain.TreeErrors by criterion code, and nothing is saved;
//   - the form's state is checked first by role.Allowed with the form's
//     row locked (SELECT … FOR UPDATE): a refusal writes nothing.
//
// Every change is written to the form's history (old → new, action
// role.Action) and the form's totals (self, appraised and final) are
// recomputed in the same transaction.
func (db *DB) EditScores(ctx context.Context, assessmentID int64, role *ScoreRole, edits []ScoreEdit) (_ []Conflict, err error) {
	defer wrap(&err, "EditScores")
	var conflicts []Conflict
	touched := edits[:0:0]
	for _, e := range edits {
		e.Entry.Explanation = domain.CleanText(e.Entry.Explanation)
		e.Orig.Explanation = domain.CleanText(e.Orig.Explanation)
		if !domain.SameEntry(e.Entry, e.Orig) {
			touched = append(touched, e)
		}
	}
	if len(touched) == 0 {
		return nil, nil // nothing typed: nothing to save, whatever the form's state
	}
	edits = touched
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockAssessment(ctx, tx, assessmentID)
		if err != nil {
			return err
		}
		now := db.Now()
		if err := role.Allowed(a, domain.DateOf(now)); err != nil {
			return err
		}
		// The set's tree of the revision read with the form's row locked,
		// the set as committed then, as a read in this transaction would
		// give it. An amendment (the only change a set with forms takes)
		// rescores every form of the set once it holds their rows, so a save
		// made while it was under way is rescored with the new tree.
		nodes, err := db.formCriteria(ctx, tx, a)
		if err != nil {
			return err
		}
		leaves := map[int64]*domain.Criterion{}
		for _, l := range domain.Leaves(nodes) {
			leaf := l
			leaves[l.ID] = &leaf
		}
		stored, err := loadScores(ctx, tx, a.CampaignID, a.ID, true)
		if err != nil {
			return err
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		var problems domain.TreeErrors
		// The rows to write, column by column (upsertSQL), and their history.
		var ids []int64
		columns := make([][]any, len(role.Columns))
		var olds, news []string
		changed := 0
		for _, e := range edits {
			c, ok := leaves[e.CriterionID]
			if !ok {
				return domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
			}
			cur, exists := stored[e.CriterionID]
			value, perr := role.Prepare(a, c, cur, e.Entry)
			if domain.ErrorCode(perr) == domain.ECONFLICT {
				return perr
			}
			if exists && cur.Version != e.Version || !exists && e.Version != 0 {
				if exists && perr == nil && domain.SameEntry(value, role.Current(cur)) {
					continue // already saved as typed (a double click): nothing to save, no conflict
				}
				conflicts = append(conflicts, Conflict{CriterionID: e.CriterionID, Mine: e.Entry, Theirs: cur})
				continue
			}
			if perr != nil {
				var de *domain.Error
				if !errors.As(perr, &de) {
					return perr
				}
				problems = append(problems, domain.TreeProblem{Code: c.Code, Message: de.Message, Args: de.Args})
				continue
			}
			ids = append(ids, e.CriterionID)
			row := cur
			row.CriterionID = e.CriterionID
			role.Apply(&row, value, actor, now)
			stored[e.CriterionID] = row
			for k, v := range role.Values(value) {
				columns[k] = append(columns[k], v)
			}
			olds, news = append(olds, string(entryJSON(role.Current(cur)))), append(news, string(entryJSON(value)))
			changed++
		}
		if len(problems) > 0 {
			return problems
		}
		if changed == 0 {
			return nil
		}
		batch := &pgx.Batch{}
		upsert, withNow := role.upsertSQL()
		args := []any{a.CampaignID, a.ID, actor}
		if withNow {
			args = append(args, now)
		}
		args = append(args, ids)
		for _, col := range columns {
			args = append(args, col)
		}
		batch.Queue(upsert, args...)
		batch.Queue(`INSERT INTO assessment_history (assessment_id, criterion_id, action, old_value, new_value, actor_id)
			SELECT $1, v.criterion_id, $2, v.old::jsonb, v.new::jsonb, $3 FROM unnest($4::bigint[], $5::text[], $6::text[]) WITH ORDINALITY AS v (criterion_id, old, new, ord)
			ORDER BY v.ord`, a.ID, role.Action, actor, ids, olds, news)
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		if err := writeTotals(ctx, tx, a, nodes, stored); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: role.Audit, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"changed": changed, "conflicts": len(conflicts)}})
	})
	return conflicts, err
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// entriesOf turns stored scores and evidence counts into the unit's own
// entries.
func entriesOf(stored map[int64]StoredScore, evidence map[int64]int) map[int64]domain.Entry {
	out := map[int64]domain.Entry{}
	for id, s := range stored {
		out[id] = s.Self()
	}
	for id, n := range evidence {
		e := out[id]
		e.Evidence = n
		out[id] = e
	}
	return out
}

// updateTotals recomputes and stores a form's totals inside tx: the unit's
// own, the appraised and the final ones.
func updateTotals(ctx context.Context, tx pgx.Tx, a *Assessment, nodes []domain.Criterion) error {
	stored, err := loadScores(ctx, tx, a.CampaignID, a.ID, false)
	if err != nil {
		return err
	}
	return writeTotals(ctx, tx, a, nodes, stored)
}

// writeTotals computes a form's totals from its rows (all of them, as they
// now are in the transaction) and stores them.
func writeTotals(ctx context.Context, tx pgx.Tx, a *Assessment, nodes []domain.Criterion, stored map[int64]StoredScore) error {
	appraised := make(map[int64]domain.Entry, len(stored))
	final := make(map[int64]domain.Entry, len(stored))
	for id, s := range stored {
		if s.Appraised() {
			appraised[id] = s.AppraisedEntry()
		}
		if s.FinalPoints != nil || s.FinalNA != nil {
			final[id] = s.FinalEntry()
		}
	}
	t := domain.ComputeTotals(nodes, entriesOf(stored, nil))
	ap := domain.ComputeTotals(nodes, appraised)
	fi := domain.ComputeTotals(nodes, final)
	_, err := tx.Exec(ctx, `UPDATE assessments SET total_points = $2, applicable_max = $3, converted = $4, scored = $5,
		appraised_points = $6, appraised_max = $7, appraised_converted = $8, appraised_scored = $9,
		final_points = $10, final_max = $11, final_converted = $12,
		version = version + 1, updated_at = now() WHERE id = $1`, a.ID, t.Points, t.ApplicableMax, t.Converted, t.Scored,
		ap.Points, ap.ApplicableMax, ap.Converted, ap.Scored, fi.Points, fi.ApplicableMax, fi.Converted)
	return err
}
