package imports

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
	"thidua/internal/tabular"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var personHeader = []string{"ma_can_bo", "ho_ten", "gioi_tinh", "nam_sinh", "chuc_vu", "phan_loai", "ma_don_vi", "tu_ngay"}

// peopleFile writes n people spread over 20 units U01..U20.
func peopleFile(t testing.TB, dir string, n int) string {
	t.Helper()
	path := filepath.Join(dir, fmt.Sprintf("people-%d.csv", n))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	_ = w.Write(personHeader)
	cats := []string{"cán bộ", "công chức", "viên chức", "người lao động"}
	for i := 1; i <= n; i++ {
		_ = w.Write([]string{fmt.Sprintf("P%07d", i), fmt.Sprintf("Nguyễn Văn Thử %d", i), []string{"Nam", "Nữ"}[i%2],
			fmt.Sprint(1960 + i%40), "Chuyên viên", cats[i%4], fmt.Sprintf("U%02d", 1+i%20), "01/07/2025"})
	}
	w.Flush()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func seedUnits(t testing.TB, db *postgres.DB) {
	t.Helper()
	for i := 1; i <= 20; i++ {
		if _, err := db.CreateUnit(context.Background(), domain.UnitInput{Code: fmt.Sprintf("U%02d", i), Name: fmt.Sprintf("Đơn vị %d", i),
			Kind: domain.KindAgency, ValidFrom: domain.Day(2020, 1, 1)}); err != nil {
			t.Fatal(err)
		}
	}
}

// importPeakHeap imports a file and measures the heap it holds: every
// 1,000 rows (the import's progress calls) a full collection runs and the
// heap left is read. Sampling the heap on a timer instead mixed in garbage
// and whatever a busy machine's collector had not reached, and the longer
// import simply drew more extreme samples; after a full collection the
// reading is what the import keeps, which is what streaming is about.
func importPeakHeap(t testing.TB, db *postgres.DB, path string) (peak uint64, report *domain.ImportReport) {
	t.Helper()
	var max atomic.Uint64
	measure := func(int) {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > max.Load() {
			max.Store(ms.HeapAlloc)
		}
	}
	r, err := tabular.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	report, err = People(context.Background(), db, r, false, measure)
	if err != nil {
		t.Fatal(err)
	}
	if !report.OK() {
		t.Fatalf("problems: %+v", report.Problems[:min(5, len(report.Problems))])
	}
	return max.Load(), report
}

// TestImportPeopleStreams is acceptance 6 of the registry: 100,000 people
// import in flat memory, no more than 1.2 × the peak heap of 25,000.
func TestImportPeopleStreams(t *testing.T) {
	dir := t.TempDir()
	small, large := peopleFile(t, dir, 25_000), peopleFile(t, dir, 100_000)
	db0, db1, db2 := pgtest.NewDB(t), pgtest.NewDB(t), pgtest.NewDB(t)
	seedUnits(t, db0)
	seedUnits(t, db1)
	seedUnits(t, db2)
	// Warm up code paths and pools so the first measurement is not penalized.
	importPeakHeap(t, db0, peopleFile(t, dir, 100))
	peakSmall, rs := importPeakHeap(t, db1, small)
	peakLarge, rl := importPeakHeap(t, db2, large)
	t.Logf("peak heap: 25,000 rows %.1f MiB, 100,000 rows %.1f MiB (ratio %.2f)",
		float64(peakSmall)/(1<<20), float64(peakLarge)/(1<<20), float64(peakLarge)/float64(peakSmall))
	if rs.Inserted != 25_000 || rl.Inserted != 100_000 {
		t.Fatalf("inserted %d and %d", rs.Inserted, rl.Inserted)
	}
	if float64(peakLarge) > 1.2*float64(peakSmall) {
		t.Errorf("peak heap grows with the file: %d bytes for 100,000 rows vs %d for 25,000", peakLarge, peakSmall)
	}
	// Importing the same file again changes nothing.
	r, _ := tabular.Open(large)
	defer r.Close()
	again, err := People(context.Background(), db2, r, false, nil)
	if err != nil || again.Unchanged != 100_000 || again.Inserted+again.Updated != 0 {
		t.Errorf("re-import: %+v %v", again, err)
	}
}

// BenchmarkImportPeople reports the time of a 100,000-row people import
// (CSV, streamed through COPY) and, measured on a separate run since
// sampling the heap slows the import, its peak heap.
func BenchmarkImportPeople(b *testing.B) {
	path := peopleFile(b, b.TempDir(), 100_000)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db := pgtest.NewDB(b)
		seedUnits(b, db)
		r, err := tabular.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		report, err := People(ctx, db, r, false, nil)
		b.StopTimer()
		r.Close()
		if err != nil || report.Inserted != 100_000 {
			b.Fatalf("%v %+v", err, report)
		}
		b.StartTimer()
	}
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	db := pgtest.NewDB(b)
	seedUnits(b, db)
	peak, _ := importPeakHeap(b, db, path)
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}
