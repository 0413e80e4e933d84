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
