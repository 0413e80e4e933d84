package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config is how to reach an S3-compatible object store (AWS S3, MinIO,
// Ceph RGW, SeaweedFS).
type S3Config struct {
	Endpoint  string // host or host:port, no scheme
	Bucket    string
	Region    string // empty: asked of the store once
	AccessKey string
	SecretKey string
	TLS       bool
	// Prefix, when not empty, is put before every key (e.g. "thidua/"),
	// so that the portal can share a bucket.
	Prefix string
	// Transport, when not nil, carries the requests (tests count them);
	// nil in production: the client's own.
	Transport http.RoundTripper
}

// S3 stores files as objects of a bucket: tmp/<random> for uploads in
// flight and aa/bb/<sha256> for stored content, under the configured
// prefix. An upload is streamed as a multipart upload of unknown size, one
// 5 MiB part at a time (flat memory), while its SHA-256 is computed; it is
// checked where it lies, read by ranges; then the store copies it to its
// content key server-side, so no object is ever visible under a hash before
// it is complete and checked.
type S3 struct {
	client *minio.Client
	core   minio.Core
	bucket string
	prefix string
	name   string
	// unsignedParts sends parts unsigned over plain HTTP, as over TLS.
	unsignedParts bool
}

// s3PartSize is the size of each part of an upload: the smallest S3 takes
// (but for the last), and the memory each upload in flight holds.
const s3PartSize = 5 << 20

// s3MaxCopy is the largest object one CopyObject request copies; larger
// ones are copied part by part.
const s3MaxCopy = 5 << 30

// NewS3 returns the store on the bucket of cfg. It makes no request: the
// bucket's existence is checked by CheckBucket.
func NewS3(cfg S3Config) (*S3, error) {
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.TLS,
		Region: cfg.Region,
		// A few retries (about 2.5 s of backoff) ride over a store's
		// brief refusals (503 SlowDown, a restart); the client's default
		// of ten would hold every upload and download about 8 s when the
		// store is down before saying so.
		MaxRetries: 4,
		Transport:  cfg.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("storage: S3 endpoint %s: %w", cfg.Endpoint, err)
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	name := "s3://" + cfg.Bucket + "/" + prefix
	name = strings.TrimSuffix(name, "/") + "@" + cfg.Endpoint
	// Over TLS the parts go with an unsigned payload (TLS protects them);
	// over plain HTTP, which the configuration allows only to a loopback
	// endpoint, the client would sign every 64 KiB chunk of every part,
	// making garbage of about a tenth of the upload for no protection
	// there: parts go unsigned there too.
	return &S3{client: client, core: minio.Core{Client: client}, bucket: cfg.Bucket, prefix: prefix, name: name,
		unsignedParts: !cfg.TLS}, nil
}

// String implements Store: s3://bucket[/prefix]@endpoint, never the keys.
func (s *S3) String() string { return s.name }

// CheckBucket reports whether the bucket exists and the credentials reach
// it: the portal does not create its bucket (its rules, encryption and
// lifecycle are the operator's), so a missing one is said clearly at start.
func (s *S3) CheckBucket(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.fail("check bucket", err)
	}
	if !ok {
		return s.fail("check bucket", fmt.Errorf("bucket %q does not exist: create it first (e.g. mc mb)", s.bucket))
	}
	return nil
}

// fail wraps a failure of the object store. A full store or an exhausted
// quota matches ErrNoSpace.
func (s *S3) fail(op string, err error) error {
	var er minio.ErrorResponse
	if errors.As(err, &er) {
		switch er.Code {
		case "XMinioStorageFull", "XMinioAdminBucketQuotaExceeded", "QuotaExceeded", "StorageFull":
			err = fmt.Errorf("%w: %w", ErrNoSpace, err)
		}
	}
	return &Error{Op: op, Dir: s.name, Err: err}
}

func isNotFound(err error) bool {
	var er minio.ErrorResponse
	return errors.As(err, &er) && (er.Code == minio.NoSuchKey || er.StatusCode == http.StatusNotFound && er.Code != minio.NoSuchBucket)
}

func (s *S3) key(sum string) string {
	return s.prefix + sum[:2] + "/" + sum[2:4] + "/" + sum
}

