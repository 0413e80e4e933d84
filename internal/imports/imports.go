// Package imports reads unit, people and external values files (CSV or XLSX) row by row,
// checks each cell against the domain rules, and streams the valid rows to
// the database, which checks them as a set. The CLI (`thidua import`) and
// the web pages share this code.
package imports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"thidua/internal/domain"
	"thidua/internal/postgres"
	"thidua/internal/tabular"
)

// Column describes one column of an import file.
type Column struct {
	Name     string // header as written in the file
	Required bool
	Help     string // Vietnamese description, for the template and the docs
}

// UnitColumns is the documented layout of a units file.
var UnitColumns = []Column{
	{"ma", false, "Mã đơn vị (mã ĐVHC nếu có), duy nhất trong tệp; dùng để nhận ra đơn vị khi nhập lại"},
	{"ten", true, "Tên đầy đủ, ví dụ: Ủy ban nhân dân xã Mỹ Thọ"},
	{"ten_viet_tat", false, "Tên viết tắt, ví dụ: UBND xã Mỹ Thọ"},
	{"loai", true, "Loại: tỉnh, sở, huyện, xã, phường, thị trấn, đặc khu, cơ quan, phòng, khác"},
	{"ma_cap_tren", false, "Mã của đơn vị cấp trên (trong tệp hoặc đã có); để trống nếu là cấp cao nhất"},
	{"hieu_luc_tu", true, "Ngày bắt đầu hiệu lực, dd/mm/yyyy (hoặc yyyy-mm-dd)"},
	{"hieu_luc_den", false, "Ngày hết hiệu lực (không tính ngày này), dd/mm/yyyy (hoặc yyyy-mm-dd); để trống nếu còn hiệu lực"},
}

// PersonColumns is the documented layout of a people file.
var PersonColumns = []Column{
	{"ma_can_bo", false, "Mã cán bộ, duy nhất; dùng để nhận ra người khi nhập lại"},
	{"ho_ten", true, "Họ và tên"},
	{"gioi_tinh", false, "Nam hoặc Nữ"},
	{"nam_sinh", false, "Năm sinh, ví dụ 1985"},
	{"chuc_vu", false, "Chức vụ"},
	{"phan_loai", true, "Cán bộ, công chức, viên chức hoặc người lao động"},
	{"ma_don_vi", true, "Mã đơn vị công tác"},
	{"tu_ngay", true, "Ngày bắt đầu công tác tại đơn vị, dd/mm/yyyy (hoặc yyyy-mm-dd)"},
}

// MeasureColumns is the documented layout of an external values file.
var MeasureColumns = []Column{
	{"ma_don_vi", false, "Mã đơn vị (mã ĐVHC nếu có); để trống thì đơn vị được nhận ra theo tên"},
	{"ten_don_vi", false, "Tên đầy đủ hoặc tên viết tắt của đơn vị, dùng khi không có mã"},
	{"ma_chi_so", true, "Mã chỉ số: PAR_INDEX, SIPAS, PAPI_1 … PAPI_8, TTHC_DUNG_HAN (xem danh sách chỉ số)"},
	{"nam", true, "Năm đánh giá của giá trị, ví dụ 2025"},
	{"gia_tri", true, "Giá trị theo thang của chỉ số (% hoặc điểm), tối đa hai chữ số thập phân, ví dụ 85,23"},
	{"nguon", false, "Nguồn: văn bản, cơ quan công bố; để trống thì lấy cơ quan công bố của chỉ số"},
	{"ngay_cong_bo", true, "Ngày công bố, dd/mm/yyyy (hoặc yyyy-mm-dd)"},
}

// header maps the columns of a file to their positions, reporting unknown
// and missing ones.
type header map[string]int

func readHeader(r tabular.Reader, layout []Column, report *domain.ImportReport) (header, bool) {
	if tabular.Charset(r) == tabular.Windows1258 {
		report.AddNotice(domain.ImportProblem{Line: 1, Message: "import.file.windows1258"})
	}
	h := header{}
	known := map[string]bool{}
	for _, c := range layout {
		known[c.Name] = true
	}
	for i, name := range r.Header() {
		key := strings.ToLower(strings.TrimSpace(name))
		if key == "" {
			continue
		}
		if !known[key] {
			report.AddNotice(domain.ImportProblem{Line: 1, Column: name, Message: "import.column.unknown"})
			continue
		}
		if _, dup := h[key]; dup {
			report.AddProblem(domain.ImportProblem{Line: 1, Column: name, Message: "import.column.duplicate"})
			continue
		}
		h[key] = i
	}
	ok := true
	for _, c := range layout {
		if _, found := h[c.Name]; c.Required && !found {
			report.AddProblem(domain.ImportProblem{Line: 1, Column: c.Name, Message: "import.column.missing"})
			ok = false
		}
	}
	return h, ok
}

