package postgres

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"thidua/internal/domain"
)

// querier is what both the pool and a transaction offer for reading.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// CriteriaSet is a campaign's criteria for one target group.
type CriteriaSet struct {
	ID          int64
	CampaignID  int64
	Name        string
	TargetKinds []string
	Individual  bool
	Version     int
	// Frozen is true once a self-assessment uses the set: changes are then
	// recorded amendments.
	Frozen bool
}

const setsSQL = `SELECT s.id, s.campaign_id, s.name, s.target_kinds, s.individual, s.version,
		EXISTS (SELECT 1 FROM assessments a WHERE a.set_id = s.id)
		FROM criteria_sets s WHERE s.campaign_id = $1 ORDER BY s.id`

func loadSets(ctx context.Context, q querier, campaignID int64) ([]CriteriaSet, error) {
	rows, err := q.Query(ctx, setsSQL, campaignID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[CriteriaSet])
}

func setsRead(campaignID int64, out *[]CriteriaSet) read {
	return read{setsSQL, []any{campaignID}, collectInto(out, pgx.RowToStructByPos[CriteriaSet])}
}

// CriteriaSets returns a campaign's criteria sets.
func (db *DB) CriteriaSets(ctx context.Context, campaignID int64) (_ []CriteriaSet, err error) {
	defer wrap(&err, "CriteriaSets")
	return loadSets(ctx, db.Pool, campaignID)
}

// CriteriaSetByID returns one set.
func (db *DB) CriteriaSetByID(ctx context.Context, id int64) (_ *CriteriaSet, err error) {
	defer wrap(&err, "CriteriaSetByID")
	var s CriteriaSet
	err = db.Pool.QueryRow(ctx, `SELECT s.id, s.campaign_id, s.name, s.target_kinds, s.individual, s.version,
		EXISTS (SELECT 1 FROM assessments a WHERE a.set_id = s.id) FROM criteria_sets s WHERE s.id = $1`, id).
		Scan(&s.ID, &s.CampaignID, &s.Name, &s.TargetKinds, &s.Individual, &s.Version, &s.Frozen)
	if err != nil {
		return nil, notFound(err, "criteria.set.not_found")
	}
	return &s, nil
}

// CreateCriteriaSet adds an empty set to a campaign.
func (db *DB) CreateCriteriaSet(ctx context.Context, campaignID int64, name string, kinds []string, individual bool) (_ int64, err error) {
	defer wrap(&err, "CreateCriteriaSet")
	name = domain.CleanText(name)
	if n := domain.RuneLen(name); n == 0 || n > 200 {
		return 0, &domain.ValidationError{Fields: domain.FieldErrors{"name": "field.required"}}
	}
	for _, k := range kinds {
		if !domain.UnitKind(k).Valid() {
			return 0, &domain.ValidationError{Fields: domain.FieldErrors{"target_kinds": "field.invalid"}}
		}
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var status domain.CampaignStatus
		if err := tx.QueryRow(ctx, `SELECT status FROM campaigns WHERE id = $1 FOR UPDATE`, campaignID).Scan(&status); err != nil {
			return notFound(err, "campaign.not_found")
		}
		if status != domain.StatusDraft {
			// Participants rely on the sets announced with the campaign.
			return domain.Errorf(domain.ECONFLICT, "campaign.rules_frozen")
		}
		err := tx.QueryRow(ctx, `INSERT INTO criteria_sets (campaign_id, name, target_kinds, individual) VALUES ($1, $2, $3, $4) RETURNING id`,
			campaignID, name, nonNil(kinds), individual).Scan(&id)
		if isUniqueViolation(err, "") {
			return &domain.ValidationError{Fields: domain.FieldErrors{"name": "criteria.set.taken"}}
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCriteriaSave, ObjectType: "criteria_set", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"campaign_id": campaignID, "name": name}})
	})
	return id, err
}

// loadCriteria returns a set's nodes in tree order (each parent before its
// children, siblings by seq then code).
func loadCriteria(ctx context.Context, q querier, setID int64) ([]domain.Criterion, error) {
	rows, err := q.Query(ctx, `SELECT `+criterionColumns+` FROM criteria WHERE set_id = $1`, setID)
	if err != nil {
		return nil, err
	}
	nodes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Criterion, error) {
		var c domain.Criterion
		err := scanCriterion(row, &c)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	return TreeOrder(nodes), nil
}

