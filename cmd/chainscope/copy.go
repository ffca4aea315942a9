package main

import (
	"context"
	"flag"
	"fmt"

	"chainscope/store"
)

func init() {
	register("copy", "copy --from DB --to DB [--force]   连同全部修订历史复制数据库（SQLite 文件或 postgres:// 地址，任意方向）copy a database with its whole history between SQLite and PostgreSQL", cmdCopy)
}

// cmdCopy moves a database with its history from one engine to another
// (or to another file or server of the same engine).
func cmdCopy(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	from := fs.String("from", "", "source database: SQLite file or postgres:// URL")
	to := fs.String("to", "", "target database: SQLite file or postgres:// URL (created if it does not exist)")
	force := fs.Bool("force", false, "替换目标数据库已有的数据 replace what the target database holds")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: 多余的参数 unexpected argument %q", errUsage, pos[0])
	}
	if err := required("from", *from); err != nil {
		return err
	}
	if err := required("to", *to); err != nil {
		return err
	}
	src, err := openExisting(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openStore(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	update, finish := e.progress("复制 copying")
	stats, err := store.Copy(ctx, dst, src, store.CopyOptions{Force: *force, Progress: update})
	finish()
	if err != nil {
		return fmt.Errorf("复制失败，目标数据库未改变 copy failed, target unchanged: %w", err)
	}
	storeSnapshot(ctx, e, dst) // Copy leaves the target without the stored index
	fmt.Fprintf(e.stdout, "已复制 copied %s → %s: %d 行 rows, %d 个修订 revisions\n", src.Path(), dst.Path(), stats.Rows, stats.Revisions)
	return nil
}
