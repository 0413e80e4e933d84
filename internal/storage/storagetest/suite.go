package storagetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"thidua/internal/storage"
)

// Suite is the behaviour every storage.Store keeps, run against each
// implementation (Local on a temporary directory, S3 on a real MinIO).
type Suite struct {
	// New returns an empty store.
	New func(t *testing.T) storage.Store
	// Abandon leaves in s a temporary upload as a process killed
	// mid-upload would, dated now.
	Abandon func(t *testing.T, s storage.Store)
}

// Run runs the suite.
func (s Suite) Run(t *testing.T) {
	t.Run("PutOpenDedupe", s.putOpenDedupe)
	t.Run("Refused", s.refused)
	t.Run("CheckSeesContent", s.checkSeesContent)
	t.Run("WalkDelete", s.walkDelete)
	t.Run("SweepOrphans", s.sweepOrphans)
	t.Run("PutFreshens", s.putFreshens)
	t.Run("SweepTemp", s.sweepTemp)
	t.Run("InFlightSurvives", s.inFlightSurvives)
	t.Run("Writable", func(t *testing.T) {
		if err := s.New(t).Writable(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
}

func sumOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// stored lists the store's content.
func stored(t *testing.T, st storage.Store) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	if err := st.Walk(t.Context(), func(sum string, size int64) error {
		got[sum] = size
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func (s Suite) putOpenDedupe(t *testing.T) {
	st := s.New(t)
	ctx := t.Context()
	content := []byte("%PDF-1.7 kế hoạch cải cách hành chính")
	sum, n, err := st.Put(ctx, bytes.NewReader(content), 1<<20, nil)
	if err != nil || n != int64(len(content)) || sum != sumOf(content) {
		t.Fatalf("Put: %s %d %v", sum, n, err)
	}
	again, _, err := st.Put(ctx, bytes.NewReader(content), 1<<20, nil)
	if err != nil || again != sum {
		t.Fatalf("second Put: %s %v", again, err)
	}
	if got := stored(t, st); len(got) != 1 || got[sum] != int64(len(content)) {
		t.Errorf("stored after two puts of one content: %v", got)
	}
	f, err := st.Open(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	if !bytes.Equal(got, content) {
		t.Error("content differs")
	}
	// Range requests seek.
	if _, err := f.Seek(5, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	part := make([]byte, 3)
	if _, err := io.ReadFull(f, part); err != nil || string(part) != "1.7" {
		t.Errorf("read at 5: %q %v", part, err)
	}
	if end, err := f.Seek(0, io.SeekEnd); err != nil || end != int64(len(content)) {
		t.Errorf("seek to end: %d %v", end, err)
	}
	f.Close()
	for _, bad := range []string{"../../etc/passwd", "", sumOf([]byte("never stored")), "ABC"} {
		if _, err := st.Open(ctx, bad); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Open(%q): %v, want ErrNotFound", bad, err)
		}
	}
}

// refused: an upload too large, refused by its check or cut off by its
// reader stores nothing and leaves nothing behind; none of these is the
// store's own failure.
func (s Suite) refused(t *testing.T) {
	st := s.New(t)
	ctx := t.Context()
	var se *storage.Error
	if _, _, err := st.Put(ctx, bytes.NewReader(make([]byte, 2048)), 1024, nil); !errors.Is(err, storage.ErrTooLarge) || errors.As(err, &se) {
		t.Errorf("too large: %v", err)
	}
	bad := errors.New("not a document")
	if _, _, err := st.Put(ctx, bytes.NewReader([]byte("MZ executable")), 1<<20, func(io.ReaderAt, int64) error { return bad }); !errors.Is(err, bad) {
		t.Errorf("refused by its check: %v", err)
	}
	cut := io.MultiReader(bytes.NewReader([]byte("abc")), iotest.ErrReader(io.ErrUnexpectedEOF))
	if _, _, err := st.Put(ctx, cut, 1<<20, nil); err == nil || errors.As(err, &se) {
		t.Errorf("reader failure: %v", err)
	}
	if got := stored(t, st); len(got) != 0 {
		t.Errorf("refused uploads stored %v", got)
	}
	swept, err := st.Sweep(ctx, func(string) bool { return false }, time.Now().Add(time.Hour))
	if err != nil || swept != (storage.Swept{}) {
		t.Errorf("refused uploads left %+v (%v)", swept, err)
	}
}

func (s Suite) checkSeesContent(t *testing.T) {
	st := s.New(t)
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
	var ct string
	_, n, err := st.Put(t.Context(), bytes.NewReader(pdf), 1<<20, func(f io.ReaderAt, size int64) error {
		var err error
		ct, err = storage.SniffEvidence(f, size)
		return err
	})
	if err != nil || n != int64(len(pdf)) || ct != "application/pdf" {
		t.Errorf("PDF through the check: %q %d %v", ct, n, err)
	}
	docx := SmallDOCX(t)
	if _, _, err := st.Put(t.Context(), bytes.NewReader(docx), 1<<20, func(f io.ReaderAt, size int64) error {
		var err error
		ct, err = storage.SniffEvidence(f, size)
		return err
	}); err != nil || ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Errorf("DOCX through the check: %q %v", ct, err)
	}
	bomb := ZipBombDOCX(t)
	if _, _, err := st.Put(t.Context(), bytes.NewReader(bomb), 10<<20, func(f io.ReaderAt, size int64) error {
		_, err := storage.SniffEvidence(f, size)
		return err
	}); !errors.Is(err, storage.ErrBomb) {
		t.Errorf("ZIP bomb through the check: %v", err)
	}
	if got := stored(t, st); len(got) != 2 {
		t.Errorf("stored %d contents, want the PDF and the DOCX", len(got))
	}
}

func (s Suite) walkDelete(t *testing.T) {
	st := s.New(t)
	ctx := t.Context()
	want := map[string]int64{}
	for _, c := range []string{"một", "hai", "ba"} {
		sum, n, err := st.Put(ctx, bytes.NewReader([]byte(c)), 1<<20, nil)
		if err != nil {
			t.Fatal(err)
		}
		want[sum] = n
	}
	got := stored(t, st)
	if len(got) != len(want) {
		t.Fatalf("Walk: %v, want %v", got, want)
	}
	for sum, n := range want {
		if got[sum] != n {
			t.Errorf("Walk: %s has %d bytes, want %d", sum, got[sum], n)
		}
	}
	gone := sumOf([]byte("hai"))
	if err := st.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, gone); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
	if _, err := st.Open(ctx, gone); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Open after Delete: %v", err)
	}
	if got := stored(t, st); len(got) != 2 {
		t.Errorf("after Delete: %v", got)
	}
}

// sweepOrphans: content no record claims goes once it is older than the
// cutoff; claimed content and content newer than the cutoff stay.
func (s Suite) sweepOrphans(t *testing.T) {
	st := s.New(t)
	ctx := t.Context()
	orphan, _, err := st.Put(ctx, bytes.NewReader([]byte("mồ côi")), 1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	kept, _, err := st.Put(ctx, bytes.NewReader([]byte("có hồ sơ")), 1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	keep := func(sum string) bool { return sum == kept }
	swept, err := st.Sweep(ctx, keep, time.Now().Add(-24*time.Hour))
	if err != nil || swept != (storage.Swept{}) {
		t.Fatalf("sweep of day-old orphans took new content: %+v %v", swept, err)
	}
	swept, err = st.Sweep(ctx, keep, time.Now().Add(time.Minute))
	if err != nil || swept != (storage.Swept{Orphans: 1}) {
		t.Fatalf("sweep: %+v %v, want one orphan", swept, err)
	}
	if _, err := st.Open(ctx, orphan); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("the orphan is still there: %v", err)
	}
	if f, err := st.Open(ctx, kept); err != nil {
		t.Errorf("claimed content was swept: %v", err)
	} else {
		f.Close()
	}
	swept, err = st.Sweep(ctx, keep, time.Now().Add(time.Minute))
	if err != nil || swept != (storage.Swept{}) {
		t.Errorf("second sweep: %+v %v, want nothing", swept, err)
	}
}

// putFreshens: storing content that is there already dates it anew, so
// that a sweep of old orphans running while the caller commits its row
// does not take it.
func (s Suite) putFreshens(t *testing.T) {
	st := s.New(t)
	ctx := t.Context()
	content := []byte("nộp lại cùng một tệp")
	sum, _, err := st.Put(ctx, bytes.NewReader(content), 1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Some stores date objects to the second: the second Put comes in a
	// later second than the cutoff (an ordering wait, not a timing).
	time.Sleep(1100 * time.Millisecond)
	cutoff := time.Now()
	time.Sleep(1100 * time.Millisecond)
	if again, _, err := st.Put(ctx, bytes.NewReader(content), 1<<20, nil); err != nil || again != sum {
		t.Fatalf("second Put: %s %v", again, err)
	}
	none := func(string) bool { return false }
	if swept, err := st.Sweep(ctx, none, cutoff); err != nil || swept != (storage.Swept{}) {
		t.Errorf("content stored again after the cutoff was swept: %+v %v", swept, err)
	}
	if f, err := st.Open(ctx, sum); err != nil {
		t.Errorf("after the sweep: %v", err)
	} else {
		f.Close()
	}
}

// sweepTemp: an abandoned upload younger than the cutoff survives; older,
// it is removed, once.
func (s Suite) sweepTemp(t *testing.T) {
	if s.Abandon == nil {
		t.Skip("no way to abandon an upload")
	}
	st := s.New(t)
	ctx := t.Context()
	s.Abandon(t, st)
	none := func(string) bool { return false }
	if swept, err := st.Sweep(ctx, none, time.Now().Add(-24*time.Hour)); err != nil || swept != (storage.Swept{}) {
		t.Fatalf("a fresh abandoned upload was swept: %+v %v", swept, err)
	}
	if swept, err := st.Sweep(ctx, none, time.Now().Add(time.Minute)); err != nil || swept != (storage.Swept{Temp: 1}) {
		t.Fatalf("sweep: %+v %v, want one temporary upload", swept, err)
	}
	if swept, err := st.Sweep(ctx, none, time.Now().Add(time.Minute)); err != nil || swept != (storage.Swept{}) {
		t.Errorf("second sweep: %+v %v, want nothing", swept, err)
	}
}

// inFlightSurvives: a sweep by another instance during an upload (a day's
// cutoff) leaves the upload to finish.
func (s Suite) inFlightSurvives(t *testing.T) {
	st := s.New(t)
	ctx := t.Context()
	pr, pw := io.Pipe()
	var (
		wg  sync.WaitGroup
		sum string
		err error
	)
	wg.Go(func() { sum, _, err = st.Put(context.WithoutCancel(ctx), pr, 64<<20, nil) })
	chunk := bytes.Repeat([]byte("đang tải lên "), 1<<16)
	for range 3 {
		if _, err := pw.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	swept, serr := st.Sweep(ctx, func(string) bool { return false }, time.Now().Add(-24*time.Hour))
	if _, err := pw.Write(chunk); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	wg.Wait()
	if serr != nil || swept != (storage.Swept{}) {
		t.Errorf("sweep during an upload: %+v %v", swept, serr)
	}
	if err != nil || sum != sumOf(bytes.Repeat(chunk, 4)) {
		t.Errorf("the upload in flight: %s %v", sum, err)
	}
}
