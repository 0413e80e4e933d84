package domain

import (
	"net/netip"
	"time"
)

// Sign-in throttling. Guessing is limited where the guesser is: failures of
// one account from one address lock that pair, and an address that fails
// too often or on too many accounts is locked as a whole. The account itself
// is never locked: an attacker who knows a focal point's address could keep
// the owner out until a deadline passes. Failures on an account from
// anywhere only slow its sign-ins down, by a delay that doubles per failure
// up to a few seconds, after which the owner's right password still works.
const (
	// LoginWindow is how long a failure counts (sliding).
	LoginWindow = 15 * time.Minute
	// LoginPairLimit is how many failures of one account from one address
	// are checked; the next attempt from that pair is refused.
	LoginPairLimit = 5
	// LoginAddressLimit is how many failures one address may have, on any
	// accounts; generous, for an office behind one NAT address.
	LoginAddressLimit = 100
	// LoginAddressAccounts is how many other accounts may have failed from
	// one address before it is refused: one person mistyping is one account,
	// password spraying is many.
	LoginAddressAccounts = 20
	// LoginDelayAfter is how many failures on an account, from anywhere,
	// are free; each one after doubles the delay, up to LoginDelayMax.
	LoginDelayAfter = 5
	LoginDelayMax   = 10 * time.Second
)

// LoginCounts is what the throttle knows when a sign-in attempt arrives,
// over the last LoginWindow. Pair and Address include the attempt itself
// (it is recorded before it is judged, so parallel guesses see each other);
// AddressAccounts counts the other accounts that failed from the address;
// Account counts the account's earlier failures from every address, the
// latest at LastAccountFailure. Now is the database's clock.
type LoginCounts struct {
	Pair, Address, AddressAccounts, Account int
	LastAccountFailure, Now                 time.Time
}

// LoginVerdict says what to do with an attempt: Refuse names the limit hit
// ("pair" or "address"; the password is then not checked, and RetryAfter
// says when to come back), else Delay is how long to wait before checking
// the password.
type LoginVerdict struct {
	Refuse     string
	RetryAfter time.Duration
	Delay      time.Duration
}

// Verdict applies the policy to the counts.
func (c LoginCounts) Verdict() LoginVerdict {
	switch {
	case c.Pair > LoginPairLimit:
		return LoginVerdict{Refuse: "pair", RetryAfter: LoginWindow}
	case c.Address > LoginAddressLimit || c.AddressAccounts >= LoginAddressAccounts:
		return LoginVerdict{Refuse: "address", RetryAfter: LoginWindow}
	}
	if c.Account < LoginDelayAfter {
		return LoginVerdict{}
	}
	delay := LoginDelayMax
	if n := c.Account - LoginDelayAfter; n < 8 {
		delay = min(time.Second<<n, LoginDelayMax)
	}
	wait := c.LastAccountFailure.Add(delay).Sub(c.Now)
	return LoginVerdict{Delay: max(0, min(wait, delay))}
}

// ThrottleAddr is the address sign-in failures are counted against: an IPv4
// address as it is, an IPv6 address by its /64 network, since one household
// or office is usually given a whole /64 and could otherwise guess from a
// new address each time.
func ThrottleAddr(a netip.Addr) netip.Addr {
	a = a.Unmap()
	if a.Is6() {
		if p, err := a.Prefix(64); err == nil {
			return p.Addr()
		}
	}
	return a
}
