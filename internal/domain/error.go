// Package domain holds the types, validation and permission rules of Thi Đua.
// It imports no database, HTTP or template package: those layers depend on it,
// never the reverse.
package domain

import (
	"errors"
	"fmt"
)

// Error codes. The server maps each one to an HTTP status in one place.
const (
	ECONFLICT     = "conflict"     // stale version, duplicate, illegal state change
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed
	EINTERNAL     = "internal"     // a bug or an outage; details only in the log
	EINVALID      = "invalid"      // bad input, shown back to the user
	ENOTFOUND     = "not_found"    // no such object, or not visible to the user
	ETOOLARGE     = "too_large"    // request body over its limit
	ETOOMANY      = "too_many"     // throttled
	EUNAUTHORIZED = "unauthorized" // not signed in
	EUNSUPPORTED  = "unsupported"  // media type not accepted
)

// Error is a failure the user may be told about. Message is a key of the
// message catalogue, so the text follows the user's language.
type Error struct {
	Code    string
	Message string
	Args    []any
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Args) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Args)
	}
	return e.Code + ": " + e.Message
}

// Errorf returns an *Error with the given code, catalogue key and arguments.
func Errorf(code, message string, args ...any) *Error {
	return &Error{Code: code, Message: message, Args: args}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the catalogue key and arguments of err, or the generic
// internal error message for errors that are not *Error.
func ErrorMessage(err error) (string, []any) {
	var e *Error
	if errors.As(err, &e) {
		return e.Message, e.Args
	}
	return "error.internal", nil
}

// FieldErrors maps a form field name to the catalogue key of its problem.
type FieldErrors map[string]string

// Add records the first problem of a field.
func (f FieldErrors) Add(field, message string) {
	if _, ok := f[field]; !ok {
		f[field] = message
	}
}

// Err returns an EINVALID *ValidationError when there are problems, else nil.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Fields: f}
}

// ValidationError carries the problems of a form so the form can be shown
// again, with the user's input kept and each problem beside its field.
type ValidationError struct {
	Fields FieldErrors
}

// Error implements the error interface.
func (v *ValidationError) Error() string {
	return fmt.Sprintf("invalid: %v", map[string]string(v.Fields))
}
