package tabular

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readAll(t *testing.T, content string) (header []string, rows [][]string, lines []int, rowErrs int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	header = r.Header()
	for {
		row, err := r.Next()
		var re *RowError
		if errors.As(err, &re) {
			rowErrs++
			continue
		}
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, append([]string(nil), row...))
		lines = append(lines, r.Line())
	}
}

func TestCSVVariants(t *testing.T) {
	for name, content := range map[string]string{
		"comma":     "ma,ten\n1,Xã A\n2,\"Xã B, mới\"\n",
		"semicolon": "ma;ten\n1;Xã A\n2;Xã B, mới\n",
		"bom":       "\xef\xbb\xbfma,ten\n1,Xã A\n2,\"Xã B, mới\"\n",
		"crlf":      "ma,ten\r\n1,Xã A\r\n2,\"Xã B, mới\"\r\n",
	} {
		header, rows, lines, _ := readAll(t, content)
		if diff := cmp.Diff([]string{"ma", "ten"}, header); diff != "" {
			t.Errorf("%s header (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff([][]string{{"1", "Xã A"}, {"2", "Xã B, mới"}}, rows); diff != "" {
			t.Errorf("%s rows (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff([]int{2, 3}, lines); diff != "" {
			t.Errorf("%s lines (-want +got):\n%s", name, diff)
		}
	}
}

func TestCSVBrokenQuotesAndEmpty(t *testing.T) {
	_, rows, _, rowErrs := readAll(t, "ma,ten\n1,\"Xã \"A\" hỏng\n")
	if rowErrs == 0 && len(rows) == 2 {
		t.Errorf("broken quoting read as %v", rows)
	}
	path := filepath.Join(t.TempDir(), "empty.csv")
	_ = os.WriteFile(path, nil, 0o644)
	if _, err := Open(path); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty file: %v", err)
	}
}
