package storage_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"thidua/internal/storage"
	"thidua/internal/storage/storagetest"
)

func TestPutOpenDedupe(t *testing.T) {
	l := &storage.Local{Dir: t.TempDir()}
	content := []byte("%PDF-1.7 kế hoạch")
	sum, n, err := l.Put(bytes.NewReader(content), 1<<20, nil)
	if err != nil || n != int64(len(content)) || len(sum) != 64 {
		t.Fatalf("Put: %s %d %v", sum, n, err)
	}
	again, _, err := l.Put(bytes.NewReader(content), 1<<20, nil)
	if err != nil || again != sum {
		t.Fatalf("second Put: %s %v", again, err)
	}
	f, err := l.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, content) {
		t.Error("content differs")
	}
	if _, err := l.Open("../../etc/passwd"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Open of a path: %v", err)
	}
	if _, _, err := l.Put(bytes.NewReader(make([]byte, 2048)), 1024, nil); !errors.Is(err, storage.ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
	tmp, _ := os.ReadDir(filepath.Join(l.Dir, "tmp"))
	if len(tmp) != 0 {
		t.Errorf("%d temporary files left", len(tmp))
	}
}

func TestSniffEvidence(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
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
