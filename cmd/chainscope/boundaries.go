package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"chainscope"
	"chainscope/dataset"
	"chainscope/graph"
	"chainscope/render"
	"chainscope/server"
	"chainscope/store"
	"chainscope/yuncheng"
)

func init() {
	register("import-boundaries", "import-boundaries --db FILE GEOJSON   导入县区边界（地图用）import county boundaries for the cluster map", cmdImportBoundaries)
	register("map", "map --db FILE --chain ID [--metric completeness|investment|relatedness] [--lang zh|en] -o FILE   产业集群分布图 SVG the cluster map of a chain", cmdMap)
}

func cmdImportBoundaries(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import-boundaries", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if err := required("db", *dbPath); err != nil {
		return err
	}
	if len(paths) != 1 {
		return fmt.Errorf("%w: 需要一个 GeoJSON 文件 one GEOJSON file is required", errUsage)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		return fmt.Errorf("无法读取 cannot read %s: %w", paths[0], err)
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ds, err := db.Load(ctx)
	if err != nil {
		return err
	}
	bs, err := dataset.ReadBoundaries(data, paths[0], ds)
	if err != nil {
		return err
	}
	if err := db.SetBoundaries(ctx, bs); err != nil {
		return fmt.Errorf("导入失败，数据库未改变 import failed, database unchanged: %w", err)
	}
	storeSnapshot(ctx, e, db) // the write moved the data version
	fmt.Fprintf(e.stdout, "已导入 imported %d 个县区边界 county boundaries into %s\n", len(bs), store.SafeTarget(*dbPath))
	return nil
}

func cmdMap(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("map", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	chain := fs.String("chain", "", "chain id")
	metric := fs.String("metric", string(render.MetricCompleteness), "completeness | investment | relatedness")
	lang := fs.String("lang", "zh", "zh | en")
	out := fs.String("o", "", "output file; - for standard output")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	for _, r := range []struct{ name, v string }{{"db", *dbPath}, {"chain", *chain}, {"o", *out}} {
		if err := required(r.name, r.v); err != nil {
			return err
		}
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if _, err := render.ParseMapMetric(*metric); err != nil {
		return fmt.Errorf("%w: --metric: %v", errUsage, err)
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ds, err := db.Load(ctx)
	if err != nil {
		return err
	}
	bounds, err := db.Boundaries(ctx)
	if err != nil {
		return err
	}
	ix, err := graph.NewIndex(ds)
	if err != nil {
		return err
	}
	date, err := server.DataDate(ctx, db, "")
	if err != nil {
		return err
	}
	body, err := server.MapSVG(ds, ix, bounds, *chain, *metric, *lang, date)
	if err != nil {
		return err
	}
	return writeOutput(*out, e.stdout, func(w io.Writer) error { _, err := w.Write(body); return err })
}

// seedBuiltin stores the built-in 运城市 dataset and its county boundaries
// (vendored with it, see yuncheng/boundaries) in db.
func seedBuiltin(ctx context.Context, db *store.DB) (*chainscope.Dataset, error) {
	ds, err := yuncheng.Dataset()
	if err != nil {
		return nil, err
	}
	bs, err := yuncheng.Boundaries(ds)
	if err != nil {
		return nil, err
	}
	if err := db.ReplaceWith(ctx, ds, store.ReplaceOptions{Meta: cliMeta(initSummary)}); err != nil {
		return nil, err
	}
	return ds, db.SetBoundaries(ctx, bs)
}
