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
	EFORBIDDEN = "forbidden" // a write that is not allowed: 403
	EINTERNAL  = "internal"  // anything else: 500, message hidden from users
)

// Error is an application error whose text is safe to show users. An
// error written for both languages holds ZH and EN, and a user reads the
// one of their language (Text); an older error holds one Message, which
// may mix both languages.
type Error struct {
	Code    string
	Message string // one text for every language, when ZH and EN are empty
	ZH, EN  string // the Chinese and the English text
}

// Error returns the Chinese and English texts, for logs and tests.
func (e *Error) Error() string {
	if e.ZH == "" && e.EN == "" {
		return e.Message
	}
	return e.ZH + " / " + e.EN
}

// Text returns the message in lang: English for "en", Chinese otherwise.
// An error with a single Message returns it whatever lang is.
func (e *Error) Text(lang string) string {
	switch {
	case e.ZH == "" && e.EN == "":
		return e.Message
	case lang == "en" && e.EN != "":
		return e.EN
	case e.ZH != "":
		return e.ZH
	}
	return e.EN
}

// Errorf returns an application error with code and one user-facing
// message for every language. Prefer Localizedf for anything new.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Localizedf returns an application error with code and its message in
// Chinese (zh) and English (en). Both formats take the same args; use
// explicit argument indexes (%[2]q) when the two languages order them
// differently or one of them leaves an argument out.
func Localizedf(code, zh, en string, args ...any) *Error {
	return &Error{Code: code, ZH: fmt.Sprintf(zh, args...), EN: fmt.Sprintf(en, args...)}
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

// ErrorMessage returns the user-facing message of err with both languages
// where it has them; errors that are not application errors read
// "内部错误 internal error" so nothing internal leaks. ErrorText gives one
// language.
func ErrorMessage(err error) string {
	var e *Error
	var inv *InvalidError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Error()
	case errors.As(err, &inv):
		return inv.Error()
	}
	return "内部错误 internal error"
}

// ErrorText returns the user-facing message of err in lang ("en" English,
// otherwise Chinese): the application error's text in that language, a
// count of the problems of invalid data, and for anything else only
// 内部错误 / internal error, so nothing internal leaks.
func ErrorText(err error, lang string) string {
	var e *Error
	var inv *InvalidError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Text(lang)
	case errors.As(err, &inv):
		return inv.Text(lang)
	}
	if lang == "en" {
		return "internal error"
	}
	return "内部错误"
}
