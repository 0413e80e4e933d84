// Package storage keeps uploaded files in a content-addressed store: a file
// is streamed to a temporary file while its SHA-256 is computed, synced,
// then renamed to a name made of its hash. The same content is stored once;
// names given by users never reach the file system.
package storage

import (
	"context"
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

// Store is where files live: the local file system (Local, the default)
// or an S3-compatible object store (S3). Both keep the same promises: an
// upload is streamed with flat memory while its SHA-256 is computed; it is
// checked before it is kept; content is stored once, under its hash; and
// nothing half-written is ever visible under a hash.
type Store interface {
	// Put streams r into the store, keeping at most limit bytes; it returns
	// the content's SHA-256 and size. ErrTooLarge when r is longer. check,
	// when not nil, inspects the complete content before it is kept (for
	// sniffing and ZIP checks): an error from it stores nothing.
	Put(ctx context.Context, r io.Reader, limit int64, check func(f io.ReaderAt, size int64) error) (sum string, size int64, err error)
	// Open returns the content with the given SHA-256, ErrNotFound when
	// there is none. It seeks (range requests) and closes.
	Open(ctx context.Context, sum string) (io.ReadSeekCloser, error)
	// Delete removes the content with the given SHA-256 (the import file
	// of an ended job); removing content that is not there is no error.
	Delete(ctx context.Context, sum string) error
	// Walk calls fn for every stored content, in no set order (backups).
	Walk(ctx context.Context, fn func(sum string, size int64) error) error
	// Sweep removes temporary uploads started before cutoff (left by a
	// process that stopped mid-upload) and stored content last written
	// before cutoff that keep does not claim (left by a process stopped
	// between storing a file and committing its row). Uploads in flight
	// and content stored after cutoff are never touched, so instances can
	// sweep while others upload.
	Sweep(ctx context.Context, keep func(sum string) bool, cutoff time.Time) (Swept, error)
	// Writable reports whether the store takes files now: nil, or an
	// *Error (ErrNoSpace when its disk is full). It is cheap enough for a
	// readiness probe.
	Writable(ctx context.Context) error
	// String names the store for logs: its directory or bucket.
	String() string
}

// Has reports whether st holds the content sum.
func Has(ctx context.Context, st Store, sum string) (bool, error) {
	f, err := st.Open(ctx, sum)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, f.Close()
}

// Swept counts what a Sweep removed.
type Swept struct {
	Temp    int // temporary uploads abandoned mid-way
	Orphans int // stored content no record points to
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

// String implements Store.
func (l *Local) String() string { return l.Dir }

// Put implements Store.
func (l *Local) Put(ctx context.Context, r io.Reader, limit int64, check func(f io.ReaderAt, size int64) error) (string, int64, error) {
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
	// process killed mid-upload leaves it for a later Sweep.
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
	if check != nil {
		if err := check(f, n); err != nil {
			return "", 0, err
		}
	}
	if err := f.Close(); err != nil {
		return "", 0, l.fail("close", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	dst := l.path(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, l.fail("create directory", err)
	}
	// The same content may be stored already: it is freshened, so that a
	// sweep of old unreferenced files running now does not take it before
	// the caller's row that refers to it commits (one that took it just
	// before leaves nothing to freshen, and the new file takes its place).
	now := time.Now()
	if err := os.Chtimes(dst, now, now); err == nil {
		os.Remove(f.Name())
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
func (l *Local) Open(_ context.Context, sum string) (io.ReadSeekCloser, error) {
	if !hexSum.MatchString(sum) {
		return nil, ErrNotFound
	}
	f, err := os.Open(l.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Delete implements Store.
func (l *Local) Delete(_ context.Context, sum string) error {
	if !hexSum.MatchString(sum) {
		return nil
	}
	if err := os.Remove(l.path(sum)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return l.fail("remove", err)
	}
	return nil
}

// Walk implements Store.
func (l *Local) Walk(ctx context.Context, fn func(sum string, size int64) error) error {
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
			return ctx.Err()
		}
		if !hexSum.MatchString(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, os.ErrNotExist) {
			return nil // removed meanwhile
		}
		if err != nil {
			return err
		}
		return fn(d.Name(), info.Size())
	})
	return err
}

// Writable implements Store: it creates, writes one byte to and removes a
// file in the store's tmp/ directory (no sync, so it stays cheap).
func (l *Local) Writable(context.Context) error {
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

// Sweep implements Store. A temporary file's age is its last write, so an
// upload still arriving is never taken.
func (l *Local) Sweep(ctx context.Context, keep func(sum string) bool, cutoff time.Time) (Swept, error) {
	var swept Swept
	tmpDir := filepath.Join(l.Dir, "tmp")
	entries, err := os.ReadDir(tmpDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return swept, l.fail("read directory", err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			continue
		}
		if os.Remove(filepath.Join(tmpDir, e.Name())) == nil {
			swept.Temp++
		}
	}
	err = filepath.WalkDir(l.Dir, func(path string, d os.DirEntry, err error) error {
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
			return ctx.Err()
		}
		name := d.Name()
		if !hexSum.MatchString(name) || keep(name) {
			return nil
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			return nil
		}
		if err := os.Remove(path); err == nil {
			swept.Orphans++
		}
		return nil
	})
	return swept, err
}
