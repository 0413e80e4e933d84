package storage

import (
	"errors"
	"testing"

	"github.com/minio/minio-go/v7"
)

// TestS3FullIsNoSpace: a store that refuses writes for want of space (a
// full MinIO, an exhausted bucket quota, Ceph's quota) is ErrNoSpace, so
// uploads answer 507 and /readyz says "full", as for a full disk; other
// refusals are the store's failure only.
func TestS3FullIsNoSpace(t *testing.T) {
	s, err := NewS3(S3Config{Endpoint: "127.0.0.1:9000", Bucket: "thidua", AccessKey: "a", SecretKey: "b"})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"XMinioStorageFull", "XMinioAdminBucketQuotaExceeded", "QuotaExceeded"} {
		err := s.fail("upload", minio.ErrorResponse{Code: code, StatusCode: 507})
		var se *Error
		if !errors.Is(err, ErrNoSpace) || !errors.As(err, &se) || se.Dir != "s3://thidua@127.0.0.1:9000" {
			t.Errorf("%s: %v, want ErrNoSpace from the store", code, err)
		}
	}
	if err := s.fail("upload", minio.ErrorResponse{Code: "AccessDenied", StatusCode: 403}); errors.Is(err, ErrNoSpace) {
		t.Errorf("access denied taken for a full store: %v", err)
	}
}
