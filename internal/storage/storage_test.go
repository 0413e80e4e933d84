package storage

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestPutOpenDedupe(t *testing.T) {
	l := &Local{Dir: t.TempDir()}
	content := []byte("%PDF-1.7 kế hoạch")
	sum, n, err := l.Put(bytes.NewReader(content), 1<<20)
	if err != nil || n != int64(len(content)) || len(sum) != 64 {
		t.Fatalf("Put: %s %d %v", sum, n, err)
	}
	again, _, err := l.Put(bytes.NewReader(content), 1<<20)
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
	if _, err := l.Open("../../etc/passwd"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open of a path: %v", err)
	}
	if _, _, err := l.Put(bytes.NewReader(make([]byte, 2048)), 1024); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
	tmp, _ := os.ReadDir(filepath.Join(l.Dir, "tmp"))
	if len(tmp) != 0 {
		t.Errorf("%d temporary files left", len(tmp))
	}
}
