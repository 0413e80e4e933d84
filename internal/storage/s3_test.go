package storage_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"thidua/internal/storage"
	"thidua/internal/storage/miniotest"
	"thidua/internal/storage/storagetest"
)

// TestS3 runs the store suite against a real MinIO server.
func TestS3(t *testing.T) {
	srv := miniotest.Start(t)
	var mu sync.Mutex
	buckets := map[storage.Store]string{}
	storagetest.Suite{
		New: func(t *testing.T) storage.Store {
			bucket := srv.Bucket(t)
			st, err := storage.NewS3(srv.Config(bucket))
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			buckets[st] = bucket
			mu.Unlock()
			return st
		},
		// A process killed mid-upload leaves the upload's marker and its
		// incomplete multipart upload, with a part sent.
		Abandon: func(t *testing.T, s storage.Store) {
			mu.Lock()
			bucket := buckets[s]
			mu.Unlock()
			abandon(t, srv, bucket, "tmp/killed")
		},
	}.Run(t)
}

func abandon(t *testing.T, srv *miniotest.Server, bucket, key string) {
	t.Helper()
	ctx := t.Context()
	if _, err := srv.Client.PutObject(ctx, bucket, key, bytes.NewReader(nil), 0, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	id, err := srv.Core.NewMultipartUpload(ctx, bucket, key, minio.PutObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	part := bytes.Repeat([]byte("nửa chừng "), 600<<10)
	if _, err := srv.Core.PutObjectPart(ctx, bucket, key, id, 1, bytes.NewReader(part), int64(len(part)), minio.PutObjectPartOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := incomplete(t, srv, bucket, key); n != 1 {
		t.Fatalf("%d incomplete uploads at %s, want the abandoned one", n, key)
	}
}

// incomplete counts the multipart uploads in progress at key.
func incomplete(t *testing.T, srv *miniotest.Server, bucket, key string) int {
	t.Helper()
	n := 0
	for up := range srv.Client.ListIncompleteUploads(t.Context(), bucket, key, false) {
		if up.Err != nil {
			t.Fatal(up.Err)
		}
		n++
	}
	return n
}

// objects lists the keys of a bucket.
func objects(t *testing.T, srv *miniotest.Server, bucket string) []string {
	t.Helper()
	var keys []string
	for o := range srv.Client.ListObjects(t.Context(), bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		keys = append(keys, o.Key)
	}
	return keys
}

// TestS3SweepAbandoned: the upload a killed process left (its marker and
// its incomplete multipart upload) is gone after a sweep, parts and all;
// an upload that failed on its own leaves nothing, not even a marker.
func TestS3SweepAbandoned(t *testing.T) {
	srv := miniotest.Start(t)
	bucket := srv.Bucket(t)
	st, err := storage.NewS3(srv.Config(bucket))
	if err != nil {
		t.Fatal(err)
	}
	abandon(t, srv, bucket, "tmp/killed")
	swept, err := st.Sweep(t.Context(), func(string) bool { return false }, time.Now().Add(time.Minute))
	if err != nil || swept != (storage.Swept{Temp: 1}) {
		t.Fatalf("sweep: %+v %v", swept, err)
	}
	if n := incomplete(t, srv, bucket, "tmp/killed"); n != 0 {
		t.Errorf("%d incomplete uploads left after the sweep", n)
	}
	if keys := objects(t, srv, bucket); len(keys) != 0 {
		t.Errorf("left after the sweep: %v", keys)
	}
	// Too large after two parts: the client aborts its upload, the store
	// removes the marker.
	big := bytes.Repeat([]byte("x"), 12<<20)
	if _, _, err := st.Put(t.Context(), bytes.NewReader(big), 11<<20, nil); !errors.Is(err, storage.ErrTooLarge) {
		t.Fatalf("too large: %v", err)
	}
	if keys := objects(t, srv, bucket); len(keys) != 0 {
		t.Errorf("a refused upload left %v", keys)
	}
	// The request goes (its context ends) mid-upload: not the store's
	// failure, and nothing is left.
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, _, err := st.Put(ctx, pr, 64<<20, nil)
		done <- err
	}()
	if _, err := pw.Write(bytes.Repeat([]byte("y"), 6<<20)); err != nil {
		t.Fatal(err)
	}
	cancel()
	go func() { // the client still sending, until the store stops reading
		for {
			if _, err := pw.Write(make([]byte, 64<<10)); err != nil {
				return
			}
		}
	}()
	err = <-done
	pr.Close()
	var se *storage.Error
	if !errors.Is(err, context.Canceled) || errors.As(err, &se) {
		t.Errorf("a request gone mid-upload: %v, want context.Canceled, not the store's failure", err)
	}
	if keys := objects(t, srv, bucket); len(keys) != 0 {
		t.Errorf("an upload whose request went left %v", keys)
	}
}

// TestS3Prefix: with a prefix, the store keeps to it and leaves the
// bucket's other objects alone (a sweep, a walk).
func TestS3Prefix(t *testing.T) {
	srv := miniotest.Start(t)
	bucket := srv.Bucket(t)
	cfg := srv.Config(bucket)
	cfg.Prefix = "thidua/"
	st, err := storage.NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	other := "aa/bb/" + strings.Repeat("a", 64)
	if _, err := srv.Client.PutObject(t.Context(), bucket, other, strings.NewReader("not ours"), 8, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	sum, _, err := st.Put(t.Context(), strings.NewReader("của cổng"), 1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys := objects(t, srv, bucket)
	if len(keys) != 2 || !strings.Contains(strings.Join(keys, " "), "thidua/"+sum[:2]+"/"+sum[2:4]+"/"+sum) {
		t.Errorf("keys: %v", keys)
	}
	n := 0
	if err := st.Walk(t.Context(), func(string, int64) error { n++; return nil }); err != nil || n != 1 {
		t.Errorf("walk saw %d objects (%v), want its own one", n, err)
	}
	if swept, err := st.Sweep(t.Context(), func(string) bool { return false }, time.Now().Add(time.Minute)); err != nil || swept != (storage.Swept{Orphans: 1}) {
		t.Errorf("sweep: %+v %v", swept, err)
	}
	if keys := objects(t, srv, bucket); len(keys) != 1 || keys[0] != other {
		t.Errorf("after the sweep: %v", keys)
	}
	if got := st.String(); got != "s3://"+bucket+"/thidua@"+srv.Endpoint {
		t.Errorf("String() = %q", got)
	}
}

// TestS3Unreachable: a store that fails (a bucket gone, a server that does
// not answer, wrong keys) is the server's failure, *storage.Error naming
// the store, never the content's; the secret is never in the message.
func TestS3Unreachable(t *testing.T) {
	srv := miniotest.Start(t)
	cfg := srv.Config("no-such-bucket-" + strings.ToLower(t.Name()[:6]))
	gone, err := storage.NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	wrong := srv.Config(srv.Bucket(t))
	wrong.SecretKey = "not-the-secret-key"
	badKeys, _ := storage.NewS3(wrong)
	down := srv.Config("thidua")
	down.Endpoint = "127.0.0.1:1"
	closed, _ := storage.NewS3(down)
	for _, st := range []*storage.S3{gone, badKeys, closed} {
		var se *storage.Error
		if _, _, err := st.Put(t.Context(), strings.NewReader("%PDF-1.4\n"), 1<<20, nil); !errors.As(err, &se) || se.Dir != st.String() {
			t.Errorf("%s: Put: %v, want a *storage.Error naming the store", st, err)
		}
		if err := st.Writable(t.Context()); !errors.As(err, &se) || errors.Is(err, storage.ErrNoSpace) {
			t.Errorf("%s: Writable: %v", st, err)
		}
		if err := st.CheckBucket(t.Context()); err == nil {
			t.Errorf("%s: CheckBucket passed", st)
		} else if strings.Contains(err.Error(), wrong.SecretKey) || strings.Contains(err.Error(), srv.SecretKey) {
			t.Errorf("the secret is in %v", err)
		}
		if _, err := st.Open(t.Context(), strings.Repeat("b", 64)); !errors.As(err, &se) {
			t.Errorf("%s: Open: %v", st, err)
		}
		if _, err := st.Sweep(t.Context(), func(string) bool { return true }, time.Now()); !errors.As(err, &se) {
			t.Errorf("%s: Sweep: %v", st, err)
		}
	}
	ok, _ := storage.NewS3(srv.Config(srv.Bucket(t)))
	if err := ok.CheckBucket(t.Context()); err != nil {
		t.Errorf("CheckBucket on an existing bucket: %v", err)
	}
}

// heapObjects reads the bytes of live and not yet swept heap objects.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// pdfStream is a 50 MB upload made as it is read, recording the heap on
// every read.
type pdfStream struct {
	left int64
	head bool
	peak *atomic.Uint64
}

func (p *pdfStream) Read(b []byte) (int, error) {
	record(p.peak)
	if p.left == 0 {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.left, 32<<10)]
	n := 0
	if !p.head {
		n = copy(b, "%PDF-1.4\n")
		p.head = true
	}
	for i := n; i < len(b); i++ {
		b[i] = byte('a' + i%26)
	}
	p.left -= int64(len(b))
	return len(b), nil
}

func record(peak *atomic.Uint64) {
	h := heapObjects()
	for {
		old := peak.Load()
		if h <= old || peak.CompareAndSwap(old, h) {
			return
		}
	}
}

// peakHeap measures the heap's peak during put: on every read of the
// upload and every millisecond, the check and the copy included.
func peakHeap(t *testing.T, st storage.Store, size int64) (peak, base uint64, sum string) {
	t.Helper()
	runtime.GC()
	base = heapObjects()
	var p atomic.Uint64
	p.Store(base)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				record(&p)
			}
		}
	})
	sum, n, err := st.Put(t.Context(), &pdfStream{left: size, peak: &p}, size, func(f io.ReaderAt, size int64) error {
		_, err := storage.SniffEvidence(f, size)
		return err
	})
	close(done)
	wg.Wait()
	if err != nil || n != size {
		t.Fatalf("Put: %d %v", n, err)
	}
	return p.Load(), base, sum
}