const criterionColumns = `id, parent_id, seq, code, title, guidance, max_points, method, step, tiers,
		coalesce((target_value * 100)::bigint, 0), evidence_required, explain_without_evidence, allow_na,
		coalesce(measure_id, 0), coalesce(measure_period, 0)`

// scanCriterion reads criterionColumns, after any columns in extra.
func scanCriterion(row pgx.Row, c *domain.Criterion, extra ...any) error {
	var tiers []byte
	dest := append(extra, &c.ID, &c.ParentID, &c.Seq, &c.Code, &c.Title, &c.Guidance, &c.Max, &c.Method, &c.Step, &tiers,
		&c.Target, &c.EvidenceRequired, &c.ExplainWithoutEvidence, &c.AllowNA, &c.MeasureID, &c.MeasurePeriod)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	if len(tiers) > 0 && string(tiers) != "[]" {
		return json.Unmarshal(tiers, &c.Tiers)
	}
	return nil
}

// CampaignCriteria returns the criteria of every set of a campaign by set,
// each in tree order: one query where a page shows all the sets.
func (db *DB) CampaignCriteria(ctx context.Context, campaignID int64) (_ map[int64][]domain.Criterion, err error) {
	defer wrap(&err, "CampaignCriteria")
	bySet := map[int64][]domain.Criterion{}
	err = db.run(ctx, campaignCriteriaRead(campaignID, bySet))
	return bySet, err
}

// campaignCriteriaRead fills bySet with the campaign's criteria by set,
// each in tree order.
func campaignCriteriaRead(campaignID int64, bySet map[int64][]domain.Criterion) read {
	return read{`SELECT set_id, ` + criterionColumns + ` FROM criteria
		WHERE set_id IN (SELECT id FROM criteria_sets WHERE campaign_id = $1)`, []any{campaignID}, func(rows pgx.Rows) error {
		defer rows.Close()
		for rows.Next() {
			var c domain.Criterion
			var set int64
			if err := scanCriterion(rows, &c, &set); err != nil {
				return err
			}
			bySet[set] = append(bySet[set], c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for set, nodes := range bySet {
			bySet[set] = TreeOrder(nodes)
		}
		return nil
	}}
}

// TreeOrder sorts nodes depth-first: each parent before its children,
// siblings by seq, then code.
func TreeOrder(nodes []domain.Criterion) []domain.Criterion {
	children := map[int64][]domain.Criterion{}
	var roots []domain.Criterion
	ids := map[int64]bool{}
	for _, n := range nodes {
		ids[n.ID] = true
	}
	for _, n := range nodes {
		if n.ParentID == nil || !ids[*n.ParentID] {
			roots = append(roots, n)
		} else {
			children[*n.ParentID] = append(children[*n.ParentID], n)
		}
	}
	less := func(list []domain.Criterion) {
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Seq != list[j].Seq {
				return list[i].Seq < list[j].Seq
			}
			return list[i].Code < list[j].Code
		})
	}
	out := make([]domain.Criterion, 0, len(nodes))
	var walk func(list []domain.Criterion, depth int)
	walk = func(list []domain.Criterion, depth int) {
		less(list)
		for _, n := range list {
			out = append(out, n)
			if depth < 32 {
				walk(children[n.ID], depth+1)
			}
		}
	}
	walk(roots, 0)
	return out
}

// Criteria returns a set's tree.
func (db *DB) Criteria(ctx context.Context, setID int64) (_ []domain.Criterion, err error) {
	defer wrap(&err, "Criteria")
	return loadCriteria(ctx, db.Pool, setID)
}

// FormCriteria returns the criteria tree of a form's set. The process
// keeps the trees it has read by set and revision (criteria_sets.revision,
// moved by a trigger with every change to the set's criteria, migration
// 000026): a form read with the revision the copy was read at gets the
// copy, without a query; a form of a newer revision reads the set again.
// So a change made through any instance or by hand shows on the next
// request that reads the form. The caller gets its own slice; the nodes'
// tiers are shared and must not be changed.
func (db *DB) FormCriteria(ctx context.Context, a *Assessment) (_ []domain.Criterion, err error) {
	defer wrap(&err, "FormCriteria")
	return db.formCriteria(ctx, db.Pool, a)
}

