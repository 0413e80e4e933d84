package server

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"thidua/internal/domain"
)

// cleanFileName keeps the base name of an uploaded file for display only;
// files are stored under server-made names.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if !utf8.ValidString(name) || !domain.ValidText(name) || name == "." || name == "/" {
		return "tệp tải lên"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return domain.CleanText(name)
}

// attachment sets the headers of a file download with a UTF-8 name.
func attachment(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

// inline sets the headers of a file the browser shows itself (a PDF, an
// image), with its UTF-8 name for saving.
func inline(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

func removeIfSet(path string) {
	if path != "" {
		_ = os.Remove(path)
	}
}

func uploadError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return domain.Errorf(domain.ETOOLARGE, "error.too_large")
	}
	return domain.Errorf(domain.EINVALID, "import.upload.bad")
}

// uploadLimit writes the largest file accepted for people: "20 MB".
func uploadLimit(n int64) string {
	if n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return humanSize(n)
}
