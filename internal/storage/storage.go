// Package storage keeps uploaded files in a content-addressed store: a file
// is streamed to a temporary file while its SHA-256 is computed, synced,
// then renamed to a name made of its hash. The same content is stored once;
// names given by users never reach the file system.
package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// Store is where files live. The local file system is the default; the
// interface leaves room for an S3-compatible store.
type Store interface {
	// Put streams r into the store, keeping at most limit bytes; it returns
	// the content's SHA-256 and size. ErrTooLarge when r is longer. check,
	// when not nil, inspects the complete temporary file before it is kept:
	// an error from it stores nothing.
	Put(r io.Reader, limit int64, check func(path string) error) (sum string, size int64, err error)
	// Open returns the content with the given SHA-256.
	Open(sum string) (io.ReadSeekCloser, error)
}

// ErrTooLarge means the content passed the limit; nothing was stored.
var ErrTooLarge = errors.New("storage: content too large")

// ErrNotFound means no content has that hash.
var ErrNotFound = errors.New("storage: not found")

// Local stores files under a directory: tmp/ for uploads in flight and
// aa/bb/<sha256> for stored content.
type Local struct {
	Dir string
}

var hexSum = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (l *Local) path(sum string) string {
	return filepath.Join(l.Dir, sum[:2], sum[2:4], sum)
}

// Put implements Store.
func (l *Local) Put(r io.Reader, limit int64, check func(path string) error) (string, int64, error) {
	tmpDir := filepath.Join(l.Dir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return "", 0, err
	}
	f, err := os.CreateTemp(tmpDir, "upload-*")
	if err != nil {
		return "", 0, err
	}
	committed := false
	defer func() {
		if !committed {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	// The temporary file is created before the first byte arrives, so a
	// process killed mid-upload leaves it for CleanTemp at the next start.
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, limit+1))
	if err != nil {
		return "", 0, err
	}
	if n > limit {
		return "", 0, ErrTooLarge
	}
	if err := f.Sync(); err != nil {
		return "", 0, err
	}
	if err := f.Close(); err != nil {
		return "", 0, err
	}
	if check != nil {
		if err := check(f.Name()); err != nil {
			return "", 0, err
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))
	dst := l.path(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, err
	}
	if _, err := os.Stat(dst); err == nil {
		os.Remove(f.Name()) // the same content is already stored
		// Freshen it, so a sweep of old unreferenced files running now does
		// not take it before the caller's row that refers to it commits.
		now := time.Now()
		_ = os.Chtimes(dst, now, now)
		committed = true
		return sum, n, nil
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return "", 0, err
	}
	committed = true
	// The rename is durable only once the directory is synced.
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return sum, n, nil
}

// Open implements Store.
func (l *Local) Open(sum string) (io.ReadSeekCloser, error) {
	if !hexSum.MatchString(sum) {
		return nil, ErrNotFound
	}
	f, err := os.Open(l.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// CleanTemp removes uploads left in flight by a stopped process.
func (l *Local) CleanTemp() error {
	entries, err := os.ReadDir(filepath.Join(l.Dir, "tmp"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		_ = os.Remove(filepath.Join(l.Dir, "tmp", e.Name()))
	}
	return nil
}

// Sweep removes stored files no record points to (a process killed between
// storing a file and committing its row leaves one), if they are older than
// minAge, so uploads in flight in another process are spared. It returns
// how many it removed.
func (l *Local) Sweep(referenced map[string]bool, minAge time.Duration) (int, error) {
	removed := 0
	cutoff := time.Now().Add(-minAge)
	err := filepath.WalkDir(l.Dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			if d.Name() == "tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if !hexSum.MatchString(name) || referenced[name] {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.ModTime().After(cutoff) {
			return nil
		}
		if err := os.Remove(path); err == nil {
			removed++
		}
		return nil
	})
	return removed, err
}