// TestPutMemory is acceptance 2's first half: a 50 MB upload to the S3
// store (and to the local one) peaks under 8 MB of heap, the whole heap of
// the test binary counted.
func TestPutMemory(t *testing.T) {
	const size = 50 << 20
	want := func() string {
		h := sha256.New()
		_, _ = io.Copy(h, &pdfStream{left: size, peak: new(atomic.Uint64)})
		return hex.EncodeToString(h.Sum(nil))
	}()
	for _, c := range []struct {
		name string
		st   storage.Store
	}{
		{"s3", miniotest.Store(t)},
		{"local", &storage.Local{Dir: t.TempDir()}},
	} {
		peak, base, sum := peakHeap(t, c.st, size)
		t.Logf("%s: heap %.1f MB before, peak %.1f MB during a %d MB upload", c.name, float64(base)/1e6, float64(peak)/1e6, size>>20)
		if peak >= 8<<20 {
			t.Errorf("%s: a %d MB upload peaked at %.1f MB of heap, want under 8 MB", c.name, size>>20, float64(peak)/(1<<20))
		}
		if sum != want {
			t.Errorf("%s: sum %s, want %s", c.name, sum, want)
		}
		f, err := c.st.Open(t.Context(), sum)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		if n, err := io.Copy(h, f); err != nil || n != size || hex.EncodeToString(h.Sum(nil)) != want {
			t.Errorf("%s: read back %d bytes (%v)", c.name, n, err)
		}
		f.Close()
	}
}

