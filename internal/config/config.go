// Package config reads the portal's settings from environment variables and
// checks them all at start, reporting every problem at once.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config is the portal's configuration.
type Config struct {
	DatabaseURL        string
	ListenAddr         string
	BaseURL            *url.URL
	EvidenceDir        string
	ImportDir          string
	MaxImportBytes     int64
	MaxUploadBytes     int64
	SessionSecure      bool
	SessionIdleTimeout time.Duration
	SessionLifetime    time.Duration
	TrustedProxies     []netip.Prefix
	MaxBodyBytes       int64
	LogLevel           slog.Level
	LogJSON            bool
	// SMTP is the mail server notifications go through; nil when
	// SMTP_HOST is empty: mails are then kept in the admin's outbox.
	SMTP *SMTP
	// ShutdownDrain is how long a stopping instance stays up, not ready,
	// before it stops taking requests (a rolling restart loses none).
	ShutdownDrain time.Duration
	// JobStopGrace is how long a stopping instance lets its running jobs
	// finish before it hands them back to the queue.
	JobStopGrace time.Duration
	// S3 is the object store of evidence, attachments and import files
	// when STORE=s3; nil for the local directory EVIDENCE_DIR (STORE=local).
	S3 *S3
}

// S3 is how the portal reaches its S3-compatible object store.
type S3 struct {
	Endpoint  string // host or host:port
	Bucket    string
	Prefix    string // "" or ending in "/"
	Region    string // "": asked of the store
	AccessKey string
	SecretKey string
	TLS       bool
}

// String describes the store without its secret.
func (s *S3) String() string {
	return fmt.Sprintf("s3://%s/%s@%s (access key %s, tls %t)", s.Bucket, s.Prefix, s.Endpoint, s.AccessKey, s.TLS)
}

// LogValue keeps the secret out of logs.
func (s *S3) LogValue() slog.Value { return slog.StringValue(s.String()) }

// SMTP is how the portal reaches its mail server.
type SMTP struct {
	Host     string
	Port     int
	User     string
	Password string
	// From is the sender, e.g. "Thi Đua <thidua@sonv.gov.vn>".
	From *mail.Address
	// TLS is "starttls", "tls" (implicit, usually port 465) or "none"
	// (allowed only for a loopback host).
	TLS string
}

// Addr is host:port.
func (s *SMTP) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Var documents one environment variable; README's table lists the same.
type Var struct {
	Name, Default, Help string
}

