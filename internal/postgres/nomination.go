package postgres

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
)

// Nominations of individuals (issue 11): a focal point nominates its own
// unit's people for the individual awards of a campaign's plans, with the
// achievement report; staff receive or return them. Every change of status
// is a row of nomination_steps and an audit entry.

const nominationColumns = `n.id, n.campaign_id, n.phase_id, n.plan_id, n.unit_id, n.person_id, n.status,
	n.position, n.tasks, n.achievements, n.initiatives, n.prior_awards, n.report_file_id, n.vote_file_id, n.reason, n.version,
	n.created_at, n.updated_at, n.submitted_at, n.received_at, p.full_name, u.name, f.name, ph.name, coalesce(ub.full_name, '')`

const nominationFrom = ` FROM nominations n JOIN people p ON p.id = n.person_id JOIN units u ON u.id = n.unit_id
	JOIN award_plans ap ON ap.id = n.plan_id JOIN award_forms f ON f.id = ap.award_form_id
	JOIN phases ph ON ph.id = n.phase_id LEFT JOIN users ub ON ub.id = n.updated_by`

func scanNomination(row pgx.Row) (*domain.Nomination, error) {
	var n domain.Nomination
	err := row.Scan(&n.ID, &n.CampaignID, &n.PhaseID, &n.PlanID, &n.UnitID, &n.PersonID, &n.Status,
		&n.Report.Position, &n.Report.Tasks, &n.Report.Achievements, &n.Report.Initiatives, &n.Report.PriorAwards,
		&n.ReportFileID, &n.VoteFileID, &n.Reason, &n.Version, &n.CreatedAt, &n.UpdatedAt, &n.SubmittedAt, &n.ReceivedAt,
		&n.PersonName, &n.UnitName, &n.PlanName, &n.PhaseName, &n.UpdatedBy)
	if err != nil {
		return nil, notFound(err, "nomination.not_found")
	}
	return &n, nil
}

// NominationByID returns a nomination of a campaign (another campaign's is
// not found).
func (db *DB) NominationByID(ctx context.Context, campaignID, id int64) (_ *domain.Nomination, err error) {
	defer wrap(&err, "NominationByID")
	return scanNomination(db.Pool.QueryRow(ctx, `SELECT `+nominationColumns+nominationFrom+` WHERE n.id = $1 AND n.campaign_id = $2`, id, campaignID))
}

