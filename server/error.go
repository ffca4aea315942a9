package server

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"chainscope"
)

// Error codes of the HTTP layer alone, beside the application codes of
// package chainscope; statusOf maps both.
const (
	eUnauthorized = "unauthorized" // no or a wrong editor token: 401
	eTooLarge     = "too_large"    // a request body over its limit: 413
	eMethod       = "method"       // a known path with another method: 405
	eUnavailable  = "unavailable"  // shutting down or the database does not answer: 503
)

// internalMessage is all a user sees of an error that is not an
// application error; the details go to the log.
const internalMessage = "内部错误 internal error"

// statusOf is the one place where an error code becomes an HTTP status.
func statusOf(code string) int {
	switch code {
	case chainscope.EINVALID:
		return http.StatusBadRequest
	case chainscope.ENOTFOUND:
		return http.StatusNotFound
	case chainscope.ECONFLICT:
		return http.StatusConflict
	case chainscope.EFORBIDDEN:
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

// ErrorBody is the JSON body of every error response: a message safe to
// show users, Chinese first, and for invalid data every problem found
// (SPEC §4: sheet, row, column, value, message).
type ErrorBody struct {
	Error    string               `json:"error"`
	Problems []chainscope.Problem `json:"problems,omitempty"`
}

// errorResponse turns err into a status and a body. Invalid data with
// problems is 422 Unprocessable Entity, so a client can tell "your request
// is malformed" (400) from "your data breaks a rule" (422).
func errorResponse(err error) (int, ErrorBody) {
	var inv *chainscope.InvalidError
	if errors.As(err, &inv) && len(inv.Problems) > 0 {
		return http.StatusUnprocessableEntity, ErrorBody{Error: inv.Error(), Problems: inv.Problems}
	}
	code := chainscope.ErrorCode(err)
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		return status, ErrorBody{Error: internalMessage}
	}
	return status, ErrorBody{Error: chainscope.ErrorMessage(err)}
}

// fail writes err as a JSON error response and ends the request. Errors
// that are not application errors are logged with the request; users only
// read "内部错误 internal error".
func (s *Server) fail(c *gin.Context, err error) {
	status, body := errorResponse(err)
	if status >= http.StatusInternalServerError {
		s.log.LogAttrs(c.Request.Context(), slog.LevelError, "request failed",
			slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
			slog.Int("status", status), slog.String("error", err.Error()))
	}
	writeJSON(c, status, body)
	c.Abort()
}

// invalidf is a malformed-request error (400) with a user-facing message.
func invalidf(format string, args ...any) error {
	return chainscope.Errorf(chainscope.EINVALID, format, args...)
}

// notFoundf is an unknown-thing error (404) with a user-facing message.
func notFoundf(format string, args ...any) error {
	return chainscope.Errorf(chainscope.ENOTFOUND, format, args...)
}
