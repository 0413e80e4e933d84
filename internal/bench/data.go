package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/password"
	"thidua/internal/postgres"
)

// The fixed data set: a province on a deadline day.
const (
	departments          = 30     // each scores a 25-criterion form
	appraisedDepartments = 10     // of which these are received and being appraised
	communes             = 1000   // each scores a 40-criterion form
	staffUsers           = 40     // Home Affairs staff
	leaders              = 900    // read-only users, to reach 3,000 users
	peopleRows           = 100000 // the people export has 100,000 rows
	otherCampaign        = 20     // campaigns of the same size beside the main one
	benchPassword        = "Mật khẩu đo hiệu năng 2026"
)

// dataset is what the workloads need to know about the loaded data.
type dataset struct {
	Campaign   int64  // the main campaign
	Ranking    string // its communes' ranking: /campaigns/{id}/ranking?phase=…&set=…
	DeptForms  []form // one per department still drafting (25 criteria)
	Appraisals []form // departments' received forms, each with its appraiser (Email) and appraisal form (Path)
	CommForms  []form // one per commune not yet appraised (40 criteria)
	StaffEmail []string
	Units      int
	Users      int
	Scores     int
	Evidence   int
	People     int
	LoadTime   time.Duration
}

// form is a focal point's self-assessment form.
type form struct {
	Email     string
	Path      string // /campaigns/{id}/assessments/{aid}
	Criterion int64  // a leaf, for the evidence upload
}

