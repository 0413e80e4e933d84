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