// Nominations lists a campaign's nominations, of one unit (unitID > 0) or
// of all, newest change first.
func (db *DB) Nominations(ctx context.Context, campaignID, unitID int64) (_ []domain.Nomination, err error) {
	defer wrap(&err, "Nominations")
	rows, err := db.Pool.Query(ctx, `SELECT `+nominationColumns+nominationFrom+`
		WHERE n.campaign_id = $1 AND ($2 = 0 OR n.unit_id = $2) ORDER BY n.updated_at DESC, n.id DESC`, campaignID, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Nomination
	for rows.Next() {
		n, err := scanNomination(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *n)
	}
	return out, rows.Err()
}

// NominationSteps returns a nomination's steps, oldest first.
func (db *DB) NominationSteps(ctx context.Context, id int64) (_ []domain.NominationStep, err error) {
	defer wrap(&err, "NominationSteps")
	rows, err := db.Pool.Query(ctx, `SELECT s.from_status, s.to_status, s.reason, coalesce(u.full_name, ''), s.at
		FROM nomination_steps s LEFT JOIN users u ON u.id = s.actor_id WHERE s.nomination_id = $1 ORDER BY s.id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[domain.NominationStep])
}

// IndividualPlan is an award plan of a campaign whose form goes to
// individuals.
type IndividualPlan struct {
	ID   int64
	Name string
}

// IndividualPlans lists the plans of a campaign a person may be nominated
// for, in catalogue order.
func (db *DB) IndividualPlans(ctx context.Context, campaignID int64) (_ []IndividualPlan, err error) {
	defer wrap(&err, "IndividualPlans")
	rows, err := db.Pool.Query(ctx, `SELECT p.id, f.name FROM award_plans p JOIN award_forms f ON f.id = p.award_form_id
		WHERE p.campaign_id = $1 AND f.target IN ('individual', 'both') ORDER BY f.sort, p.id`, campaignID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[IndividualPlan])
}

// PeopleOfUnit lists the people who belong to a unit on day (the registry's
// person_units), by name.
func (db *DB) PeopleOfUnit(ctx context.Context, unitID int64, day time.Time) (_ []domain.Person, err error) {
	defer wrap(&err, "PeopleOfUnit")
	return collectPeople(db.Pool.Query(ctx, personOn+` WHERE m.unit_id = $2 ORDER BY p.full_name COLLATE "vi-x-icu", p.id LIMIT 2000`, day, unitID))
}

// NewNomination is what the nomination form's first step gives.
type NewNomination struct {
	CampaignID, PhaseID, PlanID, UnitID, PersonID int64
}

// nominationStep records a change of status and its audit entry.
func nominationStep(ctx context.Context, tx pgx.Tx, n *domain.Nomination, from domain.NominationStatus, action string, details map[string]any) error {
	actor := nullID(domain.ActorFrom(ctx).UserID)
	if _, err := tx.Exec(ctx, `INSERT INTO nomination_steps (nomination_id, from_status, to_status, reason, actor_id) VALUES ($1, $2, $3, $4, $5)`,
		n.ID, string(from), string(n.Status), n.Reason, actor); err != nil {
		return err
	}
	return nominationAudit(ctx, tx, n, action, details)
}

func nominationAudit(ctx context.Context, tx pgx.Tx, n *domain.Nomination, action string, details map[string]any) error {
	d := map[string]any{"nomination_id": n.ID, "person": n.PersonName, "unit_id": n.UnitID}
	for k, v := range details {
		d[k] = v
	}
	return audit(ctx, tx, auditEntry{Action: action, ObjectType: "campaign", ObjectID: strconv.FormatInt(n.CampaignID, 10), Details: d})
}

// checkOpen refuses changes to the nominations of a campaign that is not
// running (a draft, closed or cancelled campaign takes none).
func checkOpen(ctx context.Context, tx pgx.Tx, campaignID int64) error {
	var status domain.CampaignStatus
	if err := tx.QueryRow(ctx, `SELECT status FROM campaigns WHERE id = $1 FOR SHARE`, campaignID).Scan(&status); err != nil {
		return notFound(err, "campaign.not_found")
	}
	if status != domain.StatusAnnounced {
		return domain.Errorf(domain.ECONFLICT, "nomination.campaign_closed")
	}
	return nil
}

// CreateNomination starts a draft nomination of one of the unit's people:
// the phase and plan must be the campaign's (the plan's form for
// individuals), the person a member of the unit today. The same person
// nominated again for the same plan and phase by the same unit (a double
// submit) is that nomination; by another unit, a conflict.
func (db *DB) CreateNomination(ctx context.Context, in NewNomination) (_ int64, err error) {
	defer wrap(&err, "CreateNomination")
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkOpen(ctx, tx, in.CampaignID); err != nil {
			return err
		}
		f := domain.FieldErrors{}
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM phases WHERE id = $1 AND campaign_id = $2)`, in.PhaseID, in.CampaignID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			f.Add("phase_id", "nomination.phase.invalid")
		}
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM award_plans p JOIN award_forms f ON f.id = p.award_form_id
			WHERE p.id = $1 AND p.campaign_id = $2 AND f.target IN ('individual', 'both'))`, in.PlanID, in.CampaignID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			f.Add("plan_id", "nomination.plan.invalid")
		}
		day := domain.DateOf(db.Now())
		var position string
		err := tx.QueryRow(ctx, `SELECT p.position FROM people p JOIN person_units m ON m.person_id = p.id
			WHERE p.id = $1 AND m.unit_id = $2 AND m.valid_from <= $3 AND (m.valid_to IS NULL OR m.valid_to > $3)`, in.PersonID, in.UnitID, day).Scan(&position)
		if errors.Is(err, pgx.ErrNoRows) {
			f.Add("person_id", "nomination.person.not_in_unit")
		} else if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		err = tx.QueryRow(ctx, `INSERT INTO nominations (campaign_id, phase_id, plan_id, unit_id, person_id, position, created_by, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (phase_id, plan_id, person_id) DO NOTHING RETURNING id`,
			in.CampaignID, in.PhaseID, in.PlanID, in.UnitID, in.PersonID, domain.CleanText(position), actor).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			var unit int64
			if err := tx.QueryRow(ctx, `SELECT id, unit_id FROM nominations WHERE phase_id = $1 AND plan_id = $2 AND person_id = $3`,
				in.PhaseID, in.PlanID, in.PersonID).Scan(&id, &unit); err != nil {
				return err
			}
			if unit != in.UnitID {
				return domain.Errorf(domain.ECONFLICT, "nomination.taken")
			}
			return nil // already nominated by this unit: that nomination
		}
		if err != nil {
			return err
		}
		n, err := scanNomination(tx.QueryRow(ctx, `SELECT `+nominationColumns+nominationFrom+` WHERE n.id = $1`, id))
		if err != nil {
			return err
		}
		return nominationStep(ctx, tx, n, "", domain.AuditNominationCreate, nil)
	})
	return id, err
}

// NominationEdit is a save of the nomination form: the report as typed,
// the version and the fields' hashes it was typed over, the files stored
// with it, and whether it is also submitted.
type NominationEdit struct {
	Report       domain.NominationReport
	Orig         map[string]string // field → domain.ReportHash of the text shown
	Version      int
	Submit       bool
	ReportFile   *EvidenceFile // a signed scan uploaded with this save
	VoteFile     *EvidenceFile // the unit's vote minutes uploaded with this save
	RemoveReport bool
	RemoveVote   bool
}

// NominationSaved says what a save did.
type NominationSaved struct {
	Changed          bool                    // something was written
	Merged           bool                    // the form was older: others' changes kept
	Conflicts        []string                // fields both sides changed: nothing of the text written
	Typed            domain.NominationReport // with conflicts: the merge, the typed text where both changed
	Submitted        bool
	AlreadySubmitted bool  // a second submit of the same form
	SubmitRefused    error // the draft was saved, but is not complete enough to submit
	Current          *domain.Nomination
}

// SaveNomination saves the unit's report (a draft) and, with Submit,
// submits it. A form typed over an older version is merged field by field
// with what was saved meanwhile; a field both sides changed is a conflict
// and no text is written (the files are). A refused submission still saves
// the draft. Only the unit's own nominations (unitID) are found.
func (db *DB) SaveNomination(ctx context.Context, campaignID, id, unitID int64, e NominationEdit) (_ NominationSaved, err error) {
	defer wrap(&err, "SaveNomination")
	typed := e.Report.Clean()
	if err := typed.Validate(); err != nil {
		return NominationSaved{}, err
	}
	var res NominationSaved
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		res = NominationSaved{}
		n, err := scanNomination(tx.QueryRow(ctx, `SELECT `+nominationColumns+nominationFrom+` WHERE n.id = $1 AND n.campaign_id = $2 AND n.unit_id = $3
			FOR UPDATE OF n`, id, campaignID, unitID))
		if err != nil {
			return err
		}
		if err := checkOpen(ctx, tx, n.CampaignID); err != nil {
			return err
		}
		if !n.Status.Editable() {
			if e.Submit && n.Status == domain.NominationSubmitted && typed == n.Report && e.ReportFile == nil && e.VoteFile == nil &&
				!e.RemoveReport && !e.RemoveVote {
				res.AlreadySubmitted, res.Current = true, n
				return nil
			}
			return domain.Errorf(domain.ECONFLICT, "nomination.not_editable."+string(n.Status))
		}
		report := typed
		if e.Version != n.Version {
			report, res.Conflicts = domain.MergeReport(e.Orig, typed, n.Report)
			res.Merged = len(res.Conflicts) == 0
			if len(res.Conflicts) > 0 {
				res.Typed = report
				report = n.Report // the text waits for the user's decision
			}
		}
		before := *n
		if err := n.Edit(report); err != nil {
			return err
		}
		// Two files lock two contents: in the order of their sums, so that
		// two saves with the same two files never wait on each other.
		var sums []string
		for _, f := range []*EvidenceFile{e.ReportFile, e.VoteFile} {
			if f != nil {
				sums = append(sums, f.SHA256)
			}
		}
		slices.Sort(sums)
		for _, sum := range sums {
			if err := lockFile(ctx, tx, sum); err != nil {
				return err
			}
		}
		files := map[string]any{}
		for _, f := range []struct {
			name   string
			file   *EvidenceFile
			remove bool
			id     **int64
		}{{"report_file", e.ReportFile, e.RemoveReport, &n.ReportFileID}, {"vote_file", e.VoteFile, e.RemoveVote, &n.VoteFileID}} {
			switch {
			case f.file != nil:
				fid, err := db.storeUnitFile(ctx, tx, n.UnitID, *f.file)
				if err != nil {
					return err
				}
				*f.id = &fid
				files[f.name] = f.file.FileName
			case f.remove && *f.id != nil:
				*f.id = nil
				files[f.name] = ""
			}
		}
		if n.Report != before.Report || len(files) > 0 {
			actor := nullID(domain.ActorFrom(ctx).UserID)
			if err := tx.QueryRow(ctx, `UPDATE nominations SET position = $2, tasks = $3, achievements = $4, initiatives = $5, prior_awards = $6,
				report_file_id = $7, vote_file_id = $8, version = version + 1, updated_at = now(), updated_by = $9 WHERE id = $1 RETURNING version`,
				n.ID, n.Report.Position, n.Report.Tasks, n.Report.Achievements, n.Report.Initiatives, n.Report.PriorAwards,
				n.ReportFileID, n.VoteFileID, actor).Scan(&n.Version); err != nil {
				return err
			}
			res.Changed = true
			files["merged"] = res.Merged
			if err := nominationAudit(ctx, tx, n, domain.AuditNominationSave, files); err != nil {
				return err
			}
		}
		if e.Submit && len(res.Conflicts) == 0 {
			from := n.Status
			var due *time.Time
			if err := tx.QueryRow(ctx, `SELECT nomination_to FROM phases WHERE id = $1`, n.PhaseID).Scan(&due); err != nil {
				return err
			}
			if due != nil && domain.DateOf(db.Now()).After(*due) {
				// Past the phase's nomination deadline: the draft above stays
				// saved, sending is refused.
				res.SubmitRefused = domain.Errorf(domain.ECONFLICT, "nomination.deadline_passed", i18n.Day(*due))
			} else if err := n.Submit(); err != nil {
				res.SubmitRefused = err // the draft above stays saved
			} else {
				n.Reason = ""
				if _, err := tx.Exec(ctx, `UPDATE nominations SET status = $2, reason = '', submitted_by = $3, submitted_at = now(),
					version = version + 1, updated_at = now() WHERE id = $1`, n.ID, string(n.Status), nullID(domain.ActorFrom(ctx).UserID)); err != nil {
					return err
				}
				if err := nominationStep(ctx, tx, n, from, domain.AuditNominationSubmit, nil); err != nil {
					return err
				}
				res.Submitted = true
			}
		}
		res.Current, err = scanNomination(tx.QueryRow(ctx, `SELECT `+nominationColumns+nominationFrom+` WHERE n.id = $1`, n.ID))
		return err
	})
	return res, err
}

// storeUnitFile records a stored file in the unit's evidence library (the
// same file under the same name already there is that entry) and returns
// its row.
func (db *DB) storeUnitFile(ctx context.Context, tx pgx.Tx, unitID int64, f EvidenceFile) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM evidence_files WHERE unit_id = $1 AND sha256 = $2 AND file_name = $3 ORDER BY id LIMIT 1`,
		unitID, f.SHA256, f.FileName).Scan(&id)
	if err == nil || !errors.Is(err, pgx.ErrNoRows) {
		return id, err
	}
	if err := db.claimFile(ctx, tx, f.SHA256); err != nil {
		return 0, err
	}
	err = tx.QueryRow(ctx, `INSERT INTO evidence_files (key, unit_id, sha256, size, content_type, file_name, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, f.Key, unitID, f.SHA256, f.Size, f.ContentType, f.FileName,
		nullID(domain.ActorFrom(ctx).UserID)).Scan(&id)
	return id, err
}

// NominationFile returns a file attached to a nomination (nil id: none).
func (db *DB) NominationFile(ctx context.Context, id *int64) (_ *EvidenceFile, err error) {
	defer wrap(&err, "NominationFile")
	if id == nil {
		return nil, nil
	}
	var f EvidenceFile
	err = db.Pool.QueryRow(ctx, `SELECT id, key, unit_id, sha256, size, content_type, file_name, created_at FROM evidence_files WHERE id = $1`, *id).
		Scan(&f.ID, &f.Key, &f.UnitID, &f.SHA256, &f.Size, &f.ContentType, &f.FileName, &f.CreatedAt)
	if err != nil {
		return nil, notFound(err, "evidence.not_found")
	}
	return &f, nil
}

// ReceiveNomination marks a submitted nomination received (staff). version
// is the one staff read (0: not checked); receiving one already received
// reports already.
func (db *DB) ReceiveNomination(ctx context.Context, campaignID, id int64, version int) (already bool, err error) {
	defer wrap(&err, "ReceiveNomination")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		n, err := scanNomination(tx.QueryRow(ctx, `SELECT `+nominationColumns+nominationFrom+` WHERE n.id = $1 AND n.campaign_id = $2 FOR UPDATE OF n`, id, campaignID))
		if err != nil {
			return err
		}
		if n.Status == domain.NominationReceived {
			already = true
			return nil
		}
		if version != 0 && version != n.Version {
			return domain.Errorf(domain.ECONFLICT, "nomination.stale")
		}
		from := n.Status
		if err := n.Receive(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE nominations SET status = $2, reason = '', received_by = $3, received_at = now(), version = version + 1,
			updated_at = now() WHERE id = $1`, n.ID, string(n.Status), nullID(domain.ActorFrom(ctx).UserID)); err != nil {
			return err
		}
		return nominationStep(ctx, tx, n, from, domain.AuditNominationReceive, nil)
	})
	return already, err
}

