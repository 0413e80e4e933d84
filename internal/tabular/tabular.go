// Package tabular reads CSV and XLSX files row by row, so that an import of
// a large file never holds the whole file in memory.
package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"thidua/internal/storage"
)

// Reader yields the rows of a table after its header row.
type Reader interface {
	// Header is the first row, trimmed.
	Header() []string
	// Next returns the next row (only valid until the following call), or
	// io.EOF after the last one.
	Next() ([]string, error)
	// Line is the 1-based line (row) number of the row Next returned last,
	// as a person sees it in a spreadsheet.
	Line() int
	Close() error
}

// ErrEmpty means the file has no header row.
var ErrEmpty = errors.New("the file is empty")

// ErrEncoding means a CSV file is neither UTF-8 nor Windows-1258.
var ErrEncoding = errors.New("the file is neither UTF-8 nor Windows-1258")

// ErrUnpackTooLarge means an XLSX file would unpack far beyond its size (a
// decompression bomb): it is refused before it is unpacked.
var ErrUnpackTooLarge = errors.New("the XLSX file would unpack far beyond its size")

// Windows1258 is what Charset reports for a CSV file read as Windows-1258.
const Windows1258 = "windows-1258"

// Charset reports the legacy encoding a reader decoded its file from
// (Windows1258), or "" for UTF-8 and XLSX files.
func Charset(r Reader) string {
	if c, ok := r.(*csvReader); ok {
		return c.charset
	}
	return ""
}

// Open opens a CSV or XLSX file, telling them apart by content (XLSX files
// are ZIP archives), not by name. An XLSX file is first checked with the
// limits evidence files have, so a decompression bomb is refused before
// anything is unpacked to disk.
func Open(path string) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	magic := make([]byte, 4)
	n, _ := io.ReadFull(f, magic)
	if n == 4 && bytes.Equal(magic, []byte("PK\x03\x04")) {
		f.Close()
		if err := storage.CheckArchive(path); err != nil {
			if errors.Is(err, storage.ErrBomb) {
				return nil, ErrUnpackTooLarge
			}
			return nil, fmt.Errorf("XLSX: %w", err)
		}
		return openXLSX(path)
	}
	charset, err := sniffCharset(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return openCSV(f, charset)
}

// sniffCharset reads a CSV file through once and tells its encoding: UTF-8
// when it holds no invalid sequence, or any valid multi-byte one (a UTF-8
// file with a few broken bytes: the cells that hold them are reported);
// Windows-1258, the encoding Excel saves CSV in under a Vietnamese Windows,
// when every non-ASCII byte is invalid UTF-8 and each is a Windows-1258
// character; otherwise ErrEncoding.
func sniffCharset(f *os.File) (string, error) {
	br := bufio.NewReaderSize(f, 64<<10)
	invalid, cp1258 := false, true
	buf := make([]byte, 64<<10)
	carry := 0
	for {
		n, err := br.Read(buf[carry:])
		n += carry
		end := n
		if err == nil {
			// Keep an incomplete sequence at the end for the next read.
			for i := max(0, n-utf8.UTFMax+1); i < n; i++ {
				if buf[i] >= utf8.RuneSelf && !utf8.FullRune(buf[i:n]) {
					end = i
					break
				}
			}
		}
		for i := 0; i < end; {
			b := buf[i]
			if b < utf8.RuneSelf {
				i++
				continue
			}
			r, size := utf8.DecodeRune(buf[i:end])
			if r != utf8.RuneError || size > 1 {
				return "", nil // a real UTF-8 character: a UTF-8 file
			}
			invalid = true
			if charmap.Windows1258.DecodeByte(b) == utf8.RuneError {
				cp1258 = false
			}
			i++
		}
		carry = copy(buf, buf[end:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	switch {
	case !invalid:
		return "", nil
	case cp1258:
		return Windows1258, nil
	}
	return "", ErrEncoding
}

type csvReader struct {
	f       *os.File
	r       *csv.Reader
	header  []string
	line    int
	charset string
}

func openCSV(f *os.File, charset string) (Reader, error) {
	var src io.Reader = f
	if charset == Windows1258 {
		// Windows-1258 writes most toned letters as a letter and a
		// combining mark: compose them (NFC) as the rest of the portal keeps text.
		src = norm.NFC.Reader(charmap.Windows1258.NewDecoder().Reader(f))
	}
	br := bufio.NewReaderSize(src, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	first, _ := br.Peek(4096)
	r := csv.NewReader(br)
	r.Comma = sniffDelimiter(first)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	c := &csvReader{f: f, r: r, charset: charset}
	header, err := r.Read()
	if err == io.EOF {
		f.Close()
		return nil, ErrEmpty
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("CSV: %w", err)
	}
	c.header = trimAll(append([]string(nil), header...))
	c.line = 1
	return c, nil
}

// sniffDelimiter picks the separator of the first line: Excel in Vietnamese
// locales saves CSV with semicolons.
func sniffDelimiter(sample []byte) rune {
	line := sample
	if i := bytes.IndexByte(sample, '\n'); i >= 0 {
		line = sample[:i]
	}
	best, count := ',', bytes.Count(line, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if c := bytes.Count(line, []byte(string(d))); c > count {
			best, count = d, c
		}
	}
	return best
}

func (c *csvReader) Header() []string { return c.header }
func (c *csvReader) Line() int        { return c.line }
func (c *csvReader) Close() error     { return c.f.Close() }

func (c *csvReader) Next() ([]string, error) {
	rec, err := c.r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			c.line = pe.Line
			return nil, &RowError{Line: pe.Line, Err: pe.Err}
		}
		return nil, err
	}
	line, _ := c.r.FieldPos(0)
	c.line = line
	return rec, nil
}

// RowError is a row that could not be read at all (broken quoting); the
// reader can go on with the next row.
type RowError struct {
	Line int
	Err  error
}

func (e *RowError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

type xlsxReader struct {
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	line   int
}

func openXLSX(path string) (Reader, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 4 << 20})
	if err != nil {
		return nil, fmt.Errorf("XLSX: %w", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, ErrEmpty
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("XLSX: %w", err)
	}
	x := &xlsxReader{f: f, rows: rows}
	if !rows.Next() {
		x.Close()
		return nil, ErrEmpty
	}
	header, err := rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		x.Close()
		return nil, fmt.Errorf("XLSX: %w", err)
	}
	x.header = trimAll(header)
	x.line = 1
	return x, nil
}

func (x *xlsxReader) Header() []string { return x.header }
func (x *xlsxReader) Line() int        { return x.line }

func (x *xlsxReader) Next() ([]string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	x.line++
	// Raw values: dates arrive as serial numbers, whatever the cell format.
	return x.rows.Columns(excelize.Options{RawCellValue: true})
}

func (x *xlsxReader) Close() error {
	if x.rows != nil {
		_ = x.rows.Close()
	}
	return x.f.Close()
}

func trimAll(s []string) []string {
	for i := range s {
		s[i] = strings.TrimSpace(s[i])
	}
	return s
}
