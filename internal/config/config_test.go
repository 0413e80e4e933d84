package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !c.SessionSecure || c.SessionIdleTimeout != 30*time.Minute || c.SessionLifetime != 10*time.Hour || c.ListenAddr != "127.0.0.1:8080" {
		t.Errorf("defaults: %+v", c)
	}
}

func TestReportsEveryProblem(t *testing.T) {
	_, err := Load(env(map[string]string{
		"DATABASE_URL":    "mysql://x",
		"LISTEN_ADDR":     "8080",
		"SESSION_SECURE":  "maybe",
		"TRUSTED_PROXIES": "10.0.0.0/8, nonsense",
		"LOG_LEVEL":       "loud",
	}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, name := range []string{"DATABASE_URL", "LISTEN_ADDR", "SESSION_SECURE", "TRUSTED_PROXIES", "LOG_LEVEL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := Load(env(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,192.168.1.5"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "192.168.1.5/32" {
		t.Errorf("proxies = %v", c.TrustedProxies)
	}
}

func TestSMTPOffWhenNoHost(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP != nil {
		t.Errorf("SMTP on without SMTP_HOST: %+v", c.SMTP)
	}
}

func TestSMTPSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"SMTP_HOST": "mail.sonv.gov.vn", "SMTP_USER": "thidua", "SMTP_PASSWORD": "s3cret",
		"SMTP_FROM": "Thi Đua <thidua@sonv.gov.vn>"}))
	if err != nil {
		t.Fatal(err)
	}
	s := c.SMTP
	if s == nil || s.Addr() != "mail.sonv.gov.vn:587" || s.TLS != "starttls" || s.From.Name != "Thi Đua" || s.From.Address != "thidua@sonv.gov.vn" || s.User != "thidua" {
		t.Errorf("smtp = %+v", s)
	}
	c, err = Load(env(map[string]string{"SMTP_HOST": "127.0.0.1", "SMTP_PORT": "2525", "SMTP_TLS": "none", "SMTP_FROM": "thidua@localhost"}))
	if err != nil || c.SMTP.TLS != "none" || c.SMTP.Port != 2525 {
		t.Errorf("loopback without TLS: %+v, %v", c.SMTP, err)
	}
}

func TestSMTPReportsEveryProblem(t *testing.T) {
	_, err := Load(env(map[string]string{"SMTP_HOST": "mail.sonv.gov.vn", "SMTP_PORT": "99999", "SMTP_TLS": "none",
		"SMTP_FROM": "not an address", "SMTP_USER": "thidua"}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, name := range []string{"SMTP_PORT", "SMTP_TLS", "SMTP_FROM", "SMTP_PASSWORD"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
	if _, err := Load(env(map[string]string{"SMTP_HOST": "127.0.0.1", "SMTP_TLS": "none", "SMTP_FROM": "a@b.vn", "SMTP_USER": "u", "SMTP_PASSWORD": "p"})); err == nil || !strings.Contains(err.Error(), "SMTP_USER") {
		t.Errorf("a password without TLS is accepted: %v", err)
	}
	if _, err := Load(env(map[string]string{"SMTP_FROM": "a@b.vn"})); err == nil || !strings.Contains(err.Error(), "SMTP_HOST") {
		t.Errorf("SMTP_FROM without SMTP_HOST is accepted: %v", err)
	}
	if _, err := Load(env(map[string]string{"SMTP_HOST": "mail.sonv.gov.vn:25", "SMTP_FROM": "a@b.vn"})); err == nil || !strings.Contains(err.Error(), "SMTP_HOST") {
		t.Errorf("a port in SMTP_HOST is accepted: %v", err)
	}
}

func TestStoreLocalByDefault(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.S3 != nil {
		t.Errorf("default store: %+v %v, want the local directory", c.S3, err)
	}
}

func TestS3Settings(t *testing.T) {
	c, err := Load(env(map[string]string{"STORE": "s3", "S3_ENDPOINT": "s3.ap-southeast-1.amazonaws.com", "S3_BUCKET": "thidua-sonv",
		"S3_ACCESS_KEY": "AKIAEXAMPLE", "S3_SECRET_KEY": "bí mật", "S3_PREFIX": "/cong/thidua", "S3_REGION": "ap-southeast-1"}))
	if err != nil {
		t.Fatal(err)
	}
	s := c.S3
	if s == nil || s.Endpoint != "s3.ap-southeast-1.amazonaws.com" || s.Bucket != "thidua-sonv" || !s.TLS || s.Prefix != "cong/thidua/" ||
		s.Region != "ap-southeast-1" || s.AccessKey != "AKIAEXAMPLE" || s.SecretKey != "bí mật" {
		t.Errorf("s3 = %+v", s)
	}
	if strings.Contains(s.String(), "bí mật") {
		t.Errorf("the secret is in %q", s)
	}
	c, err = Load(env(map[string]string{"STORE": "s3", "S3_ENDPOINT": "127.0.0.1:9000", "S3_BUCKET": "thidua", "S3_ACCESS_KEY": "a",
		"S3_SECRET_KEY": "b", "S3_TLS": "false"}))
	if err != nil || c.S3.TLS || c.S3.Endpoint != "127.0.0.1:9000" {
		t.Errorf("loopback without TLS: %+v, %v", c.S3, err)
	}
	if _, err := Load(env(map[string]string{"STORE": "s3", "S3_ENDPOINT": "localhost:9000", "S3_BUCKET": "thidua", "S3_ACCESS_KEY": "a",
		"S3_SECRET_KEY": "b", "S3_TLS": "false"})); err != nil {
		t.Errorf("localhost without TLS: %v", err)
	}
}

func TestS3ReportsEveryProblem(t *testing.T) {
	_, err := Load(env(map[string]string{"STORE": "s3", "S3_ENDPOINT": "http://minio.internal:9000", "S3_BUCKET": "Thi_Dua",
		"S3_TLS": "false", "S3_PREFIX": "a/../b"}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, name := range []string{"S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_PREFIX"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
	for _, c := range []struct {
		env  map[string]string
		name string
	}{
		{map[string]string{"STORE": "s3"}, "S3_ENDPOINT"},
		{map[string]string{"STORE": "s3"}, "S3_BUCKET"},
		{map[string]string{"STORE": "nfs"}, "STORE"},
		{map[string]string{"STORE": "s3", "S3_ENDPOINT": "minio.internal:9000", "S3_BUCKET": "thidua", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "b", "S3_TLS": "false"}, "S3_TLS"},
		{map[string]string{"STORE": "s3", "S3_ENDPOINT": "minio.internal:0", "S3_BUCKET": "thidua", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "b"}, "S3_ENDPOINT"},
		{map[string]string{"STORE": "s3", "S3_ENDPOINT": "minio.internal", "S3_BUCKET": "thidua", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "b", "S3_TLS": "maybe"}, "S3_TLS"},
		// S3 settings without STORE=s3 would silently keep files on the local disk.
		{map[string]string{"S3_BUCKET": "thidua"}, "S3_BUCKET"},
		{map[string]string{"S3_SECRET_KEY": "b"}, "S3_SECRET_KEY"},
	} {
		_, err := Load(env(c.env))
		if err == nil || !strings.Contains(err.Error(), c.name) {
			t.Errorf("%v: %v, want an error naming %s", c.env, err, c.name)
		}
		if err != nil && c.env["S3_SECRET_KEY"] != "" && strings.Contains(err.Error(), "S3_SECRET_KEY="+c.env["S3_SECRET_KEY"]) {
			t.Errorf("the secret is in %v", err)
		}
	}
}
