package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"runtime/metrics"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"thidua/internal/config"
	"thidua/internal/postgres"
	"thidua/internal/server"
	"thidua/internal/storage"
)

// The child process serves the portal and the references; the harness
// measures its CPU from /proc and reads its counters from the stats port.

// addrs are the child's listening addresses, printed as one JSON line.
type addrs struct {
	Portal, Hello, Fortunes, FortunesSession, Stats string
}

// counter counts what the pool sends to PostgreSQL.
// While recording, it also keeps the statements sent, so the report can
// say which queries one request of a workload makes.
type counter struct {
	queries   atomic.Int64
	pings     atomic.Int64
	recording atomic.Bool
	mu        sync.Mutex
	sent      []string
}

func (c *counter) record(sql string) {
	if !c.recording.Load() {
		return
	}
	c.mu.Lock()
	c.sent = append(c.sent, sql)
	c.mu.Unlock()
}

func (c *counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.queries.Add(1)
	c.record(d.SQL)
	return ctx
}
func (c *counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *counter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}
func (c *counter) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	c.queries.Add(1)
	c.record("(batch) " + d.SQL)
}
func (c *counter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}
func (c *counter) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	c.queries.Add(1)
	return ctx
}
func (c *counter) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}

// stats is what the stats port answers.
type stats struct {
	Queries    int64  `json:"queries"`
	Pings      int64  `json:"pings"`
	Allocs     uint64 `json:"allocs"`
	AllocBytes uint64 `json:"alloc_bytes"`
	Heap       uint64 `json:"heap"`
	PeakHeap   uint64 `json:"peak_heap"`
}

var metricNames = []string{"/gc/heap/allocs:objects", "/gc/heap/allocs:bytes", "/memory/classes/heap/objects:bytes"}

func readMetrics() (allocs, bytes, heap uint64) {
	s := make([]metrics.Sample, len(metricNames))
	for i, n := range metricNames {
		s[i].Name = n
	}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64()
}

// peakSampler records the largest heap seen while it runs.
type peakSampler struct {
	mu   sync.Mutex
	stop chan struct{}
	peak atomic.Uint64
}

func (p *peakSampler) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		close(p.stop)
	}
	_, _, h := readMetrics()
	p.peak.Store(h)
	stop := make(chan struct{})
	p.stop = stop
	go func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				_, _, h := readMetrics()
				if h > p.peak.Load() {
					p.peak.Store(h)
				}
			}
		}
	}()
}

func (p *peakSampler) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
}

