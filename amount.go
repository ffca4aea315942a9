package chainscope

import (
	"math"
	"strconv"
	"strings"
)

// WanPerYi is how many 万元 make one 亿元.
const WanPerYi = 10000

// FormatAmount writes an amount held in 万元 the way an officer reads it,
// the one rule for every Go caller (SVG, workbooks, CLI): in Chinese 亿元
// with two decimals and digit grouping ("1,481.37 亿元", "0.90 亿元"); in
// English millions of yuan with grouping ("CNY 148,137 m", "CNY 90 m"),
// which keeps exactly the precision of the Chinese form (0.01 亿元 =
// CNY 1 m). lang is "en" for English, anything else Chinese. The web app's
// i18n.js yi() writes the same text.
func FormatAmount(wan float64, lang string) string {
	if lang == "en" {
		return "CNY " + groupDigits(strconv.FormatFloat(math.Round(wan/100), 'f', 0, 64)) + " m"
	}
	return FormatYiNumber(wan) + " 亿元"
}

// FormatYiNumber writes an amount held in 万元 as a bare number of 亿元
// with two decimals and grouping ("1,481.37"), for a column whose header
// names the unit.
func FormatYiNumber(wan float64) string {
	return groupDigits(strconv.FormatFloat(wan/WanPerYi, 'f', 2, 64))
}

// FormatCount writes a count an officer reads with digit grouping
// ("10,600"), in either language: the same rule as the amounts.
func FormatCount(n int) string {
	return groupDigits(strconv.Itoa(n))
}

// groupDigits puts a comma between each three digits of the integer part
// of a decimal text.
func groupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	if s == "0" || s == "0.00" {
		sign = "" // no "-0.00"
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String() + frac
}
