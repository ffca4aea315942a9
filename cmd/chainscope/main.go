// Command chainscope explores industrial-chain graphs: it imports, checks,
// stores, analyses and serves a region's chain data. Run `chainscope help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"

	"chainscope"
)

// command is one subcommand: its one-line help and its body.
type command struct {
	usage string
	run   func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch: its output streams and whether stderr is
// a terminal (progress bars only there).
type env struct {
	stdout, stderr io.Writer
	tty            bool
}

var commands = map[string]command{}

func register(name, usage string, run func(context.Context, *env, []string) error) {
	commands[name] = command{usage: usage, run: run}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// CHAINSCOPE_CPUPROFILE=FILE writes a CPU profile of the command, for
	// the benchmark scripts and whoever measures (go tool pprof FILE).
	if path := os.Getenv("CHAINSCOPE_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
		}
	}
	batchHeap(os.Args[1:])
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, isTerminal(os.Stderr))
	pprof.StopCPUProfile()
	stop()
	os.Exit(code)
}

// errUsage marks a command line that could not be understood (exit 2).
var errUsage = errors.New("usage")

// run executes one command line and returns the exit status: 0 success,
// 1 failure, 2 a command line it does not understand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, tty bool) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "chainscope: 未知命令 unknown command %q (chainscope help)\n", args[0])
		return 2
	}
	err := cmd.run(ctx, &env{stdout: stdout, stderr: stderr, tty: tty}, args[1:])
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		// Asked for: the usage on stdout, and success.
		fmt.Fprintf(stdout, "用法 usage: chainscope %s\n", cmd.usage)
		return 0
	}
	if errors.Is(err, errUsage) {
		fmt.Fprintf(stderr, "chainscope %s: %v\n", args[0], err)
		fmt.Fprintf(stderr, "用法 usage: chainscope %s\n", cmd.usage)
		return 2
	}
	var inv *chainscope.InvalidError
	if errors.As(err, &inv) {
		fmt.Fprintf(stderr, "chainscope %s: %s\n", args[0], inv.Error())
		printProblems(stderr, inv.Problems)
		return 1
	}
	fmt.Fprintf(stderr, "chainscope %s: %v\n", args[0], err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "chainscope — 产业链图谱分析 industrial-chain graph explorer")
	fmt.Fprintln(w, "\n用法 usage:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  chainscope %s\n", commands[n].usage)
	}
	fmt.Fprintln(w, "\n--db FILE: SQLite 数据库文件，或 PostgreSQL 连接 URL（postgres://用户@主机:5432/库名；密码可来自 PGPASSWORD 或 PGPASSFILE 文件）")
	fmt.Fprintln(w, "           an SQLite file, or a PostgreSQL URL (the password may come from PGPASSWORD or a PGPASSFILE file) (SPEC §10)")
}

func printProblems(w io.Writer, problems []chainscope.Problem) {
	for _, p := range problems {
		fmt.Fprintf(w, "  - %s\n", p)
	}
}

// parseInterspersed parses flags that may stand before, between or after
// the positional arguments (`import a.json --mode merge b.json`).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%w: %w", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func required(name, value string) error {
	if strings.TrimSpace(value) == "" {
		return fmt.Errorf("%w: 缺少参数 missing --%s", errUsage, name)
	}
	return nil
}

// asOfFlag adds the --as-of flag every reading command shares (SPEC §8).
func asOfFlag(fs *flag.FlagSet) *string {
	return fs.String("as-of", "", "a revision number or a date YYYY-MM-DD: the data as it was right after it")
}

// checkLang refuses a --lang that is neither zh nor en.
func checkLang(lang string) error {
	if lang != "zh" && lang != "en" {
		return fmt.Errorf("%w: --lang 应为 zh 或 en, got %q", errUsage, lang)
	}
	return nil
}
