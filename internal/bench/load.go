package bench

import (
	"context"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// newClient is a keep-alive HTTP client for the loopback servers that
// does not follow redirects.
func newClient(conns int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute,
			DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       2 * time.Minute,
	}
}

// buildFunc makes the i-th request of worker w.
type buildFunc func(w, i int) *http.Request

// run is the outcome of one load run.
type run struct {
	Requests  int
	Errors    int
	Duration  time.Duration
	Latencies []time.Duration // sorted
	Bytes     int64
	FirstErr  string
}

func (r *run) percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies)-1) * p)
	return r.Latencies[i]
}

func do(client *http.Client, req *http.Request) (int, int64, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, n, err
}

type collector struct {
	mu       sync.Mutex
	lat      []time.Duration
	errors   int
	bytes    int64
	firstErr string
}

func (c *collector) add(lat []time.Duration, errs int, bytes int64, firstErr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lat = append(c.lat, lat...)
	c.errors += errs
	c.bytes += bytes
	if c.firstErr == "" {
		c.firstErr = firstErr
	}
}

func (c *collector) result(d time.Duration) run {
	sort.Slice(c.lat, func(i, j int) bool { return c.lat[i] < c.lat[j] })
	return run{Requests: len(c.lat), Errors: c.errors, Duration: d, Latencies: c.lat, Bytes: c.bytes, FirstErr: c.firstErr}
}

// closedLoop keeps conns requests in flight for d (after warm-up), like
// wrk -c conns: each worker sends its next request when the last answers.
func closedLoop(client *http.Client, conns int, warm, d time.Duration, build buildFunc, ok func(int) bool, onStart func()) run {
	var measuring atomic.Bool
	stopAt := time.Now().Add(warm + d)
	var c collector
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var errs int
			var bytes int64
			var firstErr string
			for i := 0; ; i++ {
				t0 := time.Now()
				if t0.After(stopAt) {
					break
				}
				status, n, err := do(client, build(w, i))
				if !measuring.Load() {
					continue
				}
				lat = append(lat, time.Since(t0))
				bytes += n
				if err != nil || !ok(status) {
					errs++
					if firstErr == "" {
						if err != nil {
							firstErr = err.Error()
						} else {
							firstErr = http.StatusText(status)
						}
					}
				}
			}
			c.add(lat, errs, bytes, firstErr)
		}()
	}
	time.Sleep(warm)
	onStart()
	measuring.Store(true)
	start := time.Now()
	wg.Wait()
	return c.result(time.Since(start))
}

// constantRate sends rate requests a second for d whatever the answers
// (open loop); latency counts from when each request was due, so a
// stalled server is not hidden (no coordinated omission).
// At most maxInFlight requests wait at once; a request due beyond that is
// counted as an error without being sent, and each request gives up after
// requestTimeout, so an overloaded server still ends the run on time.
func constantRate(ctx context.Context, client *http.Client, rate int, d time.Duration, build func(i int) *http.Request, ok func(int) bool) run {
	const maxInFlight, requestTimeout = 2000, 10 * time.Second
	sem := make(chan struct{}, maxInFlight)
	interval := time.Second / time.Duration(rate)
	total := int(d / interval)
	lat := make([]time.Duration, total)
	var errs atomic.Int64
	var bytes atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		if ctx.Err() != nil {
			break
		}
		select {
		case sem <- struct{}{}:
		default:
			lat[i] = requestTimeout
			errs.Add(1)
			firstErr.CompareAndSwap(nil, "too many requests in flight")
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			rctx, cancel := context.WithTimeout(ctx, requestTimeout)
			defer cancel()
			status, n, err := do(client, build(i).WithContext(rctx))
			lat[i] = time.Since(due)
			bytes.Add(n)
			if err != nil || !ok(status) {
				errs.Add(1)
				if err != nil {
					firstErr.CompareAndSwap(nil, err.Error())
				} else {
					firstErr.CompareAndSwap(nil, http.StatusText(status))
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fe, _ := firstErr.Load().(string)
	return run{Requests: total, Errors: int(errs.Load()), Duration: elapsed, Latencies: lat, Bytes: bytes.Load(), FirstErr: fe}
}
