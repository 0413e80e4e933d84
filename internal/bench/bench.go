// Package bench is the load harness behind `make bench`: a throwaway
// PostgreSQL cluster (the test suite's code), a province-sized data set
// loaded in bulk, the portal and three reference servers (hello, fortunes,
// fortunes-session) in a child process, and a load generator on loopback.
// Per workload it reports throughput, latency, the ratio to its reference,
// CPU per request of the portal and of PostgreSQL (from /proc), queries,
// pool pings and allocations per request.
package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"thidua/internal/domain"
	"thidua/internal/pgcluster"
	"thidua/internal/postgres"
)

// Options are the harness's flags.
type Options struct {
	Rounds        int
	Duration      time.Duration
	Warm          time.Duration
	Conns         int
	MixedDuration time.Duration
	MixedRate     int
	MixedSessions int
	PortBase      int
	Only          string
	JSONPath      string
	MDPath        string
	ProfileDir    string
	Hold          bool
}

// Result is one workload's line of the report.
type Result struct {
	Name        string  `json:"name"`
	Label       string  `json:"label"`
	Reference   string  `json:"reference,omitempty"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	Seconds     float64 `json:"seconds"`
	ReqPerSec   float64 `json:"req_per_sec"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	Ratio       float64 `json:"ratio,omitempty"`
	PortalCPUus float64 `json:"portal_cpu_us_per_req"`
	PGCPUus     float64 `json:"postgres_cpu_us_per_req"`
	Queries     float64 `json:"queries_per_req"`
	Pings       float64 `json:"pings_per_req"`
	Allocs      float64 `json:"allocs_per_req"`
	AllocKB     float64 `json:"alloc_kb_per_req"`
	MBps        float64 `json:"mb_per_sec,omitempty"`
	PeakHeapMB  float64 `json:"peak_heap_mb,omitempty"`
	BaseHeapMB  float64 `json:"base_heap_mb,omitempty"`
	Bytes       int64   `json:"bytes,omitempty"`
	Load        string  `json:"loadavg"`
	Rate        int     `json:"target_rate,omitempty"`
	FirstError  string  `json:"first_error,omitempty"`
	// SQL is what one request of the workload sent to PostgreSQL (the
	// first, checking request), in order.
	SQL []string `json:"sql,omitempty"`
}

// Report is the JSON output.
type Report struct {
	Started  time.Time         `json:"started"`
	Machine  map[string]string `json:"machine"`
	Data     map[string]any    `json:"data"`
	Options  map[string]any    `json:"options"`
	Results  []Result          `json:"results"`
	Total    float64           `json:"total_seconds"`
	LoadAvgs []string          `json:"loadavg_start_end"`
}

// Main runs the harness (or, with "serve-child", the child process).
func Main(args []string) error {
	if len(args) > 0 && args[0] == "serve-child" {
		if len(args) != 4 {
			return errors.New("serve-child DBURL DIR PORTBASE")
		}
		pb, _ := strconv.Atoi(args[3])
		return ServeChild(args[1], args[2], pb)
	}
	var o Options
	fs := flag.NewFlagSet("thidua-bench", flag.ContinueOnError)
	fs.IntVar(&o.Rounds, "rounds", 3, "interleaved rounds of the page workloads (the median is reported)")
	fs.DurationVar(&o.Duration, "duration", 4*time.Second, "measured time of each page workload per round")
	fs.DurationVar(&o.Warm, "warm", time.Second, "warm-up before each measurement")
	fs.IntVar(&o.Conns, "c", 64, "connections kept busy by the page workloads (like wrk -c)")
	fs.DurationVar(&o.MixedDuration, "mixed-duration", 60*time.Second, "length of the mixed deadline-day scenario (0 skips it)")
	fs.IntVar(&o.MixedRate, "mixed-rate", 1000, "requests a second of the mixed scenario")
	fs.IntVar(&o.MixedSessions, "mixed-sessions", 200, "signed-in sessions of the mixed scenario")
	fs.IntVar(&o.PortBase, "port-base", 0, "listen on 127.0.0.1 ports from this one (0: free ports)")
	fs.StringVar(&o.Only, "only", "", "comma-separated workload names to run (default all)")
	fs.StringVar(&o.JSONPath, "json", ".data/bench/results.json", "where to write the JSON report")
	fs.StringVar(&o.MDPath, "md", ".data/bench/results.md", "where to write the markdown table")
	fs.StringVar(&o.ProfileDir, "profile", "", "directory for CPU profiles of the portal, one per page workload (last round)")
	fs.BoolVar(&o.Hold, "hold", false, "keep the cluster and the servers running after the report, until Ctrl-C")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runHarness(ctx, o)
}

