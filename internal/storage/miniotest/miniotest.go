// Package miniotest runs a real MinIO server for the tests of a package:
// one server per test binary, started on first use, a fresh bucket per
// test. The server binary is $MINIO_BIN, else <repo>/.tools/bin/minio,
// else it is built there from the Go module proxy (a few minutes, once per
// machine, under a file lock so that test packages running in parallel
// build it once). Tests that need it never skip: a server that cannot be
// had fails them.
package miniotest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"thidua/internal/storage"
)

// Module is the MinIO server the tests build when no binary is at hand.
const Module = "github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c"

// Server is a running MinIO server.
type Server struct {
	Endpoint  string // 127.0.0.1:port
	AccessKey string
	SecretKey string
	// Client is an admin client of the server, for what tests inspect
	// behind a store's back.
	Client *minio.Client
	Core   minio.Core
}

var (
	once     sync.Once
	shared   *Server
	startErr error
)

// Start returns the test binary's MinIO server, starting it on first use.
// It stops, and its data is removed, when the test binary exits however
// it exits: a supervising shell waits on a pipe that only the binary's
// death closes.
func Start(t testing.TB) *Server {
	t.Helper()
	once.Do(func() { shared, startErr = start() })
	if startErr != nil {
		t.Fatalf("miniotest: %v", startErr)
	}
	return shared
}

// Bucket creates a fresh bucket on the server for t; it is emptied and
// removed when t ends.
func (s *Server) Bucket(t testing.TB) string {
	t.Helper()
	name := "t-" + random(8)
	if err := s.Client.MakeBucket(t.Context(), name, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("miniotest: make bucket: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = s.Client.RemoveBucketWithOptions(ctx, name, minio.RemoveBucketOptions{ForceDelete: true})
	})
	return name
}

// Config returns the store configuration of a bucket of the server.
func (s *Server) Config(bucket string) storage.S3Config {
	return storage.S3Config{Endpoint: s.Endpoint, Bucket: bucket, AccessKey: s.AccessKey, SecretKey: s.SecretKey, Region: "us-east-1"}
}

// Store returns an S3 store on a fresh bucket of the package's server.
func Store(t testing.TB) *storage.S3 {
	t.Helper()
	srv := Start(t)
	st, err := storage.NewS3(srv.Config(srv.Bucket(t)))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func start() (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	var last error
	for range 3 { // a port taken meanwhile: try others
		s, err := run(bin)
		if err == nil {
			return s, nil
		}
		last = err
	}
	return nil, last
}

// supervise runs the server and, once its standard input (a pipe from the
// test binary) closes, stops it and removes its directory.
const supervise = `"$0" server "$1/data" --address "$2" --console-address "$3" >"$1/minio.log" 2>&1 &
pid=$!
read -r _
kill "$pid" 2>/dev/null
wait "$pid"
rm -rf "$1"`

func run(bin string) (*Server, error) {
	dir, err := os.MkdirTemp("", "thidua-minio-")
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	console, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &Server{Endpoint: addr, AccessKey: "thidua-" + random(4), SecretKey: random(16)}
	cmd := exec.Command("/bin/sh", "-c", supervise, bin, dir, addr, console)
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+s.AccessKey, "MINIO_ROOT_PASSWORD="+s.SecretKey,
		"MINIO_BROWSER=off", "MINIO_UPDATE=off")
	// Its own process group: an interrupt of the test run reaches it
	// through the pipe, after the tests' own cleanup.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = cmd.Wait() }()
	// stdin is held for the life of the binary; it closes at exit.
	keep = append(keep, stdin)
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/minio/health/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			stdin.Close()
			log, _ := os.ReadFile(filepath.Join(dir, "minio.log"))
			return nil, fmt.Errorf("MinIO at %s did not become ready in 90 s:\n%s", addr, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.Client, err = minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), Region: "us-east-1"})
	if err != nil {
		stdin.Close()
		return nil, err
	}
	s.Core = minio.Core{Client: s.Client}
	return s, nil
}

// keep holds the supervisors' pipes for the life of the binary.
var keep []io.WriteCloser

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Binary returns the path of a MinIO server binary, building it into
// <repo>/.tools/bin when there is none.
func Binary() (string, error) {
	if b := os.Getenv("MINIO_BIN"); b != "" {
		if _, err := os.Stat(b); err != nil {
			return "", fmt.Errorf("MINIO_BIN: %w", err)
		}
		return b, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(root, ".tools", "bin", "minio")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", err
	}
	lock, err := os.OpenFile(filepath.Join(root, ".tools", "minio.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil // another test package built it meanwhile
	}
	fmt.Fprintf(os.Stderr, "miniotest: building the MinIO server into %s (a few minutes, once)\n", filepath.Dir(bin))
	// Built aside, then renamed: a test that finds the binary without the
	// lock never finds it half-written.
	gobin, err := os.MkdirTemp(filepath.Join(root, ".tools"), "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(gobin)
	cmd := exec.Command("go", "install", Module)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOBIN="+gobin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("building MinIO (go install %s): %v\n%s", Module, err, out)
	}
	if err := os.Rename(filepath.Join(gobin, "minio"), bin); err != nil {
		return "", fmt.Errorf("go install %s: %w", Module, err)
	}
	return bin, nil
}

// repoRoot is the directory of the module's go.mod, above the test's.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if f, err := os.Open(filepath.Join(dir, "go.mod")); err == nil {
			first, _ := bufio.NewReader(f).ReadString('\n')
			f.Close()
			if strings.HasPrefix(first, "module thidua") {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("miniotest: no go.mod of module thidua above the working directory")
		}
		dir = parent
	}
}
