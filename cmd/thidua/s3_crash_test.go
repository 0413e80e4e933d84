package main

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"thidua/internal/config"
	"thidua/internal/storage"
	"thidua/internal/storage/miniotest"
)

// TestKilledMidUploadS3 is acceptance 2's second half: a `thidua serve`
// on the S3 store is killed (SIGKILL) while an evidence upload streams in.
// No object appears under a hash and no row is written; the upload's
// marker and its incomplete multipart upload stay through another
// instance's start (they are younger than a day), and a sweep with a
// cutoff past them removes both, parts and all. The restarted portal
// takes uploads again.
func TestKilledMidUploadS3(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bin := portalBinary(t)
	srv := miniotest.Start(t)
	bucket := srv.Bucket(t)
	dbURL, db := openTestDB(t)

	campaign, assessment, leaves := formFixture(t, db)
	leaf := leaves[0].ID

	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	env := []string{"DATABASE_URL=" + dbURL, "LISTEN_ADDR=" + fmt.Sprintf("127.0.0.1:%d", port), "BASE_URL=" + base,
		"SESSION_SECURE=false", "EVIDENCE_DIR=" + filepath.Join(dir, "unused"), "MAX_UPLOAD_BYTES=" + fmt.Sprint(200<<20), "LOG_FORMAT=text",
		"STORE=s3", "S3_ENDPOINT=" + srv.Endpoint, "S3_BUCKET=" + bucket, "S3_ACCESS_KEY=" + srv.AccessKey,
		"S3_SECRET_KEY=" + srv.SecretKey, "S3_TLS=false", "S3_REGION=us-east-1"}
	p := startPortal(t, bin, env)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/login", url.Values{"email": {"dm@example.vn"}, "password": {"Mật khẩu thử nghiệm 2026"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", err, resp)
	}
	evidencePath := fmt.Sprintf("/campaigns/%d/assessments/%d/criteria/%d/evidence", campaign, assessment, leaf)

	// A 150 MB upload, sent by hand so it can stop half-way.
	startLargeUpload(t, base, jar, evidencePath)

	// Wait until two parts (10 MiB) of the upload are in the store.
	var tmpKey, uploadID string
	deadline := time.Now().Add(30 * time.Second)
	for tmpKey == "" {
		for o := range srv.Client.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: "tmp/", Recursive: true}) {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
			for up := range srv.Client.ListIncompleteUploads(ctx, bucket, o.Key, false) {
				if up.Err != nil || up.Key != o.Key {
					continue
				}
				parts, err := srv.Core.ListObjectParts(ctx, bucket, o.Key, up.UploadID, 0, 1000)
				if err == nil && len(parts.ObjectParts) >= 2 {
					tmpKey, uploadID = o.Key, up.UploadID
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the upload never reached the store")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()

	contents := func() []string {
		t.Helper()
		var keys []string
		for o := range srv.Client.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
			if !strings.HasPrefix(o.Key, "tmp/") {
				keys = append(keys, o.Key)
			}
		}
		return keys
	}
	rows := func() int {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM evidence_files`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	inFlight := func() (marker bool, uploads int) {
		t.Helper()
		for o := range srv.Client.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: "tmp/", Recursive: true}) {
			if o.Err == nil && o.Key == tmpKey {
				marker = true
			}
		}
		for up := range srv.Client.ListIncompleteUploads(ctx, bucket, tmpKey, false) {
			if up.Err == nil && up.Key == tmpKey && up.UploadID == uploadID {
				uploads++
			}
		}
		return marker, uploads
	}
	if keys := contents(); len(keys) != 0 {
		t.Errorf("the killed upload is visible: %v", keys)
	}
	if n := rows(); n != 0 {
		t.Errorf("%d evidence rows after the kill, want none", n)
	}
	if marker, uploads := inFlight(); !marker || uploads != 1 {
		t.Fatalf("after the kill: marker %t, %d incomplete uploads: the test did not interrupt an upload", marker, uploads)
	}

	// Another instance starts: what the kill left is younger than a day
	// (it could be an upload in flight on another instance), so it stays.
	p2 := startPortal(t, bin, env)
	defer func() { _ = p2.cmd.Process.Signal(syscall.SIGTERM); _ = p2.cmd.Wait() }()
	if marker, uploads := inFlight(); !marker || uploads != 1 {
		t.Errorf("after another start: marker %t, %d incomplete uploads, want the young upload kept", marker, uploads)
	}

	// The restarted portal takes uploads again, on the same store.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "bao-cao.pdf")
	_, _ = fw.Write([]byte("%PDF-1.4\n% Báo cáo sau khi khởi động lại\n%%EOF\n"))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+evidencePath, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err = client.Do(req)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload after the restart: %v %v", err, resp)
	}
	resp.Body.Close()
	hashes, _ := db.EvidenceHashes(ctx)
	if keys := contents(); len(keys) != 1 || len(hashes) != 1 || keys[0] != hashes[0][:2]+"/"+hashes[0][2:4]+"/"+hashes[0] {
		t.Errorf("after an upload: objects %v, rows' files %v", keys, hashes)
	}

	// A sweep with a cutoff past the killed upload removes it, parts and
	// all, once; the stored file its row claims stays.
	st, err := storage.NewS3(srv.Config(bucket))
	if err != nil {
		t.Fatal(err)
	}
	keep := func(sum string) bool { return len(hashes) == 1 && sum == hashes[0] }
	swept, err := st.Sweep(ctx, keep, time.Now().Add(time.Minute))
	if err != nil || swept != (storage.Swept{Temp: 1}) {
		t.Errorf("sweep: %+v %v, want the killed upload", swept, err)
	}
	if marker, uploads := inFlight(); marker || uploads != 0 {
		t.Errorf("after the sweep: marker %t, %d incomplete uploads", marker, uploads)
	}
	if swept, err := st.Sweep(ctx, keep, time.Now().Add(time.Minute)); err != nil || swept != (storage.Swept{}) {
		t.Errorf("second sweep: %+v %v, want nothing", swept, err)
	}
	if keys := contents(); len(keys) != 1 {
		t.Errorf("after the sweeps: %v, want the claimed file", keys)
	}
}

// TestOpenStore: the store the configuration names; a bucket that is not
// there stops the start with a message naming it (the portal does not
// create buckets), without the secret.
func TestOpenStore(t *testing.T) {
	srv := miniotest.Start(t)
	bucket := srv.Bucket(t)
	load := func(vars map[string]string) *config.Config {
		t.Helper()
		cfg, err := config.Load(func(k string) string { return vars[k] })
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	st, err := openStore(t.Context(), load(map[string]string{"EVIDENCE_DIR": "/srv/thidua/evidence"}))
	if l, ok := st.(*storage.Local); err != nil || !ok || l.Dir != "/srv/thidua/evidence" {
		t.Errorf("default store: %v %v", st, err)
	}
	s3 := map[string]string{"STORE": "s3", "S3_ENDPOINT": srv.Endpoint, "S3_BUCKET": bucket, "S3_ACCESS_KEY": srv.AccessKey,
		"S3_SECRET_KEY": srv.SecretKey, "S3_TLS": "false", "S3_PREFIX": "thidua"}
	st, err = openStore(t.Context(), load(s3))
	if err != nil || st.String() != "s3://"+bucket+"/thidua@"+srv.Endpoint {
		t.Errorf("S3 store: %v %v", st, err)
	}
	s3["S3_BUCKET"] = "chua-tao"
	_, err = openStore(t.Context(), load(s3))
	if err == nil || !strings.Contains(err.Error(), `bucket "chua-tao" does not exist`) || strings.Contains(err.Error(), srv.SecretKey) {
		t.Errorf("missing bucket: %v", err)
	}
}
