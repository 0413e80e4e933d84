package bench

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"sort"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// parseForm returns the fields of the form posting to action, as a
// browser submits them unchanged (submit buttons and files left out).
func parseForm(r io.Reader, action string) (url.Values, error) {
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return nil, err
	}
	v := url.Values{}
	doc.Find(`form[method="post"]`).Each(func(_ int, f *goquery.Selection) {
		if a, _ := f.Attr("action"); a != action {
			return
		}
		f.Find("input, textarea, select").Each(func(_ int, s *goquery.Selection) {
			name, ok := s.Attr("name")
			if !ok || name == "" {
				return
			}
			if _, disabled := s.Attr("disabled"); disabled {
				return
			}
			switch goquery.NodeName(s) {
			case "textarea":
				v.Add(name, s.Text())
			case "select":
				opt := s.Find("option[selected]").First()
				if opt.Length() == 0 {
					opt = s.Find("option").First()
				}
				val, ok := opt.Attr("value")
				if !ok {
					val = opt.Text()
				}
				v.Add(name, val)
			default:
				typ, _ := s.Attr("type")
				switch typ {
				case "submit", "button", "file", "reset", "image":
					return
				case "checkbox", "radio":
					if _, checked := s.Attr("checked"); !checked {
						return
					}
				}
				val, _ := s.Attr("value")
				if typ == "checkbox" && val == "" {
					val = "on"
				}
				v.Add(name, val)
			}
		})
	})
	return v, nil
}

// multipartBody streams an evidence upload: a reference field, then a file
// of size bytes starting with head and filled with chunk.
func multipartBody(head string, chunk []byte, size int) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		_ = mw.WriteField("reference", "Báo cáo đo hiệu năng")
		fw, err := mw.CreateFormFile("file", "bao-cao-do-hieu-nang.pdf")
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		if _, err := io.WriteString(fw, head); err != nil {
			pw.CloseWithError(err)
			return
		}
		left := size - len(head)
		for left > 0 {
			n := min(left, len(chunk))
			if _, err := fw.Write(chunk[:n]); err != nil {
				pw.CloseWithError(err)
				return
			}
			left -= n
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType()
}

func num(f float64, prec int) string {
	if f == 0 {
		return "–"
	}
	s := fmt.Sprintf("%.*f", prec, f)
	// Thousands separators for the integer part.
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// markdown renders the report as the tables of docs/performance.md.
func markdown(rep *Report) string {
	var b strings.Builder
	keys := make([]string, 0, len(rep.Machine))
	for k := range rep.Machine {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(&b, "## make bench, %s\n\n", rep.Started.UTC().Format("2006-01-02 15:04 UTC"))
	var m []string
	for _, k := range keys {
		m = append(m, k+": "+rep.Machine[k])
	}
	fmt.Fprintf(&b, "Machine: %s. Load average (1, 5, 15 min) at start %s, at end %s.\n\n", strings.Join(m, ", "), rep.LoadAvgs[0], rep.LoadAvgs[len(rep.LoadAvgs)-1])
	fmt.Fprintf(&b, "| workload | req/s | p50 ms | p99 ms | ratio | portal CPU µs/req | PostgreSQL CPU µs/req | queries/req | pings/req | allocs/req | KB alloc/req | errors | load |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	var special []Result
	for _, r := range rep.Results {
		if r.MBps > 0 || strings.HasPrefix(r.Name, "export-") {
			special = append(special, r)
			continue
		}
		ratio := "–"
		if r.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f × %s", r.Ratio, r.Reference)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %s |\n", r.Label, num(r.ReqPerSec, 0), num(r.P50ms, 1), num(r.P99ms, 1), ratio,
			num(r.PortalCPUus, 0), num(r.PGCPUus, 0), num(r.Queries, 2), num(r.Pings, 3), num(r.Allocs, 0), num(r.AllocKB, 1), r.Errors, r.Load)
	}
	if len(special) > 0 {
		fmt.Fprintf(&b, "\n| workload | time | MB/s | size | peak heap MB (base) | portal CPU ms | PostgreSQL CPU ms | queries | allocs | load |\n")
		fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
		for _, r := range special {
			fmt.Fprintf(&b, "| %s | %.2f s | %s | %.1f MB | %.1f (%.1f) | %s | %s | %s | %s | %s |\n", r.Label, r.P50ms/1000, num(r.MBps, 0), float64(r.Bytes)/(1<<20),
				r.PeakHeapMB, r.BaseHeapMB, num(r.PortalCPUus/1000, 0), num(r.PGCPUus/1000, 0), num(r.Queries, 0), num(r.Allocs, 0), r.Load)
		}
	}
	fmt.Fprintf(&b, "\nData: %v. Whole run %.0f s.\n", rep.Data, rep.Total)
	b.WriteString("\nWhat one request of each page workload sends to PostgreSQL, in order (the statement's start):\n\n")
	for _, r := range rep.Results {
		if len(r.SQL) == 0 {
			continue
		}
		fmt.Fprintf(&b, "- %s:\n", r.Label)
		for _, q := range r.SQL {
			fmt.Fprintf(&b, "  - `%s`\n", statementStart(q, 110))
		}
	}
	return b.String()
}

// statementStart is a statement on one line, cut at n runes.
func statementStart(sql string, n int) string {
	s := []rune(strings.Join(strings.Fields(sql), " "))
	if len(s) > n {
		return string(s[:n]) + "…"
	}
	return string(s)
}