// formCriteria is FormCriteria reading through q on a miss: inside a
// transaction, its own connection (never a second one from the pool while
// it holds the first).
func (db *DB) formCriteria(ctx context.Context, q querier, a *Assessment) ([]domain.Criterion, error) {
	if nodes, ok := db.sets.get(a.SetID, a.SetRevision); ok {
		return nodes, nil
	}
	rows, err := q.Query(ctx, `SELECT (SELECT revision FROM criteria_sets WHERE id = $1), `+criterionColumns+`
		FROM criteria WHERE set_id = $1`, a.SetID)
	if err != nil {
		return nil, err
	}
	var revision int64
	nodes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Criterion, error) {
		var c domain.Criterion
		err := scanCriterion(row, &c, &revision)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	nodes = TreeOrder(nodes)
	if len(nodes) > 0 {
		db.sets.put(a.SetID, revision, nodes)
	}
	return nodes, nil
}

// setCache holds criteria trees by set for FormCriteria: a set is a few
// dozen rows, and maxCachedSets of them bound what it holds.
type setCache struct {
	mu   sync.Mutex
	sets map[int64]cachedSet
}

type cachedSet struct {
	revision int64
	nodes    []domain.Criterion
}

const maxCachedSets = 2000

func (c *setCache) get(setID, revision int64) ([]domain.Criterion, bool) {
	c.mu.Lock()
	e, ok := c.sets[setID]
	c.mu.Unlock()
	if !ok || e.revision != revision {
		return nil, false
	}
	return slices.Clone(e.nodes), true
}

func (c *setCache) put(setID, revision int64, nodes []domain.Criterion) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.sets[setID]; ok && e.revision > revision {
		return // a newer copy came in meanwhile
	}
	if c.sets == nil || len(c.sets) >= maxCachedSets {
		c.sets = map[int64]cachedSet{} // start again: the copies only save reading
	}
	c.sets[setID] = cachedSet{revision, slices.Clone(nodes)}
}

