package server

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"thidua/internal/domain"
)

// patternReader yields n bytes of a PDF without holding them: the header,
// then filler.
type patternReader struct {
	n, off int64
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	head := "%PDF-1.4\n"
	i := 0
	for ; i < len(b) && p.off < p.n; i++ {
		if p.off < int64(len(head)) {
			b[i] = head[p.off]
		} else {
			b[i] = byte('a' + p.off%26)
		}
		p.off++
	}
	return i, nil
}

// streamUpload posts a multipart upload of size bytes, generated as it is
// sent, so the test's own side holds nothing either.
func (c *client) streamUpload(path string, size int64) *http.Response {
	c.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", "lon.pdf")
		if err == nil {
			_, err = io.Copy(fw, &patternReader{n: size})
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, c.a.ts.URL+path, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// peakHeap runs fn while sampling the heap; a low GC target keeps garbage
// out of the samples.
func peakHeap(fn func()) uint64 {
	old := debug.SetGCPercent(10)
	defer debug.SetGCPercent(old)
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return peak.Load()
}

func evidenceForm(t testing.TB, a *app) (*client, string) {
	wk := newWork(t.(*testing.T), a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t.(*testing.T), fp, staff)
	form := wk.start(t.(*testing.T), fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	return fp, fmt.Sprintf("%s/criteria/%d/evidence", form, domain.Leaves(nodes)[0].ID)
}

// TestUploadHeapStaysSmall is acceptance 7 (first half): a 50 MB upload,
// streamed to disk, keeps the heap of the whole process (client and server)
// under 8 MB.
func TestUploadHeapStaysSmall(t *testing.T) {
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir(), "MAX_UPLOAD_BYTES": fmt.Sprint(64 << 20)})
	fp, path := evidenceForm(t, a)
	var resp *http.Response
	peak := peakHeap(func() { resp = fp.streamUpload(path, 50<<20) })
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	t.Logf("peak heap during a 50 MB upload: %.1f MiB", float64(peak)/(1<<20))
	if peak > 8<<20 {
		t.Errorf("peak heap %d bytes, over 8 MiB", peak)
	}
}

// TestFiveHundredConcurrentSaves is acceptance 7 (second half): 500 form
// saves at once on loopback complete without an error. Each save changes a
// different criterion or unit, as colleagues do on the deadline day.
func TestFiveHundredConcurrentSaves(t *testing.T) {
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	var leaves []domain.Criterion
	for _, n := range domain.Leaves(nodes) {
		if n.Method == domain.MethodPoints {
			leaves = append(leaves, n)
		}
	}
	units := (500 + len(leaves) - 1) / len(leaves)
	type job struct {
		c    *client
		form string
		vals url.Values
	}
	var jobs []job
	for u := range units {
		unit, err := a.db.CreateUnit(context.Background(), domain.UnitInput{Name: fmt.Sprintf("Sở thử %d", u), Code: fmt.Sprintf("LOAD%03d", u),
			Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		user := a.userIn(domain.RoleFocalPoint, unit)
		c := a.client()
		c.login(user.Email, testPassword)
		wk.register(t, c, staff)
		form := wk.start(t, c)
		base := formValues(htmlOf(t, c.get(form)))
		for _, n := range leaves {
			if len(jobs) == 500 {
				break
			}
			vals := url.Values{}
			for k, v := range base {
				vals[k] = v
			}
			vals.Set(fmt.Sprintf("p_%d", n.ID), n.Max.String())
			jobs = append(jobs, job{c: c, form: form, vals: vals})
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var failures atomic.Int64
	start := time.Now()
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, a.ts.URL+j.form, strings.NewReader(j.vals.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := j.c.http.Do(req)
			if err != nil {
				failures.Add(1)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	t.Logf("%d concurrent saves in %v", len(jobs), time.Since(start))
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d of %d saves failed", n, len(jobs))
	}
	var scored int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM scores WHERE points IS NOT NULL`).Scan(&scored)
	if scored != len(jobs) {
		t.Errorf("%d scores stored, want %d", scored, len(jobs))
	}
}
