package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"chainscope"
)

// Error codes of the HTTP layer alone, beside the application codes of
// package chainscope; statusOf maps both.
const (
	eUnauthorized = "unauthorized"       // no or a wrong editor token: 401
	eReadOnly     = "read_only"          // a write to a server with no editor: 403
	eBadParameter = "bad_parameter"      // a query parameter that is missing or malformed: 400
	eTooLarge     = "payload_too_large"  // a request body over its limit: 413
	eMethod       = "method_not_allowed" // a known path with another method: 405
	eUnavailable  = "unavailable"        // shutting down or the database does not answer: 503
)

// statusOf is the one place where an error code becomes an HTTP status.
func statusOf(code string) int {
	switch code {
	case chainscope.EINVALID, eBadParameter:
		return http.StatusBadRequest
	case chainscope.ENOTFOUND:
		return http.StatusNotFound
	case chainscope.ECONFLICT:
		return http.StatusConflict
	case chainscope.EFORBIDDEN, eReadOnly:
		return http.StatusForbidden
	case eUnauthorized:
		return http.StatusUnauthorized
	case eTooLarge:
		return http.StatusRequestEntityTooLarge
	case eMethod:
		return http.StatusMethodNotAllowed
	case eUnavailable:
		return http.StatusServiceUnavailable
	case ePrecondition:
		return http.StatusPreconditionFailed
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON body of every error response (SPEC §7): a message
// safe to show users in the language the request asks for (see
// requestLang), a stable code a client can act on, and for invalid data
// every problem found (SPEC §4: sheet, row, column, value, message).
type ErrorBody struct {
	Error    string               `json:"error"`
	Code     string               `json:"code"`
	Problems []chainscope.Problem `json:"problems,omitempty"`
}

// requestLang is the language of the answer to r: "en" when the first
// tag of its Accept-Language starts with "en", "zh" otherwise (also when
// there is none): the product speaks Chinese first.
func requestLang(r *http.Request) string {
	al := r.Header.Get("Accept-Language")
	first, _, _ := strings.Cut(al, ",")
	first, _, _ = strings.Cut(first, ";")
	first = strings.TrimSpace(first)
	if len(first) >= 2 && strings.EqualFold(first[:2], "en") {
		return "en"
	}
	return "zh"
}

// internalBody is all a user sees of an error that is not an
// application error; the details go to the log.
func internalBody(lang string) ErrorBody {
	return ErrorBody{Error: chainscope.ErrorText(errors.New("internal"), lang), Code: chainscope.EINTERNAL}
}

// errorResponse turns err into a status and a body in lang. Invalid data
// with problems is 422 Unprocessable Entity, so a client can tell "your
// request is malformed" (400) from "your data breaks a rule" (422).
func errorResponse(err error, lang string) (int, ErrorBody) {
	var inv *chainscope.InvalidError
	if errors.As(err, &inv) && len(inv.Problems) > 0 {
		return http.StatusUnprocessableEntity, ErrorBody{Error: inv.Text(lang), Code: chainscope.EINVALID, Problems: inv.Problems}
	}
	if unreachable(err) {
		err = errUnreachable
	}
	code := chainscope.ErrorCode(err)
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		return status, internalBody(lang)
	}
	return status, ErrorBody{Error: chainscope.ErrorText(err, lang), Code: code}
}

// fail writes err as a JSON error response in the request's language and
// ends the request: the one place the server writes an error. Errors that
// are not application errors are logged with the request; users only
// read 内部错误 / internal error.
func (s *Server) fail(c *gin.Context, err error) {
	status, body := errorResponse(err, requestLang(c.Request))
	if status >= http.StatusInternalServerError {
		s.log.LogAttrs(c.Request.Context(), slog.LevelError, "request failed",
			slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
			slog.Int("status", status), slog.String("error", err.Error()))
	}
	writeJSON(c, status, body)
	c.Abort()
}

// invalidErr is a malformed-request error (400) with its message in
// Chinese and English (formats as chainscope.Localizedf).
func invalidErr(zh, en string, args ...any) error {
	return chainscope.Localizedf(chainscope.EINVALID, zh, en, args...)
}

// paramErr is a missing or malformed query parameter (400).
func paramErr(zh, en string, args ...any) error {
	return chainscope.Localizedf(eBadParameter, zh, en, args...)
}

// notFoundErr is an unknown-thing error (404).
func notFoundErr(zh, en string, args ...any) error {
	return chainscope.Localizedf(chainscope.ENOTFOUND, zh, en, args...)
}
