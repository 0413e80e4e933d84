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
	"syscall"
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
	// Writable reports whether the store takes files now: nil, or an
	// *Error (ErrNoSpace when its disk is full). It is cheap enough for a
	// readiness probe.
	Writable() error
}

// ErrTooLarge means the content passed the limit; nothing was stored.
var ErrTooLarge = errors.New("storage: content too large")

// ErrNotFound means no content has that hash.
var ErrNotFound = errors.New("storage: not found")

// ErrNoSpace matches (errors.Is) an *Error caused by a full disk or an
// exhausted quota: the server is out of space, the upload was fine.
var ErrNoSpace = errors.New("storage: no space left")

// Error is a failure of the store itself (its disk, its directory), not of
// the content or of the reader it was given: the server's fault, never the
// user's. Nothing was stored.
type Error struct {
	Op  string // what the store was doing
	Dir string // the store's directory
	Err error
}

func (e *Error) Error() string { return "storage: " + e.Op + " in " + e.Dir + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNoSpace) true when the disk is full.
func (e *Error) Is(target error) bool {
	return target == ErrNoSpace && (errors.Is(e.Err, syscall.ENOSPC) || errors.Is(e.Err, syscall.EDQUOT))
}

// Local stores files under a directory: tmp/ for uploads in flight and
// aa/bb/<sha256> for stored content.
type Local struct {
	Dir string
	// Writer, when not nil, wraps every writer to a file of the store, so
	// that tests can make the disk fail (storagetest.FullDisk). Nil in
	// production.
	Writer func(io.Writer) io.Writer
}

// fail wraps a failure of the store's own file system.
func (l *Local) fail(op string, err error) error {
	return &Error{Op: op, Dir: l.Dir, Err: err}
}

// writer returns what writes to f, through the Writer hook if any.
func (l *Local) writer(f *os.File) io.Writer {
	if l.Writer != nil {
		return l.Writer(f)
	}
	return f
}

// writeErr remembers the error of a writer, to tell a failing disk from a
// failing reader after io.Copy.
type writeErr struct {
	w   io.Writer
	err error
}

func (w *writeErr) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if err != nil {
		w.err = err
	}
	return n, err
}

var hexSum = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (l *Local) path(sum string) string {
	return filepath.Join(l.Dir, sum[:2], sum[2:4], sum)
}

// Put implements Store.
func (l *Local) Put(r io.Reader, limit int64, check func(path string) error) (string, int64, error) {
	tmpDir := filepath.Join(l.Dir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return "", 0, l.fail("create directory", err)
	}
	f, err := os.CreateTemp(tmpDir, "upload-*")
	if err != nil {
		return "", 0, l.fail("create file", err)
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
	out := &writeErr{w: l.writer(f)}
	n, err := io.Copy(io.MultiWriter(out, h), io.LimitReader(r, limit+1))
	if out.err != nil {
		return "", 0, l.fail("write", out.err)
	}
	if err != nil {
		return "", 0, err // the reader's: the upload broke off or was too large
	}
	if n > limit {
		return "", 0, ErrTooLarge
	}
	if err := f.Sync(); err != nil {
		return "", 0, l.fail("sync", err)
	}
	if err := f.Close(); err != nil {
		return "", 0, l.fail("close", err)
	}
	if check != nil {
		if err := check(f.Name()); err != nil {
			return "", 0, err
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))
	dst := l.path(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, l.fail("create directory", err)
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
		return "", 0, l.fail("rename", err)
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

// Writable implements Store: it creates, writes one byte to and removes a
// file in the store's tmp/ directory (no sync, so it stays cheap).
func (l *Local) Writable() error {
	tmpDir := filepath.Join(l.Dir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return l.fail("create directory", err)
	}
	f, err := os.CreateTemp(tmpDir, "probe-*")
	if err != nil {
		return l.fail("create file", err)
	}
	defer os.Remove(f.Name())
	_, err = l.writer(f).Write([]byte{0})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return l.fail("write", err)
	}
	return nil
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