// Vars lists every setting with its default.
var Vars = []Var{
	{"DATABASE_URL", "", "PostgreSQL connection URL (required by serve and migrate; thidua dev starts its own cluster when empty)"},
	{"LISTEN_ADDR", "127.0.0.1:8080", "address the portal listens on"},
	{"BASE_URL", "http://127.0.0.1:8080", "public address of the portal, used in links"},
	{"EVIDENCE_DIR", "./.data/evidence", "directory of the evidence file store"},
	{"IMPORT_DIR", "./.data/imports", "scratch directory where an import job copies its file (kept in the store) while it reads it"},
	{"MAX_IMPORT_BYTES", "52428800", "largest import file (CSV or XLSX) accepted from the web"},
	{"MAX_UPLOAD_BYTES", "20971520", "largest attachment or evidence file accepted (20 MB)"},
	{"SESSION_SECURE", "true", "Secure and __Host- session cookie; set false only for plain-HTTP development"},
	{"SESSION_IDLE_TIMEOUT", "30m", "a session ends after this long without a request"},
	{"SESSION_LIFETIME", "10h", "a session ends this long after sign-in, whatever the activity"},
	{"TRUSTED_PROXIES", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed"},
	{"MAX_BODY_BYTES", "1048576", "largest form body accepted (uploads have their own limit)"},
	{"SHUTDOWN_DRAIN", "5s", "on SIGTERM, how long /readyz answers 503 while requests are still served, so a load balancer moves traffic away first (0 to stop at once)"},
	{"JOB_STOP_GRACE", "10s", "on SIGTERM, how long running jobs (an import) may finish before they go back to the queue for another instance"},
	{"LOG_LEVEL", "info", "debug, info, warn or error"},
	{"LOG_FORMAT", "json", "json or text"},
	{"SMTP_HOST", "", "mail server for notifications; when empty, mails are kept in the admin's outbox (/admin/outbox)"},
	{"SMTP_PORT", "587", "mail server port (465 for SMTP_TLS=tls)"},
	{"SMTP_USER", "", "user for AUTH PLAIN (only over TLS); empty: no authentication"},
	{"SMTP_PASSWORD", "", "password of SMTP_USER"},
	{"SMTP_FROM", "", "sender of the mails, e.g. Thi Đua <thidua@sonv.gov.vn> (required with SMTP_HOST)"},
	{"SMTP_TLS", "starttls", "starttls, tls (implicit TLS) or none (only for a loopback SMTP_HOST)"},
	{"STORE", "local", "where evidence, attachments and import files are kept: local (EVIDENCE_DIR) or s3 (an S3-compatible object store, S3_*)"},
	{"S3_ENDPOINT", "", "host:port of the S3-compatible store, without scheme, e.g. minio.internal:9000 (required with STORE=s3)"},
	{"S3_BUCKET", "", "bucket of the store; the portal does not create it (required with STORE=s3)"},
	{"S3_PREFIX", "", "prefix of every key, e.g. thidua/ to share the bucket"},
	{"S3_REGION", "", "region of the bucket; empty: asked of the store"},
	{"S3_ACCESS_KEY", "", "access key of the store (required with STORE=s3)"},
	{"S3_SECRET_KEY", "", "secret key of S3_ACCESS_KEY (required with STORE=s3; never printed)"},
	{"S3_TLS", "true", "HTTPS to the store; false only for a loopback S3_ENDPOINT"},
}

// s3Vars are the settings of STORE=s3.
var s3Vars = []string{"S3_ENDPOINT", "S3_BUCKET", "S3_PREFIX", "S3_REGION", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_TLS"}

// bucketName is S3's rule for bucket names.
var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// Load reads the configuration through getenv (os.Getenv in main).
func Load(getenv func(string) string) (*Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, v := range Vars {
			if v.Name == name {
				return v.Default
			}
		}
		return ""
	}
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	c := &Config{
		DatabaseURL: get("DATABASE_URL"),
		ListenAddr:  get("LISTEN_ADDR"),
		EvidenceDir: get("EVIDENCE_DIR"),
		ImportDir:   get("IMPORT_DIR"),
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			bad("DATABASE_URL", "must be a postgres:// URL")
		}
	}
	if _, _, err := net.SplitHostPort(c.ListenAddr); err != nil {
		bad("LISTEN_ADDR", "must be host:port, e.g. 127.0.0.1:8080 (%v)", err)
	}
	if u, err := url.Parse(get("BASE_URL")); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("BASE_URL", "must be an absolute http:// or https:// URL")
	} else {
		c.BaseURL = u
	}
	var err error
	if c.SessionSecure, err = strconv.ParseBool(get("SESSION_SECURE")); err != nil {
		bad("SESSION_SECURE", "must be true or false")
	}
	if c.SessionIdleTimeout, err = time.ParseDuration(get("SESSION_IDLE_TIMEOUT")); err != nil || c.SessionIdleTimeout < time.Minute {
		bad("SESSION_IDLE_TIMEOUT", "must be a duration of at least 1m, e.g. 30m")
	}
	if c.SessionLifetime, err = time.ParseDuration(get("SESSION_LIFETIME")); err != nil || c.SessionLifetime < c.SessionIdleTimeout {
		bad("SESSION_LIFETIME", "must be a duration no shorter than SESSION_IDLE_TIMEOUT, e.g. 10h")
	}
	for _, s := range strings.Split(get("TRUSTED_PROXIES"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			if a, aerr := netip.ParseAddr(s); aerr == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			} else {
				bad("TRUSTED_PROXIES", "%q is not an address or CIDR", s)
				continue
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}
	if c.MaxBodyBytes, err = strconv.ParseInt(get("MAX_BODY_BYTES"), 10, 64); err != nil || c.MaxBodyBytes < 1024 {
		bad("MAX_BODY_BYTES", "must be a number of bytes, at least 1024")
	}
	if c.MaxImportBytes, err = strconv.ParseInt(get("MAX_IMPORT_BYTES"), 10, 64); err != nil || c.MaxImportBytes < 1024 {
		bad("MAX_IMPORT_BYTES", "must be a number of bytes, at least 1024")
	}
	if c.MaxUploadBytes, err = strconv.ParseInt(get("MAX_UPLOAD_BYTES"), 10, 64); err != nil || c.MaxUploadBytes < 1024 {
		bad("MAX_UPLOAD_BYTES", "must be a number of bytes, at least 1024")
	}
	if c.ShutdownDrain, err = time.ParseDuration(get("SHUTDOWN_DRAIN")); err != nil || c.ShutdownDrain < 0 || c.ShutdownDrain > 5*time.Minute {
		bad("SHUTDOWN_DRAIN", "must be a duration from 0s to 5m, e.g. 5s (a little over the load balancer's health-check interval)")
	}
	if c.JobStopGrace, err = time.ParseDuration(get("JOB_STOP_GRACE")); err != nil || c.JobStopGrace < time.Second || c.JobStopGrace > 10*time.Minute {
		bad("JOB_STOP_GRACE", "must be a duration from 1s to 10m, e.g. 10s")
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL"))); err != nil {
		bad("LOG_LEVEL", "must be debug, info, warn or error")
	}
	switch get("LOG_FORMAT") {
	case "json":
		c.LogJSON = true
	case "text":
	default:
		bad("LOG_FORMAT", "must be json or text")
	}
	if host := get("SMTP_HOST"); host != "" {
		sm := &SMTP{Host: host, User: getenv("SMTP_USER"), Password: getenv("SMTP_PASSWORD"), TLS: get("SMTP_TLS")}
		if strings.ContainsAny(host, ":/ ") && net.ParseIP(host) == nil {
			bad("SMTP_HOST", "must be a host name or address without a port (the port is SMTP_PORT)")
		}
		if sm.Port, err = strconv.Atoi(get("SMTP_PORT")); err != nil || sm.Port < 1 || sm.Port > 65535 {
			bad("SMTP_PORT", "must be a port number (1-65535)")
		}
		if from := get("SMTP_FROM"); from == "" {
			bad("SMTP_FROM", "is required with SMTP_HOST, e.g. Thi Đua <thidua@sonv.gov.vn>")
		} else if a, err := mail.ParseAddress(from); err != nil {
			bad("SMTP_FROM", "must be an address, e.g. Thi Đua <thidua@sonv.gov.vn> (%v)", err)
		} else {
			sm.From = a
		}
		switch sm.TLS {
		case "starttls", "tls":
		case "none":
			if !isLoopback(host) {
				bad("SMTP_TLS", "none is allowed only for a loopback SMTP_HOST: passwords and mails would cross the network in clear")
			} else if sm.User != "" {
				bad("SMTP_USER", "is set but SMTP_TLS is none: the password is sent only over TLS")
			}
		default:
			bad("SMTP_TLS", "must be starttls, tls or none")
		}
		if sm.User != "" && sm.Password == "" {
			bad("SMTP_PASSWORD", "is required with SMTP_USER")
		}
		c.SMTP = sm
	} else {
		for _, name := range []string{"SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM"} {
			if strings.TrimSpace(getenv(name)) != "" {
				bad(name, "is set but SMTP_HOST is empty: set SMTP_HOST too, or unset it")
			}
		}
	}
	switch get("STORE") {
	case "local":
		for _, name := range s3Vars {
			if strings.TrimSpace(getenv(name)) != "" {
				bad(name, "is set but STORE is not s3: set STORE=s3 too, or unset it")
			}
		}
	case "s3":
		c.S3 = loadS3(get, getenv, bad)
	default:
		bad("STORE", "must be local or s3")
	}
	if c.SessionSecure && c.BaseURL != nil && c.BaseURL.Scheme != "https" && !isLoopback(c.BaseURL.Hostname()) {
		bad("SESSION_SECURE", "is on but BASE_URL is not https: browsers would drop the session cookie")
	}
	return c, errors.Join(errs...)
}

