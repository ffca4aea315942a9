package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/store"
)

// Request body limits: a dataset upload may be large, every other body is
// one record or a scenario.
const (
	MaxUploadBytes = 50 << 20
	MaxBodyBytes   = 1 << 20
)

// Timeouts of the HTTP server. Uploads and backups extend their own
// deadlines (see extendDeadlines).
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	// shutdownGrace is how long a graceful shutdown waits for requests in
	// flight before it cancels them.
	shutdownGrace = 30 * time.Second
	// refreshEvery is how often the data version is checked for writes by
	// another process.
	refreshEvery = time.Second
	// cacheLimit bounds the encoded responses kept per data version.
	cacheLimit = 256 << 20
)

// Config is what a Server needs. DB is required; the rest have defaults.
type Config struct {
	// DB is the open database the server reads and writes. The server does
	// not close it: whoever opened it closes it after ListenAndServe returns.
	DB *store.DB
	// Logger receives one structured line per request and every internal
	// error; nil means slog.Default().
	Logger *slog.Logger
	// EditorToken enables writes for requests that present it (header
	// "Authorization: Bearer T" or "X-Editor-Token: T"). Empty makes the
	// server read-only: every write answers 403.
	EditorToken string
	// Editors are the named editors: each writes with their own token,
	// and their revisions are recorded under their name. They add to
	// EditorToken, whose writes are recorded as the request's
	// X-Editor-Name or "editor".
	Editors []Editor
	// AnnualTargetWan overrides the annual investment target in 万元 of
	// the dashboard, whatever region the data is of; 0 takes it from the
	// data: the target_wan of the region's latest report that states one
	// (chainscope.TargetReport), else none, and the dashboard then shows
	// no percentage.
	AnnualTargetWan float64
	// Static is the web app served at / (index.html and its assets); nil
	// serves a placeholder page saying the web app is not built yet.
	Static fs.FS
	// Now returns the current time (audit entries); nil means time.Now.
	Now func() time.Time
	// StoreIndexAfter, when not 0, has the server store its analysis index
	// in the database (store.DB.PutSnapshot, for `chainscope analyze`) in
	// the background, once no newer data version has come for that long
	// (see storeindex.go).
	StoreIndexAfter time.Duration
}

// Server serves the chainscope HTTP API and web app over one database. It
// keeps the stored dataset and its analysis index in memory per data
// version and rebuilds them after every write.
type Server struct {
	db        *store.DB
	log       *slog.Logger
	editors   []editorKey // none: read-only
	targetWan float64
	static    fs.FS
	now       func() time.Time
	engine    *gin.Engine
	openapi   []byte

	snap         atomic.Pointer[snapshot]
	past         pastCache    // snapshots of a few past revisions, for ?as_of=
	checked      atomic.Int64 // unix nanoseconds of the last data version check
	refreshEvery time.Duration
	cacheLimit   int64

	// mu serialises writes, and reloads after writes of other processes:
	// each write applies its change to the latest stored dataset, so no
	// two writers can lose each other's update.
	mu sync.Mutex

	// stats counts how the writes of other processes were taken in
	// (follow.go).
	stats struct{ followed, reloaded atomic.Int64 }
	// stopWatch ends the following of the database's announcements;
	// watching waits for it (follow.go).
	stopWatch context.CancelFunc
	watching  sync.WaitGroup
	closeOnce sync.Once

	inflight sync.WaitGroup // requests being served, for shutdown
	closing  atomic.Bool
	warm     warmer      // recomputes the most-read answers after a write (warm.go)
	storer   indexStorer // stores the served index for analyze (storeindex.go)
}

// New builds a server over cfg.DB, loading the stored dataset.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil {
		return nil, errors.New("server: Config.DB is nil")
	}
	s := &Server{
		db:           cfg.DB,
		log:          cfg.Logger,
		targetWan:    cfg.AnnualTargetWan,
		static:       cfg.Static,
		now:          cfg.Now,
		refreshEvery: refreshEvery,
		cacheLimit:   cacheLimit,
		past:         pastCache{limit: 4},
		storer:       indexStorer{after: cfg.StoreIndexAfter},
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.targetWan < 0 {
		s.targetWan = 0
	}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.EditorToken != "" {
		s.editors = append(s.editors, editorKey{sum: sha256.Sum256([]byte(cfg.EditorToken)), name: editorActor, legacy: true})
	}
	for _, ed := range cfg.Editors {
		if err := CheckEditorName(ed.Name); err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		for _, k := range s.editors {
			if k.sum == ed.TokenSHA256 {
				return nil, fmt.Errorf("server: editor %q has the token of %q", ed.Name, k.name)
			}
		}
		s.editors = append(s.editors, editorKey{sum: ed.TokenSHA256, name: ed.Name})
	}
	ctx := context.Background()
	snap, err := s.loadSnapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.snap.Store(snap)
	s.checked.Store(time.Now().UnixNano())
	if s.openapi, err = openAPIDocument(); err != nil {
		return nil, fmt.Errorf("server: openapi: %w", err)
	}
	s.engine = s.routes()
	s.startWatching()
	s.storeIndexLater()
	return s, nil
}

// targetOf is the annual target in 万元 the dashboard of ds measures
// progress against, 0 for none.
func (s *Server) targetOf(ds *chainscope.Dataset) float64 {
	return chainscope.AnnualTargetWan(ds, s.targetWan)
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.engine }

// ListenAndServe listens on addr and serves until ctx is cancelled, then
// shuts down gracefully: it stops accepting connections, lets requests in
// flight finish (up to 30 s, then cancels them) and returns once every
// handler has returned, so the caller may close the database.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return chainscope.Localizedf(chainscope.EINVALID, "无法监听 %s：%v", "cannot listen on %s: %v", addr, err)
	}
	return s.Serve(ctx, ln)
}

// HTTPServer is the net/http server Serve runs h on: its timeouts (a slow
// or stalled client cannot hold a connection open) and header limit. The
// benchmark's bare server (bench/bareserver -like-serve) takes it too, to
// tell what those cost from what chainscope's handlers cost.
func HTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
}

// Serve is ListenAndServe on a listener the caller opened.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	srv := HTTPServer(s.engine)
	srv.BaseContext = func(net.Listener) context.Context { return base }
	srv.ErrorLog = slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)
	s.log.Info("listening", slog.String("addr", "http://"+ln.Addr().String()))
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		s.inflight.Wait()
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.closing.Store(true)
	s.log.Info("shutting down: finishing requests in flight")
	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(grace)
	if err != nil {
		// Requests still running after the grace period: cancel their
		// contexts (a write then rolls back) and close the connections.
		s.log.Warn("shutdown grace period over; cancelling requests", slog.String("error", err.Error()))
		cancelBase()
		srv.Close()
	}
	s.inflight.Wait()
	<-served
	s.Close()
	s.log.Info("stopped")
	return nil
}