// load fills an empty migrated database. Bulk rows go in with
// INSERT … SELECT generate_series in a few statements; the campaigns
// themselves go through the same operations as the staff pages.
func load(ctx context.Context, db *postgres.DB) (*dataset, error) {
	start := time.Now()
	hash, err := password.Hash(domain.NormalizePassword(benchPassword), password.Default)
	if err != nil {
		return nil, err
	}
	exec := func(sql string, args ...any) error {
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("%.60s…: %w", sql, err)
		}
		return nil
	}
	steps := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO units (name, kind, code, valid_from) VALUES ('Tỉnh Đo Hiệu Năng', 'province', 'BP', DATE '2000-01-01')`, nil},
		{`INSERT INTO units (parent_id, name, short_name, kind, code, valid_from)
		  SELECT p.id, 'Sở số ' || g, 'S' || g, 'department', 'BS' || g, DATE '2000-01-01'
		  FROM generate_series(1, $1::int) g, (SELECT id FROM units WHERE code = 'BP') p`, []any{departments}},
		{`INSERT INTO units (parent_id, name, kind, code, valid_from)
		  SELECT p.id, 'Xã số ' || g, 'commune', 'BX' || g, DATE '2025-07-01'
		  FROM generate_series(1, $1::int) g, (SELECT id FROM units WHERE code = 'BP') p`, []any{communes}},
		{`INSERT INTO unit_versions (unit_id, valid_from, name, short_name, parent_id)
		  SELECT id, valid_from, name, short_name, parent_id FROM units WHERE code LIKE 'B%'`, nil},
		{`INSERT INTO users (email, full_name, role, password_hash)
		  SELECT 'canbo' || g || '@bench.vn', 'Cán bộ số ' || g, 'staff', $2 FROM generate_series(1, $1::int) g`, []any{staffUsers, hash}},
		{`INSERT INTO users (email, full_name, role, unit_id, password_hash)
		  SELECT 'daumoi' || k || '.' || lower(u.code) || '@bench.vn', 'Đầu mối ' || k || ' ' || u.name, 'focal_point', u.id, $1
		  FROM units u, generate_series(1, 2) k WHERE u.kind IN ('department', 'commune')`, []any{hash}},
		{`INSERT INTO users (email, full_name, role, password_hash)
		  SELECT 'lanhdao' || g || '@bench.vn', 'Lãnh đạo số ' || g, 'leader', $2 FROM generate_series(1, $1::int) g`, []any{leaders, hash}},
		{`INSERT INTO people (code, full_name, gender, birth_year, position, category)
		  SELECT 'NV' || g, (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Võ'])[1 + g % 6] || ' Văn ' || 'Người số ' || g,
		         CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END, 1960 + g % 40, 'Chuyên viên',
		         (ARRAY['can_bo','cong_chuc','vien_chuc','nguoi_lao_dong'])[1 + g % 4]
		  FROM generate_series(1, $1::int) g`, []any{peopleRows}},
		{`INSERT INTO person_units (person_id, unit_id, valid_from)
		  SELECT p.id, u.id, DATE '2024-01-01'
		  FROM people p JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS c FROM units WHERE code LIKE 'B%') u
		    ON u.n = p.id % u.c`, nil},
		{`CREATE TABLE bench_fortune (id integer PRIMARY KEY, message text NOT NULL)`, nil},
		{`INSERT INTO bench_fortune VALUES
		  (1, 'fortune: No such file or directory'), (2, 'A computer scientist is someone who fixes things that aren''t broken.'),
		  (3, 'After enough decimal places, nobody gives a damn.'), (4, 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1'),
		  (5, 'A computer program does what you tell it to do, not what you want it to do.'), (6, 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen'),
		  (7, 'Any program that runs right is obsolete.'), (8, 'A list is only as strong as its weakest link. — Donald Knuth'),
		  (9, 'Feature: A bug with seniority.'), (10, 'Computers make very fast, very accurate mistakes.'),
		  (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'), (12, 'フレームワークのベンチマーク')`, nil},
	}
	for _, st := range steps {
		if err := exec(st.sql, st.args...); err != nil {
			return nil, err
		}
	}
	logf("units, users and people loaded (%.1fs)", time.Since(start).Seconds())

	var provinceID int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM units WHERE code = 'BP'`).Scan(&provinceID); err != nil {
		return nil, err
	}
	ds := &dataset{}
	// Bulk rows on one connection with triggers (foreign-key checks) off:
	// the statements below join on the keys they reference.
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET session_replication_role = replica`); err != nil {
		return nil, err
	}
	defer conn.Exec(ctx, `RESET session_replication_role`) //nolint:errcheck
	for i := 0; i <= otherCampaign; i++ {
		id, err := createCampaign(ctx, db, i, provinceID)
		if err != nil {
			return nil, fmt.Errorf("campaign %d: %w", i, err)
		}
		if i == 0 {
			ds.Campaign = id
		}
		if err := fillCampaign(ctx, conn.Conn(), id); err != nil {
			return nil, fmt.Errorf("campaign %d rows: %w", i, err)
		}
		if i%5 == 0 {
			logf("campaign %d of %d loaded (%.1fs)", i+1, otherCampaign+1, time.Since(start).Seconds())
		}
	}
	// The main campaign's forms carry a deadline day's history: every
	// criterion saved three times by the unit's focal point (the form pages
	// read the end of it).
	if err := exec(`INSERT INTO assessment_history (assessment_id, criterion_id, action, old_value, new_value, actor_id, at)
		SELECT s.assessment_id, s.criterion_id, 'score',
		       jsonb_build_object('points', CASE WHEN k = 1 THEN NULL ELSE s.points - 100 END, 'measured', NULL, 'na', false, 'explanation', ''),
		       jsonb_build_object('points', CASE WHEN k = 3 THEN s.points ELSE s.points - 100 END, 'measured', NULL, 'na', false,
		                          'explanation', 'Đơn vị đã hoàn thành đầy đủ, đúng hạn; xem báo cáo kèm theo.'),
		       (SELECT min(u.id) FROM users u WHERE u.unit_id = a.unit_id), now() - (4 - k) * interval '1 hour'
		FROM scores s JOIN assessments a ON a.id = s.assessment_id, generate_series(1, 3) AS k
		WHERE s.campaign_id = $1 ORDER BY k, s.assessment_id, s.criterion_id`, ds.Campaign); err != nil {
		return nil, err
	}
	// The last departments' forms of the main campaign are submitted and
	// received; a leader of each is on the appraisal team and assigned one.
	if err := exec(`WITH f AS (
			SELECT a.id, row_number() OVER (ORDER BY u.id DESC) AS n FROM assessments a JOIN units u ON u.id = a.unit_id
			WHERE a.campaign_id = $1 AND u.kind = 'department')
		UPDATE assessments a SET status = 'received', submitted_at = now(), received_at = now() FROM f WHERE f.id = a.id AND f.n <= $2`,
		ds.Campaign, appraisedDepartments); err != nil {
		return nil, err
	}
	if err := exec(`INSERT INTO campaign_members (campaign_id, user_id, role)
		SELECT $1, id, 'appraiser' FROM users WHERE email = ANY (SELECT 'lanhdao' || g || '@bench.vn' FROM generate_series(1, $2::int) g)`,
		ds.Campaign, appraisedDepartments); err != nil {
		return nil, err
	}
	if err := exec(`INSERT INTO appraisal_assignments (campaign_id, assessment_id, appraiser_id)
		SELECT $1, f.id, x.id
		FROM (SELECT a.id, row_number() OVER (ORDER BY a.id) AS n FROM assessments a WHERE a.campaign_id = $1 AND a.status = 'received') f
		JOIN (SELECT u.id, row_number() OVER (ORDER BY u.id) AS n FROM users u JOIN campaign_members m ON m.user_id = u.id AND m.campaign_id = $1) x
		  ON x.n = f.n`, ds.Campaign); err != nil {
		return nil, err
	}
	// As autovacuum would have left the tables on a real deadline day.
	if err := exec(`VACUUM ANALYZE`); err != nil {
		return nil, err
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT 'daumoi1.' || lower(u.code) || '@bench.vn', a.id, u.kind,
		       (SELECT c.id FROM criteria c WHERE c.set_id = a.set_id AND NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id) ORDER BY c.id LIMIT 1)
		FROM assessments a JOIN units u ON u.id = a.unit_id
		WHERE a.campaign_id = $1 AND a.status = 'draft' ORDER BY u.kind DESC, u.id`, ds.Campaign)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var f form
		var aid int64
		var kind string
		if err := rows.Scan(&f.Email, &aid, &kind, &f.Criterion); err != nil {
			return nil, err
		}
		f.Path = fmt.Sprintf("/campaigns/%d/assessments/%d", ds.Campaign, aid)
		if kind == "department" {
			ds.DeptForms = append(ds.DeptForms, f)
		} else {
			ds.CommForms = append(ds.CommForms, f)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.Pool.Query(ctx, `SELECT u.email, x.assessment_id FROM appraisal_assignments x JOIN users u ON u.id = x.appraiser_id
		WHERE x.campaign_id = $1 ORDER BY x.assessment_id`, ds.Campaign)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var f form
		var aid int64
		if err := rows.Scan(&f.Email, &aid); err != nil {
			return nil, err
		}
		f.Path = fmt.Sprintf("/campaigns/%d/appraisal/%d", ds.Campaign, aid)
		ds.Appraisals = append(ds.Appraisals, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var phaseID, setID int64
	if err := db.Pool.QueryRow(ctx, `SELECT a.phase_id, a.set_id FROM assessments a JOIN units u ON u.id = a.unit_id
		WHERE a.campaign_id = $1 AND u.kind = 'commune' LIMIT 1`, ds.Campaign).Scan(&phaseID, &setID); err != nil {
		return nil, err
	}
	ds.Ranking = fmt.Sprintf("/campaigns/%d/ranking?phase=%d&set=%d", ds.Campaign, phaseID, setID)
	for i := 1; i <= staffUsers; i++ {
		ds.StaffEmail = append(ds.StaffEmail, fmt.Sprintf("canbo%d@bench.vn", i))
	}
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM users), (SELECT count(*) FROM scores),
		(SELECT count(*) FROM score_evidence), (SELECT count(*) FROM people)`).Scan(&ds.Units, &ds.Users, &ds.Scores, &ds.Evidence, &ds.People); err != nil {
		return nil, err
	}
	ds.LoadTime = time.Since(start)
	return ds, nil
}

