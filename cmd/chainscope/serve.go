package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"strings"
	"time"

	"chainscope"
	"chainscope/server"
	"chainscope/static"
	"chainscope/store"
)

// storeIndexAfter is how long writes must have been quiet before serve
// stores the index of the data it serves (server.Config.StoreIndexAfter).
// Each store rewrites the whole index (~15 MB at province scale, through
// the WAL on both engines), while one edit changes a few hundred bytes: a
// short quiet period would write the index after nearly every edit of a
// working day. Ten minutes stores it in the lulls (lunch, the evening);
// `analyze` between them reads the records, as fast as its targets ask.
var storeIndexAfter = 10 * time.Minute

func init() {
	register("serve", "serve [--db FILE] [--addr HOST:PORT] [--editors FILE] [--editor NAME=TOKEN]... [--editor-token T] [--annual-target-yi N]   运行网页应用和 API serve the web app and API", cmdServe)
	register("backup", "backup --db FILE -o OUT   在线备份数据库（服务运行时也可）a consistent copy of the database, also while serving", cmdBackup)
}

// webApp is the web app served at /: the embedded static/ folder (nil
// would serve a placeholder page).
var webApp fs.FS = static.FS

// editorTokenEnv names the environment variable that holds the editor
// token, which keeps it out of the process list.
const editorTokenEnv = "CHAINSCOPE_EDITOR_TOKEN"

// logFlushInterval is how long a log line may wait in the buffer.
const logFlushInterval = 100 * time.Millisecond

// gcHeadroom is how much the heap may grow between two collections at
// least, while serving.
const gcHeadroom = 64 << 20

func cmdServe(ctx context.Context, e *env, args []string) error {
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	dbPath := flags.String("db", "chainscope.db", "SQLite database file or postgres:// URL; created from the built-in 运城市 dataset when missing or empty")
	addr := flags.String("addr", "127.0.0.1:8080", "listen address HOST:PORT")
	token := flags.String("editor-token", "", "one shared editor token for writes (default $"+editorTokenEnv+
		"), recorded as the request's X-Editor-Name or \"editor\"")
	editorsFile := flags.String("editors", "", "file of named editors, one \"NAME SHA256-OF-TOKEN\" a line (see below)")
	var named editorFlags
	flags.Var(&named, "editor", "a named editor NAME=TOKEN (repeatable; the token shows in the process list, --editors does not); no editor at all: read-only")
	targetYi := flags.Float64("annual-target-yi", 0, "annual investment target in 亿元 for the dashboard "+
		"(default: the target of the region's latest report record (上报数据) that states one — 3000 for the built-in 运城市 data — else none, no percentage)")
	if _, err := parseInterspersed(flags, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			serveHelp(e.stdout, flags)
			return nil
		}
		return err
	}
	if *token == "" {
		*token = os.Getenv(editorTokenEnv)
	}
	*token = strings.TrimSpace(*token)
	editors := []server.Editor(named)
	if *editorsFile != "" {
		fromFile, err := readEditors(*editorsFile)
		if err != nil {
			return err
		}
		editors = append(fromFile, editors...)
	}
	if *targetYi < 0 || math.IsInf(*targetYi, 0) || math.IsNaN(*targetYi) {
		return fmt.Errorf("%w: --annual-target-yi 应为正数 must be a positive number", errUsage)
	}
	// One JSON line per request, written out in batches (see
	// server.LogWriter); the deferred Close writes the rest on the way out.
	logOut := server.NewLogWriter(e.stderr, logFlushInterval)
	defer logOut.Close()
	logger := slog.New(slog.NewJSONHandler(logOut, nil))
	// A city's data is a few MiB: give the collector room (see
	// server.KeepGCHeadroom), unless GOGC says how to collect.
	if os.Getenv("GOGC") == "" {
		defer server.KeepGCHeadroom(gcHeadroom)()
	}
	db, err := openOrSeed(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := server.New(server.Config{
		DB:          db,
		Logger:      logger,
		EditorToken: *token,
		Editors:     editors,
		// Without --annual-target-yi the target is the data's (its report record).
		AnnualTargetWan: *targetYi * chainscope.WanPerYi,
		Static:          webApp,
		// The index of the data served, stored for `chainscope analyze`
		// once writes have been quiet for a while.
		StoreIndexAfter: storeIndexAfter,
	})
	if err != nil {
		return err
	}
	switch {
	case *token == "" && len(editors) == 0:
		logger.Info("no editor token: read-only (set --editors, --editor, --editor-token or " + editorTokenEnv + " to allow writes)")
	default:
		// How many, never who or with what: the file stays out of the log.
		logger.Info("editing enabled", slog.Int("named_editors", len(editors)), slog.Bool("shared_token", *token != ""))
	}
	logger.Info("serving", slog.String("db", db.Path()), slog.String("url", "http://"+*addr))
	srv.WarmUp()
	if err := srv.ListenAndServe(ctx, *addr); err != nil {
		return err
	}
	// Every request has finished: close the database now (the deferred
	// Close is then a no-op) to report a failure to checkpoint.
	return db.Close()
}

// serveHelp prints serve's flags and the editors file format.
func serveHelp(w io.Writer, flags *flag.FlagSet) {
	fmt.Fprintf(w, "用法 usage: chainscope %s\n\n", commands["serve"].usage)
	flags.SetOutput(w)
	flags.PrintDefaults()
	fmt.Fprintf(w, "\n%s\n", editorsFileHelp)
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	flags := flag.NewFlagSet("backup", flag.ContinueOnError)
	dbPath := flags.String("db", "", "SQLite database file or postgres:// URL")
	out := flags.String("o", "", "backup file to create (never overwritten)")
	if _, err := parseInterspersed(flags, args); err != nil {
		return err
	}
	if err := required("db", *dbPath); err != nil {
		return err
	}
	if err := required("o", *out); err != nil {
		return err
	}
	if _, err := os.Stat(*dbPath); !store.IsPostgresURL(*dbPath) && errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("数据库不存在 no database at %s", *dbPath)
	}
	db, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已备份 backed up %s → %s\n", store.SafeTarget(*dbPath), *out)
	return nil
}
