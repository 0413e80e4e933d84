// Package storagetest makes files for upload tests: honest documents and
// decompression bombs.
package storagetest

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"sync"
	"syscall"
	"testing"
)

// docxParts makes a minimal OOXML word document whose body is body.
func docxParts(tb testing.TB, body func(w *zip.Writer)) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	ct, _ := zw.Create("[Content_Types].xml")
	_, _ = ct.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`))
	body(zw)
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// SmallDOCX is a small, honest Word document, for tests.
func SmallDOCX(tb testing.TB) []byte {
	return docxParts(tb, func(zw *zip.Writer) {
		w, _ := zw.Create("word/document.xml")
		_, _ = w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Báo cáo</w:t></w:r></w:p></w:body></w:document>`))
	})
}

// ZipBombDOCX is a Word document whose one part unpacks to 300 MB of zeros
// from a few hundred kilobytes, for tests.
func ZipBombDOCX(tb testing.TB) []byte {
	return docxParts(tb, func(zw *zip.Writer) {
		w, _ := zw.Create("word/document.xml")
		zero := make([]byte, 1<<20)
		for range 300 {
			_, _ = w.Write(zero)
		}
	})
}

// FullDisk is a storage.Local Writer hook for tests: a disk with free
// bytes left, shared by every file written through it; once they are
// used, every write fails with ENOSPC, as on a full disk.
func FullDisk(free int64) func(io.Writer) io.Writer {
	d := &disk{free: free}
	return func(w io.Writer) io.Writer { return &fullDisk{w: w, disk: d} }
}

type disk struct {
	mu   sync.Mutex
	free int64
}

// take reserves up to n bytes and returns how many it got.
func (d *disk) take(n int64) int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	n = min(n, d.free)
	d.free -= n
	return n
}

type fullDisk struct {
	w    io.Writer
	disk *disk
}

func (f *fullDisk) Write(p []byte) (int, error) {
	room := f.disk.take(int64(len(p)))
	n, err := f.w.Write(p[:room])
	if err != nil || room == int64(len(p)) {
		return n, err
	}
	name := ""
	if file, ok := f.w.(*os.File); ok {
		name = file.Name()
	}
	return n, &os.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
}