// criteriaRows is a set of areas × leaves summing to 100 points.
func criteriaRows(areas, perArea int) []criteria.Row {
	var rows []criteria.Row
	leafMax := 10000 / (areas * perArea) // hundredths of a point
	for a := 1; a <= areas; a++ {
		rows = append(rows, criteria.Row{Code: fmt.Sprint(a), Title: fmt.Sprintf("Lĩnh vực %d: cải cách hành chính", a),
			Max: points(leafMax * perArea), Method: domain.MethodPoints, Step: "0,25"})
		for l := 1; l <= perArea; l++ {
			rows = append(rows, criteria.Row{Code: fmt.Sprintf("%d.%d", a, l),
				Title:    fmt.Sprintf("Tiêu chí %d.%d: mức độ hoàn thành nhiệm vụ được giao đúng hạn, đủ nội dung", a, l),
				Guidance: "Căn cứ báo cáo và tài liệu kiểm chứng của đơn vị.",
				Max:      points(leafMax), Method: domain.MethodPoints, Step: "0,25", Evidence: true})
		}
	}
	return rows
}

func points(hundredths int) string {
	if hundredths%100 == 0 {
		return fmt.Sprint(hundredths / 100)
	}
	return fmt.Sprintf("%d,%02d", hundredths/100, hundredths%100)
}

