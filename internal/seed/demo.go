// Package seed fills a database with demonstration data: a province after
// the reorganisation of 01/07/2025 (Đồng Tháp, merged with Tiền Giang), its
// departments, the districts and communes it had before, the communes and
// wards they were merged into, a few hundred people, and one login per role.
// Names follow the real province; the lists of communes merged into each new
// one are illustrative, not the legal text.
package seed

import (
	"context"
	"fmt"
	"strings"

	"thidua/internal/domain"
	"thidua/internal/password"
	"thidua/internal/postgres"
)

// DemoPassword is the password of every demo login. It is printed by
// `thidua dev` and in the README; never load demo data in production.
const DemoPassword = "ThiDua@Demo2026"

// Login is a demo account as printed for the user.
type Login struct {
	Email, Role, Name, Unit string
}

// Reform is the day the district level ended and provinces and communes merged.
var Reform = domain.Day(2025, 7, 1)

// ReformDecision is the legal basis recorded on the demo reorganisation.
const ReformDecision = "Nghị quyết số 1663/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội"

type oldDistrict struct {
	code, name string
	kind       domain.UnitKind
	province   string // code of the old province
	communes   [][2]string
}

// historicKind reads an old commune-level unit's kind from its name
// ("UBND Phường 1", "UBND thị trấn Mỹ Thọ", "UBND xã Mỹ Hội").
func historicKind(name string) domain.UnitKind {
	key := domain.SearchKey(name)
	switch {
	case strings.HasPrefix(key, "ubnd phuong "):
		return domain.KindWard
	case strings.HasPrefix(key, "ubnd thi tran "):
		return domain.KindTown
	}
	return domain.KindCommune
}

var oldProvinces = [][2]string{{"87", "Ủy ban nhân dân tỉnh Đồng Tháp"}, {"82", "Ủy ban nhân dân tỉnh Tiền Giang"}}

var oldDistricts = []oldDistrict{
	{"866", "UBND thành phố Cao Lãnh", domain.KindDistrict, "87", [][2]string{
		{"29869", "UBND Phường 1"}, {"29872", "UBND Phường 3"}, {"29875", "UBND Phường 4"}, {"29878", "UBND Phường 6"},
		{"29881", "UBND phường Mỹ Phú"}, {"29884", "UBND phường Hòa Thuận"}, {"29887", "UBND xã Mỹ Tân"}, {"29890", "UBND xã Hòa An"}}},
	{"867", "UBND thành phố Sa Đéc", domain.KindDistrict, "87", [][2]string{
		{"29902", "UBND Phường 1 (Sa Đéc)"}, {"29905", "UBND Phường 2 (Sa Đéc)"}, {"29908", "UBND phường An Hòa"}, {"29911", "UBND xã Tân Khánh Đông"}}},
	{"876", "UBND huyện Cao Lãnh", domain.KindDistrict, "87", [][2]string{
		{"29995", "UBND thị trấn Mỹ Thọ"}, {"29998", "UBND xã Mỹ Hội"}, {"30001", "UBND xã Mỹ Xương"}, {"30004", "UBND xã Mỹ Long"}, {"30007", "UBND xã Bình Hàng Trung"}}},
	{"874", "UBND huyện Tháp Mười", domain.KindDistrict, "87", [][2]string{
		{"29962", "UBND thị trấn Mỹ An"}, {"29965", "UBND xã Mỹ Hòa"}, {"29968", "UBND xã Mỹ Quý"}, {"29971", "UBND xã Thanh Mỹ"}}},
	{"878", "UBND huyện Lấp Vò", domain.KindDistrict, "87", [][2]string{
		{"30040", "UBND thị trấn Lấp Vò"}, {"30043", "UBND xã Bình Thạnh Trung"}, {"30046", "UBND xã Mỹ An Hưng A"}, {"30049", "UBND xã Hội An Đông"}}},
	{"815", "UBND thành phố Mỹ Tho", domain.KindDistrict, "82", [][2]string{
		{"28249", "UBND Phường 1 (Mỹ Tho)"}, {"28252", "UBND Phường 2 (Mỹ Tho)"}, {"28255", "UBND Phường 4 (Mỹ Tho)"}, {"28258", "UBND phường Tân Long"},
		{"28261", "UBND xã Trung An"}, {"28264", "UBND xã Tân Mỹ Chánh"}}},
	{"818", "UBND huyện Cái Bè", domain.KindDistrict, "82", [][2]string{
		{"28360", "UBND thị trấn Cái Bè"}, {"28363", "UBND xã Đông Hòa Hiệp"}, {"28366", "UBND xã An Cư"}, {"28369", "UBND xã Hậu Thành"}}},
	{"821", "UBND huyện Châu Thành (Tiền Giang)", domain.KindDistrict, "82", [][2]string{
		{"28450", "UBND thị trấn Tân Hiệp"}, {"28453", "UBND xã Thân Cửu Nghĩa"}, {"28456", "UBND xã Long An"}, {"28459", "UBND xã Tam Hiệp"}}},
}