// sumOf returns the hash a content key names, "" for any other key.
func (s *S3) sumOf(key string) string {
	rest, ok := strings.CutPrefix(key, s.prefix)
	if !ok || len(rest) != 70 || rest[2] != '/' || rest[5] != '/' {
		return ""
	}
	sum := rest[6:]
	if !hexSum.MatchString(sum) || rest[:2] != sum[:2] || rest[3:5] != sum[2:4] {
		return ""
	}
	return sum
}

func (s *S3) tmpPrefix() string { return s.prefix + "tmp/" }

func randomName() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// upload is the reader a Put hands to the S3 client: it hashes and counts
// what passes, stops past the limit and remembers its source's failure, to
// tell it from the store's.
type upload struct {
	r     io.Reader
	h     hash.Hash
	n     int64
	limit int64
	err   error
}

func (u *upload) Read(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	n, err := u.r.Read(p)
	u.h.Write(p[:n])
	u.n += int64(n)
	if u.n > u.limit {
		u.err = ErrTooLarge
		return 0, u.err
	}
	if err != nil && err != io.EOF {
		u.err = err
	}
	return n, err
}

// Put implements Store. An empty object is first written at the upload's
// temporary key, so that a Sweep finds the upload even on stores that list
// multipart uploads only by exact key (MinIO): a process killed mid-upload
// leaves that marker and its incomplete upload, both swept once older than
// the cutoff.
func (s *S3) Put(ctx context.Context, r io.Reader, limit int64, check func(f io.ReaderAt, size int64) error) (string, int64, error) {
	fail := func(op string, err error) error {
		if ctx.Err() != nil {
			return ctx.Err() // the request is gone: not the store's failure
		}
		return s.fail(op, err)
	}
	tmp := s.tmpPrefix() + randomName()
	if _, err := s.client.PutObject(ctx, s.bucket, tmp, bytes.NewReader(nil), 0, minio.PutObjectOptions{}); err != nil {
		return "", 0, fail("start upload", err)
	}
	failed := true // until the upload is complete: its multipart upload may be left
	defer func() { s.dropTemp(ctx, tmp, failed) }()
	in := &upload{r: r, h: sha256.New(), limit: limit}
	info, err := s.client.PutObject(ctx, s.bucket, tmp, in, -1, minio.PutObjectOptions{
		PartSize:             s3PartSize,
		ContentType:          "application/octet-stream",
		DisableContentSha256: s.unsignedParts,
	})
	failed = err != nil || in.err != nil
	if in.err != nil {
		return "", 0, in.err // the reader's: the upload broke off or was too large
	}
	if err != nil {
		return "", 0, fail("upload", err)
	}
	if info.Size != in.n {
		return "", 0, s.fail("upload", fmt.Errorf("the store kept %d bytes of %d", info.Size, in.n))
	}
	if check != nil {
		obj := s.object(ctx, tmp, in.n)
		err := check(obj, in.n)
		obj.Close()
		if obj.err != nil {
			return "", 0, fail("read", obj.err) // the store failed the check, not the content
		}
		if err != nil {
			return "", 0, err
		}
	}
	sum := hex.EncodeToString(in.h.Sum(nil))
	dst := s.key(sum)
	// The same content may be stored already: it is freshened (copied onto
	// itself with new metadata, which dates it now), so that a sweep of old
	// unreferenced objects running now does not take it before the
	// caller's row that refers to it commits. One that took it just before
	// leaves nothing to freshen, and the upload is copied in its place.
	now := time.Now().UTC().Format(time.RFC3339Nano)
	_, err = s.client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: s.bucket, Object: dst, ReplaceMetadata: true, UserMetadata: map[string]string{"Stored": now}},
		minio.CopySrcOptions{Bucket: s.bucket, Object: dst})
	if err == nil {
		return sum, in.n, nil
	}
	if !isNotFound(err) {
		return "", 0, fail("freshen", err)
	}
	destination := minio.CopyDestOptions{Bucket: s.bucket, Object: dst, ReplaceMetadata: true,
		UserMetadata: map[string]string{"Stored": now}, ContentType: "application/octet-stream"}
	source := minio.CopySrcOptions{Bucket: s.bucket, Object: tmp}
	if in.n <= s3MaxCopy {
		_, err = s.client.CopyObject(ctx, destination, source)
	} else {
		_, err = s.client.ComposeObject(ctx, destination, source)
	}
	if err != nil {
		return "", 0, fail("copy", err)
	}
	return sum, in.n, nil
}