// createCampaign makes an announced campaign whose self-assessment window
// is open today, with a 25-criterion set for departments and a
// 40-criterion set for communes.
func createCampaign(ctx context.Context, db *postgres.DB, i int, issuer int64) (int64, error) {
	today := domain.DateOf(db.Now())
	start, end := today.AddDate(0, -2, 0), today.AddDate(0, 3, 0)
	c := domain.Campaign{PlanNumber: fmt.Sprintf("%d/KH-BENCH", 100+i),
		Title:      fmt.Sprintf("Thi đua đẩy mạnh cải cách hành chính năm %d (đợt đo số %d)", today.Year(), i),
		IssuerName: "Sở Nội vụ tỉnh Đo Hiệu Năng", IssuerUnitID: &issuer, SignerPosition: "Giám đốc Sở Nội vụ", IssueDate: start,
		Kind:        domain.KindRegular,
		Purposes:    "Tạo khí thế thi đua sôi nổi trong thực hiện nhiệm vụ cải cách hành chính.\nBiểu dương, khen thưởng kịp thời các tập thể, cá nhân tiêu biểu.",
		Content:     "Hoàn thành các nhiệm vụ CCHC năm theo kế hoạch của UBND tỉnh.\nTự chấm điểm theo Bộ chỉ số CCHC, có tài liệu kiểm chứng cho từng tiêu chí.",
		TargetKinds: []string{"department", "commune"}, TargetCategories: []string{"can_bo", "cong_chuc", "vien_chuc"},
		TargetNote: "Các sở, ngành và UBND các xã của tỉnh.", PeriodStart: start, PeriodEnd: end, Bands: domain.DefaultBands}
	id, err := db.CreateCampaign(ctx, &c, "")
	if err != nil {
		return 0, err
	}
	from, to := today.AddDate(0, 0, -7), today.AddDate(0, 0, 14)
	p := domain.Phase{CampaignID: id, Name: "Đợt 1", Start: start, End: end, AssessmentFrom: &from, AssessmentTo: &to, ReviewKind: domain.ReviewAnnual}
	if _, err := db.SavePhase(ctx, &p); err != nil {
		return 0, err
	}
	forms, err := db.AwardForms(ctx)
	if err != nil {
		return 0, err
	}
	for _, f := range forms {
		if f.Code == "giay_khen" {
			if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: id, AwardFormID: f.ID, MinBand: "good", NoPendingDiscipline: true, NotAlreadyAwarded: true}); err != nil {
				return 0, err
			}
		}
	}
	for _, s := range []struct {
		name         string
		kind         string
		areas, leafs int
	}{{"Sở, ban, ngành tỉnh", "department", 5, 5}, {"UBND xã", "commune", 8, 5}} {
		setID, err := db.CreateCriteriaSet(ctx, id, s.name, []string{s.kind}, false)
		if err != nil {
			return 0, err
		}
		nodes, problems := criteria.Nodes(criteriaRows(s.areas, s.leafs))
		if len(problems) > 0 {
			return 0, fmt.Errorf("criteria: %v", problems)
		}
		if err := db.ReplaceCriteria(ctx, setID, nodes, "bench"); err != nil {
			return 0, err
		}
	}
	return id, db.Transition(ctx, id, domain.StatusAnnounced, "")
}

