package domain

import (
	"strings"
	"time"
)

// Category is the legal category of a public employee.
type Category string

// Categories under the Law on Cadres and Civil Servants and the Law on
// Public Employees.
const (
	CategoryCanBo        Category = "can_bo"
	CategoryCongChuc     Category = "cong_chuc"
	CategoryVienChuc     Category = "vien_chuc"
	CategoryNguoiLaoDong Category = "nguoi_lao_dong"
)

// Categories lists the categories in form order.
var Categories = []Category{CategoryCanBo, CategoryCongChuc, CategoryVienChuc, CategoryNguoiLaoDong}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	for _, x := range Categories {
		if c == x {
			return true
		}
	}
	return false
}

// Word is the Vietnamese word files use for the category ("công chức"),
// the one ParseCategory reads back.
func (c Category) Word() string {
	switch c {
	case CategoryCanBo:
		return "cán bộ"
	case CategoryCongChuc:
		return "công chức"
	case CategoryVienChuc:
		return "viên chức"
	case CategoryNguoiLaoDong:
		return "người lao động"
	}
	return string(c)
}

// ParseCategory reads a category as written in a file, with or without accents.
func ParseCategory(s string) (Category, bool) {
	switch SearchKey(s) {
	case "can_bo", "can bo":
		return CategoryCanBo, true
	case "cong_chuc", "cong chuc":
		return CategoryCongChuc, true
	case "vien_chuc", "vien chuc":
		return CategoryVienChuc, true
	case "nguoi_lao_dong", "nguoi lao dong":
		return CategoryNguoiLaoDong, true
	}
	return "", false
}

// ParseGender reads "Nam"/"Nữ" (or male/female); empty means not given.
func ParseGender(s string) (gender string, ok bool) {
	switch SearchKey(s) {
	case "":
		return "", true
	case "nam", "male", "m":
		return "male", true
	case "nu", "female", "f":
		return "female", true
	}
	return "", false
}

// Person is a cán bộ, công chức, viên chức or người lao động, with the unit
// they belong to on the date asked for.
type Person struct {
	ID        int64
	Code      string
	FullName  string
	Gender    string
	BirthYear *int
	Position  string
	Category  Category
	UnitID    *int64
	UnitName  string
	Version   int
}

// PersonInput is what a form or an import row gives for a person.
type PersonInput struct {
	Code      string
	FullName  string
	Gender    string
	BirthYear *int
	Position  string
	Category  Category
	UnitID    int64
	From      time.Time
}

// Normalize cleans the text fields in place.
func (in *PersonInput) Normalize() {
	in.Code = strings.TrimSpace(in.Code)
	in.FullName = CleanText(in.FullName)
	in.Position = CleanText(in.Position)
}

// Validate checks a person's fields.
func (in *PersonInput) Validate() error {
	f := FieldErrors{}
	switch n := RuneLen(in.FullName); {
	case n == 0:
		f.Add("full_name", "field.required")
	case n > 200:
		f.Add("full_name", "field.too_long")
	}
	if in.Code != "" && !ValidCode(in.Code) {
		f.Add("code", "person.code.invalid")
	}
	if in.Gender != "" && in.Gender != "male" && in.Gender != "female" {
		f.Add("gender", "field.invalid")
	}
	if in.BirthYear != nil && (*in.BirthYear < 1900 || *in.BirthYear > 2100) {
		f.Add("birth_year", "person.birth_year.invalid")
	}
	if RuneLen(in.Position) > 200 {
		f.Add("position", "field.too_long")
	}
	if !in.Category.Valid() {
		f.Add("category", "person.category.invalid")
	}
	if in.UnitID <= 0 {
		f.Add("unit_id", "person.unit.required")
	}
	if !ValidDate(in.From) {
		f.Add("from", "date.out_of_range")
	}
	return f.Err()
}

// CanSeePeopleOf reports whether u may read the personal data of the people
// of unit: staff and admins may, a focal point only for their own unit.
// Leaders and anonymous visitors may not.
func CanSeePeopleOf(u *User, unitID int64) bool {
	if HasRole(u, RoleStaff) {
		return true
	}
	return u != nil && u.Role == RoleFocalPoint && u.UnitID != nil && *u.UnitID == unitID
}

// CanEditRegistry reports whether u may change units and people.
func CanEditRegistry(u *User) bool { return HasRole(u, RoleStaff) }