// ReturnNomination returns a submitted or received nomination to its unit
// with a reason (staff). Returning it again with the same reason (a double
// submit) reports already.
func (db *DB) ReturnNomination(ctx context.Context, campaignID, id int64, version int, reason string) (already bool, err error) {
	defer wrap(&err, "ReturnNomination")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		n, err := scanNomination(tx.QueryRow(ctx, `SELECT `+nominationColumns+nominationFrom+` WHERE n.id = $1 AND n.campaign_id = $2 FOR UPDATE OF n`, id, campaignID))
		if err != nil {
			return err
		}
		if clean, err := domain.CleanReason(reason); err == nil && n.Status == domain.NominationReturned && n.Reason == clean {
			already = true
			return nil
		}
		if version != 0 && version != n.Version {
			return domain.Errorf(domain.ECONFLICT, "nomination.stale")
		}
		from := n.Status
		if err := n.Return(reason); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE nominations SET status = $2, reason = $3, version = version + 1, updated_at = now() WHERE id = $1`,
			n.ID, string(n.Status), n.Reason); err != nil {
			return err
		}
		title, err := campaignTitle(ctx, tx, n.CampaignID)
		if err != nil {
			return err
		}
		if err := db.notifyUnits(ctx, tx, domain.NewNotification{Kind: domain.NotifyNominationReturned, Message: "notify.nomination_returned",
			Args: []string{n.PersonName, n.PlanName, title}, Detail: notifyDetail(n.Reason),
			Link: paths.Nomination(n.CampaignID, n.ID)}, n.UnitID); err != nil {
			return err
		}
		return nominationStep(ctx, tx, n, from, domain.AuditNominationReturn, map[string]any{"reason": n.Reason})
	})
	return already, err
}