// newCommunes are the communes and wards formed on 01/07/2025, each from
// old communes (by code).
var newCommunes = []struct {
	code, name, short string
	kind              domain.UnitKind
	from              []string
}{
	{"29866", "Ủy ban nhân dân phường Cao Lãnh", "UBND phường Cao Lãnh", domain.KindWard, []string{"29869", "29872", "29875", "29878"}},
	{"29883", "Ủy ban nhân dân phường Mỹ Trà", "UBND phường Mỹ Trà", domain.KindWard, []string{"29881", "29884", "29890"}},
	{"29889", "Ủy ban nhân dân xã Mỹ Tân", "UBND xã Mỹ Tân", domain.KindCommune, []string{"29887"}},
	{"29901", "Ủy ban nhân dân phường Sa Đéc", "UBND phường Sa Đéc", domain.KindWard, []string{"29902", "29905", "29908", "29911"}},
	{"29994", "Ủy ban nhân dân xã Mỹ Thọ", "UBND xã Mỹ Thọ", domain.KindCommune, []string{"29995", "29998", "30001"}},
	{"30003", "Ủy ban nhân dân xã Bình Hàng Trung", "UBND xã Bình Hàng Trung", domain.KindCommune, []string{"30004", "30007"}},
	{"29961", "Ủy ban nhân dân xã Tháp Mười", "UBND xã Tháp Mười", domain.KindCommune, []string{"29962", "29965", "29968"}},
	{"29970", "Ủy ban nhân dân xã Thanh Mỹ", "UBND xã Thanh Mỹ", domain.KindCommune, []string{"29971"}},
	{"30039", "Ủy ban nhân dân xã Lấp Vò", "UBND xã Lấp Vò", domain.KindCommune, []string{"30040", "30043"}},
	{"30045", "Ủy ban nhân dân xã Mỹ An Hưng", "UBND xã Mỹ An Hưng", domain.KindCommune, []string{"30046", "30049"}},
	{"28248", "Ủy ban nhân dân phường Mỹ Tho", "UBND phường Mỹ Tho", domain.KindWard, []string{"28249", "28252", "28255", "28258"}},
	{"28260", "Ủy ban nhân dân phường Trung An", "UBND phường Trung An", domain.KindWard, []string{"28261", "28264"}},
	{"28359", "Ủy ban nhân dân xã Cái Bè", "UBND xã Cái Bè", domain.KindCommune, []string{"28360", "28363"}},
	{"28365", "Ủy ban nhân dân xã An Hữu", "UBND xã An Hữu", domain.KindCommune, []string{"28366", "28369"}},
	{"28449", "Ủy ban nhân dân xã Tân Hiệp", "UBND xã Tân Hiệp", domain.KindCommune, []string{"28450", "28453", "28456", "28459"}},
}

var departments = [][2]string{
	{"SNV", "Sở Nội vụ"}, {"STC", "Sở Tài chính"}, {"STP", "Sở Tư pháp"}, {"SYT", "Sở Y tế"},
	{"SGDDT", "Sở Giáo dục và Đào tạo"}, {"SXD", "Sở Xây dựng"}, {"SCT", "Sở Công Thương"},
	{"SNNMT", "Sở Nông nghiệp và Môi trường"}, {"SKHCN", "Sở Khoa học và Công nghệ"},
	{"SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"}, {"TTT", "Thanh tra tỉnh"}, {"VPUBND", "Văn phòng UBND tỉnh"},
}