// cells reads the cells of one row, normalizing text to NFC (with a notice)
// and refusing invalid text.
type cells struct {
	h      header
	row    []string
	line   int
	report *domain.ImportReport
	bad    bool
	// reported holds the columns already reported, one problem per cell.
	reported map[string]bool
}

func (c *cells) get(name string) string {
	i, ok := c.h[name]
	if !ok || i >= len(c.row) {
		return ""
	}
	v := c.row[i]
	if !domain.ValidText(v) {
		c.problem(name, "import.cell.bad_text")
		return ""
	}
	if !norm.NFC.IsNormalString(v) {
		c.report.AddNotice(domain.ImportProblem{Line: c.line, Column: name, Message: "import.cell.nfc"})
	}
	return domain.CleanText(v)
}

func (c *cells) problem(column, message string, args ...any) {
	c.bad = true
	if c.reported[column] {
		return
	}
	if c.reported == nil {
		c.reported = map[string]bool{}
	}
	c.reported[column] = true
	c.report.AddProblem(domain.ImportProblem{Line: c.line, Column: column, Message: message, Args: args})
}

// date reads a date cell: dd/mm/yyyy, yyyy-mm-dd, or a spreadsheet serial.
func (c *cells) date(name string, required bool) (time.Time, bool) {
	v := c.get(name)
	if v == "" {
		if required {
			c.problem(name, "field.required")
		}
		return time.Time{}, false
	}
	if d, ok := domain.ParseDate(v); ok {
		return d, true
	}
	if serial, err := strconv.ParseFloat(v, 64); err == nil && serial >= 1 && serial < 80000 {
		d := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(math.Floor(serial)))
		if domain.ValidDate(d) {
			return d, true
		}
	}
	c.problem(name, "import.cell.bad_date", v)
	return time.Time{}, false
}

