package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/minio/minio-go/v7"

	"thidua/internal/config"
	"thidua/internal/domain"
	"thidua/internal/storage"
	"thidua/internal/storage/miniotest"
	"thidua/internal/storage/storagetest"
)

// testStore is the store the configuration names, as openStore builds it:
// the local directory, or the S3 bucket of STORE=s3.
func testStore(t *testing.T, cfg *config.Config) storage.Store {
	t.Helper()
	if cfg.S3 == nil {
		return &storage.Local{Dir: cfg.EvidenceDir}
	}
	st, err := storage.NewS3(storage.S3Config{Endpoint: cfg.S3.Endpoint, Bucket: cfg.S3.Bucket, Prefix: cfg.S3.Prefix,
		Region: cfg.S3.Region, AccessKey: cfg.S3.AccessKey, SecretKey: cfg.S3.SecretKey, TLS: cfg.S3.TLS})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// s3Env is the configuration of a portal on a fresh bucket of the test
// binary's MinIO.
func s3Env(t *testing.T, srv *miniotest.Server, bucket string) map[string]string {
	return map[string]string{"STORE": "s3", "S3_ENDPOINT": srv.Endpoint, "S3_BUCKET": bucket, "S3_ACCESS_KEY": srv.AccessKey,
		"S3_SECRET_KEY": srv.SecretKey, "S3_TLS": "false", "S3_REGION": "us-east-1"}
}

// evidenceDownload uploads a PDF and a DOCX as evidence on a portal with
// env and returns the download responses: whole, a range, a range in the
// middle, a suffix range. Refused uploads are tried first.
func evidenceDownload(t *testing.T, env map[string]string, pdf []byte) (whole, first, middle, suffix *http.Response, docx *http.Response, a *app) {
	t.Helper()
	a = newApp(t, env)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	ev := fmt.Sprintf("%s/criteria/%d/evidence", form, domain.Leaves(nodes)[0].ID)
	wantStatus(t, fp.uploadEvidence(ev, "", "bao-cao.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 4096)...)), http.StatusUnsupportedMediaType)
	wantStatus(t, fp.uploadEvidence(ev, "", "bom.docx", storagetest.ZipBombDOCX(t)), http.StatusUnsupportedMediaType)
	wantStatus(t, fp.uploadEvidence(ev, "", "rong.pdf", nil), http.StatusUnprocessableEntity)
	wantStatus(t, fp.uploadEvidence(ev, "Mục II", "bao-cao.pdf", pdf), http.StatusSeeOther)
	wantStatus(t, fp.uploadEvidence(ev, "Mục II", "bao-cao.pdf", pdf), http.StatusSeeOther) // a double submit
	wantStatus(t, fp.uploadEvidence(ev, "", "bao-cao.docx", storagetest.SmallDOCX(t)), http.StatusSeeOther)
	var links []string
	htmlOf(t, fp.get(ev)).Find(".evidence-list li > a").Each(func(_ int, s *goquery.Selection) { links = append(links, s.AttrOr("href", "")) })
	if len(links) != 2 {
		t.Fatalf("evidence listed: %v", links)
	}
	get := func(path, rng string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, a.ts.URL+path, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		return staff.do(req)
	}
	return get(links[0], ""), get(links[0], "bytes=0-9"), get(links[0], "bytes=100000-100019"), get(links[0], "bytes=-5"), get(links[1], ""), a
}

// TestS3EvidenceDownloads: on the S3 store, evidence uploads are refused
// and kept as on the local one, and downloads carry the same headers and
// answer range requests with the same bytes.
func TestS3EvidenceDownloads(t *testing.T) {
	t.Parallel()
	srv := miniotest.Start(t)
	bucket := srv.Bucket(t)
	pdf := []byte("%PDF-1.4\n% Báo cáo CCHC quý IV\n")
	for i := 0; len(pdf) < 300<<10; i++ {
		pdf = fmt.Appendf(pdf, "%d 0 obj << /Dòng %d >> endobj\n", i, i)
	}
	pdf = append(pdf, "%%EOF\n"...)

	s3Whole, s3First, s3Middle, s3Suffix, s3Docx, a := evidenceDownload(t, s3Env(t, srv, bucket), pdf)
	localWhole, localFirst, localMiddle, localSuffix, localDocx, _ := evidenceDownload(t, map[string]string{"EVIDENCE_DIR": t.TempDir()}, pdf)

	for _, c := range []struct {
		name      string
		s3, local *http.Response
		status    int
		body      string
	}{
		{"whole", s3Whole, localWhole, http.StatusOK, string(pdf)},
		{"bytes=0-9", s3First, localFirst, http.StatusPartialContent, string(pdf[:10])},
		{"bytes=100000-100019", s3Middle, localMiddle, http.StatusPartialContent, string(pdf[100000:100020])},
		{"bytes=-5", s3Suffix, localSuffix, http.StatusPartialContent, string(pdf[len(pdf)-5:])},
		{"docx", s3Docx, localDocx, http.StatusOK, string(storagetest.SmallDOCX(t))},
	} {
		if c.s3.StatusCode != c.status || c.local.StatusCode != c.status {
			t.Errorf("%s: status %d on S3, %d on the local store, want %d", c.name, c.s3.StatusCode, c.local.StatusCode, c.status)
		}
		if got := bodyOf(c.s3); got != c.body {
			t.Errorf("%s: S3 sent %d bytes %.20q, want %d bytes %.20q", c.name, len(got), got, len(c.body), c.body)
		}
		bodyOf(c.local)
		for _, h := range []string{"Content-Type", "Content-Disposition", "Content-Security-Policy", "X-Content-Type-Options",
			"Content-Length", "Content-Range", "Accept-Ranges", "Cache-Control", "Referrer-Policy"} {
			if c.s3.Header.Get(h) != c.local.Header.Get(h) {
				t.Errorf("%s: %s is %q on S3, %q on the local store", c.name, h, c.s3.Header.Get(h), c.local.Header.Get(h))
			}
		}
	}
	if got := s3First.Header.Get("Content-Range"); got != fmt.Sprintf("bytes 0-9/%d", len(pdf)) {
		t.Errorf("Content-Range %q", got)
	}

	// The refused uploads left nothing in the bucket; the kept ones are
	// there once each, under their hash.
	var keys []string
	for o := range srv.Client.ListObjects(t.Context(), bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		keys = append(keys, o.Key)
	}
	if len(keys) != 2 || strings.Contains(strings.Join(keys, " "), "tmp/") {
		t.Errorf("objects in the bucket: %v, want the PDF once and the DOCX", keys)
	}
	hashes, _ := a.db.EvidenceHashes(context.Background())
	for _, h := range hashes {
		if !strings.Contains(strings.Join(keys, " "), h[:2]+"/"+h[2:4]+"/"+h) {
			t.Errorf("row's file %s is not in the bucket %v", h, keys)
		}
	}
}

// TestS3Readiness: /readyz probes the bucket; a bucket that is gone makes
// the instance not ready.
func TestS3Readiness(t *testing.T) {
	t.Parallel()
	srv := miniotest.Start(t)
	ready := func(env map[string]string) (int, map[string]any) {
		a := newApp(t, env)
		resp := a.client().get("/readyz")
		var report map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&report)
		resp.Body.Close()
		return resp.StatusCode, report
	}
	if status, report := ready(s3Env(t, srv, srv.Bucket(t))); status != http.StatusOK || report["evidence_store"] != "ok" {
		t.Errorf("ready on S3: %d %v", status, report)
	}
	if status, report := ready(s3Env(t, srv, "no-such-bucket")); status != http.StatusServiceUnavailable || report["evidence_store"] != "not_writable" {
		t.Errorf("a bucket that is gone: %d %v", status, report)
	}
}
