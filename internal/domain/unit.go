package domain

import (
	"regexp"
	"strings"
	"time"
)

// UnitKind is what kind of body a unit is.
type UnitKind string

// Unit kinds, described in docs/domain.md.
const (
	KindProvince    UnitKind = "province"     // tỉnh / thành phố
	KindDepartment  UnitKind = "department"   // sở / ban / ngành
	KindDistrict    UnitKind = "district"     // huyện (historic since 01/07/2025)
	KindCommune     UnitKind = "commune"      // xã
	KindWard        UnitKind = "ward"         // phường
	KindTown        UnitKind = "town"         // thị trấn (historic since 01/07/2025)
	KindSpecialZone UnitKind = "special_zone" // đặc khu
	KindAgency      UnitKind = "agency"       // cơ quan / đơn vị sự nghiệp
	KindDivision    UnitKind = "division"     // phòng / ban
	KindOther       UnitKind = "other"
)

// UnitKinds lists the kinds in the order forms offer them.
var UnitKinds = []UnitKind{KindProvince, KindDepartment, KindDistrict, KindCommune, KindWard, KindTown, KindSpecialZone, KindAgency, KindDivision, KindOther}

// Valid reports whether k is a known kind.
func (k UnitKind) Valid() bool {
	for _, x := range UnitKinds {
		if k == x {
			return true
		}
	}
	return false
}

// unitKindWords maps what people write in import files to kinds.
var unitKindWords = map[string]UnitKind{
	"province": KindProvince, "tinh": KindProvince, "thanh pho": KindProvince, "tinh/thanh pho": KindProvince,
	"department": KindDepartment, "so": KindDepartment, "ban": KindDepartment, "nganh": KindDepartment, "so/ban/nganh": KindDepartment,
	"district": KindDistrict, "huyen": KindDistrict,
	"commune": KindCommune, "xa": KindCommune,
	"ward": KindWard, "phuong": KindWard,
	"town": KindTown, "thi tran": KindTown,
	"special_zone": KindSpecialZone, "dac khu": KindSpecialZone,
	"agency": KindAgency, "co quan": KindAgency, "don vi su nghiep": KindAgency, "co quan/don vi su nghiep": KindAgency,
	"division": KindDivision, "phong": KindDivision, "phong/ban": KindDivision,
	"other": KindOther, "khac": KindOther,
}

// unitKindWord is the word import files and exports use for each kind.
var unitKindWord = map[UnitKind]string{
	KindProvince: "tỉnh", KindDepartment: "sở", KindDistrict: "huyện", KindCommune: "xã", KindWard: "phường",
	KindTown: "thị trấn", KindSpecialZone: "đặc khu", KindAgency: "cơ quan", KindDivision: "phòng", KindOther: "khác",
}

// Word is the Vietnamese word files use for the kind ("xã", "thị trấn"),
// the one ParseUnitKind reads back.
func (k UnitKind) Word() string {
	if w, ok := unitKindWord[k]; ok {
		return w
	}
	return string(k)
}

// ParseUnitKind reads a kind as written in a file: the code ("commune") or
// the Vietnamese word with or without accents ("xã", "xa").
func ParseUnitKind(s string) (UnitKind, bool) {
	k, ok := unitKindWords[SearchKey(s)]
	return k, ok
}

// Unit is a unit of the registry as of a date: its identity, lifetime and
// the name and parent it had then.
type Unit struct {
	ID        int64
	Code      string
	Kind      UnitKind
	Name      string
	ShortName string
	ParentID  *int64
	ValidFrom time.Time
	ValidTo   *time.Time // exclusive; nil while in force
	Version   int
}

// ActiveOn reports whether the unit exists on day d.
func (u *Unit) ActiveOn(d time.Time) bool {
	return !d.Before(u.ValidFrom) && (u.ValidTo == nil || d.Before(*u.ValidTo))
}

