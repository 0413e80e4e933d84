package main

import (
	"context"

	"thidua/internal/config"
	"thidua/internal/storage"
)

// openStore opens the store of evidence, attachments and import files that
// the configuration names: the local directory EVIDENCE_DIR by default, or
// the S3 bucket of STORE=s3. The portal does not create its bucket (its
// access rules, encryption, versioning and lifecycle are the operator's,
// and the portal's keys need no right to create buckets): a bucket that is
// missing or out of reach stops the start with a message naming it.
func openStore(ctx context.Context, cfg *config.Config) (storage.Store, error) {
	if cfg.S3 == nil {
		return &storage.Local{Dir: cfg.EvidenceDir}, nil
	}
	st, err := storage.NewS3(storage.S3Config{Endpoint: cfg.S3.Endpoint, Bucket: cfg.S3.Bucket, Prefix: cfg.S3.Prefix,
		Region: cfg.S3.Region, AccessKey: cfg.S3.AccessKey, SecretKey: cfg.S3.SecretKey, TLS: cfg.S3.TLS})
	if err != nil {
		return nil, err
	}
	if err := st.CheckBucket(ctx); err != nil {
		return nil, err
	}
	return st, nil
}