// lockSet locks a set and reports whether it is frozen and whether its
// campaign is still open for changes.
func lockSet(ctx context.Context, tx pgx.Tx, setID int64) (frozen bool, status domain.CampaignStatus, err error) {
	err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM assessments a WHERE a.set_id = s.id), c.status
		FROM criteria_sets s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = $1 FOR UPDATE OF s`, setID).Scan(&frozen, &status)
	if err != nil {
		return false, "", notFound(err, "criteria.set.not_found")
	}
	if status == domain.StatusClosed || status == domain.StatusCancelled {
		return frozen, status, domain.Errorf(domain.ECONFLICT, "campaign.not_editable")
	}
	return frozen, status, nil
}

// treeError turns tree problems into the error forms show.
func treeError(ps []domain.TreeProblem) error {
	if len(ps) == 0 {
		return nil
	}
	return domain.TreeErrors(ps)
}

// SaveCriterion adds a node (c.ID == 0) or changes one, keeping the tree
// valid (no parent below the sum of its children). Once a self-assessment
// uses the set, a change is refused unless it is an amendment: it then
// needs a reason and is recorded with what changed, and the set's version
// moves on, so no submitted score changes meaning silently.
func (db *DB) SaveCriterion(ctx context.Context, setID int64, c domain.Criterion, reason string) (_ int64, err error) {
	defer wrap(&err, "SaveCriterion")
	c.Title, c.Guidance, reason = domain.CleanText(c.Title), domain.CleanText(c.Guidance), domain.CleanText(reason)
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		frozen, status, err := lockSet(ctx, tx, setID)
		if err != nil {
			return err
		}
		nodes, err := loadCriteria(ctx, tx, setID)
		if err != nil {
			return err
		}
		var old *domain.Criterion
		if c.ID == 0 {
			c.ID = -1 // a placeholder ID for validation
			nodes = append(nodes, c)
		} else {
			for i := range nodes {
				if nodes[i].ID == c.ID {
					o := nodes[i]
					old = &o
					nodes[i] = c
				}
			}
			if old == nil {
				return domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
			}
		}
		// Once announced, every change must leave the tree complete.
		if err := treeError(domain.ValidateTree(nodes, status != domain.StatusDraft)); err != nil {
			return err
		}
		var version int // the set's version after an amendment
		if frozen {
			if reason == "" {
				return domain.Errorf(domain.ECONFLICT, "criteria.frozen")
			}
			if domain.RuneLen(reason) > 2000 {
				return &domain.ValidationError{Fields: domain.FieldErrors{"reason": "field.too_long"}}
			}
			// A locked form's result is fixed (it may already be proposed
			// or published): an amendment would move it behind everyone's
			// back. Staff reopen those forms first, with a reason.
			var locked int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM assessments WHERE set_id = $1 AND status = 'locked'`, setID).Scan(&locked); err != nil {
				return err
			}
			if locked > 0 {
				return domain.Errorf(domain.ECONFLICT, "criteria.amend.locked", locked)
			}
			changes, _ := json.Marshal(map[string]any{"old": old, "new": c})
			if err := tx.QueryRow(ctx, `UPDATE criteria_sets SET version = version + 1 WHERE id = $1 RETURNING version`, setID).Scan(&version); err != nil {
				return err
			}
			var actor *int64
			if a := domain.ActorFrom(ctx); a.UserID != 0 {
				actor = &a.UserID
			}
			if _, err := tx.Exec(ctx, `INSERT INTO criteria_amendments (set_id, version, criterion, reason, changes, actor_id) VALUES ($1, $2, $3, $4, $5, $6)`,
				setID, version, c.Code, reason, changes, actor); err != nil {
				return err
			}
			if err := audit(ctx, tx, auditEntry{Action: domain.AuditCriteriaAmend, ObjectType: "criteria_set", ObjectID: strconv.FormatInt(setID, 10),
				Details: map[string]any{"criterion": c.Code, "reason": reason, "version": version}}); err != nil {
				return err
			}
		}
		tiers, _ := json.Marshal(nonNilTiers(c.Tiers))
		target := targetArg(c)
		if c.ID == -1 {
			err = tx.QueryRow(ctx, `INSERT INTO criteria (set_id, parent_id, seq, code, title, guidance, max_points, method, step, tiers,
				target_value, evidence_required, explain_without_evidence, allow_na, measure_id, measure_period)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
				setID, c.ParentID, c.Seq, c.Code, c.Title, c.Guidance, c.Max, c.Method, c.Step, tiers, target,
				c.EvidenceRequired, c.ExplainWithoutEvidence, c.AllowNA, measureArg(c), periodArg(c)).Scan(&c.ID)
		} else {
			_, err = tx.Exec(ctx, `UPDATE criteria SET parent_id = $3, seq = $4, code = $5, title = $6, guidance = $7, max_points = $8,
				method = $9, step = $10, tiers = $11, target_value = $12, evidence_required = $13, explain_without_evidence = $14, allow_na = $15,
				measure_id = $16, measure_period = $17
				WHERE id = $1 AND set_id = $2`, c.ID, setID, c.ParentID, c.Seq, c.Code, c.Title, c.Guidance, c.Max, c.Method, c.Step, tiers,
				target, c.EvidenceRequired, c.ExplainWithoutEvidence, c.AllowNA, measureArg(c), periodArg(c))
		}
		if isUniqueViolation(err, "") {
			return &domain.ValidationError{Fields: domain.FieldErrors{"code": "criteria.code.duplicate"}}
		}
		if pgErr := (*pgconn.PgError)(nil); asPgError(err, &pgErr) && pgErr.ConstraintName == "criteria_measure_id_fkey" {
			return &domain.ValidationError{Fields: domain.FieldErrors{"measure": "criteria.measure.unknown"}}
		}
		if err != nil {
			return err
		}
		if frozen {
			return db.revalidateScores(ctx, tx, setID, nodes, c, amendmentNote{Version: version, Reason: reason, Criterion: c.Code})
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCriteriaSave, ObjectType: "criteria_set", ObjectID: strconv.FormatInt(setID, 10),
			Details: map[string]any{"criterion": c.Code, "max": c.Max.String(), "method": c.Method}})
	})
	return c.ID, err
}

func nonNilTiers(t []domain.Tier) []domain.Tier {
	if t == nil {
		return []domain.Tier{}
	}
	return t
}

func targetArg(c domain.Criterion) *float64 {
	if c.Method != domain.MethodTargetShare {
		return nil
	}
	v := float64(c.Target) / 100
	return &v
}

// measureArg and periodArg are a criterion's link to a measure, NULL when
// it has none.
func measureArg(c domain.Criterion) *int64 {
	if c.MeasureID == 0 {
		return nil
	}
	return &c.MeasureID
}

func periodArg(c domain.Criterion) *int {
	if c.MeasureID == 0 {
		return nil
	}
	return &c.MeasurePeriod
}

// DeleteCriterion removes a leaf from a set of a draft campaign.
func (db *DB) DeleteCriterion(ctx context.Context, setID, id int64) (err error) {
	defer wrap(&err, "DeleteCriterion")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		frozen, status, err := lockSet(ctx, tx, setID)
		if err != nil {
			return err
		}
		if frozen {
			return domain.Errorf(domain.ECONFLICT, "criteria.frozen_delete")
		}
		if status != domain.StatusDraft {
			return domain.Errorf(domain.ECONFLICT, "campaign.rules_frozen")
		}
		var children int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM criteria WHERE parent_id = $1`, id).Scan(&children); err != nil {
			return err
		}
		if children > 0 {
			return domain.Errorf(domain.ECONFLICT, "criteria.delete.children")
		}
		var code string
		if err := tx.QueryRow(ctx, `DELETE FROM criteria WHERE id = $1 AND set_id = $2 RETURNING code`, id, setID).Scan(&code); err != nil {
			return notFound(err, "criteria.not_found")
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCriteriaSave, ObjectType: "criteria_set", ObjectID: strconv.FormatInt(setID, 10),
			Details: map[string]any{"deleted": code}})
	})
}

