package server

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"
)

// backupDeadline is how long a backup download may take.
const backupDeadline = 30 * time.Minute

// backup streams a consistent copy of the database (GET /api/v1/backup,
// editors only). store.Backup writes it with VACUUM INTO from one read
// snapshot, so writes may go on meanwhile; the copy is a temporary file,
// unlinked as soon as it is open (the open file still reads on Unix), so
// nothing is left behind once the response starts, even if the process
// dies while sending.
func (s *Server) backup(c *gin.Context) {
	ctx := c.Request.Context()
	extendDeadlines(c, backupDeadline)
	dir, err := os.MkdirTemp("", "chainscope-backup-")
	if err != nil {
		s.fail(c, err)
		return
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "chainscope.db")
	if err := s.db.Backup(ctx, out); err != nil {
		s.fail(c, err)
		return
	}
	f, err := os.Open(out)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	// Unlinked now, read through f; where an open file cannot be removed,
	// the deferred RemoveAll (after f.Close) does it.
	os.RemoveAll(dir)
	st, err := f.Stat()
	if err != nil {
		s.fail(c, err)
		return
	}
	name := "chainscope-" + s.now().Format("20060102-150405") + ".db"
	h := c.Writer.Header()
	h.Set("Content-Type", "application/vnd.sqlite3")
	h.Set("Content-Disposition", attachment(name, name))
	h.Set("Content-Length", fmt.Sprint(st.Size()))
	h.Set("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, f); err != nil {
		// The client went away; the status is sent, nothing more to say.
		s.log.LogAttrs(ctx, slog.LevelWarn, "backup download cut short", slog.String("error", err.Error()))
	}
}
