package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"chainscope"
)

// Backup writes a consistent copy of the database to the new file out while
// other goroutines and processes go on reading and writing: the copy is the
// last dataset committed when the backup started (VACUUM INTO reads one WAL
// snapshot), compacted, and opens with Open like any database. Backup
// refuses to overwrite an existing file (code chainscope.ECONFLICT), and
// out appears only once it is complete and synced to disk. On PostgreSQL it
// refuses (EINVALID), naming pg_dump, the tool operations use there.
func (db *DB) Backup(ctx context.Context, out string) error {
	if db.pg != nil {
		return chainscope.Localizedf(chainscope.EINVALID,
			"PostgreSQL 数据库请用 pg_dump 备份（例如 pg_dump -Fc -f %s 数据库地址）；历史记录随之备份",
			"back up a PostgreSQL database with pg_dump (e.g. pg_dump -Fc -f %s DATABASE-URL); its history goes with it", out)
	}
	if _, err := os.Lstat(out); err == nil {
		return exists(out)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup %s: %w", out, err)
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("backup %s: %w", out, err)
	}
	// Write beside out under a temporary name, then link it into place:
	// nobody ever sees a half-written backup at out, and the link fails
	// rather than replace a file that appeared meanwhile.
	tmp, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".*.partial")
	if err != nil {
		return fmt.Errorf("backup %s: %w", out, err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName)

	// VACUUM INTO accepts an existing empty file. It runs on its own
	// connection, in a read transaction of this database: writers go on.
	if _, err := db.backup.ExecContext(ctx, `VACUUM INTO ?`, tmpName); err != nil {
		return fmt.Errorf("backup %s: %w", out, err)
	}
	if err := syncFile(tmpName); err != nil {
		return fmt.Errorf("backup %s: %w", out, err)
	}
	if err := os.Link(tmpName, abs); err != nil {
		if errors.Is(err, os.ErrExist) {
			return exists(out)
		}
		// A file system without hard links: rename, having checked again.
		if _, serr := os.Lstat(abs); serr == nil {
			return exists(out)
		}
		if err := os.Rename(tmpName, abs); err != nil {
			return fmt.Errorf("backup %s: %w", out, err)
		}
	}
	return nil
}

func exists(out string) error {
	return chainscope.Localizedf(chainscope.ECONFLICT,
		"%s 已存在，不覆盖", "%s already exists; not overwriting it", out)
}

// syncFile flushes a written file to stable storage.
func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
