package storage

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// ErrUnsupported means the content is not of an accepted type, whatever
// its name says, or is a ZIP-based file that would unpack far beyond its
// size (a decompression bomb).
var ErrUnsupported = errors.New("storage: unsupported content")

// ErrBomb is the ErrUnsupported of a ZIP-based file that would unpack far
// beyond its size.
var ErrBomb = fmt.Errorf("%w: the archive would unpack far beyond its size", ErrUnsupported)

// ErrEmpty means the file has no content at all (zero bytes).
var ErrEmpty = errors.New("storage: empty file")

// EvidenceTypes are the types accepted as evidence, decided by content.
var EvidenceTypes = map[string]bool{
	"application/pdf":           true,
	"image/jpeg":                true,
	"image/png":                 true,
	"application/msword":        true,
	"application/vnd.ms-excel":  true,
	"application/x-ole-storage": true, // older Office files detected generically
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       true,
	"application/vnd.oasis.opendocument.text":                                 true,
	"application/vnd.oasis.opendocument.spreadsheet":                          true,
}

// zipBased are the accepted types that are ZIP archives inside.
var zipBased = map[string]bool{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       true,
	"application/vnd.oasis.opendocument.text":                                 true,
	"application/vnd.oasis.opendocument.spreadsheet":                          true,
}

// Limits of what a ZIP-based document may unpack to.
const (
	maxUnpacked = 200 << 20 // in all
	maxRatio    = 100       // unpacked ÷ packed, per entry
	maxEntries  = 10000
)

// SniffEvidence decides a file's type by its content and checks ZIP-based
// documents for decompression bombs. It returns the content type;
// ErrEmpty for a file of zero bytes, ErrUnsupported for any other type.
// It reads r at its offsets only, so a store's check can hand it the
// upload in place (a local file, an object read by ranges).
func SniffEvidence(r io.ReaderAt, size int64) (string, error) {
	if size == 0 {
		return "", ErrEmpty
	}
	m, err := mimetype.DetectReader(io.NewSectionReader(r, 0, size))
	if err != nil {
		return "", err
	}
	ct, _, _ := strings.Cut(m.String(), ";")
	if !EvidenceTypes[ct] {
		return "", ErrUnsupported
	}
	if zipBased[ct] {
		if err := checkZip(r, size); err != nil {
			return "", err
		}
	}
	return ct, nil
}

func checkZip(r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return ErrUnsupported
	}
	if len(zr.File) > maxEntries {
		return ErrBomb
	}
	// Declared sizes can lie: the entries are really inflated, up to the
	// limit, and the bytes counted.
	var total int64
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			return ErrUnsupported
		}
		n, err := io.CopyN(io.Discard, rc, maxUnpacked-total+1)
		rc.Close()
		if err != nil && err != io.EOF {
			return ErrUnsupported
		}
		total += n
		if total > maxUnpacked {
			return ErrBomb
		}
		if packed := int64(e.CompressedSize64); packed > 0 && n > 1<<20 && n/packed > maxRatio {
			return ErrBomb
		}
	}
	return nil
}

// CheckArchive checks a ZIP-based file (an XLSX to import, say) against the
// limits evidence files have: ErrBomb when it would unpack far beyond its
// size, ErrUnsupported when it is not a readable archive. It inflates the
// entries once, up to the limits, without writing anything.
func CheckArchive(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return checkZip(f, fi.Size())
}