var codePattern = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._/-]{0,29}$`)

// ValidCode reports whether s can be an official code (mã ĐVHC or a unit's own).
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// UnitInput is what a form or an import row gives for a unit.
type UnitInput struct {
	Code      string
	Kind      UnitKind
	Name      string
	ShortName string
	ParentID  *int64
	ValidFrom time.Time
	ValidTo   *time.Time
}

// Normalize cleans the text fields in place.
func (in *UnitInput) Normalize() {
	in.Code = strings.TrimSpace(in.Code)
	in.Name = CleanText(in.Name)
	in.ShortName = CleanText(in.ShortName)
}

// Validate checks a unit's fields.
func (in *UnitInput) Validate() error {
	f := FieldErrors{}
	switch n := RuneLen(in.Name); {
	case n == 0:
		f.Add("name", "field.required")
	case n > 300:
		f.Add("name", "field.too_long")
	}
	if RuneLen(in.ShortName) > 100 {
		f.Add("short_name", "field.too_long")
	}
	if in.Code != "" && !ValidCode(in.Code) {
		f.Add("code", "unit.code.invalid")
	}
	if !in.Kind.Valid() {
		f.Add("kind", "unit.kind.invalid")
	}
	if !ValidDate(in.ValidFrom) {
		f.Add("valid_from", "date.out_of_range")
	}
	if in.ValidTo != nil && !in.ValidTo.After(in.ValidFrom) {
		f.Add("valid_to", "unit.valid_to.before_from")
	}
	return f.Err()
}

// UnitEventKind is what a reorganisation did.
type UnitEventKind string

// Reorganisation kinds.
const (
	EventEstablish UnitEventKind = "establish"
	EventMerge     UnitEventKind = "merge"
	EventSplit     UnitEventKind = "split"
	EventRename    UnitEventKind = "rename"
	EventMove      UnitEventKind = "move"
	EventDissolve  UnitEventKind = "dissolve"
)

// Reorganisation is a merge of several units into one (a new unit, or an
// existing one that carries on: "nhập xã A vào xã B"), or a split of one
// unit into several new ones, on a date and under a decision.
type Reorganisation struct {
	Kind          UnitEventKind // EventMerge or EventSplit
	EffectiveDate time.Time
	Decision      string // e.g. "Nghị quyết số 1663/NQ-UBTVQH15"
	Note          string
	Sources       []int64     // units ended on the date
	Targets       []UnitInput // units created on the date
	Into          *int64      // merge only: an existing unit that takes the sources in
}

// Validate checks the shape of a reorganisation; the database checks that
// the sources exist and are in force on the date.
func (r *Reorganisation) Validate() error {
	f := FieldErrors{}
	if !ValidDate(r.EffectiveDate) {
		f.Add("effective_date", "date.out_of_range")
	}
	r.Decision = CleanText(r.Decision)
	r.Note = CleanText(r.Note)
	if RuneLen(r.Decision) > 300 {
		f.Add("decision", "field.too_long")
	}
	if RuneLen(r.Note) > 2000 {
		f.Add("note", "field.too_long")
	}
	seen := map[int64]bool{}
	for _, id := range r.Sources {
		if seen[id] {
			f.Add("sources", "unit.reorg.duplicate_source")
		}
		seen[id] = true
	}
	switch r.Kind {
	case EventMerge:
		if len(r.Sources) < 1 || (len(r.Sources) < 2 && r.Into == nil) {
			f.Add("sources", "unit.reorg.merge_sources")
		}
		if (len(r.Targets) == 1) == (r.Into != nil) || len(r.Targets) > 1 {
			f.Add("targets", "unit.reorg.merge_target")
		}
		if r.Into != nil && seen[*r.Into] {
			f.Add("sources", "unit.reorg.into_is_source")
		}
	case EventSplit:
		if len(r.Sources) != 1 {
			f.Add("sources", "unit.reorg.split_source")
		}
		if len(r.Targets) < 2 || r.Into != nil {
			f.Add("targets", "unit.reorg.split_targets")
		}
	default:
		f.Add("kind", "field.invalid")
	}
	for i := range r.Targets {
		t := &r.Targets[i]
		t.ValidFrom = r.EffectiveDate
		t.ValidTo = nil
		t.Normalize()
		if err := t.Validate(); err != nil {
			for k, v := range err.(*ValidationError).Fields {
				f.Add("target_"+k, v)
			}
		}
	}
	return f.Err()
}

// ValidDate reports whether d is a plausible date for the registry.
func ValidDate(d time.Time) bool {
	return !d.IsZero() && d.Year() >= 1945 && d.Year() <= 2100
}

// ParseDate reads a date as people write it: dd/mm/yyyy (Vietnamese usage),
// d/m/yyyy, or yyyy-mm-dd.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02/01/2006", "2/1/2006", "2006-01-02", "02-01-2006", "02.01.2006"} {
		if d, err := time.Parse(layout, s); err == nil && ValidDate(d) {
			return d, true
		}
	}
	return time.Time{}, false
}
