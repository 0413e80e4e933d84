package domain

import (
	"testing"
	"time"
)

func TestLoginVerdict(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	for _, tc := range []struct {
		name   string
		c      LoginCounts
		refuse string
		delay  time.Duration
	}{
		{"first attempt", LoginCounts{Pair: 1, Address: 1, Now: now}, "", 0},
		{"fifth failure of the pair is still checked", LoginCounts{Pair: 5, Address: 5, Account: 4, LastAccountFailure: ago(time.Minute), Now: now}, "", 0},
		{"sixth from the same address is refused", LoginCounts{Pair: 6, Address: 6, Account: 5, LastAccountFailure: ago(time.Second), Now: now}, "pair", 0},
		{"an office: many failures, few accounts", LoginCounts{Pair: 1, Address: 60, AddressAccounts: 12, Now: now}, "", 0},
		{"an address over the failure limit", LoginCounts{Pair: 1, Address: LoginAddressLimit + 1, AddressAccounts: 3, Now: now}, "address", 0},
		{"an address trying many accounts", LoginCounts{Pair: 1, Address: 25, AddressAccounts: LoginAddressAccounts, Now: now}, "address", 0},
		// The account under attack from elsewhere: slowed, never refused.
		{"account: five failures elsewhere, just now", LoginCounts{Pair: 1, Address: 1, Account: 5, LastAccountFailure: now, Now: now}, "", time.Second},
		{"account: six failures elsewhere", LoginCounts{Pair: 1, Address: 1, Account: 6, LastAccountFailure: now, Now: now}, "", 2 * time.Second},
		{"account: the delay counts from the last failure", LoginCounts{Pair: 1, Address: 1, Account: 7, LastAccountFailure: ago(time.Second), Now: now}, "", 3 * time.Second},
		{"account: a failure long ago costs nothing", LoginCounts{Pair: 1, Address: 1, Account: 7, LastAccountFailure: ago(time.Minute), Now: now}, "", 0},
		{"account: the delay is capped", LoginCounts{Pair: 1, Address: 1, Account: 5000, LastAccountFailure: now, Now: now}, "", LoginDelayMax},
		{"account: a clock step back does not exceed the cap", LoginCounts{Pair: 1, Address: 1, Account: 60, LastAccountFailure: now.Add(time.Hour), Now: now}, "", LoginDelayMax},
	} {
		v := tc.c.Verdict()
		if v.Refuse != tc.refuse || v.Delay != tc.delay {
			t.Errorf("%s: refuse %q delay %v, want %q %v", tc.name, v.Refuse, v.Delay, tc.refuse, tc.delay)
		}
		if v.Refuse != "" && v.RetryAfter <= 0 {
			t.Errorf("%s: refused without a retry time", tc.name)
		}
	}
}
