package seed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"thidua/internal/domain"
	"thidua/internal/postgres"
	"thidua/internal/storage"
)

// demoReport is the achievement report of a demo nomination.
func demoReport(position string, n int) domain.NominationReport {
	return domain.NominationReport{
		Position: position,
		Tasks:    "Tham mưu, tổ chức thực hiện nhiệm vụ cải cách hành chính của đơn vị; tiếp nhận và giải quyết hồ sơ thủ tục hành chính tại Bộ phận Một cửa.",
		Achievements: fmt.Sprintf("Năm nay giải quyết %d hồ sơ thủ tục hành chính, 100%% đúng hạn; tỷ lệ hài lòng của người dân đạt %d,%d%%.\n"+
			"Tham gia rà soát, đề xuất cắt giảm %d thủ tục hành chính nội bộ.", 1200+37*n, 96+n%3, n%10, 3+n%4),
		Initiatives: "Giải pháp số hóa hồ sơ lưu trữ tại Bộ phận Một cửa; Quyết định công nhận sáng kiến số " + fmt.Sprintf("%d", 40+n) + "/QĐ-HĐSK ngày 15/10/2025.",
		PriorAwards: "Năm 2024: Lao động tiên tiến (Quyết định số 210/QĐ-STP ngày 20/12/2024).",
	}
}

// seedNominations adds nominations of individuals to the running campaign
// for its award open to individuals, in every state the work goes
// through: Sở Tư pháp has a draft, one submitted, one returned with a
// reason and one received (with the signed scan and the vote minutes when
// the evidence store is given); Sở Y tế has one submitted.
func seedNominations(ctx context.Context, db *postgres.DB, store storage.Store, units map[string]int64, campaignID, phaseID int64, users map[string]int64) error {
	plans, err := db.IndividualPlans(ctx, campaignID)
	if err != nil {
		return err
	}
	if len(plans) == 0 {
		return fmt.Errorf("the running campaign has no award for individuals")
	}
	plan := plans[0].ID
	today := domain.DateOf(db.Now())
	staff := domain.WithActor(ctx, domain.Actor{UserID: users["canbo@thidua.local"]})
	type demo struct {
		unit  string
		steps []string // after the draft: submit, return, receive
		files bool
	}
	n := 0
	next := map[string]int{} // the unit's next person
	for _, d := range []demo{
		{unit: "STP", steps: []string{"submit", "receive"}, files: true},
		{unit: "STP", steps: []string{"submit", "return"}},
		{unit: "STP", steps: []string{"submit"}, files: true},
		{unit: "STP"},
		{unit: "SYT", steps: []string{"submit"}},
	} {
		unit := units[d.unit]
		fp := domain.WithActor(ctx, domain.Actor{UserID: users["unit:"+d.unit]})
		people, err := db.PeopleOfUnit(fp, unit, today)
		if err != nil {
			return err
		}
		if len(people) <= next[d.unit] {
			return fmt.Errorf("%s has %d people", d.unit, len(people))
		}
		person := people[next[d.unit]]
		next[d.unit]++
		id, err := db.CreateNomination(fp, postgres.NewNomination{CampaignID: campaignID, PhaseID: phaseID, PlanID: plan, UnitID: unit, PersonID: person.ID})
		if err != nil {
			return fmt.Errorf("%s: %w", person.FullName, err)
		}
		nom, err := db.NominationByID(fp, campaignID, id)
		if err != nil {
			return err
		}
		edit := postgres.NominationEdit{Report: demoReport(person.Position, n), Version: nom.Version}
		if len(d.steps) == 0 {
			edit.Report.Achievements, edit.Report.Initiatives, edit.Report.PriorAwards = "", "", "" // a draft half typed
		}
		if d.files && store != nil {
			for _, f := range []struct {
				name string
				dst  **postgres.EvidenceFile
			}{{"bao-cao-thanh-tich-ky.pdf", &edit.ReportFile}, {"bien-ban-binh-xet.pdf", &edit.VoteFile}} {
				ef, err := demoFile(ctx, store, f.name, person.FullName)
				if err != nil {
					return err
				}
				*f.dst = ef
			}
		}
		for _, step := range d.steps {
			switch step {
			case "submit":
				edit.Submit = true
				if _, err := db.SaveNomination(fp, campaignID, id, unit, edit); err != nil {
					return fmt.Errorf("%s: %w", person.FullName, err)
				}
			case "receive":
				if _, err := db.ReceiveNomination(staff, campaignID, id, 0); err != nil {
					return err
				}
			case "return":
				if _, err := db.ReturnNomination(staff, campaignID, id, 0,
					"Đề nghị bổ sung biên bản bình xét của đơn vị và số liệu cụ thể về sáng kiến (số, ngày quyết định công nhận)."); err != nil {
					return err
				}
			}
		}
		if len(d.steps) == 0 {
			if _, err := db.SaveNomination(fp, campaignID, id, unit, edit); err != nil {
				return err
			}
		}
		n++
	}
	return nil
}

// demoFile stores a short PDF for a demo nomination.
func demoFile(ctx context.Context, store storage.Store, name, person string) (*postgres.EvidenceFile, error) {
	var contentType string
	body := strings.Replace(demoPDF(strings.TrimSuffix(name, ".pdf")), "\n%%EOF", "\n% "+domain.SearchKey(person)+"\n%%EOF", 1)
	sum, size, err := store.Put(ctx, strings.NewReader(body), 1<<20, func(f io.ReaderAt, size int64) error {
		var err error
		contentType, err = storage.SniffEvidence(f, size)
		return err
	})
	if err != nil {
		return nil, err
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return &postgres.EvidenceFile{Key: hex.EncodeToString(b), SHA256: sum, Size: size, ContentType: contentType, FileName: name}, nil
}
