// Package seed fills a database with demonstration data: a province after the
// 2025 reorganisation, its departments and communes, and one login per role.
package seed

import (
	"context"
	"fmt"

	"thidua/internal/domain"
	"thidua/internal/password"
	"thidua/internal/postgres"
)

// DemoPassword is the password of every demo login. It is printed by
// `thidua dev` and in the README; never use demo data in production.
const DemoPassword = "ThiDua@Demo2026"

// Login is a demo account as printed for the user.
type Login struct {
	Email, Role, Name, Unit string
}

// demoUnits is the province's committee with its departments and a few
// communes and wards formed on 01/07/2025.
var demoUnits = struct {
	root        string
	departments []string
	communes    []string
}{
	root: "Ủy ban nhân dân tỉnh Đồng Tháp",
	departments: []string{
		"Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Sở Y tế", "Sở Giáo dục và Đào tạo",
		"Sở Xây dựng", "Sở Công Thương", "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ",
		"Sở Văn hóa, Thể thao và Du lịch", "Thanh tra tỉnh", "Văn phòng UBND tỉnh",
	},
	communes: []string{
		"UBND phường Cao Lãnh", "UBND phường Mỹ Trà", "UBND phường Sa Đéc", "UBND phường Hồng Ngự",
		"UBND xã Tân Hồng", "UBND xã Tháp Mười", "UBND xã Lấp Vò", "UBND xã Lai Vung",
		"UBND xã Châu Thành", "UBND xã Tam Nông", "UBND xã Thanh Bình", "UBND xã Mỹ Thọ",
	},
}

var demoLogins = []struct {
	email, name string
	role        domain.Role
	unit        string
}{
	{"admin@thidua.local", "Võ Thành Nam", domain.RoleAdmin, ""},
	{"canbo@thidua.local", "Nguyễn Thị Thu Hà", domain.RoleStaff, "Sở Nội vụ"},
	{"daumoi.tuphap@thidua.local", "Trần Văn Bình", domain.RoleFocalPoint, "Sở Tư pháp"},
	{"daumoi.yte@thidua.local", "Lê Thị Mai", domain.RoleFocalPoint, "Sở Y tế"},
	{"daumoi.myth@thidua.local", "Phạm Minh Tuấn", domain.RoleFocalPoint, "UBND xã Mỹ Thọ"},
	{"lanhdao@thidua.local", "Đoàn Văn Đức", domain.RoleLeader, "Ủy ban nhân dân tỉnh Đồng Tháp"},
}

// Demo seeds the demo data once: if the demo administrator exists it only
// returns the logins. It reports whether it wrote anything.
func Demo(ctx context.Context, db *postgres.DB) ([]Login, bool, error) {
	logins := make([]Login, 0, len(demoLogins))
	for _, l := range demoLogins {
		logins = append(logins, Login{Email: l.email, Role: string(l.role), Name: l.name, Unit: l.unit})
	}
	if _, err := db.UserByEmail(ctx, demoLogins[0].email); err == nil {
		return logins, false, nil
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return nil, false, err
	}
	units := map[string]int64{}
	rootID, err := db.CreateUnit(ctx, demoUnits.root, nil)
	if err != nil {
		return nil, false, err
	}
	units[demoUnits.root] = rootID
	for _, name := range append(append([]string{}, demoUnits.departments...), demoUnits.communes...) {
		id, err := db.CreateUnit(ctx, name, &rootID)
		if err != nil {
			return nil, false, err
		}
		units[name] = id
	}
	hash, err := password.Hash(DemoPassword, password.Default)
	if err != nil {
		return nil, false, err
	}
	for _, l := range demoLogins {
		n := domain.NewUser{Email: l.email, FullName: l.name, Role: l.role}
		if l.unit != "" {
			id, ok := units[l.unit]
			if !ok {
				return nil, false, fmt.Errorf("seed: unknown unit %q", l.unit)
			}
			n.UnitID = &id
		}
		n.Normalize()
		if err := n.Validate(); err != nil {
			return nil, false, err
		}
		if _, _, err := db.CreateUser(ctx, n, hash, ""); err != nil {
			return nil, false, err
		}
	}
	return logins, true, nil
}