// countingTransport counts the requests by method.
type countingTransport struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n[r.Method]++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (c *countingTransport) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = map[string]int{}
	return n
}

// TestS3Requests: checking a Word file where it lies (its ZIP directory at
// the end, then every entry inflated) and serving a range cost a few
// requests, not one per read; a stored file is one upload, one check, one
// copy.
func TestS3Requests(t *testing.T) {
	srv := miniotest.Start(t)
	cfg := srv.Config(srv.Bucket(t))
	ct := &countingTransport{n: map[string]int{}}
	cfg.Transport = ct
	st, err := storage.NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	docx := storagetest.SmallDOCX(t)
	sum, _, err := st.Put(t.Context(), bytes.NewReader(docx), 1<<20, func(f io.ReaderAt, size int64) error {
		_, err := storage.SniffEvidence(f, size)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	n := ct.take()
	t.Logf("a checked Word file: %v", n)
	if n["GET"] > 6 {
		t.Errorf("the check of a Word file took %d GET requests", n["GET"])
	}
	f, err := st.Open(t.Context(), sum)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ct.take()
	for _, off := range []int64{100, 200} {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, 50)
		if _, err := io.ReadFull(f, got); err != nil || !bytes.Equal(got, docx[off:off+50]) {
			t.Errorf("read at %d: %v", off, err)
		}
	}
	if n := ct.take(); n["GET"] != 1 {
		t.Errorf("two reads close together took %v requests, want one GET", n)
	}
}
