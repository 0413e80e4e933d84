package seed

import (
	"context"
	"fmt"

	"thidua/internal/domain"
	"thidua/internal/postgres"
)

var (
	familyNames  = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Đinh", "Lâm", "Châu"}
	middleMale   = []string{"Văn", "Minh", "Quốc", "Hữu", "Thanh", "Hoàng", "Đức", "Công"}
	middleFemale = []string{"Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Thùy"}
	givenMale    = []string{"An", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hòa", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Tuấn", "Tùng", "Vinh", "Đạt"}
	givenFemale  = []string{"Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngân", "Nhung", "Phương", "Quyên", "Thảo", "Thủy", "Trang", "Trinh", "Uyên", "Vy", "Xuân", "Yến"}
)

// jobs by unit kind: position and category, the head first.
var jobs = map[domain.UnitKind][][2]string{
	domain.KindDepartment: {{"Giám đốc", "cong_chuc"}, {"Phó Giám đốc", "cong_chuc"}, {"Chánh Văn phòng", "cong_chuc"},
		{"Trưởng phòng", "cong_chuc"}, {"Phó Trưởng phòng", "cong_chuc"}, {"Chuyên viên", "cong_chuc"}, {"Chuyên viên", "cong_chuc"},
		{"Chuyên viên chính", "cong_chuc"}, {"Viên chức", "vien_chuc"}, {"Nhân viên", "nguoi_lao_dong"}},
	domain.KindCommune: {{"Chủ tịch UBND", "can_bo"}, {"Phó Chủ tịch UBND", "can_bo"}, {"Chánh Văn phòng HĐND và UBND", "cong_chuc"},
		{"Trưởng phòng Kinh tế", "cong_chuc"}, {"Trưởng phòng Văn hóa - Xã hội", "cong_chuc"}, {"Công chức Tư pháp - Hộ tịch", "cong_chuc"},
		{"Công chức Địa chính - Xây dựng", "cong_chuc"}, {"Công chức Văn phòng - Thống kê", "cong_chuc"}, {"Viên chức Trung tâm Phục vụ hành chính công", "vien_chuc"}},
}

// seedPeople gives each department and new commune a staff of eight to
// eighteen people with plausible names, positions and categories.
func seedPeople(ctx context.Context, db *postgres.DB, ids map[string]int64) error {
	n := 0
	add := func(unitCode string, kind domain.UnitKind, staff int) error {
		list := jobs[kind]
		for i := 0; i < staff; i++ {
			n++
			female := (n*7)%5 < 2
			family := familyNames[(n*13)%len(familyNames)]
			var name string
			var gender string
			if female {
				name = family + " " + middleFemale[(n*3)%len(middleFemale)] + " " + givenFemale[(n*11)%len(givenFemale)]
				gender = "female"
			} else {
				name = family + " " + middleMale[(n*3)%len(middleMale)] + " " + givenMale[(n*11)%len(givenMale)]
				gender = "male"
			}
			job := list[min(i, len(list)-1)]
			if i >= len(list) {
				job = list[len(list)-2+i%2]
			}
			year := 1965 + (n*17)%35
			in := domain.PersonInput{Code: fmt.Sprintf("CB%05d", n), FullName: name, Gender: gender, BirthYear: &year,
				Position: job[0], Category: domain.Category(job[1]), UnitID: ids[unitCode], From: Reform}
			if _, err := db.CreatePerson(ctx, in); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		return nil
	}
	for i, d := range departments {
		if err := add(d[0], domain.KindDepartment, 10+(i*5)%9); err != nil {
			return err
		}
	}
	for i, c := range newCommunes {
		if err := add(c.code, domain.KindCommune, 9+(i*3)%7); err != nil {
			return err
		}
	}
	return nil
}
