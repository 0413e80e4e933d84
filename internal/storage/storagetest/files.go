// Package storagetest makes files for upload tests: honest documents and
// decompression bombs.
package storagetest

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
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

// FullDisk is a storage.Local Writer hook for tests: each file written
// takes limit bytes, then every write fails with ENOSPC, as on a full disk.
func FullDisk(limit int64) func(io.Writer) io.Writer {
	return func(w io.Writer) io.Writer { return &fullDisk{w: w, left: limit} }
}

type fullDisk struct {
	w    io.Writer
	left int64
}

func (d *fullDisk) Write(p []byte) (int, error) {
	name := ""
	if f, ok := d.w.(*os.File); ok {
		name = f.Name()
	}
	if int64(len(p)) <= d.left {
		n, err := d.w.Write(p)
		d.left -= int64(n)
		return n, err
	}
	n, err := d.w.Write(p[:d.left])
	d.left -= int64(n)
	if err != nil {
		return n, err
	}
	return n, &os.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
}
