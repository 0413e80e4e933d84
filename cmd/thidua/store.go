package main

import (
	"context"

	"thidua/internal/config"
	"thidua/internal/storage"
)

// openStore opens the store of evidence, attachments and import files that
// the configuration names: the local directory EVIDENCE_DIR by default.
func openStore(_ context.Context, cfg *config.Config) (storage.Store, error) {
	return &storage.Local{Dir: cfg.EvidenceDir}, nil
}