// dropTemp removes an upload's temporary object and, when the upload
// failed, any multipart upload left at its key (the client aborts a failed
// one, but that abort may have failed too), even when the request that
// brought the upload is gone. What it cannot remove is left for a Sweep.
func (s *S3) dropTemp(ctx context.Context, tmp string, failed bool) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if failed && s.abortUploads(ctx, tmp, time.Now().Add(time.Hour)) != nil {
		return // the marker stays, so that a Sweep finds the upload
	}
	_ = s.client.RemoveObject(ctx, s.bucket, tmp, minio.RemoveObjectOptions{})
}

// abortUploads aborts the multipart uploads at key started before cutoff.
func (s *S3) abortUploads(ctx context.Context, key string, cutoff time.Time) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for up := range s.client.ListIncompleteUploads(ctx, s.bucket, key, false) {
		if up.Err != nil {
			return up.Err
		}
		if up.Key != key || !up.Initiated.Before(cutoff) {
			continue
		}
		if err := s.core.AbortMultipartUpload(ctx, s.bucket, key, up.UploadID); err != nil && !isNoSuchUpload(err) {
			return err
		}
	}
	return nil
}

func isNoSuchUpload(err error) bool {
	var er minio.ErrorResponse
	return errors.As(err, &er) && er.Code == "NoSuchUpload"
}

// Open implements Store. The object is asked for its size first (a missing
// one is ErrNotFound); reads then stream it from where the last seek left.
func (s *S3) Open(ctx context.Context, sum string) (io.ReadSeekCloser, error) {
	if !hexSum.MatchString(sum) {
		return nil, ErrNotFound
	}
	key := s.key(sum)
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if isNotFound(err) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, s.fail("open", err)
	}
	return s.object(ctx, key, info.Size), nil
}

// object reads an object of known size by ranges: a read continues the
// response in hand when it starts where the last one ended (or a little
// further), else asks for the object from its offset to its end. So a ZIP
// check or a range request costs a few requests, not one per read.
type object struct {
	s    *S3
	ctx  context.Context
	key  string
	size int64

	mu   sync.Mutex
	body io.ReadCloser // the response in hand, nil when none
	at   int64         // the offset of body's next byte
	pos  int64         // the offset of the next Read (Seek)
	err  error         // the store's first failure
}

func (s *S3) object(ctx context.Context, key string, size int64) *object {
	return &object{s: s, ctx: ctx, key: key, size: size}
}

// skipAhead is how far a read may start past the response in hand and
// still continue it, rather than asking again.
const skipAhead = 64 << 10

func (o *object) readAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("storage: negative offset")
	}
	if off >= o.size {
		return 0, io.EOF
	}
	if o.body != nil && (off < o.at || off-o.at > skipAhead) {
		o.body.Close()
		o.body = nil
	}
	if o.body == nil {
		opts := minio.GetObjectOptions{}
		if off > 0 {
			if err := opts.SetRange(off, 0); err != nil {
				return 0, err
			}
		}
		body, _, _, err := o.s.core.GetObject(o.ctx, o.s.bucket, o.key, opts)
		if err != nil {
			if o.err == nil {
				o.err = err
			}
			return 0, o.s.fail("read", err)
		}
		o.body, o.at = body, off
	}
	if off > o.at {
		if _, err := io.CopyN(io.Discard, o.body, off-o.at); err != nil {
			return 0, o.broke(err)
		}
		o.at = off
	}
	want := min(int64(len(p)), o.size-off)
	n, err := io.ReadFull(o.body, p[:want])
	o.at += int64(n)
	if err != nil {
		return n, o.broke(err)
	}
	if int64(n) < int64(len(p)) {
		return n, io.EOF
	}
	return n, nil
}

// broke records a response that ended before the object did.
func (o *object) broke(err error) error {
	o.body.Close()
	o.body = nil
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if o.err == nil {
		o.err = err
	}
	return o.s.fail("read", err)
}

// ReadAt reads len(p) bytes at off (io.ReaderAt).
func (o *object) ReadAt(p []byte, off int64) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.readAt(p, off)
}

