package chainscope

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer; the server maps them to HTTP statuses.
const (
	EINVALID   = "invalid"   // bad input: 400 (or 422 with problems)
	ENOTFOUND  = "not_found" // unknown area, chain or id: 404
	ECONFLICT  = "conflict"  // a write that clashes with stored data: 409
	EFORBIDDEN = "forbidden" // a write without the editor token: 403
	EINTERNAL  = "internal"  // anything else: 500, message hidden from users
)

// Error is an application error whose Message is safe to show users.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an application error with code and a user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the application error inside err: EINVALID
// for validation problems, EINTERNAL for anything that is not ours.
func ErrorCode(err error) string {
	var e *Error
	var inv *InvalidError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.As(err, &inv):
		return EINVALID
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; errors that are not
// application errors read "内部错误 internal error" so nothing internal leaks.
func ErrorMessage(err error) string {
	var e *Error
	var inv *InvalidError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	case errors.As(err, &inv):
		return inv.Error()
	}
	return "内部错误 internal error"
}