// rows turns a tabular reader into the row function the database pulls
// from. Rows with problems in their cells (already reported, and marked
// Invalid by parse) go to the database too, so its checks of the file as a
// set (unknown parent or unit, repeated code) report on them as well: a
// dry run lists every problem of a row at once. A file with any problem
// writes nothing.
func rows[T any](r tabular.Reader, report *domain.ImportReport, progress func(int), parse func(*cells) *T) func() (*T, error) {
	read := 0
	return func() (*T, error) {
		for {
			row, err := r.Next()
			var rowErr *tabular.RowError
			switch {
			case errors.Is(err, io.EOF):
				return nil, nil
			case errors.As(err, &rowErr):
				report.AddProblem(domain.ImportProblem{Line: rowErr.Line, Message: "import.row.unreadable"})
				continue
			case err != nil:
				return nil, err
			}
			if blank(row) {
				continue
			}
			read++
			report.Rows++
			if progress != nil && read%1000 == 0 {
				progress(read)
			}
			c := &cells{row: row, line: r.Line(), report: report}
			if v := parse(c); v != nil {
				return v, nil
			}
		}
	}
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// Units dry-runs or imports a units file.
func Units(ctx context.Context, db *postgres.DB, r tabular.Reader, dryRun bool, progress func(int)) (*domain.ImportReport, error) {
	report := &domain.ImportReport{DryRun: dryRun}
	h, ok := readHeader(r, UnitColumns, report)
	if !ok {
		return report, nil
	}
	next := rows(r, report, progress, func(c *cells) *domain.UnitRow {
		c.h = h
		u := &domain.UnitRow{Line: c.line, Code: c.get("ma"), Name: c.get("ten"), ShortName: c.get("ten_viet_tat"), ParentCode: c.get("ma_cap_tren")}
		switch n := domain.RuneLen(u.Name); {
		case n == 0:
			c.problem("ten", "field.required")
		case n > 300:
			c.problem("ten", "field.too_long")
		}
		if domain.RuneLen(u.ShortName) > 100 {
			c.problem("ten_viet_tat", "field.too_long")
		}
		// A code already reported as invalid is not checked again as a set.
		if u.Code != "" && !domain.ValidCode(u.Code) {
			c.problem("ma", "unit.code.invalid")
			u.Code = ""
		}
		if u.ParentCode != "" && !domain.ValidCode(u.ParentCode) {
			c.problem("ma_cap_tren", "unit.code.invalid")
			u.ParentCode = ""
		}
		kind := c.get("loai")
		if k, ok := domain.ParseUnitKind(kind); ok {
			u.Kind = k
		} else if kind == "" {
			c.problem("loai", "field.required")
		} else {
			c.problem("loai", "import.unit.bad_kind", kind)
		}
		u.ValidFrom, _ = c.date("hieu_luc_tu", true)
		if to, ok := c.date("hieu_luc_den", false); ok {
			u.ValidTo = &to
			if !u.ValidFrom.IsZero() && !to.After(u.ValidFrom) {
				c.problem("hieu_luc_den", "unit.valid_to.before_from")
			}
		}
		u.Invalid = c.bad
		return u
	})
	err := db.ImportUnits(ctx, next, report, dryRun)
	return report, err
}

// People dry-runs or imports a people file.
func People(ctx context.Context, db *postgres.DB, r tabular.Reader, dryRun bool, progress func(int)) (*domain.ImportReport, error) {
	report := &domain.ImportReport{DryRun: dryRun}
	h, ok := readHeader(r, PersonColumns, report)
	if !ok {
		return report, nil
	}
	next := rows(r, report, progress, func(c *cells) *domain.PersonRow {
		c.h = h
		p := &domain.PersonRow{Line: c.line, Code: c.get("ma_can_bo"), FullName: c.get("ho_ten"), Position: c.get("chuc_vu"), UnitCode: c.get("ma_don_vi")}
		switch n := domain.RuneLen(p.FullName); {
		case n == 0:
			c.problem("ho_ten", "field.required")
		case n > 200:
			c.problem("ho_ten", "field.too_long")
		}
		if p.Code != "" && !domain.ValidCode(p.Code) {
			c.problem("ma_can_bo", "person.code.invalid")
			p.Code = ""
		}
		if domain.RuneLen(p.Position) > 200 {
			c.problem("chuc_vu", "field.too_long")
		}
		gender := c.get("gioi_tinh")
		if g, ok := domain.ParseGender(gender); ok {
			p.Gender = g
		} else {
			c.problem("gioi_tinh", "import.person.bad_gender", gender)
		}
		if y := c.get("nam_sinh"); y != "" {
			year, err := strconv.Atoi(y)
			if err != nil || year < 1900 || year > 2100 {
				c.problem("nam_sinh", "person.birth_year.invalid")
			} else {
				p.BirthYear = &year
			}
		}
		cat := c.get("phan_loai")
		if k, ok := domain.ParseCategory(cat); ok {
			p.Category = k
		} else if cat == "" {
			c.problem("phan_loai", "field.required")
		} else {
			c.problem("phan_loai", "import.person.bad_category", cat)
		}
		if p.UnitCode == "" {
			c.problem("ma_don_vi", "field.required")
		}
		p.From, _ = c.date("tu_ngay", true)
		p.Invalid = c.bad
		return p
	})
	err := db.ImportPeople(ctx, next, report, dryRun)
	return report, err
}

// External dry-runs or imports a file of external measures' values per
// unit. jobKey names the web import job the values are recorded with.
func External(ctx context.Context, db *postgres.DB, r tabular.Reader, dryRun bool, progress func(int), jobKey string) (*domain.ImportReport, error) {
	report := &domain.ImportReport{DryRun: dryRun}
	measures, err := db.Measures(ctx)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*domain.Measure{}
	for i := range measures {
		byCode[measures[i].Code] = &measures[i]
	}
	h, ok := readHeader(r, MeasureColumns, report)
	if !ok {
		return report, nil
	}
	if _, code := h["ma_don_vi"]; !code {
		if _, name := h["ten_don_vi"]; !name {
			report.AddProblem(domain.ImportProblem{Line: 1, Column: "ma_don_vi", Message: "import.measure.unit_columns"})
			return report, nil
		}
	}
	next := rows(r, report, progress, func(c *cells) *domain.MeasureRow {
		c.h = h
		m := &domain.MeasureRow{Line: c.line, UnitCode: c.get("ma_don_vi"), UnitName: c.get("ten_don_vi"), Source: c.get("nguon")}
		if m.UnitCode == "" && m.UnitName == "" {
			c.problem("ma_don_vi", "import.measure.unit_required")
		}
		if m.UnitCode != "" && !domain.ValidCode(m.UnitCode) {
			c.problem("ma_don_vi", "unit.code.invalid")
			m.UnitCode = ""
		}
		if domain.RuneLen(m.UnitName) > 300 {
			c.problem("ten_don_vi", "field.too_long")
			m.UnitName = ""
		}
		code := strings.ToUpper(strings.ReplaceAll(c.get("ma_chi_so"), " ", "_"))
		measure := byCode[code]
		switch {
		case code == "":
			c.problem("ma_chi_so", "field.required")
		case measure == nil:
			c.problem("ma_chi_so", "import.measure.unknown", code)
		default:
			m.MeasureCode = measure.Code
		}
		switch y := c.get("nam"); {
		case y == "":
			c.problem("nam", "field.required")
		default:
			year, err := strconv.Atoi(y)
			if err != nil || !domain.ValidMeasurePeriod(year) {
				c.problem("nam", "import.measure.bad_period", y)
			} else {
				m.Period = year
			}
		}
		raw := c.get("gia_tri")
		v, ok := domain.ParsePoints(strings.TrimSpace(strings.TrimSuffix(raw, "%")))
		switch {
		case raw == "":
			c.problem("gia_tri", "field.required")
		case !ok:
			c.problem("gia_tri", "import.measure.bad_value", raw)
		case measure != nil && (int64(v) < measure.Min || int64(v) > measure.Max):
			c.problem("gia_tri", "import.measure.out_of_range", measure.FormatValue(int64(v)), measure.ShortName,
				measure.FormatValue(measure.Min), measure.FormatValue(measure.Max))
		default:
			m.Value, m.HasValue = int64(v), true
		}
		if m.Source == "" && measure != nil {
			m.Source = measure.Publisher
		}
		if domain.RuneLen(m.Source) > 300 {
			c.problem("nguon", "field.too_long")
			m.Source = ""
		}
		m.PublishedOn, _ = c.date("ngay_cong_bo", true)
		m.Invalid = c.bad
		return m
	})
	err = db.ImportMeasureValues(ctx, jobKey, next, report, dryRun)
	return report, err
}

// Template returns the layout of an import and example rows, typed as the
// exports type them (dates as dates, years as numbers).
func Template(kind string) ([]Column, [][]any, error) {
	from := tabular.Date(domain.Day(2025, 7, 1))
	switch kind {
	case "units":
		return UnitColumns, [][]any{
			{"87", "Ủy ban nhân dân tỉnh Đồng Tháp", "UBND tỉnh Đồng Tháp", domain.KindProvince.Word(), "", from, nil},
			{"29500", "Ủy ban nhân dân xã Mỹ Thọ", "UBND xã Mỹ Thọ", domain.KindCommune.Word(), "87", from, nil},
		}, nil
	case "people":
		return PersonColumns, [][]any{
			{"CB0001", "Nguyễn Văn An", "Nam", 1985, "Chủ tịch UBND xã", domain.CategoryCanBo.Word(), "29500", from},
		}, nil
	case "awards":
		return AwardColumns, [][]any{
			{"29995", "", 2023, "Tập thể lao động tiên tiến", "215/QĐ-UBND", tabular.Date(domain.Day(2024, 1, 25)), "Chủ tịch UBND huyện Cao Lãnh", "", ""},
			{"", "CB00001", 2024, "Chiến sĩ thi đua cơ sở", "48/QĐ-UBND", tabular.Date(domain.Day(2025, 1, 20)), "Chủ tịch UBND tỉnh Đồng Tháp", "", ""},
		}, nil
	case "measures":
		published := tabular.Date(domain.Day(2026, 4, 15))
		return MeasureColumns, [][]any{
			{"29500", "Ủy ban nhân dân xã Mỹ Thọ", "PAR_INDEX", 2025, tabular.Hundredths(8523), "Quyết định công bố Chỉ số CCHC năm 2025 của UBND tỉnh", published},
			{"29500", "Ủy ban nhân dân xã Mỹ Thọ", "SIPAS", 2025, tabular.Hundredths(9150), "Bộ Nội vụ", published},
			{"", "UBND xã Mỹ Thọ", "PAPI_5", 2025, tabular.Hundredths(712), "UNDP", published},
		}, nil
	}
	return nil, nil, fmt.Errorf("unknown template %q", kind)
}
