package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"thidua/internal/domain"
	"thidua/internal/password"
	"thidua/internal/paths"
	"thidua/internal/storage/miniotest"
)

// instance is one `thidua serve` process of a deployment: it can be
// stopped (SIGTERM, as an orchestrator does) and started again.
type instance struct {
	t    *testing.T
	bin  string
	env  []string
	addr string
	p    *portal
	log  *lockedBuffer
}

func (in *instance) base() string { return "http://" + in.addr }

func (in *instance) start() {
	in.t.Helper()
	if in.log == nil {
		in.log = &lockedBuffer{}
		in.t.Cleanup(func() {
			if in.t.Failed() {
				in.t.Logf("log of the instance on %s:\n%s", in.addr, in.log.String())
			}
		})
	}
	in.p = startPortalLog(in.t, in.bin, append(append([]string(nil), in.env...), "LISTEN_ADDR="+in.addr), in.log)
}

// lockedBuffer collects a process's output, written from its pipes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// stop sends SIGTERM and waits until the process has drained and exited.
func (in *instance) stop() {
	in.t.Helper()
	if err := in.p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		in.t.Fatal(err)
	}
	if err := in.p.cmd.Wait(); err != nil {
		in.t.Errorf("instance %s stopped with %v", in.addr, err)
	}
	in.p = nil
}

// balancer is a reverse proxy in front of the instances, as nginx or a
// cloud load balancer would be: it sends each request to the next ready
// instance and learns readiness by polling /readyz every 100 ms. It never
// retries a request: a request lost by an instance is a failure.
type balancer struct {
	backends []*url.URL
	ready    []atomic.Bool
	next     atomic.Uint64
	served   []atomic.Int64
	failures atomic.Int64
	lastErr  atomic.Value
	proxy    *httputil.ReverseProxy
	stop     chan struct{}
	done     sync.WaitGroup
}

func newBalancer(t *testing.T, bases ...string) (*balancer, *httptest.Server) {
	b := &balancer{ready: make([]atomic.Bool, len(bases)), served: make([]atomic.Int64, len(bases)), stop: make(chan struct{})}
	for i, s := range bases {
		u, _ := url.Parse(s)
		b.backends = append(b.backends, u)
		b.ready[i].Store(true)
	}
	b.proxy = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			i := pr.In.Context().Value(backendKey{}).(int)
			pr.SetURL(b.backends[i])
			pr.Out.Host = pr.In.Host
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			b.failures.Add(1)
			b.lastErr.Store(err.Error())
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	b.done.Go(func() {
		client := &http.Client{Timeout: time.Second}
		for {
			for i, u := range b.backends {
				resp, err := client.Get(u.String() + "/readyz")
				ok := err == nil && resp.StatusCode == http.StatusOK
				if err == nil {
					resp.Body.Close()
				}
				b.ready[i].Store(ok)
			}
			select {
			case <-b.stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
	srv := httptest.NewServer(b)
	t.Cleanup(func() { close(b.stop); b.done.Wait(); srv.Close() })
	return b, srv
}

type backendKey struct{}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := len(b.backends)
	start := int(b.next.Add(1))
	for k := range n {
		i := (start + k) % n
		if b.ready[i].Load() {
			b.served[i].Add(1)
			b.proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), backendKey{}, i)))
			return
		}
	}
	b.failures.Add(1)
	b.lastErr.Store("no ready instance")
	w.WriteHeader(http.StatusServiceUnavailable)
}

// signIn signs email in on base (password "Mật khẩu thử nghiệm 2026") and
// returns the session cookie.
func signIn(t *testing.T, base, email string) *http.Cookie {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/login", url.Values{"email": {email}, "password": {"Mật khẩu thử nghiệm 2026"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in on %s: %v %v", base, err, resp)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if strings.Contains(c.Name, "session") {
			return c
		}
	}
	t.Fatal("no session cookie")
	return nil
}

