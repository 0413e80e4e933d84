// Package pgcluster runs a private PostgreSQL cluster with the machine's own
// server binaries. It is the embedded default of `thidua dev` and the
// throwaway database of the test suite: one piece of code for both.
package pgcluster

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
)

// ErrNoBinaries means initdb and pg_ctl of PostgreSQL 15 or newer were not found.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl, version 15 or newer) not found in PATH or /usr/lib/postgresql/*/bin; install them with: apt-get install -y postgresql")

const (
	superuser    = "thidua"
	databaseName = "thidua"
	passwordFile = "thidua-password"
)

// Options tune a cluster.
type Options struct {
	// Dir is the data directory; it is created on first start.
	Dir string
	// Throwaway trades durability for speed (fsync off), for test clusters only.
	Throwaway bool
	// Port to listen on at 127.0.0.1; 0 picks a free one.
	Port int
}

// Cluster is a private PostgreSQL cluster listening on 127.0.0.1 only.
type Cluster struct {
	opts     Options
	binDir   string
	port     int
	password string
	// started is true when this process started the server, so Stop stops it.
	started bool
	cred    *syscall.Credential
}

// FindBinDir returns the directory holding initdb, pg_ctl and postgres of the
// newest PostgreSQL (15+) on the machine.
func FindBinDir() (string, error) {
	var candidates []string
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return majorOf(dirs[i]) > majorOf(dirs[j]) })
	candidates = append(candidates, dirs...)
	for _, dir := range candidates {
		if !isExec(filepath.Join(dir, "initdb")) || !isExec(filepath.Join(dir, "pg_ctl")) || !isExec(filepath.Join(dir, "postgres")) {
			continue
		}
		out, err := exec.Command(filepath.Join(dir, "pg_ctl"), "--version").Output()
		if err != nil {
			continue
		}
		if m := versionRE.FindStringSubmatch(string(out)); m != nil {
			if major, _ := strconv.Atoi(m[1]); major >= 15 {
				return dir, nil
			}
		}
	}
	return "", ErrNoBinaries
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExec(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// Start initializes the cluster when its directory is new, starts the server
// unless it is already running (a previous run killed hard), and makes sure
// the application database exists.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	binDir, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	opts.Dir = dir
	c := &Cluster{opts: opts, binDir: binDir}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root: run it as the postgres user.
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs the 'postgres' system user (created by apt-get install -y postgresql): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	if err := c.initOnce(); err != nil {
		return nil, err
	}
	if err := c.startServer(); err != nil {
		return nil, err
	}
	if err := c.ensureDatabase(ctx); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) initOnce() error {
	dir := c.opts.Dir
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err == nil {
		pw, err := os.ReadFile(filepath.Join(dir, passwordFile))
		if err != nil {
			return fmt.Errorf("cluster in %s has no %s: remove the directory to start afresh: %w", dir, passwordFile, err)
		}
		c.password = strings.TrimSpace(string(pw))
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if c.cred != nil {
		if err := os.Chown(dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return err
		}
		if err := checkTraversable(dir); err != nil {
			return err
		}
	}
	c.password = randomHex(18)
	pwPath := filepath.Join(os.TempDir(), "thidua-pw-"+randomHex(8))
	if err := os.WriteFile(pwPath, []byte(c.password+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwPath)
	if c.cred != nil {
		if err := os.Chown(pwPath, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return err
		}
	}
	out, err := c.command("initdb", "-D", dir, "-U", superuser, "--pwfile="+pwPath,
		"--auth=scram-sha-256", "-E", "UTF8", "--no-locale").CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	settings := []string{
		"listen_addresses = '127.0.0.1'",
		"unix_socket_directories = ''",
		"max_connections = 200",
		"timezone = 'UTC'",
		"log_min_messages = warning",
	}
	if c.opts.Throwaway {
		settings = append(settings, "fsync = off", "synchronous_commit = off", "full_page_writes = off")
	}
	f, err := os.OpenFile(filepath.Join(dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString("\n# Thi Đua private cluster\n" + strings.Join(settings, "\n") + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// Written last: its presence marks a cluster that finished initializing.
	return os.WriteFile(filepath.Join(dir, passwordFile), []byte(c.password+"\n"), 0o600)
}

// checkTraversable fails early, with a clear message, when the postgres user
// could not reach the data directory through its parents.
func checkTraversable(dir string) error {
	for d := filepath.Dir(dir); d != "/"; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("the postgres user cannot enter %s (mode %v): chmod o+x it or choose another directory", d, fi.Mode().Perm())
		}
	}
	return nil
}

func (c *Cluster) startServer() error {
	if port, ok := c.runningPort(); ok {
		c.port = port
		return nil
	}
	c.port = c.opts.Port
	if c.port == 0 {
		p, err := freePort()
		if err != nil {
			return err
		}
		c.port = p
	}
	logPath := filepath.Join(c.opts.Dir, "server.log")
	out, err := c.command("pg_ctl", "start", "-D", c.opts.Dir, "-w", "-t", "60", "-l", logPath,
		"-o", "-p "+strconv.Itoa(c.port)).CombinedOutput()
	if err != nil {
		tail, _ := os.ReadFile(logPath)
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, tail)
	}
	c.started = true
	return nil
}

// runningPort reports the port of a server already running on the directory.
func (c *Cluster) runningPort() (int, bool) {
	if err := c.command("pg_ctl", "status", "-D", c.opts.Dir).Run(); err != nil {
		return 0, false
	}
	f, err := os.Open(filepath.Join(c.opts.Dir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for line := 1; s.Scan(); line++ {
		if line == 4 {
			port, err := strconv.Atoi(strings.TrimSpace(s.Text()))
			return port, err == nil
		}
	}
	return 0, false
}

func (c *Cluster) ensureDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.url("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", databaseName).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		_, err = conn.Exec(ctx, "CREATE DATABASE "+databaseName)
	}
	return err
}

// URL is the connection string of the application database.
func (c *Cluster) URL() string { return c.url(databaseName) }

// AdminURL is the connection string of the maintenance database "postgres",
// from which databases are created and dropped.
func (c *Cluster) AdminURL() string { return c.url("postgres") }

// BinDir is where the PostgreSQL binaries in use live (pg_dump among them).
func (c *Cluster) BinDir() string { return c.binDir }

func (c *Cluster) url(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(superuser, c.password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Stop shuts the server down cleanly if this process started it.
func (c *Cluster) Stop() error {
	if !c.started {
		return nil
	}
	c.started = false
	out, err := c.command("pg_ctl", "stop", "-D", c.opts.Dir, "-m", "fast", "-w", "-t", "60").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// StopServer stops the server without forgetting the cluster, so that
// StartServer can bring it back on the same port.
func (c *Cluster) StopServer() error {
	out, err := c.command("pg_ctl", "stop", "-D", c.opts.Dir, "-m", "fast", "-w").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// StartServer starts a server stopped by StopServer on its former port.
func (c *Cluster) StartServer() error {
	c.opts.Port = c.port
	return c.startServer()
}

func (c *Cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.binDir, name), args...)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
	// A process group of its own keeps the server out of the terminal's
	// Ctrl-C: the portal stops it cleanly itself, after draining requests.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	return cmd
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
