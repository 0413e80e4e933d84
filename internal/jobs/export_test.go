package jobs

import "context"

// WithImportProgress sets the import worker's hook, called after each
// progress record of a running import.
func WithImportProgress(c Config, f func(ctx context.Context, key string, rows int)) Config {
	c.onProgress = f
	return c
}