type harness struct {
	o        Options
	ds       *dataset
	a        addrs
	child    int
	pm       int
	statsURL string
	client   *http.Client
	today    string
	// sessions
	staff    []string // cookies
	dept     []string // one per department form
	deptForm []url.Values
	appr     []string // one per appraisal form, its appraiser's
	apprForm []url.Values
	refCk    []string
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench %s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func runHarness(ctx context.Context, o Options) error {
	started := time.Now()
	rep := Report{Started: started, LoadAvgs: []string{loadAvg()}}
	tmp, err := os.MkdirTemp("", "thidua-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// The postgres user must enter the directory when the harness runs as root.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	pgPort := 0
	if o.PortBase > 0 {
		pgPort = o.PortBase
	}
	logf("starting a throwaway PostgreSQL cluster in %s", tmp)
	cl, err := pgcluster.Start(ctx, pgcluster.Options{Dir: filepath.Join(tmp, "data"), Throwaway: true, Port: pgPort})
	if err != nil {
		return err
	}
	defer cl.Stop()
	if err := postgres.MigrateUp(cl.URL()); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, cl.URL())
	if err != nil {
		return err
	}
	logf("loading the data set")
	ds, err := load(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	logf("loaded in %.1fs: %d units, %d users, %d scores, %d evidence links, %d people",
		ds.LoadTime.Seconds(), ds.Units, ds.Users, ds.Scores, ds.Evidence, ds.People)
	rep.Data = map[string]any{"units": ds.Units, "users": ds.Users, "campaigns": otherCampaign + 1,
		"participants_per_campaign": departments + communes, "criteria_per_form": "25 (departments), 40 (communes)",
		"scores": ds.Scores, "score_evidence": ds.Evidence, "people": ds.People, "load_seconds": ds.LoadTime.Seconds()}

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	childPortBase := 0
	if o.PortBase > 0 {
		childPortBase = o.PortBase
	}
	cmd := exec.Command(exe, "serve-child", cl.URL(), tmp, strconv.Itoa(childPortBase))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return fmt.Errorf("child did not start: %w", err)
	}
	h := &harness{o: o, ds: ds, child: cmd.Process.Pid, pm: postmasterPID(filepath.Join(tmp, "data")), client: newClient(o.Conns),
		today: domain.DateOf(time.Now()).Format("02/01/2006")}
	if err := json.Unmarshal([]byte(line), &h.a); err != nil {
		return fmt.Errorf("child said %q: %w", line, err)
	}
	h.statsURL = "http://" + h.a.Stats
	if h.pm == 0 {
		return errors.New("cannot read the postmaster's PID")
	}
	rep.Machine = machine(ctx, cl)
	rep.Options = map[string]any{"rounds": o.Rounds, "duration_s": o.Duration.Seconds(), "warm_s": o.Warm.Seconds(), "connections": o.Conns,
		"mixed_s": o.MixedDuration.Seconds(), "mixed_rate": o.MixedRate, "mixed_sessions": o.MixedSessions}

	if err := h.signIn(); err != nil {
		return err
	}
	results, err := h.pages(ctx)
	if err != nil {
		return err
	}
	if h.want("quiet") {
		r, err := h.quiet()
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	if h.want("upload") {
		r, err := h.upload()
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	for _, f := range []string{"csv", "xlsx"} {
		if h.want("export-" + f) {
			r, err := h.export(f)
			if err != nil {
				return err
			}
			results = append(results, r)
		}
	}
	if o.MixedDuration > 0 && h.want("mixed") {
		r, err := h.mixed(ctx)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	rep.Results = results
	rep.Total = time.Since(started).Seconds()
	rep.LoadAvgs = append(rep.LoadAvgs, loadAvg())
	md := markdown(&rep)
	fmt.Println(md)
	if err := writeFile(o.MDPath, []byte(md)); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(rep, "", "  ")
	if err := writeFile(o.JSONPath, b); err != nil {
		return err
	}
	logf("done in %.0fs; JSON in %s, table in %s", rep.Total, o.JSONPath, o.MDPath)
	if o.Hold {
		logf("holding: DATABASE_URL=%s portal http://%s stats http://%s (Ctrl-C ends)", cl.URL(), h.a.Portal, h.a.Stats)
		<-ctx.Done()
	}
	return nil
}

func writeFile(path string, b []byte) error {
	if path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func machine(ctx context.Context, cl *pgcluster.Cluster) map[string]string {
	m := map[string]string{"cpus": strconv.Itoa(runtime.NumCPU()), "go": runtime.Version(), "goos": runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				_, v, _ := strings.Cut(l, ":")
				m["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if db, err := postgres.Open(ctx, cl.URL()); err == nil {
		var v string
		_ = db.Pool.QueryRow(ctx, `SHOW server_version`).Scan(&v)
		m["postgres"] = v
		db.Close()
	}
	host, _ := os.Hostname()
	m["host"] = host
	return m
}

func (h *harness) want(name string) bool {
	if h.o.Only == "" {
		return true
	}
	for _, n := range strings.Split(h.o.Only, ",") {
		if strings.TrimSpace(n) == name {
			return true
		}
	}
	return false
}

func (h *harness) portal(path string) string { return "http://" + h.a.Portal + path }

// login signs in through the real form and returns the session cookie.
func (h *harness) login(email string) (string, error) {
	form := url.Values{"email": {email}, "password": {benchPassword}}
	req, _ := http.NewRequest(http.MethodPost, h.portal("/login"), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := h.client.Do(req)
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("login %s: status %d", email, resp.StatusCode)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "thidua_session" {
			return c.Name + "=" + c.Value, nil
		}
	}
	return "", fmt.Errorf("login %s: no session cookie", email)
}

func (h *harness) get(path, cookie string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, path, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	return req
}

func (h *harness) post(path, cookie, body string) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", cookie)
	return req
}

// formValues reads the self-assessment form as a browser would submit it.
func (h *harness) formValues(path, cookie string) (url.Values, error) {
	resp, err := h.client.Do(h.get(h.portal(path), cookie))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	v, err := parseForm(resp.Body, path)
	if err != nil {
		return nil, err
	}
	if len(v) == 0 {
		return nil, fmt.Errorf("GET %s: no form fields", path)
	}
	return v, nil
}

func (h *harness) signIn() error {
	logf("signing in staff and focal points through the login form")
	for i := range 8 {
		c, err := h.login(h.ds.StaffEmail[i])
		if err != nil {
			return err
		}
		h.staff = append(h.staff, c)
	}
	for _, f := range h.ds.DeptForms {
		c, err := h.login(f.Email)
		if err != nil {
			return err
		}
		v, err := h.formValues(f.Path, c)
		if err != nil {
			return err
		}
		h.dept = append(h.dept, c)
		h.deptForm = append(h.deptForm, v)
	}
	for _, f := range h.ds.Appraisals {
		c, err := h.login(f.Email)
		if err != nil {
			return err
		}
		v, err := h.formValues(f.Path, c)
		if err != nil {
			return err
		}
		h.appr = append(h.appr, c)
		h.apprForm = append(h.apprForm, v)
	}
	for range 8 {
		resp, err := h.client.Get("http://" + h.a.FortunesSession + "/login")
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			if c.Name == "bench_session" {
				h.refCk = append(h.refCk, c.Name+"="+c.Value)
			}
		}
	}
	if len(h.refCk) == 0 {
		return errors.New("fortunes-session gave no cookie")
	}
	return nil
}

type snapshot struct {
	s      stats
	portal map[int]int64
	pg     map[int]int64
	at     time.Time
}

func (h *harness) stats() stats {
	var s stats
	resp, err := http.Get(h.statsURL + "/stats")
	if err != nil {
		return s
	}
	defer resp.Body.Close()
	_ = json.NewDecoder(resp.Body).Decode(&s)
	return s
}

// statsCall calls a path of the stats port and decodes its answer into
// out (when not nil); the counters are a diagnosis, so a failure only
// leaves out as it was.
func (h *harness) statsCall(path string, out any) {
	resp, err := http.Get(h.statsURL + path)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
}

func (h *harness) snap() snapshot {
	return snapshot{s: h.stats(), portal: cpuOf(h.child, false), pg: cpuOf(h.pm, true), at: time.Now()}
}

// fill sets the per-request columns of r from two snapshots.
func fill(r *Result, a, b snapshot, n int) {
	if n == 0 {
		return
	}
	f := float64(n)
	r.PortalCPUus = float64(cpuDelta(a.portal, b.portal)) / f
	r.PGCPUus = float64(cpuDelta(a.pg, b.pg)) / f
	r.Queries = float64(b.s.Queries-a.s.Queries) / f
	r.Pings = float64(b.s.Pings-a.s.Pings) / f
	r.Allocs = float64(b.s.Allocs-a.s.Allocs) / f
	r.AllocKB = float64(b.s.AllocBytes-a.s.AllocBytes) / f / 1024
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type workload struct {
	name, label, ref string
	build            buildFunc
	ok               func(int) bool
}

func is(code int) func(int) bool { return func(s int) bool { return s == code } }

func (h *harness) workloads() []workload {
	camp := strconv.FormatInt(h.ds.Campaign, 10)
	pick := func(list []string, w int) string { return list[w%len(list)] }
	return []workload{
		{"hello", "reference: hello", "", func(w, i int) *http.Request { return h.get("http://"+h.a.Hello+"/", "") }, is(200)},
		{"fortunes", "reference: fortunes", "", func(w, i int) *http.Request { return h.get("http://"+h.a.Fortunes+"/", "") }, is(200)},
		{"fortunes-session", "reference: fortunes-session", "", func(w, i int) *http.Request {
			return h.get("http://"+h.a.FortunesSession+"/", pick(h.refCk, w))
		}, is(200)},
		{"public-campaign", "public campaign page (anonymous)", "fortunes", func(w, i int) *http.Request {
			return h.get(h.portal("/public/campaigns/"+camp), "")
		}, is(200)},
		{"staff-campaigns", "staff campaign list (21 campaigns)", "fortunes-session", func(w, i int) *http.Request {
			return h.get(h.portal("/campaigns"), pick(h.staff, w))
		}, is(200)},
		{"staff-dashboard", "staff self-assessment dashboard (1,030 units)", "fortunes-session", func(w, i int) *http.Request {
			return h.get(h.portal("/campaigns/"+camp+"/assessments"), pick(h.staff, w))
		}, is(200)},
		{"focal-form", "focal point's 25-criterion form", "fortunes-session", func(w, i int) *http.Request {
			k := w % len(h.dept)
			return h.get(h.portal(h.ds.DeptForms[k].Path), h.dept[k])
		}, is(200)},
		{"focal-save", "saving that form (POST, 25 criteria)", "fortunes-session", func(w, i int) *http.Request {
			k := w % len(h.dept)
			return h.post(h.portal(h.ds.DeptForms[k].Path), h.dept[k], h.deptForm[k].Encode())
		}, is(303)},
		{"appraisal-form", "appraiser's 25-criterion appraisal form", "fortunes-session", func(w, i int) *http.Request {
			k := w % len(h.appr)
			return h.get(h.portal(h.ds.Appraisals[k].Path), h.appr[k])
		}, is(200)},
		{"appraisal-save", "saving it (POST, 25 criteria)", "fortunes-session", func(w, i int) *http.Request {
			k := w % len(h.appr)
			return h.post(h.portal(h.ds.Appraisals[k].Path), h.appr[k], h.apprForm[k].Encode())
		}, is(303)},
		{"unit-tree", "unit tree as of a date (1,031 units)", "fortunes-session", func(w, i int) *http.Request {
			return h.get(h.portal("/units?at="+url.QueryEscape(h.today)), pick(h.staff, w))
		}, is(200)},
		{"ranking", "ranking (500 communes ranked, 500 not yet, 40 criteria)", "fortunes-session", func(w, i int) *http.Request {
			return h.get(h.portal(h.ds.Ranking), pick(h.staff, w))
		}, is(200)},
	}
}

// pages runs the page workloads in interleaved rounds and keeps, per
// workload, the round with the median throughput.
func (h *harness) pages(ctx context.Context) ([]Result, error) {
	var wls []workload
	for _, w := range h.workloads() {
		if h.want(w.name) {
			wls = append(wls, w)
		}
	}
	if len(wls) == 0 {
		return nil, nil
	}
	// Check each workload answers as expected before measuring, and note
	// the statements that one request sends.
	sent := map[string][]string{}
	for _, w := range wls {
		h.statsCall("/queries/start", nil)
		status, _, err := do(h.client, w.build(0, 0))
		var sql []string
		h.statsCall("/queries/end", &sql)
		if err != nil || !w.ok(status) {
			return nil, fmt.Errorf("%s: first request: status %d, %v", w.name, status, err)
		}
		sent[w.name] = sql
	}
	rounds := map[string][]Result{}
	for round := 1; round <= h.o.Rounds; round++ {
		for _, w := range wls {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var a snapshot
			load := loadAvg()
			var prof chan error
			rr := closedLoop(h.client, h.o.Conns, h.o.Warm, h.o.Duration, w.build, w.ok, func() {
				a = h.snap()
				if h.o.ProfileDir != "" && round == h.o.Rounds {
					prof = make(chan error, 1)
					go func() { prof <- h.profile(w.name) }()
				}
			})
			b := h.snap()
			if prof != nil {
				if err := <-prof; err != nil {
					logf("profile %s: %v", w.name, err)
				}
			}
			r := Result{Name: w.name, Label: w.label, Reference: w.ref, Requests: rr.Requests, Errors: rr.Errors,
				Seconds: rr.Duration.Seconds(), ReqPerSec: float64(rr.Requests) / rr.Duration.Seconds(),
				P50ms: ms(rr.percentile(0.5)), P99ms: ms(rr.percentile(0.99)), Load: load, FirstError: rr.FirstErr}
			fill(&r, a, b, rr.Requests)
			logf("round %d %-18s %8.0f req/s  p50 %6.1f ms  p99 %6.1f ms  errors %d  load %s", round, w.name, r.ReqPerSec, r.P50ms, r.P99ms, r.Errors, load)
			rounds[w.name] = append(rounds[w.name], r)
		}
	}
	var out []Result
	byName := map[string]Result{}
	for _, w := range wls {
		rs := rounds[w.name]
		sort.Slice(rs, func(i, j int) bool { return rs[i].ReqPerSec < rs[j].ReqPerSec })
		med := rs[len(rs)/2]
		med.SQL = sent[w.name]
		byName[w.name] = med
		out = append(out, med)
	}
	for i := range out {
		ref := out[i].Reference
		if out[i].Name == "hello" || out[i].Name == "fortunes" {
			ref = "fortunes-session"
		}
		if rr, ok := byName[ref]; ok && rr.ReqPerSec > 0 {
			out[i].Ratio = out[i].ReqPerSec / rr.ReqPerSec
			out[i].Reference = ref
		}
	}
	return out, nil
}

func (h *harness) profile(name string) error {
	secs := int(h.o.Duration.Seconds())
	if secs < 1 {
		secs = 1
	}
	resp, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", h.statsURL, secs))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := os.MkdirAll(h.o.ProfileDir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(h.o.ProfileDir, name+".pprof"))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body)
	return err
}

// peak runs f while the child samples its heap; it returns the peak and
// the heap just before (after a collection).
func (h *harness) peak(f func() error) (peak, base uint64, err error) {
	if _, err := http.Get(h.statsURL + "/peak/start"); err != nil {
		return 0, 0, err
	}
	base = h.stats().Heap
	err = f()
	if r, e := http.Get(h.statsURL + "/peak/end"); e == nil {
		r.Body.Close()
	}
	return h.stats().PeakHeap, base, err
}

// quiet is a portal with one user: a signed-in page every 1.5 s, so each
// request finds its pooled connection idle for over a second (pgxpool then
// pings it by default).
func (h *harness) quiet() (Result, error) {
	const n, gap = 6, 1500 * time.Millisecond
	r := Result{Name: "quiet", Label: "quiet portal: staff campaign list every 1.5 s", Reference: "", Load: loadAvg()}
	var lat []time.Duration
	a := h.snap()
	for range n {
		time.Sleep(gap)
		t0 := time.Now()
		status, _, err := do(h.client, h.get(h.portal("/campaigns"), h.staff[0]))
		if err != nil || status != http.StatusOK {
			return r, fmt.Errorf("quiet: status %d, %v", status, err)
		}
		lat = append(lat, time.Since(t0))
	}
	b := h.snap()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fill(&r, a, b, n)
	r.Requests, r.Seconds = n, b.at.Sub(a.at).Seconds()
	r.ReqPerSec = float64(n) / r.Seconds
	r.P50ms, r.P99ms = ms(lat[n/2]), ms(lat[n-1])
	logf("quiet: p50 %.1f ms, pings/req %.2f, queries/req %.2f", r.P50ms, r.Pings, r.Queries)
	return r, nil
}

const uploadSize = 50 << 20

// upload sends three 50 MB evidence files (different contents, so none is
// deduplicated) one after the other.
func (h *harness) upload() (Result, error) {
	f := h.ds.DeptForms[0]
	path := h.portal(fmt.Sprintf("%s/criteria/%d/evidence", f.Path, f.Criterion))
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = byte('a' + i*7%26)
	}
	r := Result{Name: "upload", Label: "evidence upload 50 MB (×3)", Load: loadAvg()}
	var times []time.Duration
	a := h.snap()
	var n int
	pk, base, err := h.peak(func() error {
		for i := range 3 {
			body, ctype := multipartBody(fmt.Sprintf("%%PDF-1.4\n%% bench upload %d %d\n", i, time.Now().UnixNano()), chunk, uploadSize)
			req, _ := http.NewRequest(http.MethodPost, path, body)
			req.Header.Set("Content-Type", ctype)
			req.Header.Set("Cookie", h.dept[0])
			t0 := time.Now()
			status, _, err := do(h.client, req)
			if err != nil {
				return err
			}
			if status != http.StatusSeeOther {
				return fmt.Errorf("upload: status %d", status)
			}
			times = append(times, time.Since(t0))
			n++
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	b := h.snap()
	fill(&r, a, b, n)
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	r.Requests = n
	r.P50ms, r.P99ms = ms(times[len(times)/2]), ms(times[len(times)-1])
	r.MBps = float64(uploadSize) / (1 << 20) / times[len(times)/2].Seconds()
	r.PeakHeapMB, r.BaseHeapMB = float64(pk)/(1<<20), float64(base)/(1<<20)
	r.Bytes = uploadSize
	logf("upload: %.0f MB/s, peak heap %.1f MB (base %.1f MB)", r.MBps, r.PeakHeapMB, r.BaseHeapMB)
	return r, nil
}

// export downloads the people list (100,000 rows) as staff.
func (h *harness) export(format string) (Result, error) {
	r := Result{Name: "export-" + format, Label: "export of 100,000 rows (" + strings.ToUpper(format) + ")", Load: loadAvg()}
	a := h.snap()
	var d time.Duration
	var size int64
	pk, base, err := h.peak(func() error {
		t0 := time.Now()
		status, n, err := do(h.client, h.get(h.portal("/people/export."+format), h.staff[0]))
		d, size = time.Since(t0), n
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("export %s: status %d", format, status)
		}
		return err
	})
	if err != nil {
		return r, err
	}
	b := h.snap()
	fill(&r, a, b, 1)
	r.Requests, r.P50ms, r.P99ms, r.Bytes = 1, ms(d), ms(d), size
	r.PeakHeapMB, r.BaseHeapMB = float64(pk)/(1<<20), float64(base)/(1<<20)
	logf("export %s: %.2fs, %d bytes, peak heap %.1f MB (base %.1f MB)", format, d.Seconds(), size, r.PeakHeapMB, r.BaseHeapMB)
	return r, nil
}

// mixed is the deadline day: focal points open, save and check their forms,
// staff watch the dashboard, visitors read the public page, at a constant
// rate over many sessions.
func (h *harness) mixed(ctx context.Context) (Result, error) {
	staffN := h.o.MixedSessions / 10
	focalN := h.o.MixedSessions - staffN
	logf("mixed: signing in %d focal points and %d staff", focalN, staffN)
	type focal struct {
		cookie, path string
		form         string
	}
	var focals []focal
	all := append(append([]form{}, h.ds.DeptForms...), h.ds.CommForms...)
	if focalN > len(all) {
		focalN = len(all)
	}
	for i := range focalN {
		f := all[i]
		c, err := h.login(f.Email)
		if err != nil {
			return Result{}, err
		}
		v, err := h.formValues(f.Path, c)
		if err != nil {
			return Result{}, err
		}
		focals = append(focals, focal{c, f.Path, v.Encode()})
	}
	var staff []string
	for i := range staffN {
		c, err := h.login(h.ds.StaffEmail[i%len(h.ds.StaffEmail)])
		if err != nil {
			return Result{}, err
		}
		staff = append(staff, c)
	}
	camp := strconv.FormatInt(h.ds.Campaign, 10)
	build := func(i int) *http.Request {
		fo := focals[(i*7)%len(focals)]
		st := staff[i%len(staff)]
		switch k := i % 100; {
		case k < 50: // open the form
			return h.get(h.portal(fo.path), fo.cookie)
		case k < 75: // save it
			return h.post(h.portal(fo.path), fo.cookie, fo.form)
		case k < 85: // the focal point's home
			return h.get(h.portal("/home"), fo.cookie)
		case k < 95: // visitors
			return h.get(h.portal("/public/campaigns/"+camp), "")
		case k < 97: // staff: campaign list
			return h.get(h.portal("/campaigns"), st)
		case k < 99: // staff: who has submitted
			return h.get(h.portal("/campaigns/"+camp+"/assessments"), st)
		default: // staff: the unit tree
			return h.get(h.portal("/units?at="+url.QueryEscape(h.today)), st)
		}
	}
	ok := func(s int) bool { return s == 200 || s == 303 }
	// Check each kind of request once before the clock starts.
	for _, i := range []int{0, 50, 75, 85, 95, 97, 99} {
		status, _, err := do(h.client, build(i))
		if err != nil || !ok(status) {
			return Result{}, fmt.Errorf("mixed request kind %d: status %d, %v", i, status, err)
		}
	}
	logf("mixed: %d req/s for %s over %d sessions", h.o.MixedRate, h.o.MixedDuration, len(focals)+len(staff))
	client := newClient(h.o.MixedSessions * 2)
	load := loadAvg()
	a := h.snap()
	rr := constantRate(ctx, client, h.o.MixedRate, h.o.MixedDuration, build, ok)
	b := h.snap()
	r := Result{Name: "mixed", Label: fmt.Sprintf("mixed deadline day (%d sessions, %d req/s, %s)", len(focals)+len(staff), h.o.MixedRate, h.o.MixedDuration),
		Requests: rr.Requests, Errors: rr.Errors, Seconds: rr.Duration.Seconds(), ReqPerSec: float64(rr.Requests) / rr.Duration.Seconds(),
		P50ms: ms(rr.percentile(0.5)), P99ms: ms(rr.percentile(0.99)), Load: load, Rate: h.o.MixedRate, FirstError: rr.FirstErr}
	fill(&r, a, b, rr.Requests)
	logf("mixed: %.0f req/s, p50 %.1f ms, p99 %.1f ms, errors %d", r.ReqPerSec, r.P50ms, r.P99ms, r.Errors)
	return r, nil
}
