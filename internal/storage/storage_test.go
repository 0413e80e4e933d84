package storage_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"

	"thidua/internal/storage"
	"thidua/internal/storage/storagetest"
)

// TestLocal runs the store suite against the local file system.
func TestLocal(t *testing.T) {
	storagetest.Suite{
		New: func(t *testing.T) storage.Store { return &storage.Local{Dir: t.TempDir()} },
		Abandon: func(t *testing.T, s storage.Store) {
			dir := filepath.Join(s.String(), "tmp")
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "upload-killed"), []byte("nửa chừng"), 0o600); err != nil {
				t.Fatal(err)
			}
		},
	}.Run(t)
}

func TestSniffEvidence(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) (*os.File, int64) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f, int64(len(b))
	}
	if ct, err := storage.SniffEvidence(write("a.pdf", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"))); err != nil || ct != "application/pdf" {
		t.Errorf("pdf: %q %v", ct, err)
	}
	if _, err := storage.SniffEvidence(write("virus.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 200)...))); !errors.Is(err, storage.ErrUnsupported) {
		t.Errorf("executable named .pdf: %v", err)
	}
	if _, err := storage.SniffEvidence(write("bomb.docx", storagetest.ZipBombDOCX(t))); !errors.Is(err, storage.ErrUnsupported) {
		t.Errorf("zip bomb: %v", err)
	}
	if ct, err := storage.SniffEvidence(write("ok.docx", storagetest.SmallDOCX(t))); err != nil || ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Errorf("docx: %q %v", ct, err)
	}
}

func TestSniffEmptyFile(t *testing.T) {
	if _, err := storage.SniffEvidence(bytes.NewReader(nil), 0); !errors.Is(err, storage.ErrEmpty) {
		t.Errorf("empty file: %v, want ErrEmpty", err)
	}
}

// TestPutDiskFull: a disk that fills up mid-upload is the store's failure,
// reported as ErrNoSpace with the store's directory, and leaves no file.
func TestPutDiskFull(t *testing.T) {
	dir := t.TempDir()
	l := &storage.Local{Dir: dir, Writer: storagetest.FullDisk(1000)}
	_, _, err := l.Put(t.Context(), bytes.NewReader(bytes.Repeat([]byte("x"), 5000)), 1<<20, nil)
	if !errors.Is(err, storage.ErrNoSpace) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Put on a full disk: %v, want ErrNoSpace wrapping ENOSPC", err)
	}
	var se *storage.Error
	if !errors.As(err, &se) || se.Dir != dir {
		t.Errorf("error %v does not name the store %s", err, dir)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("message %q does not name the store", err)
	}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("a failed upload left %s", p)
		}
		return nil
	})
	// The same store, not full, takes the file; a content error is not a
	// store error.
	l.Writer = nil
	if _, _, err := l.Put(t.Context(), bytes.NewReader([]byte("%PDF-1.4\n")), 1<<20, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Put(t.Context(), bytes.NewReader(make([]byte, 2048)), 1024, nil); errors.As(err, &se) {
		t.Errorf("too large reported as the store's failure: %v", err)
	}
	// A reader that fails (a client gone) is not the store's failure either.
	if _, _, err := l.Put(t.Context(), io.MultiReader(bytes.NewReader([]byte("abc")), iotest.ErrReader(io.ErrUnexpectedEOF)), 1<<20, nil); err == nil || errors.As(err, &se) {
		t.Errorf("reader failure: %v", err)
	}
}

// TestWritable: the readiness probe's check fails on a full disk and on a
// directory that cannot be made, and leaves nothing behind.
func TestWritable(t *testing.T) {
	dir := t.TempDir()
	l := &storage.Local{Dir: dir}
	if err := l.Writable(t.Context()); err != nil {
		t.Fatalf("writable store: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(entries) != 0 {
		t.Errorf("the check left %d files", len(entries))
	}
	l.Writer = storagetest.FullDisk(0)
	if err := l.Writable(t.Context()); !errors.Is(err, storage.ErrNoSpace) {
		t.Errorf("full disk: %v", err)
	}
	entries, _ = os.ReadDir(filepath.Join(dir, "tmp"))
	if len(entries) != 0 {
		t.Errorf("the failed check left %d files", len(entries))
	}
	// A store under a regular file cannot be created, even by root.
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := (&storage.Local{Dir: filepath.Join(file, "store")}).Writable(t.Context()); err == nil {
		t.Error("a store under a file reported writable")
	}
}
