package criteria

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"thidua/internal/domain"
	"thidua/internal/tabular"
)

// Columns is the layout of a criteria file.
var Columns = []string{"ma", "ten", "huong_dan", "diem_toi_da", "phuong_phap", "buoc", "muc", "chi_tieu", "can_minh_chung", "cho_phep_khong_ap_dung"}

// methodWords maps what a file may say to methods.
var methodWords = map[string]domain.Method{
	"points": domain.MethodPoints, "diem": domain.MethodPoints, "cham diem": domain.MethodPoints,
	"yes_no": domain.MethodYesNo, "co/khong": domain.MethodYesNo, "co khong": domain.MethodYesNo, "dat/khong dat": domain.MethodYesNo,
	"tiers": domain.MethodTiers, "muc": domain.MethodTiers, "theo muc": domain.MethodTiers,
	"target_share": domain.MethodTargetShare, "ty le chi tieu": domain.MethodTargetShare, "ti le chi tieu": domain.MethodTargetShare,
}

// methodWord is the word files use for each method, one methodWords reads.
var methodWord = map[domain.Method]string{
	domain.MethodPoints: "chấm điểm", domain.MethodYesNo: "đạt/không đạt",
	domain.MethodTiers: "theo mức", domain.MethodTargetShare: "tỷ lệ chỉ tiêu",
}

// MethodWord is the Vietnamese word a criteria file uses for m.
func MethodWord(m domain.Method) string {
	if w, ok := methodWord[m]; ok {
		return w
	}
	return string(m)
}

func yes(s string) bool {
	switch domain.SearchKey(s) {
	case "co", "x", "yes", "true", "1":
		return true
	}
	return false
}

// Record is one row of a criteria file, in the order of Columns.
func Record(r Row) []string {
	b := func(v bool) string {
		if v {
			return "có"
		}
		return "không"
	}
	return []string{r.Code, r.Title, r.Guidance, r.Max, MethodWord(r.Method), r.Step, r.Tiers, r.Target, b(r.Evidence), b(r.NA)}
}

// Cells is one row of a criteria file as typed cells for a spreadsheet:
// points, steps and targets as numbers, the rest as text.
func Cells(r Row) []any {
	rec := Record(r)
	out := make([]any, len(rec))
	for i, v := range rec {
		out[i] = v
	}
	for i, v := range map[int]string{3: r.Max, 5: r.Step, 7: r.Target} {
		if p, ok := domain.ParsePoints(v); ok {
			out[i] = tabular.Hundredths(p)
		} else if v == "" {
			out[i] = nil
		}
	}
	return out
}

// Read reads a criteria file into rows, reporting problems by line.
func Read(r tabular.Reader) ([]Row, []domain.ImportProblem, error) {
	pos := map[string]int{}
	for i, h := range r.Header() {
		pos[strings.ToLower(h)] = i
	}
	var problems []domain.ImportProblem
	for _, c := range []string{"ma", "ten", "diem_toi_da", "phuong_phap"} {
		if _, ok := pos[c]; !ok {
			problems = append(problems, domain.ImportProblem{Line: 1, Column: c, Message: "import.column.missing"})
		}
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}
	var rows []Row
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *tabular.RowError
		if errors.As(err, &re) {
			problems = append(problems, domain.ImportProblem{Line: re.Line, Message: "import.row.unreadable"})
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		get := func(c string) string {
			if i, ok := pos[c]; ok && i < len(rec) {
				return domain.CleanText(rec[i])
			}
			return ""
		}
		if get("ma") == "" && get("ten") == "" {
			continue
		}
		for _, c := range Columns {
			if v := get(c); !domain.ValidText(v) {
				problems = append(problems, domain.ImportProblem{Line: r.Line(), Column: c, Message: "import.cell.bad_text"})
			}
		}
		m, ok := methodWords[domain.SearchKey(get("phuong_phap"))]
		if !ok {
			problems = append(problems, domain.ImportProblem{Line: r.Line(), Column: "phuong_phap", Message: "criteria.method.invalid"})
		}
		rows = append(rows, Row{Code: get("ma"), Title: get("ten"), Guidance: get("huong_dan"), Max: get("diem_toi_da"), Method: m,
			Step: get("buoc"), Tiers: get("muc"), Target: get("chi_tieu"), Evidence: yes(get("can_minh_chung")), NA: yes(get("cho_phep_khong_ap_dung"))})
		if len(rows) > 5000 {
			return nil, append(problems, domain.ImportProblem{Line: r.Line(), Message: "criteria.file.too_many"}), nil
		}
	}
	return rows, problems, nil
}

// ProblemText formats a tree problem with its node's code for people.
func ProblemText(tr func(string, ...any) string, p domain.TreeProblem) string {
	return fmt.Sprintf("%s %s: %s", tr("criteria.node"), p.Code, tr(p.Message, p.Args...))
}