// fillCampaign registers every department and commune (approved), opens
// their forms and scores every leaf with evidence, in bulk.
func fillCampaign(ctx context.Context, conn *pgx.Conn, id int64) error {
	for _, sql := range []string{
		`INSERT INTO registrations (campaign_id, unit_id, status, pledge, targets, submitted_at, decided_at)
		 SELECT $1, u.id, 'approved', 'Hoàn thành 100% nhiệm vụ cải cách hành chính năm.', '[{"label":"Hồ sơ đúng hạn","value":"100%"}]', now(), now()
		 FROM units u WHERE u.kind IN ('department', 'commune') AND u.code LIKE 'B%'`,
		`INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id, status, registration_id)
		 SELECT $1, s.id, p.id, r.unit_id, 'draft', r.id
		 FROM registrations r JOIN units u ON u.id = r.unit_id
		 JOIN criteria_sets s ON s.campaign_id = $1 AND u.kind = ANY (s.target_kinds)
		 JOIN phases p ON p.campaign_id = $1
		 WHERE r.campaign_id = $1`,
		`INSERT INTO evidence_files (key, unit_id, sha256, size, content_type, file_name)
		 SELECT md5($1::bigint || '-' || a.unit_id) || md5(a.unit_id || '-' || $1::bigint), a.unit_id, encode(sha256(($1::bigint || '-' || a.unit_id)::bytea), 'hex'),
		        245760, 'application/pdf', 'bao-cao-cchc-' || a.unit_id || '.pdf'
		 FROM assessments a WHERE a.campaign_id = $1`,
		`INSERT INTO scores (campaign_id, assessment_id, criterion_id, points, explanation)
		 SELECT $1, a.id, c.id, c.max_points, 'Đơn vị đã hoàn thành đầy đủ, đúng hạn; xem báo cáo kèm theo.'
		 FROM assessments a JOIN criteria c ON c.set_id = a.set_id
		 WHERE a.campaign_id = $1 AND NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)`,
		`INSERT INTO score_evidence (campaign_id, assessment_id, criterion_id, evidence_id, reference)
		 SELECT $1, s.assessment_id, s.criterion_id, e.id, 'Trang ' || (s.criterion_id % 20 + 1)
		 FROM scores s JOIN assessments a ON a.id = s.assessment_id
		 JOIN evidence_files e ON e.key = md5($1::bigint || '-' || a.unit_id) || md5(a.unit_id || '-' || $1::bigint)
		 WHERE s.campaign_id = $1`,
		`UPDATE assessments a SET total_points = t.total, applicable_max = t.total, converted = 10000, scored = t.n
		 FROM (SELECT assessment_id, sum(points) AS total, count(*) AS n FROM scores WHERE campaign_id = $1 GROUP BY assessment_id) t
		 WHERE a.id = t.assessment_id`,
		// Half the communes' forms are appraised and locked (the others and
		// the departments' stay open for the form workloads): some criteria
		// lowered by a quarter, so the ranking has spread totals and ties.
		`UPDATE scores s SET appraised_points = s.points - CASE WHEN (s.criterion_id * 7 + s.assessment_id) % 5 < a.unit_id % 4 THEN s.points / 100 * 25 ELSE 0 END,
		        appraised_na = false, appraisal_comment = '', appraised_at = now()
		 FROM assessments a JOIN units u ON u.id = a.unit_id
		 WHERE s.campaign_id = $1 AND a.id = s.assessment_id AND u.kind = 'commune' AND u.id % 2 = 0`,
		`UPDATE scores s SET final_points = s.appraised_points, final_na = false WHERE s.campaign_id = $1 AND s.appraised_points IS NOT NULL`,
		`UPDATE assessments a SET status = 'locked', received_at = now(), appraised_at = now(), locked_at = now(),
		        appraised_points = t.ap, appraised_max = t.m, appraised_converted = round(t.ap * 10000.0 / t.m), appraised_scored = t.n,
		        final_points = t.ap, final_max = t.m, final_converted = round(t.ap * 10000.0 / t.m)
		 FROM (SELECT s.assessment_id, sum(s.appraised_points) AS ap, sum(c.max_points) AS m, count(*) AS n
		       FROM scores s JOIN criteria c ON c.id = s.criterion_id
		       WHERE s.campaign_id = $1 AND s.appraised_points IS NOT NULL GROUP BY s.assessment_id) t
		 WHERE a.id = t.assessment_id`,
	} {
		if _, err := conn.Exec(ctx, sql, id); err != nil {
			return fmt.Errorf("%.60s…: %w", sql, err)
		}
	}
	return nil
}