var demoLogins = []struct {
	email, name string
	role        domain.Role
	unitCode    string
}{
	{"admin@thidua.local", "Võ Thành Nam", domain.RoleAdmin, ""},
	{"canbo@thidua.local", "Nguyễn Thị Thu Hà", domain.RoleStaff, "SNV"},
	{"daumoi.tuphap@thidua.local", "Trần Văn Bình", domain.RoleFocalPoint, "STP"},
	{"daumoi.yte@thidua.local", "Lê Thị Mai", domain.RoleFocalPoint, "SYT"},
	{"daumoi.myth@thidua.local", "Phạm Minh Tuấn", domain.RoleFocalPoint, "29994"},
	{"daumoi.khcn@thidua.local", "Ngô Thị Lan", domain.RoleFocalPoint, "SKHCN"}, // the running campaign's form still being filled in
	{"lanhdao@thidua.local", "Đoàn Văn Đức", domain.RoleLeader, "82"},
	{"thamdinh@thidua.local", "Huỳnh Văn Phúc", domain.RoleStaff, "SNV"}, // on the running campaign's appraisal team
}

// Demo seeds the demo data once: if the demo administrator exists it only
// returns the logins. It reports whether it wrote anything.
func Demo(ctx context.Context, db *postgres.DB, opts ...Option) ([]Login, bool, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	logins := make([]Login, 0, len(demoLogins))
	for _, l := range demoLogins {
		logins = append(logins, Login{Email: l.email, Role: string(l.role), Name: l.name, Unit: unitLabel(l.unitCode)})
	}
	if _, err := db.UserByEmail(ctx, demoLogins[0].email); err == nil {
		return logins, false, nil
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return nil, false, err
	}
	ids, err := seedUnits(ctx, db)
	if err != nil {
		return nil, false, fmt.Errorf("units: %w", err)
	}
	if err := seedPeople(ctx, db, ids); err != nil {
		return nil, false, fmt.Errorf("people: %w", err)
	}
	if err := seedHolidays(ctx, db); err != nil {
		return nil, false, fmt.Errorf("holidays: %w", err)
	}
	if err := seedCampaigns(ctx, db, ids); err != nil {
		return nil, false, fmt.Errorf("campaigns: %w", err)
	}
	hash, err := password.Hash(DemoPassword, password.Default)
	if err != nil {
		return nil, false, err
	}
	users := map[string]int64{}
	for _, l := range demoLogins {
		n := domain.NewUser{Email: l.email, FullName: l.name, Role: l.role}
		if l.unitCode != "" {
			id := ids[l.unitCode]
			n.UnitID = &id
		}
		n.Normalize()
		if err := n.Validate(); err != nil {
			return nil, false, err
		}
		u, _, err := db.CreateUser(ctx, n, hash, "")
		if err != nil {
			return nil, false, err
		}
		users[l.email] = u.ID
		if l.role == domain.RoleFocalPoint {
			users["unit:"+l.unitCode] = u.ID
		}
	}
	campaignID, phaseID, err := seedCurrent(ctx, db, ids, users["canbo@thidua.local"])
	if err != nil {
		return nil, false, fmt.Errorf("current campaign: %w", err)
	}
	if err := seedMeasures(ctx, db, domain.DateOf(db.Now()).Year()-1); err != nil {
		return nil, false, fmt.Errorf("index values: %w", err)
	}
	if err := seedHistory(ctx, db, ids); err != nil {
		return nil, false, fmt.Errorf("achievement history: %w", err)
	}
	if o.evidence != nil {
		if err := seedAppraisal(ctx, db, o.evidence, ids, campaignID, phaseID, users); err != nil {
			return nil, false, fmt.Errorf("appraisal: %w", err)
		}
	}
	if err := seedNominations(ctx, db, o.evidence, ids, campaignID, phaseID, users); err != nil {
		return nil, false, fmt.Errorf("nominations: %w", err)
	}
	if o.evidence != nil {
		if err := seedAwards(ctx, db, o.evidence, ids, campaignID, phaseID, users); err != nil {
			return nil, false, fmt.Errorf("shortlist and notice: %w", err)
		}
		if err := seedCouncil(ctx, db, ids, campaignID, phaseID, users); err != nil {
			return nil, false, fmt.Errorf("council and decision: %w", err)
		}
	}
	return logins, true, nil
}

func unitLabel(code string) string {
	for _, d := range departments {
		if d[0] == code {
			return d[1]
		}
	}
	for _, c := range newCommunes {
		if c.code == code {
			return c.short
		}
	}
	if code == "82" {
		return "UBND tỉnh Đồng Tháp"
	}
	return ""
}