// loadS3 reads and checks the settings of STORE=s3.
func loadS3(get, getenv func(string) string, bad func(name, format string, args ...any)) *S3 {
	s := &S3{Endpoint: get("S3_ENDPOINT"), Bucket: get("S3_BUCKET"), Region: get("S3_REGION"),
		AccessKey: get("S3_ACCESS_KEY"), SecretKey: getenv("S3_SECRET_KEY")}
	host := s.Endpoint
	switch {
	case s.Endpoint == "":
		bad("S3_ENDPOINT", "is required with STORE=s3, e.g. minio.internal:9000")
	case strings.ContainsAny(s.Endpoint, "/ ") || strings.Contains(s.Endpoint, "://"):
		bad("S3_ENDPOINT", "must be a host or host:port without scheme or path, e.g. minio.internal:9000 (HTTPS is S3_TLS)")
	case strings.Contains(s.Endpoint, ":") && net.ParseIP(s.Endpoint) == nil:
		h, port, err := net.SplitHostPort(s.Endpoint)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 1 || n > 65535 {
			bad("S3_ENDPOINT", "must be host:port with a port number (1-65535)")
		}
		host = h
	}
	if s.Bucket == "" {
		bad("S3_BUCKET", "is required with STORE=s3")
	} else if !bucketName.MatchString(s.Bucket) || strings.Contains(s.Bucket, "..") {
		bad("S3_BUCKET", "must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens")
	}
	if p := strings.Trim(get("S3_PREFIX"), "/"); p != "" {
		if strings.Contains(p, "//") || strings.Contains(p, "..") || strings.ContainsAny(p, "\\ \t\n") {
			bad("S3_PREFIX", "must be a key prefix such as thidua/ (no spaces, no // or ..)")
		}
		s.Prefix = p + "/"
	}
	if s.AccessKey == "" {
		bad("S3_ACCESS_KEY", "is required with STORE=s3")
	}
	if strings.TrimSpace(s.SecretKey) == "" {
		bad("S3_SECRET_KEY", "is required with STORE=s3")
	}
	var err error
	if s.TLS, err = strconv.ParseBool(get("S3_TLS")); err != nil {
		bad("S3_TLS", "must be true or false")
	} else if !s.TLS && s.Endpoint != "" && !isLoopback(host) {
		bad("S3_TLS", "false is allowed only for a loopback S3_ENDPOINT: the keys' signatures and the files would cross the network in clear")
	}
	return s
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}
