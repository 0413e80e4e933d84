package mail

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"

	"thidua/internal/domain"
	"thidua/internal/postgres"
)

// UnsubscribeSecret names the key that signs unsubscribe links, shared by
// every instance (app_secrets).
const UnsubscribeSecret = "unsubscribe"

// UnsubscribeKey returns the key that signs unsubscribe links, made of 32
// random bytes by the first instance that asks.
func UnsubscribeKey(ctx context.Context, db *postgres.DB) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	return db.Secret(ctx, UnsubscribeSecret, fresh)
}

// Token is the unsubscribe token of a user for one kind of notification:
// the user and the kind, and an HMAC-SHA256 of both under key, base64url.
// It stops only that user's mails of that kind.
func Token(key []byte, userID int64, kind domain.NotificationKind) string {
	payload := strconv.FormatInt(userID, 10) + "." + string(kind)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(sign(key, payload))
}

func sign(key []byte, payload string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("unsubscribe:" + payload))
	return mac.Sum(nil)
}

// ParseToken checks a token made by Token and returns its user and kind;
// ok is false for anything tampered with, cut or made with another key.
func ParseToken(key []byte, token string) (userID int64, kind domain.NotificationKind, ok bool) {
	p, s, found := strings.Cut(token, ".")
	if !found || len(token) > 200 {
		return 0, "", false
	}
	// Strict: one spelling per token (no stray bits in the last character).
	payload, err1 := base64.RawURLEncoding.Strict().DecodeString(p)
	sig, err2 := base64.RawURLEncoding.Strict().DecodeString(s)
	if err1 != nil || err2 != nil || !hmac.Equal(sig, sign(key, string(payload))) {
		return 0, "", false
	}
	id, k, found := strings.Cut(string(payload), ".")
	userID, err := strconv.ParseInt(id, 10, 64)
	kind = domain.NotificationKind(k)
	if !found || err != nil || userID <= 0 || !kind.Valid() {
		return 0, "", false
	}
	return userID, kind, true
}