// seedUnits builds the registry before and after 01/07/2025 through the same
// operations staff use: creation, merges and dissolutions.
func seedUnits(ctx context.Context, db *postgres.DB) (map[string]int64, error) {
	ids := map[string]int64{}
	before := domain.Day(2008, 1, 1)
	create := func(in domain.UnitInput) error {
		id, err := db.CreateUnit(ctx, in)
		if err != nil {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
		if in.Code != "" {
			ids[in.Code] = id
		}
		return nil
	}
	for _, p := range oldProvinces {
		if err := create(domain.UnitInput{Code: p[0], Name: p[1], Kind: domain.KindProvince, ValidFrom: before}); err != nil {
			return nil, err
		}
	}
	for _, d := range oldDistricts {
		parent := ids[d.province]
		if err := create(domain.UnitInput{Code: d.code, Name: d.name, Kind: d.kind, ParentID: &parent, ValidFrom: before}); err != nil {
			return nil, err
		}
		district := ids[d.code]
		for _, c := range d.communes {
			kind := historicKind(c[1])
			if err := create(domain.UnitInput{Code: c[0], Name: c[1], Kind: kind, ParentID: &district, ValidFrom: before}); err != nil {
				return nil, err
			}
		}
	}
	// The new province. Its code, 82, passes from the old Tiền Giang, which
	// holds it until the merge below ends it: the province starts under a
	// provisional code and takes 82 once the code is free.
	provinceID, err := db.CreateUnit(ctx, domain.UnitInput{Code: "82-2025", Name: "Ủy ban nhân dân tỉnh Đồng Tháp",
		ShortName: "UBND tỉnh Đồng Tháp", Kind: domain.KindProvince, ValidFrom: Reform})
	if err != nil {
		return nil, err
	}
	for _, d := range departments {
		if err := create(domain.UnitInput{Code: d[0], Name: d[1], Kind: domain.KindDepartment, ParentID: &provinceID, ValidFrom: Reform}); err != nil {
			return nil, err
		}
	}
	for _, c := range newCommunes {
		r := domain.Reorganisation{Kind: domain.EventMerge, EffectiveDate: Reform, Decision: ReformDecision,
			Targets: []domain.UnitInput{{Code: c.code, Name: c.name, ShortName: c.short, Kind: c.kind, ParentID: &provinceID}}}
		for _, code := range c.from {
			r.Sources = append(r.Sources, ids[code])
		}
		if len(r.Sources) == 1 {
			// One old commune becomes one new: the new unit takes it in.
			id, err := db.CreateUnit(ctx, domain.UnitInput{Code: c.code, Name: c.name, ShortName: c.short, Kind: c.kind, ParentID: &provinceID, ValidFrom: Reform})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.name, err)
			}
			r = domain.Reorganisation{Kind: domain.EventMerge, EffectiveDate: Reform, Decision: ReformDecision, Sources: r.Sources, Into: &id}
			if _, _, err := db.Reorganise(ctx, r); err != nil {
				return nil, fmt.Errorf("%s: %w", c.name, err)
			}
			ids[c.code] = id
			continue
		}
		_, created, err := db.Reorganise(ctx, r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		ids[c.code] = created[0]
	}
	for _, d := range oldDistricts {
		if err := db.DissolveUnit(ctx, ids[d.code], Reform, ReformDecision); err != nil {
			return nil, fmt.Errorf("%s: %w", d.name, err)
		}
	}
	var old []int64
	for _, p := range oldProvinces {
		old = append(old, ids[p[0]])
	}
	if _, _, err := db.Reorganise(ctx, domain.Reorganisation{Kind: domain.EventMerge, EffectiveDate: Reform,
		Decision: "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội", Sources: old, Into: &provinceID}); err != nil {
		return nil, fmt.Errorf("provinces: %w", err)
	}
	u, err := db.UnitByID(ctx, provinceID)
	if err != nil {
		return nil, err
	}
	if err := db.UpdateUnit(ctx, provinceID, postgres.UnitUpdate{Code: "82", Kind: domain.KindProvince, Version: u.Version}); err != nil {
		return nil, fmt.Errorf("province code: %w", err)
	}
	ids["82"] = provinceID
	return ids, nil
}
