package chainscope

import "testing"

func TestFormatAmount(t *testing.T) {
	for _, c := range []struct {
		wan  float64
		lang string
		want string
	}{
		{14813700, "zh", "1,481.37 亿元"},
		{9000, "zh", "0.90 亿元"},
		{0, "zh", "0.00 亿元"},
		{131829400, "zh", "13,182.94 亿元"},
		{500, "zh", "0.05 亿元"},
		{-0.1, "zh", "0.00 亿元"},
		{14813700, "en", "CNY 148,137 m"},
		{9000, "en", "CNY 90 m"},
		{0, "en", "CNY 0 m"},
		{123, "en", "CNY 1 m"},
	} {
		if got := FormatAmount(c.wan, c.lang); got != c.want {
			t.Errorf("FormatAmount(%v, %q) = %q, want %q", c.wan, c.lang, got, c.want)
		}
	}
	if got := FormatYiNumber(10600 * 10000); got != "10,600.00" {
		t.Errorf("FormatYiNumber = %q", got)
	}
}

func TestFormatCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 10600: "10,600", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := FormatCount(n); got != want {
			t.Errorf("FormatCount(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestRegionLevel(t *testing.T) {
	if (Region{Code: "140000"}).Level() != LevelProvince || (Region{Code: "140800"}).Level() != LevelCity || (Region{Code: "X1"}).Level() != LevelCity {
		t.Error("Region.Level")
	}
}
