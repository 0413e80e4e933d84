// Package document writes the portal's official documents as PDF: the award
// decision in the layout of Nghị định 30/2020/NĐ-CP, the council session's
// minutes (biên bản) and the certificates (Bằng khen, Giấy khen). The
// documents take plain view models, already worded in Vietnamese by the
// caller; this package only lays them out, with Liberation Serif (metric-
// compatible with Times New Roman) embedded in every file.
package document

// Decision is an award decision (or a revocation) as printed.
type Decision struct {
	ParentName      string   // governing body above the issuer, may be empty ("UBND TỈNH ĐỒNG THÁP")
	IssuerName      string   // "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
	Number          string   // "05/QĐ-UBND"; empty on a draft ("Số:      /QĐ-UBND" is printed)
	IssuerCode      string   // "UBND", for the draft's blank number
	PlaceDate       string   // "Đồng Tháp, ngày 05 tháng 12 năm 2026"; a draft prints "…, ngày … tháng … năm …"
	Draft           bool     // prints "DỰ THẢO" and the blank number
	Title           string   // "Về việc khen thưởng …"
	Authority       string   // the body that decides, above the grounds ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP")
	Grounds         []string // each "Căn cứ …;" (italic)
	Proposal        string   // "Xét đề nghị của …" (italic)
	Articles        []string // "Điều 1. …", "Điều 2. …", … in full
	Appendix        *Appendix
	Recipients      []string // nơi nhận, each a line ("- Như Điều 3;")
	SignerAuthority string   // "KT. CHỦ TỊCH"
	SignerTitle     string   // "PHÓ CHỦ TỊCH"
	SignerName      string
	Signed          bool // prints "(Đã ký)" above the name
}

// Appendix is the list of awardees after the decision (Danh sách khen
// thưởng kèm theo Quyết định số …).
type Appendix struct {
	Title    string // "DANH SÁCH KHEN THƯỞNG"
	Subtitle string // "(Kèm theo Quyết định số 05/QĐ-UBND ngày 05/12/2026 của …)"
	Sections []AppendixSection
}

// AppendixSection is "I. Cá nhân" or "II. Tập thể" with its rows.
type AppendixSection struct {
	Heading string
	Rows    []AppendixRow
}

// AppendixRow is one awardee: number, name (and position for a person),
// the award form, and the amount in đồng as printed ("3.510.000"), empty
// where the law sets none.
type AppendixRow struct {
	No       int
	Name     string
	Position string
	Form     string
	Amount   string
}

// Minutes is the minutes (biên bản) of a council session.
type Minutes struct {
	CouncilName string   // "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH ĐỒNG THÁP"
	ParentName  string   // above it, may be empty
	PlaceDate   string   // "Đồng Tháp, ngày 05 tháng 12 năm 2026"
	Title       string   // "BIÊN BẢN"
	Subject     string   // "Họp xét khen thưởng …"
	Opening     []string // time, place, purpose paragraphs
	Members     MinutesMembers
	Nominees    []MinutesNominee
	Closing     []string // "Phiên họp kết thúc lúc …"
	Chair       string   // name of the chair (signs)
	Secretary   string   // name of the secretary (signs)
}

// MinutesMembers is who the council was at the session.
type MinutesMembers struct {
	Total   int      // voting members
	Present int      // in person
	Written int      // absent with a written ballot
	Absent  int      // absent without
	Lines   []string // "Ông/Bà … – Chủ tịch Hội đồng – có mặt", one per member
}

// MinutesNominee is one nominee's vote as the minutes print it.
type MinutesNominee struct {
	No       int
	Name     string
	Form     string
	Issued   int
	Returned int
	Valid    int
	For      int
	Against  int
	Share    string // "8/9 thành viên = 88,9 % < 90 % tổng số thành viên"
	Outcome  string // "Không đạt"
}

// Certificate is one awardee's certificate (Bằng khen, Giấy khen), printed
// landscape.
type Certificate struct {
	IssuerName      string // "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
	FormName        string // "BẰNG KHEN", "GIẤY KHEN"
	Awardee         string // the person or collective
	Position        string // a person's position and unit, may be empty
	Achievement     string // "Đã có thành tích xuất sắc …"
	DecisionLine    string // "Quyết định số 05/QĐ-UBND ngày 05/12/2026"
	RegisterLine    string // "Số sổ vàng: …", may be empty
	PlaceDate       string // "Đồng Tháp, ngày 05 tháng 12 năm 2026"
	SignerAuthority string
	SignerTitle     string
	SignerName      string
}
