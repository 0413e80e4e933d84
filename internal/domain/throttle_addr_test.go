package domain

import (
	"net/netip"
	"testing"
)

func TestThrottleAddrGroupsIPv6By64(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":                  "203.0.113.7",
		"::ffff:203.0.113.7":           "203.0.113.7",
		"2001:db8:1:2:aaaa::1":         "2001:db8:1:2::",
		"2001:db8:1:2:ffff:ffff:1:abc": "2001:db8:1:2::",
		"2001:db8:1:3::1":              "2001:db8:1:3::",
	} {
		if got := ThrottleAddr(netip.MustParseAddr(in)).String(); got != want {
			t.Errorf("ThrottleAddr(%s) = %s, want %s", in, got, want)
		}
	}
}