// Read reads from the current offset (io.Reader).
func (o *object) Read(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pos >= o.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	// A short read is allowed: read what one chunk brings, up to p.
	n, err := o.readAt(p[:min(int64(len(p)), o.size-o.pos, 1<<20)], o.pos)
	o.pos += int64(n)
	if err == io.EOF && o.pos < o.size {
		err = nil
	}
	return n, err
}

// Seek sets the offset of the next Read (io.Seeker).
func (o *object) Seek(offset int64, whence int) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += o.pos
	case io.SeekEnd:
		offset += o.size
	default:
		return 0, errors.New("storage: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("storage: negative offset")
	}
	o.pos = offset
	return offset, nil
}

// Close ends the response in hand.
func (o *object) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.body != nil {
		o.body.Close()
		o.body = nil
	}
	return nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, sum string) error {
	if !hexSum.MatchString(sum) {
		return nil
	}
	if err := s.client.RemoveObject(ctx, s.bucket, s.key(sum), minio.RemoveObjectOptions{}); err != nil && !isNotFound(err) {
		return s.fail("remove", err)
	}
	return nil
}

// Walk implements Store.
func (s *S3) Walk(ctx context.Context, fn func(sum string, size int64) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return s.fail("list", obj.Err)
		}
		if sum := s.sumOf(obj.Key); sum != "" {
			if err := fn(sum, obj.Size); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// Writable implements Store: it writes a one-byte object under tmp/ and
// removes it (two small requests): the store is reachable, the credentials
// hold, and it takes writes (a full MinIO or an exhausted quota refuses
// them: ErrNoSpace). A probe left by a failed removal is swept as a
// temporary upload.
func (s *S3) Writable(ctx context.Context) error {
	key := s.tmpPrefix() + "probe-" + randomName()
	if _, err := s.client.PutObject(ctx, s.bucket, key, bytes.NewReader([]byte{0}), 1, minio.PutObjectOptions{}); err != nil {
		return s.fail("write", err)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return s.fail("remove", err)
	}
	return nil
}

// Sweep implements Store. A temporary upload's age is that of its object:
// the marker written when the upload started, or the complete upload
// awaiting its check and copy. Multipart uploads without a marker (a store
// that lists them by prefix shows them) go by when they started.
func (s *S3) Sweep(ctx context.Context, keep func(sum string) bool, cutoff time.Time) (Swept, error) {
	var swept Swept
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	seen := map[string]bool{}
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.tmpPrefix(), Recursive: true}) {
		if obj.Err != nil {
			return swept, s.fail("list", obj.Err)
		}
		seen[obj.Key] = true
		if !obj.LastModified.Before(cutoff) {
			continue
		}
		if err := s.abortUploads(ctx, obj.Key, cutoff); err != nil {
			return swept, s.fail("abort upload", err)
		}
		if err := s.client.RemoveObject(ctx, s.bucket, obj.Key, minio.RemoveObjectOptions{}); err != nil {
			return swept, s.fail("remove", err)
		}
		swept.Temp++
	}
	for up := range s.client.ListIncompleteUploads(ctx, s.bucket, s.tmpPrefix(), true) {
		if up.Err != nil {
			return swept, s.fail("list uploads", up.Err)
		}
		if seen[up.Key] || !up.Initiated.Before(cutoff) {
			continue
		}
		if err := s.core.AbortMultipartUpload(ctx, s.bucket, up.Key, up.UploadID); err != nil && !isNoSuchUpload(err) {
			return swept, s.fail("abort upload", err)
		}
		swept.Temp++
	}
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return swept, s.fail("list", obj.Err)
		}
		sum := s.sumOf(obj.Key)
		if sum == "" || keep(sum) || !obj.LastModified.Before(cutoff) {
			continue
		}
		// The listing may be minutes old: the object's date is read again
		// just before it goes, in case a Put freshened it meanwhile.
		info, err := s.client.StatObject(ctx, s.bucket, obj.Key, minio.StatObjectOptions{})
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return swept, s.fail("stat", err)
		}
		if !info.LastModified.Before(cutoff) {
			continue
		}
		if err := s.client.RemoveObject(ctx, s.bucket, obj.Key, minio.RemoveObjectOptions{}); err != nil {
			return swept, s.fail("remove", err)
		}
		swept.Orphans++
	}
	return swept, ctx.Err()
}