// ServeChild runs in the child process until it is signalled.
func ServeChild(dbURL, dir string, portBase int) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cnt := &counter{}
	db, err := postgres.OpenWith(ctx, dbURL, func(c *pgxpool.Config) {
		c.ConnConfig.Tracer = cnt
		should := c.ShouldPing
		c.ShouldPing = func(ctx context.Context, p pgxpool.ShouldPingParams) bool {
			ping := p.IdleDuration > time.Second // pgxpool's default
			if should != nil {
				ping = should(ctx, p)
			}
			if ping {
				cnt.pings.Add(1)
			}
			return ping
		}
	})
	if err != nil {
		return err
	}
	defer db.Close()

	listen := func(i int) (net.Listener, error) {
		addr := "127.0.0.1:0"
		if portBase > 0 {
			addr = fmt.Sprintf("127.0.0.1:%d", portBase+i)
		}
		return net.Listen("tcp", addr)
	}
	var lns [5]net.Listener
	for i := range lns {
		if lns[i], err = listen(i + 10); err != nil {
			return err
		}
	}
	a := addrs{Portal: lns[0].Addr().String(), Hello: lns[1].Addr().String(), Fortunes: lns[2].Addr().String(),
		FortunesSession: lns[3].Addr().String(), Stats: lns[4].Addr().String()}

	env := map[string]string{
		"DATABASE_URL": dbURL, "LISTEN_ADDR": a.Portal, "BASE_URL": "http://" + a.Portal, "SESSION_SECURE": "false",
		"EVIDENCE_DIR": dir + "/evidence", "IMPORT_DIR": dir + "/imports", "MAX_UPLOAD_BYTES": fmt.Sprint(64 << 20),
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return err
	}
	logFile, err := os.Create(dir + "/portal.log")
	if err != nil {
		return err
	}
	defer logFile.Close()
	log := slog.New(slog.NewJSONHandler(logFile, &slog.HandlerOptions{Level: cfg.LogLevel}))
	portal := server.New(cfg, db, &storage.Local{Dir: cfg.EvidenceDir}, log)
	defer portal.Close()

	var peak peakSampler
	statsMux := http.NewServeMux()
	statsMux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		al, ab, h := readMetrics()
		_ = json.NewEncoder(w).Encode(stats{Queries: cnt.queries.Load(), Pings: cnt.pings.Load(), Allocs: al, AllocBytes: ab, Heap: h, PeakHeap: peak.peak.Load()})
	})
	statsMux.HandleFunc("/peak/start", func(w http.ResponseWriter, r *http.Request) { runtime.GC(); peak.start() })
	statsMux.HandleFunc("/peak/end", func(w http.ResponseWriter, r *http.Request) { peak.end() })
	statsMux.HandleFunc("/queries/start", func(w http.ResponseWriter, r *http.Request) {
		cnt.mu.Lock()
		cnt.sent = nil
		cnt.mu.Unlock()
		cnt.recording.Store(true)
	})
	statsMux.HandleFunc("/queries/end", func(w http.ResponseWriter, r *http.Request) {
		cnt.recording.Store(false)
		cnt.mu.Lock()
		defer cnt.mu.Unlock()
		_ = json.NewEncoder(w).Encode(cnt.sent)
	})
	statsMux.HandleFunc("/debug/pprof/", pprof.Index)
	statsMux.HandleFunc("/debug/pprof/profile", pprof.Profile)

	servers := []*http.Server{
		{Handler: portal}, {Handler: helloHandler()}, {Handler: fortunesHandler(db.Pool, nil)},
		{Handler: fortunesHandler(db.Pool, referenceSessions(db.Pool))}, {Handler: statsMux},
	}
	for i, s := range servers {
		s.ReadHeaderTimeout = 10 * time.Second
		s.IdleTimeout = 2 * time.Minute
		go func() { _ = s.Serve(lns[i]) }()
	}
	b, _ := json.Marshal(a)
	fmt.Println(string(b))
	<-ctx.Done()
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range servers {
		_ = s.Shutdown(shut)
	}
	return nil
}

func helloHandler() http.Handler {
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Hello, World!"))
	})
	return r
}

// referenceSessions is scs as its documentation sets it up, on the same
// sessions table as the portal.
func referenceSessions(pool *pgxpool.Pool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = pgxstore.NewWithCleanupInterval(pool, 0)
	sm.Lifetime = 10 * time.Hour
	sm.Cookie.Name = "bench_session"
	return sm
}

type fortune struct {
	ID      int
	Message string
}

var fortunesPage = template.Must(template.New("f").Parse(`<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>{{range .}}<tr><td>{{.ID}}</td><td>{{.Message}}</td></tr>{{end}}</table></body></html>`))

// fortunesHandler is the TechEmpower fortunes test on chi and pgx; with a
// session manager it first requires a signed-in session (GET /login makes one).
func fortunesHandler(pool *pgxpool.Pool, sm *scs.SessionManager) http.Handler {
	r := chi.NewRouter()
	if sm != nil {
		r.Use(sm.LoadAndSave)
		r.Get("/login", func(w http.ResponseWriter, r *http.Request) {
			if err := sm.RenewToken(r.Context()); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			sm.Put(r.Context(), "user_id", int64(1))
			w.WriteHeader(http.StatusNoContent)
		})
	}
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		if sm != nil && sm.GetInt64(r.Context(), "user_id") == 0 {
			http.Error(w, "sign in", http.StatusForbidden)
			return
		}
		rows, err := pool.Query(r.Context(), `SELECT id, message FROM bench_fortune`)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[fortune])
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fs = append(fs, fortune{0, "Additional fortune added at request time."})
		sort.Slice(fs, func(i, j int) bool { return fs[i].Message < fs[j].Message })
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = fortunesPage.Execute(w, fs)
	})
	return r
}
