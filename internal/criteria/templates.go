// Package criteria holds the built-in criteria templates and reads and
// writes criteria trees as spreadsheets. A node's parent follows from its
// code: "1.2.a" sits under "1.2", which sits under "1".
package criteria

import (
	"strings"

	"thidua/internal/domain"
)

// Template is a built-in criteria set.
type Template struct {
	Key   string
	Name  string // Vietnamese, shown in the editor
	About string // what the template documents: its source and total
	Rows  []Row
}

// Row is a node as written in a template or a file.
type Row struct {
	Code     string
	Title    string
	Guidance string
	Max      string // points, "12,5"
	Method   domain.Method
	Step     string
	Tiers    string // "95:2;90:1": at least 95% → 2 points, at least 90% → 1
	Target   string
	Evidence bool
	NA       bool
}

func leaf(code, title, max string) Row {
	return Row{Code: code, Title: title, Max: max, Method: domain.MethodPoints, Step: "0,25", Evidence: true}
}

func yesNo(code, title, max string) Row {
	return Row{Code: code, Title: title, Max: max, Method: domain.MethodYesNo, Evidence: true}
}

func area(code, title, max string) Row {
	return Row{Code: code, Title: title, Max: max, Method: domain.MethodPoints, Step: "0,25"}
}

// Templates are the built-in sets. The PAR-index-style sets follow the eight
// areas of the provincial administrative reform index (Chỉ số CCHC); their
// points are this portal's defaults, documented here and editable per
// campaign. The PAPI set gives each of the eight PAPI dimensions 12,5 points.
var Templates = []Template{
	{
		Key:   "par-department",
		Name:  "Chỉ số CCHC – sở, ban, ngành tỉnh",
		About: "8 lĩnh vực của Bộ chỉ số cải cách hành chính cấp sở; tổng 100 điểm: chỉ đạo điều hành 12, thể chế 10, thủ tục hành chính 14, tổ chức bộ máy 8, chế độ công vụ 12, tài chính công 8, chính phủ điện tử – chính phủ số 16, tác động của CCHC 20.",
		Rows: []Row{
			area("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "12"),
			yesNo("1.1", "Ban hành kế hoạch CCHC năm đúng thời hạn, đủ nội dung", "2"),
			leaf("1.2", "Mức độ hoàn thành kế hoạch CCHC năm", "4"),
			yesNo("1.3", "Thực hiện chế độ báo cáo CCHC định kỳ đúng quy định", "2"),
			leaf("1.4", "Công tác kiểm tra, tuyên truyền CCHC", "2"),
			leaf("1.5", "Sáng kiến, giải pháp mới trong CCHC được công nhận", "2"),
			area("2", "Cải cách thể chế", "10"),
			{Code: "2.1", Title: "Xây dựng, ban hành văn bản quy phạm pháp luật thuộc phạm vi tham mưu", Max: "4", Method: domain.MethodPoints, Step: "0,25", Evidence: true, NA: true},
			leaf("2.2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "3"),
			leaf("2.3", "Kiểm tra, xử lý văn bản sau kiểm tra", "3"),
			area("3", "Cải cách thủ tục hành chính", "14"),
			leaf("3.1", "Công bố, công khai thủ tục hành chính đầy đủ, kịp thời", "3"),
			{Code: "3.2", Title: "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn, trước hạn", Max: "5", Method: domain.MethodTargetShare, Target: "100", Evidence: true},
			leaf("3.3", "Tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính", "3"),
			leaf("3.4", "Rà soát, đơn giản hóa thủ tục hành chính", "3"),
			area("4", "Cải cách tổ chức bộ máy hành chính nhà nước", "8"),
			leaf("4.1", "Sắp xếp tổ chức bộ máy theo quy định", "4"),
			leaf("4.2", "Quản lý, sử dụng biên chế theo vị trí việc làm", "4"),
			area("5", "Cải cách chế độ công vụ", "12"),
			leaf("5.1", "Vị trí việc làm và cơ cấu ngạch công chức", "4"),
			leaf("5.2", "Đánh giá, xếp loại công chức, viên chức", "4"),
			leaf("5.3", "Chấp hành kỷ luật, kỷ cương hành chính", "4"),
			area("6", "Cải cách tài chính công", "8"),
			{Code: "6.1", Title: "Thực hiện cơ chế tự chủ tài chính (đơn vị sự nghiệp trực thuộc)", Max: "4", Method: domain.MethodPoints, Step: "0,25", Evidence: true, NA: true},
			leaf("6.2", "Quản lý, sử dụng tài sản công", "4"),
			area("7", "Xây dựng và phát triển chính phủ điện tử, chính phủ số", "16"),
			{Code: "7.1", Title: "Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng số hồ sơ", Max: "6", Method: domain.MethodTiers, Tiers: "80:6;50:4;30:2", Evidence: true},
			leaf("7.2", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "5"),
			leaf("7.3", "Ứng dụng công nghệ thông tin trong quản lý, điều hành", "5"),
			area("8", "Tác động của cải cách hành chính", "20"),
			{Code: "8.1", Title: "Mức độ hài lòng của người dân, tổ chức (SIPAS)", Max: "10", Method: domain.MethodTiers, Tiers: "95:10;90:5", Evidence: true},
			leaf("8.2", "Tác động đến phát triển kinh tế – xã hội của ngành", "5"),
			leaf("8.3", "Thực hiện các chỉ tiêu kế hoạch được giao", "5"),
		},
	},
	{
		Key:   "par-commune",
		Name:  "Chỉ số CCHC – Ủy ban nhân dân xã, phường, đặc khu",
		About: "8 lĩnh vực của Bộ chỉ số cải cách hành chính cấp xã; tổng 100 điểm: chỉ đạo điều hành 12, thể chế 6, thủ tục hành chính 20, tổ chức bộ máy 6, chế độ công vụ 12, tài chính công 6, chính phủ điện tử – chính phủ số 16, tác động của CCHC 22.",
		Rows: []Row{
			area("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "12"),
			yesNo("1.1", "Ban hành kế hoạch CCHC năm của UBND xã", "2"),
			leaf("1.2", "Mức độ hoàn thành kế hoạch CCHC năm", "6"),
			leaf("1.3", "Tuyên truyền CCHC đến người dân", "4"),
			area("2", "Cải cách thể chế", "6"),
			leaf("2.1", "Ban hành văn bản đúng thẩm quyền, trình tự", "6"),
			area("3", "Cải cách thủ tục hành chính", "20"),
			yesNo("3.1", "Niêm yết, công khai thủ tục hành chính tại bộ phận một cửa", "4"),
			{Code: "3.2", Title: "Tỷ lệ hồ sơ giải quyết đúng hạn, trước hạn", Max: "10", Method: domain.MethodTargetShare, Target: "100", Evidence: true},
			leaf("3.3", "Xin lỗi người dân khi giải quyết hồ sơ trễ hạn", "6"),
			area("4", "Cải cách tổ chức bộ máy", "6"),
			leaf("4.1", "Tổ chức bộ máy sau sắp xếp ổn định, hoạt động hiệu quả", "6"),
			area("5", "Cải cách chế độ công vụ", "12"),
			leaf("5.1", "Bố trí cán bộ, công chức theo vị trí việc làm", "6"),
			leaf("5.2", "Văn hóa công vụ, kỷ luật, kỷ cương", "6"),
			area("6", "Cải cách tài chính công", "6"),
			leaf("6.1", "Công khai ngân sách, quản lý tài chính xã", "6"),
			area("7", "Xây dựng và phát triển chính phủ điện tử, chính phủ số", "16"),
			{Code: "7.1", Title: "Tỷ lệ hồ sơ trực tuyến toàn trình", Max: "8", Method: domain.MethodTiers, Tiers: "70:8;50:5;30:2", Evidence: true},
			leaf("7.2", "Trang thông tin điện tử thành phần được cập nhật", "4"),
			leaf("7.3", "Cán bộ, công chức sử dụng chữ ký số", "4"),
			area("8", "Tác động của cải cách hành chính", "22"),
			{Code: "8.1", Title: "Mức độ hài lòng của người dân (SIPAS)", Max: "12", Method: domain.MethodTiers, Tiers: "95:12;90:6", Evidence: true},
			leaf("8.2", "Thực hiện các chỉ tiêu phát triển kinh tế – xã hội", "10"),
		},
	},
	{
		Key:   "papi",
		Name:  "PAPI – 8 chỉ số nội dung thành phần",
		About: "8 chỉ số nội dung thành phần của Chỉ số PAPI, mỗi chỉ số 12,5 điểm; tổng 100 điểm.",
		Rows: []Row{
			leaf("1", "Tham gia của người dân ở cấp cơ sở", "12,5"),
			leaf("2", "Công khai, minh bạch trong việc ra quyết định", "12,5"),
			leaf("3", "Trách nhiệm giải trình với người dân", "12,5"),
			leaf("4", "Kiểm soát tham nhũng trong khu vực công", "12,5"),
			leaf("5", "Thủ tục hành chính công", "12,5"),
			leaf("6", "Cung ứng dịch vụ công", "12,5"),
			leaf("7", "Quản trị môi trường", "12,5"),
			leaf("8", "Quản trị điện tử", "12,5"),
		},
	},
}

// TemplateByKey finds a built-in template.
func TemplateByKey(key string) (*Template, bool) {
	for i := range Templates {
		if Templates[i].Key == key {
			return &Templates[i], true
		}
	}
	return nil, false
}

// ParentCode is the code of a node's parent, "" for a root.
func ParentCode(code string) string {
	i := strings.LastIndexByte(code, '.')
	if i < 0 {
		return ""
	}
	return code[:i]
}

// Nodes turns rows into a linked tree (IDs by position, parents by code),
// reporting every problem by code.
func Nodes(rows []Row) ([]domain.Criterion, []domain.TreeProblem) {
	var nodes []domain.Criterion
	var ps []domain.TreeProblem
	ids := map[string]int64{}
	for i, r := range rows {
		id := int64(i + 1)
		code := strings.TrimSpace(r.Code)
		n := domain.Criterion{ID: id, Seq: i + 1, Code: code, Title: r.Title, Guidance: r.Guidance, Method: r.Method,
			EvidenceRequired: r.Evidence, ExplainWithoutEvidence: true, AllowNA: r.NA}
		bad := func(key string, args ...any) {
			ps = append(ps, domain.TreeProblem{Code: code, Message: key, Args: args})
		}
		var ok bool
		if n.Max, ok = domain.ParsePoints(r.Max); !ok {
			bad("criteria.max.invalid")
		}
		if n.Method == domain.MethodPoints {
			n.Step = 25
			if strings.TrimSpace(r.Step) != "" {
				if n.Step, ok = domain.ParsePoints(r.Step); !ok {
					bad("criteria.step.invalid")
				}
			}
		} else {
			n.Step = 25
		}
		if n.Method == domain.MethodTiers {
			var err bool
			if n.Tiers, err = ParseTiers(r.Tiers); err {
				bad("criteria.tiers.invalid")
			}
		}
		if n.Method == domain.MethodTargetShare {
			t, ok := domain.ParsePoints(r.Target)
			if !ok {
				bad("criteria.target.invalid")
			}
			n.Target = int64(t)
		}
		if p := ParentCode(code); p != "" {
			pid, found := ids[p]
			if !found {
				bad("criteria.parent.missing")
			} else {
				n.ParentID = &pid
			}
		}
		ids[code] = id
		nodes = append(nodes, n)
	}
	return nodes, ps
}

// ParseTiers reads "95:2;90:1" (measured value at least 95 → 2 points),
// with decimal commas allowed in either part. It reports true on error.
func ParseTiers(s string) ([]domain.Tier, bool) {
	var tiers []domain.Tier
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		min, pts, ok := strings.Cut(part, ":")
		if !ok {
			return nil, true
		}
		m, ok1 := domain.ParsePoints(min)
		p, ok2 := domain.ParsePoints(pts)
		if !ok1 || !ok2 {
			return nil, true
		}
		tiers = append(tiers, domain.Tier{Min: int64(m), Points: p})
	}
	return tiers, len(tiers) == 0
}

// FormatTiers writes tiers as ParseTiers reads them, highest first.
func FormatTiers(tiers []domain.Tier) string {
	var parts []string
	for _, t := range tiers {
		parts = append(parts, domain.Points(t.Min).Plain()+":"+t.Points.Plain())
	}
	return strings.Join(parts, ";")
}

// RowOf turns a node back into a row.
func RowOf(n domain.Criterion) Row {
	r := Row{Code: n.Code, Title: n.Title, Guidance: n.Guidance, Max: n.Max.Plain(), Method: n.Method, Evidence: n.EvidenceRequired, NA: n.AllowNA}
	switch n.Method {
	case domain.MethodPoints:
		r.Step = n.Step.Plain()
	case domain.MethodTiers:
		r.Tiers = FormatTiers(n.Tiers)
	case domain.MethodTargetShare:
		r.Target = domain.Points(n.Target).Plain()
	}
	return r
}