// ReplaceCriteria swaps a whole tree in (from a template, a file or another
// campaign) in one transaction, if no self-assessment uses the set and the
// new tree is complete and valid. Nodes' IDs and ParentIDs may be any
// numbers that link them; the stored nodes get new IDs.
func (db *DB) ReplaceCriteria(ctx context.Context, setID int64, nodes []domain.Criterion, source string) (err error) {
	defer wrap(&err, "ReplaceCriteria")
	for i := range nodes {
		nodes[i].Title, nodes[i].Guidance = domain.CleanText(nodes[i].Title), domain.CleanText(nodes[i].Guidance)
	}
	if err := treeError(domain.ValidateTree(nodes, true)); err != nil {
		return err
	}
	ordered := TreeOrder(nodes)
	return db.inTx(ctx, func(tx pgx.Tx) error {
		frozen, _, err := lockSet(ctx, tx, setID)
		if err != nil {
			return err
		}
		if frozen {
			return domain.Errorf(domain.ECONFLICT, "criteria.frozen_replace")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM criteria WHERE set_id = $1`, setID); err != nil {
			return err
		}
		newIDs := map[int64]int64{}
		for _, n := range ordered {
			var parent *int64
			if n.ParentID != nil {
				p := newIDs[*n.ParentID]
				parent = &p
			}
			tiers, _ := json.Marshal(nonNilTiers(n.Tiers))
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO criteria (set_id, parent_id, seq, code, title, guidance, max_points, method, step, tiers,
				target_value, evidence_required, explain_without_evidence, allow_na, measure_id, measure_period)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
				setID, parent, n.Seq, n.Code, n.Title, n.Guidance, n.Max, n.Method, n.Step, tiers, targetArg(n),
				n.EvidenceRequired, n.ExplainWithoutEvidence, n.AllowNA, measureArg(n), periodArg(n)).Scan(&id); err != nil {
				return err
			}
			newIDs[n.ID] = id
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCriteriaReplace, ObjectType: "criteria_set", ObjectID: strconv.FormatInt(setID, 10),
			Details: map[string]any{"source": source, "nodes": len(nodes), "total": domain.TreeTotal(nodes).String()}})
	})
}

// repoint recomputes one points column of criterion c's scores from its
// measured column, after an amendment changed the tiers or the target
// (column names are this file's constants, never input).
func repoint(ctx context.Context, tx pgx.Tx, setID int64, c domain.Criterion, points, measured string) error {
	if _, err := tx.Exec(ctx, `UPDATE scores s SET `+points+` = NULL FROM assessments a
		WHERE a.id = s.assessment_id AND a.set_id = $1 AND s.criterion_id = $2 AND s.`+measured+` IS NULL`, setID, c.ID); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT s.campaign_id, s.assessment_id, s.`+measured+` FROM scores s JOIN assessments a ON a.id = s.assessment_id
		WHERE a.set_id = $1 AND s.criterion_id = $2 AND s.`+measured+` IS NOT NULL`, setID, c.ID)
	if err != nil {
		return err
	}
	type m struct{ Campaign, Assessment, Measured int64 }
	ms, err := pgx.CollectRows(rows, pgx.RowToStructByPos[m])
	if err != nil {
		return err
	}
	for _, x := range ms {
		p, _ := c.PointsFor(domain.Score{Measured: x.Measured})
		if _, err := tx.Exec(ctx, `UPDATE scores SET `+points+` = $4 WHERE campaign_id = $1 AND assessment_id = $2 AND criterion_id = $3`,
			x.Campaign, x.Assessment, c.ID, p); err != nil {
			return err
		}
	}
	return nil
}

// revalidateScores checks, after an amendment to criterion c, that every
// stored score of it is still valid under the new rules, and recomputes the
// totals of every form that uses the set, so no ranking reads a stale sum.
func (db *DB) revalidateScores(ctx context.Context, tx pgx.Tx, setID int64, nodes []domain.Criterion, c domain.Criterion, note amendmentNote) error {
	rows, err := tx.Query(ctx, `SELECT s.points, s.measured, s.na FROM scores s JOIN assessments a ON a.id = s.assessment_id
		WHERE a.set_id = $1 AND s.criterion_id = $2 AND (s.points IS NOT NULL OR s.na)`, setID, c.ID)
	if err != nil {
		return err
	}
	type stored struct {
		points   *domain.Points
		measured *int64
		na       bool
	}
	var list []stored
	for rows.Next() {
		var st stored
		if err := rows.Scan(&st.points, &st.measured, &st.na); err != nil {
			rows.Close()
			return err
		}
		list = append(list, st)
	}
	rows.Close()
	for _, st := range list {
		if _, err := domain.EntryPoints(&c, domain.Entry{Points: st.points, Measured: st.measured, NA: st.na}); err != nil {
			return domain.Errorf(domain.ECONFLICT, "criteria.amend.invalidates", c.Code)
		}
	}
	// Tiers and targets: stored points follow from the measured value, the
	// unit's, the appraisal team's and the final one alike.
	if c.Method == domain.MethodTiers || c.Method == domain.MethodTargetShare {
		for _, col := range [][2]string{{"points", "measured"}, {"appraised_points", "appraised_measured"}, {"final_points", "final_measured"}} {
			if err := repoint(ctx, tx, setID, c, col[0], col[1]); err != nil {
				return err
			}
		}
	}
	arows, err := tx.Query(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.set_id = $1 FOR UPDATE OF a`, setID)
	if err != nil {
		return err
	}
	var forms []Assessment
	for arows.Next() {
		a, err := scanAssessment(arows)
		if err != nil {
			arows.Close()
			return err
		}
		forms = append(forms, *a)
	}
	arows.Close()
	return db.amendTotals(ctx, tx, forms, nodes, c.ID, note)
}

// Amendment is a recorded change to a frozen criteria set.
type Amendment struct {
	Version   int
	Criterion string
	Reason    string
	ActorName string
	At        timeAlias
}

// Amendments returns the amendments of a set, oldest first.
func (db *DB) Amendments(ctx context.Context, setID int64) (_ []Amendment, err error) {
	defer wrap(&err, "Amendments")
	rows, err := db.Pool.Query(ctx, `SELECT a.version, a.criterion, a.reason, coalesce(u.full_name, ''), a.at
		FROM criteria_amendments a LEFT JOIN users u ON u.id = a.actor_id WHERE a.set_id = $1 ORDER BY a.id`, setID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Amendment])
}