// call sends a request with the session cookie and returns the status and
// body; it does not follow redirects.
func call(t *testing.T, method, target string, cookie *http.Cookie, body io.Reader, contentType string, header ...string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestTwoInstances is acceptance 3 of the scale-out issue: two `thidua
// serve` processes on one database and one store (a bucket of a real
// MinIO server) share everything. A sign-in on A is valid on B; a form
// saved on A reads the same on B; evidence uploaded on A downloads from B
// (with range requests); an import started on A finishes on B when A is
// stopped mid-way; and a rolling restart of both behind a load balancer,
// under load, loses no request.
func TestTwoInstances(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bin := portalBinary(t)
	dbURL, db := openTestDB(t)
	campaign, assessment, leaves := formFixture(t, db)
	hash, _ := password.Hash("Mật khẩu thử nghiệm 2026", password.Default)
	if _, _, err := db.CreateUser(ctx, domain.NewUser{Email: "canbo@example.vn", FullName: "Cán bộ Sở Nội vụ", Role: domain.RoleStaff}, hash, ""); err != nil {
		t.Fatal(err)
	}

	s3 := miniotest.Start(t)
	bucket := s3.Bucket(t)
	env := []string{"DATABASE_URL=" + dbURL, "BASE_URL=http://127.0.0.1", "SESSION_SECURE=false",
		"LOG_FORMAT=text", "SHUTDOWN_DRAIN=1s", "JOB_STOP_GRACE=1s",
		"STORE=s3", "S3_ENDPOINT=" + s3.Endpoint, "S3_BUCKET=" + bucket, "S3_ACCESS_KEY=" + s3.AccessKey,
		"S3_SECRET_KEY=" + s3.SecretKey, "S3_TLS=false", "S3_REGION=us-east-1"}
	// Each instance has its own disk: only its scratch directory is there.
	a := &instance{t: t, bin: bin, addr: fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		env: append(env, "EVIDENCE_DIR="+filepath.Join(dir, "a", "unused"), "IMPORT_DIR="+filepath.Join(dir, "a", "scratch"))}
	b := &instance{t: t, bin: bin, addr: fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		env: append(env, "EVIDENCE_DIR="+filepath.Join(dir, "b", "unused"), "IMPORT_DIR="+filepath.Join(dir, "b", "scratch"))}
	a.start()
	b.start()
	defer func() {
		for _, in := range []*instance{a, b} {
			if in.p != nil {
				_ = in.p.cmd.Process.Kill()
				_ = in.p.cmd.Wait()
			}
		}
	}()

	// A sign-in on A is valid on B.
	cookie := signIn(t, a.base(), "dm@example.vn")
	form := paths.Assessment(campaign, assessment)
	if status, _ := call(t, "GET", b.base()+form, cookie, nil, ""); status != http.StatusOK {
		t.Fatalf("the form on B with A's session: %d", status)
	}
	if status, _ := call(t, "GET", b.base()+form, nil, nil, ""); status != http.StatusSeeOther {
		t.Errorf("the form on B without a session: %d, want a redirect to sign in", status)
	}

	// A form saved on A reads the same on B.
	leaf := leaves[0].ID
	save := url.Values{fmt.Sprintf("e_%d", leaf): {"Lưu ở máy A, đọc ở máy B"}, fmt.Sprintf("p_%d", leaf): {"10"}, fmt.Sprintf("v_%d", leaf): {"0"}}
	if status, body := call(t, "POST", a.base()+form, cookie, strings.NewReader(save.Encode()), "application/x-www-form-urlencoded"); status != http.StatusSeeOther {
		t.Fatalf("save on A: %d\n%s", status, body)
	}
	_, first := call(t, "GET", b.base()+form, cookie, nil, "") // shows the flash "saved", once
	_, onA := call(t, "GET", a.base()+form, cookie, nil, "")
	_, onB := call(t, "GET", b.base()+form, cookie, nil, "")
	if !strings.Contains(string(first), "Lưu ở máy A, đọc ở máy B") {
		t.Error("the explanation saved on A is not on B")
	}
	if !bytes.Equal(onA, onB) {
		t.Error("the form reads differently on A and on B")
	}

	// Evidence uploaded on A downloads from B, with the same headers and
	// range requests.
	pdf := []byte("%PDF-1.4\n% minh chứng tải lên máy A\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "bien-ban.pdf")
	_, _ = fw.Write(pdf)
	_ = mw.Close()
	if status, body := call(t, "POST", a.base()+paths.Evidence(campaign, assessment, leaf), cookie, &mp, mw.FormDataContentType()); status != http.StatusSeeOther {
		t.Fatalf("upload on A: %d\n%s", status, body)
	}
	var key string
	if err := db.Pool.QueryRow(ctx, `SELECT key FROM evidence_files ORDER BY id DESC LIMIT 1`).Scan(&key); err != nil {
		t.Fatal(err)
	}
	if status, got := call(t, "GET", b.base()+paths.EvidenceFile(key), cookie, nil, ""); status != http.StatusOK || !bytes.Equal(got, pdf) {
		t.Errorf("download from B: %d, %d bytes, want the %d uploaded on A", status, len(got), len(pdf))
	}
	if status, got := call(t, "GET", b.base()+paths.EvidenceFile(key), cookie, nil, "", "Range", "bytes=0-7"); status != http.StatusPartialContent || string(got) != "%PDF-1.4" {
		t.Errorf("range from B: %d %q", status, got)
	}

	// An import started on A finishes on B when A stops mid-way: A hands
	// the job back to the queue (its transaction rolls back) and B, which
	// reads the file from the store, runs it to the end. To stop A surely
	// mid-way, the test holds a lock on the units table that the import's
	// merge waits for: A has read and checked every row when it stops.
	// (Each attempt must reach its merge within the 30 s statement
	// timeout, which a waiting lock counts towards.)
	staff := signIn(t, a.base(), "canbo@example.vn")
	var csv bytes.Buffer
	csv.WriteString(strings.Join(unitHeader, ",") + "\n")
	rows := manyUnits(3000)
	for _, r := range rows {
		csv.WriteString(strings.Join(r, ",") + "\n")
	}
	mp.Reset()
	mw = multipart.NewWriter(&mp)
	fw, _ = mw.CreateFormFile("file", "don-vi.csv")
	_, _ = fw.Write(csv.Bytes())
	_ = mw.Close()
	status, body := call(t, "POST", a.base()+paths.ImportUpload("units"), staff, &mp, mw.FormDataContentType())
	if status != http.StatusSeeOther {
		t.Fatalf("import upload on A: %d\n%s", status, body)
	}
	var jobKey string
	if err := db.Pool.QueryRow(ctx, `SELECT key FROM import_jobs ORDER BY id DESC LIMIT 1`).Scan(&jobKey); err != nil {
		t.Fatal(err)
	}
	importState := func(want string) {
		t.Helper()
		var st string
		for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
			if err := db.Pool.QueryRow(ctx, `SELECT status FROM import_jobs WHERE key = $1`, jobKey).Scan(&st); err != nil {
				t.Fatal(err)
			}
			if st == want {
				return
			}
			if st == "failed" || time.Now().After(deadline) {
				t.Fatalf("import job %s: %s, waiting for %s", jobKey, st, want)
			}
		}
	}
	importState("checked")
	lock, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback(ctx)
	if _, err := lock.Exec(ctx, `LOCK TABLE units IN SHARE MODE`); err != nil {
		t.Fatal(err)
	}
	// Any instance may take a job: B is stopped while A takes this one.
	b.stop()
	if status, body := call(t, "POST", a.base()+paths.ImportRun(jobKey), staff, nil, ""); status != http.StatusSeeOther {
		t.Fatalf("run the import on A: %d\n%s", status, body)
	}
	attemptedBy := func() []string {
		t.Helper()
		var by []string
		if err := db.Pool.QueryRow(ctx, `SELECT coalesce(attempted_by, '{}') FROM river_job WHERE kind = 'run_import' AND NOT (args->>'dry_run')::boolean`).Scan(&by); err != nil {
			t.Fatal(err)
		}
		return by
	}
	waitMerge := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
			var waiting bool
			if err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
				WHERE c.relname = 'units' AND NOT l.granted)`).Scan(&waiting); err != nil {
				t.Fatal(err)
			}
			if waiting && len(attemptedBy()) == n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("attempt %d of the import never reached its merge (attempted by %v)", n, attemptedBy())
			}
		}
	}
	waitMerge(1)
	firstBy := attemptedBy()
	b.start()
	a.stop()
	waitMerge(2) // B has taken the job and waits for the same lock
	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	importState("done")
	attempts := attemptedBy()
	var units, inserted int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM units WHERE code LIKE 'X%' OR code = 'P1'`).Scan(&units)
	_ = db.Pool.QueryRow(ctx, `SELECT (report->>'Inserted')::int FROM import_jobs WHERE key = $1`, jobKey).Scan(&inserted)
	t.Logf("import of %d units: started on %v, attempted by %v", len(rows), firstBy, attempts)
	if len(firstBy) != 1 || len(attempts) != 2 || attempts[0] != firstBy[0] || attempts[1] == firstBy[0] {
		t.Errorf("the import ran on %v, then on %v: want A's runner, then B's", firstBy, attempts)
	}
	if units != len(rows) || inserted != len(rows) {
		t.Errorf("after the handover: %d units in the registry, %d in the report, want %d", units, inserted, len(rows))
	}
	a.start()

	// A rolling restart under load: each instance in turn is stopped
	// (SIGTERM: it stops being ready, the balancer notices, requests in
	// flight finish) and started again, while clients keep reading.
	lbs, lb := newBalancer(t, a.base(), b.base())
	var (
		stop    atomic.Bool
		total   atomic.Int64
		wrong   atomic.Int64
		lastBad atomic.Value
		load    sync.WaitGroup
	)
	targets := []string{form, paths.EvidenceFile(key), "/"}
	for w := range 4 {
		load.Go(func() {
			for i := w; !stop.Load(); i++ {
				req, _ := http.NewRequest("GET", lb.URL+targets[i%len(targets)], nil)
				req.AddCookie(cookie)
				resp, err := http.DefaultClient.Do(req)
				total.Add(1)
				if err != nil {
					wrong.Add(1)
					lastBad.Store(err.Error())
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					wrong.Add(1)
					lastBad.Store(resp.Status + " " + req.URL.Path)
				}
			}
		})
	}
	time.Sleep(500 * time.Millisecond)
	for _, in := range []*instance{a, b} {
		in.stop()
		in.start()
		time.Sleep(500 * time.Millisecond) // the balancer sees it ready again
	}
	stop.Store(true)
	load.Wait()
	t.Logf("rolling restart: %d requests (%d on A, %d on B), %d failed", total.Load(), lbs.served[0].Load(), lbs.served[1].Load(), wrong.Load())
	if wrong.Load() != 0 || lbs.failures.Load() != 0 {
		t.Errorf("the rolling restart lost %d of %d requests (balancer errors %d: %v; last: %v)", wrong.Load(), total.Load(), lbs.failures.Load(), lbs.lastErr.Load(), lastBad.Load())
	}
	if total.Load() < 100 {
		t.Errorf("only %d requests during the restart: the load did not run", total.Load())
	}
}

// manyUnits is a units import of a province and n-1 communes under it.
func manyUnits(n int) [][]string {
	rows := [][]string{{"P1", "Ủy ban nhân dân tỉnh Thử Nghiệm", "UBND tỉnh", "tỉnh", "", "01/01/2010", ""}}
	for c := 1; c < n; c++ {
		rows = append(rows, []string{fmt.Sprintf("X%05d", c), fmt.Sprintf("Ủy ban nhân dân xã Thử Nghiệm %d", c), "", "xã", "P1", "01/01/2010", ""})
	}
	return rows
}
