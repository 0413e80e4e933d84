package domain

import "time"

// ImportProblem is a problem of one cell or row of an imported file, told
// by line and column as a person finds them in a spreadsheet.
type ImportProblem struct {
	Line    int
	Column  string
	Message string // catalogue key
	Args    []any
}

// ImportReport is the outcome of a dry run or an import.
type ImportReport struct {
	DryRun    bool
	Rows      int
	Inserted  int
	Updated   int
	Unchanged int
	// Problems stop the import: nothing is written while there is one.
	Problems []ImportProblem
	// Notices are things corrected on the way (text normalized to NFC).
	Notices []ImportProblem
	// Truncated is set when more problems were found than are listed.
	Truncated bool
}

// MaxImportProblems bounds the problems and notices a report lists.
const MaxImportProblems = 1000

// AddProblem records a problem, up to MaxImportProblems.
func (r *ImportReport) AddProblem(p ImportProblem) {
	if len(r.Problems) >= MaxImportProblems {
		r.Truncated = true
		return
	}
	r.Problems = append(r.Problems, p)
}

// AddNotice records a notice, up to MaxImportProblems.
func (r *ImportReport) AddNotice(p ImportProblem) {
	if len(r.Notices) < MaxImportProblems {
		r.Notices = append(r.Notices, p)
	}
}

// OK reports whether the file has no problem.
func (r *ImportReport) OK() bool { return len(r.Problems) == 0 && !r.Truncated }

// UnitRow is one row of a units file. An Invalid row had problems in its
// cells (already reported); it is still checked with the others as a set,
// and a file with any such row writes nothing.
type UnitRow struct {
	Invalid    bool
	Line       int
	Code       string
	Name       string
	ShortName  string
	Kind       UnitKind
	ParentCode string
	ValidFrom  time.Time
	ValidTo    *time.Time
}

// PersonRow is one row of a people file; Invalid as for UnitRow.
type PersonRow struct {
	Invalid   bool
	Line      int
	Code      string
	FullName  string
	Gender    string
	BirthYear *int
	Position  string
	Category  Category
	UnitCode  string
	From      time.Time
}
