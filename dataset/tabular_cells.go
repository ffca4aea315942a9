package dataset

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"chainscope"

	"github.com/xuri/excelize/v2"
)

// Cell values, shared by the CSV and xlsx readers and writers: how a cell
// is read into a field, and how a field is written back.

// isListSep reports whether r separates the items of a list cell.
func isListSep(r rune) bool {
	switch r {
	case ';', '；', ',', '，', '、':
		return true
	}
	return false
}

// splitList splits a list cell on ; ； , ， 、, trims the items and drops
// empty ones. An empty cell is an empty, non-nil list.
func splitList(s string) []string {
	n := 0
	inItem := false
	for _, r := range s {
		if isListSep(r) {
			inItem = false
		} else if !inItem && !unicode.IsSpace(r) {
			inItem = true
			n++
		}
	}
	if n == 0 {
		return []string{}
	}
	out := make([]string, 0, n)
	for {
		i := strings.IndexFunc(s, isListSep)
		item := s
		if i >= 0 {
			item = s[:i]
		}
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
		if i < 0 {
			return out
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		s = s[i+w:]
	}
}

// joinList is the inverse of splitList for ids that contain no separator.
func joinList(items []string) string { return strings.Join(items, ";") }

// ParseBool reads a boolean as SPEC §3 writes it — true/false, 1/0, 是/否,
// Y/N — and the variants ledgers use: yes/no, t/f, √/×, 非; any case,
// surrounding spaces ignored. An empty text is false (a blank cell); ok is
// false for anything else. It is the one boolean rule of the product: the
// tabular readers and the API's query parameters both use it.
func ParseBool(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "0", "否", "n", "no", "f", "×", "非":
		return false, true
	case "true", "1", "是", "y", "yes", "t", "√":
		return true, true
	}
	return false, false
}

// boolText is how the writers spell a boolean.
func boolText(v bool) string {
	if v {
		return "是"
	}
	return "否"
}

// unknownAmounts are what ledgers write for "not known".
var unknownAmounts = map[string]bool{"-": true, "—": true, "——": true, "–": true, "/": true}

// parseAmount reads a number of the column's unit and returns it in 万元:
// thousands separators and spaces are dropped; an empty cell is nil
// (unknown). The scaling is done on the decimal text, so 0.07 亿元 is
// exactly 700 万元.
func parseAmount(s string, scale float64) (*float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || unknownAmounts[s] {
		return nil, true
	}
	num, ok := numberText(s)
	if !ok {
		return nil, false
	}
	v, err := strconv.ParseFloat(num, 64)
	if err == nil && scale != 1 {
		// Scale the shortest decimal text of v, so that 0.07 亿元 is 700 万元
		// exactly, even when a workbook stored 0.07 as 7.0000000000000007E-2.
		v, err = strconv.ParseFloat(string(shiftDecimal(strconv.AppendFloat(nil, v, 'g', -1, 64), scaleDigits(scale))), 64)
	}
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return nil, false
	}
	return &v, true
}

// numberText returns the plain number text of an amount cell — full-width
// digits made ASCII, thousands separators and spaces dropped — or
// false when the cell holds something else.
func numberText(s string) (string, bool) {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= '0' && c <= '9' || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E'
	}
	if plain {
		return s, true
	}
	var b []byte
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		switch {
		case r >= '0' && r <= '9', r == '.', r == '+', r == '-', r == 'e', r == 'E':
			b = append(b, byte(r))
		case r >= '０' && r <= '９':
			b = append(b, byte('0'+r-'０'))
		case r == '．':
			b = append(b, '.')
		case r == '−', r == '－': // a minus sign as word processors and IMEs type it
			b = append(b, '-')
		case r == ',', r == '，', unicode.IsSpace(r):
			// thousands separator
		default:
			return "", false
		}
	}
	return string(b), len(b) > 0
}

// scaleDigits is log10 of a unit scale (1 or 10 000).
func scaleDigits(scale float64) int { return int(math.Round(math.Log10(scale))) }

// shiftDecimal multiplies a decimal number text by 10^k by adjusting its
// exponent, so that no binary rounding happens before ParseFloat.
func shiftDecimal(b []byte, k int) []byte {
	i := strings.IndexAny(string(b), "eE")
	if i < 0 {
		return strconv.AppendInt(append(b, 'e'), int64(k), 10)
	}
	exp, err := strconv.Atoi(string(b[i+1:]))
	if err != nil {
		return b // ParseFloat will refuse it
	}
	return strconv.AppendInt(b[:i+1], int64(exp+k), 10)
}

// amountText writes an amount exactly: the shortest text that reads back
// as the same float64.
func amountText(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

var stageWords = map[string]chainscope.Stage{
	"upstream": chainscope.StageUpstream, "上游": chainscope.StageUpstream, "上游环节": chainscope.StageUpstream,
	"midstream": chainscope.StageMidstream, "中游": chainscope.StageMidstream, "中游环节": chainscope.StageMidstream,
	"downstream": chainscope.StageDownstream, "下游": chainscope.StageDownstream, "下游环节": chainscope.StageDownstream,
	"support": chainscope.StageSupport, "配套": chainscope.StageSupport, "配套环节": chainscope.StageSupport,
}

var statusWords = map[string]chainscope.Status{
	"signed": chainscope.StatusSigned, "签约": chainscope.StatusSigned, "已签约": chainscope.StatusSigned,
	"started": chainscope.StatusStarted, "开工": chainscope.StatusStarted, "已开工": chainscope.StatusStarted,
	"在建": chainscope.StatusStarted, "新开工": chainscope.StatusStarted, "续建": chainscope.StatusStarted,
	"operating": chainscope.StatusOperating, "投产": chainscope.StatusOperating, "已投产": chainscope.StatusOperating,
	"运营": chainscope.StatusOperating, "建成投产": chainscope.StatusOperating, "竣工投产": chainscope.StatusOperating,
	"stalled": chainscope.StatusStalled, "停滞": chainscope.StatusStalled, "停工": chainscope.StatusStalled,
	"停建": chainscope.StatusStalled, "暂停": chainscope.StatusStalled,
	"cancelled": chainscope.StatusCancelled, "canceled": chainscope.StatusCancelled, "终止": chainscope.StatusCancelled,
	"已终止": chainscope.StatusCancelled, "取消": chainscope.StatusCancelled, "已取消": chainscope.StatusCancelled,
}

var kindWords = map[string]chainscope.Kind{
	"district": chainscope.KindDistrict, "区": chainscope.KindDistrict, "市辖区": chainscope.KindDistrict,
	"county": chainscope.KindCounty, "县": chainscope.KindCounty,
	"city": chainscope.KindCity, "县级市": chainscope.KindCity, "市": chainscope.KindCity,
	"zone": chainscope.KindZone, "开发区": chainscope.KindZone, "园区": chainscope.KindZone,
	"经济开发区": chainscope.KindZone, "经济技术开发区": chainscope.KindZone, "高新区": chainscope.KindZone,
	"高新技术产业开发区": chainscope.KindZone, "工业园区": chainscope.KindZone, "产业园区": chainscope.KindZone,
}

// lookupWord looks a stage, status or kind up by its English constant (any case)
// or Chinese word; an unknown value comes back trimmed, for Build to report.
func lookupWord[T ~string](words map[string]T, s string) T {
	s = strings.TrimSpace(s)
	if v, ok := words[s]; ok {
		return v
	}
	if v, ok := words[strings.ToLower(s)]; ok {
		return v
	}
	return T(s)
}

func parseStage(s string) chainscope.Stage { return lookupWord(stageWords, s) }

// leadStageWords are the words of the lead stages (SPEC §9).
var leadStageWords = map[string]chainscope.LeadStage{
	"visited": chainscope.LeadVisited, "走访": chainscope.LeadVisited, "已走访": chainscope.LeadVisited,
	"intent": chainscope.LeadIntent, "意向": chainscope.LeadIntent, "有意向": chainscope.LeadIntent,
	"inspected": chainscope.LeadInspected, "考察": chainscope.LeadInspected, "来考察": chainscope.LeadInspected, "已考察": chainscope.LeadInspected,
	"negotiating": chainscope.LeadNegotiating, "洽谈": chainscope.LeadNegotiating, "在谈": chainscope.LeadNegotiating,
	"signed": chainscope.LeadSigned, "签约": chainscope.LeadSigned, "已签约": chainscope.LeadSigned,
	"dropped": chainscope.LeadDropped, "放弃": chainscope.LeadDropped, "已放弃": chainscope.LeadDropped,
}

func parseLeadStage(s string) chainscope.LeadStage { return lookupWord(leadStageWords, s) }
func leadStageText(v chainscope.LeadStage) string  { return labelOr(v.Label(), string(v)) }
func parseStatus(s string) chainscope.Status       { return lookupWord(statusWords, s) }
func parseKind(s string) chainscope.Kind           { return lookupWord(kindWords, s) }
func stageText(v chainscope.Stage) string          { return labelOr(v.Label(), string(v)) }
func statusText(v chainscope.Status) string        { return labelOr(v.Label(), string(v)) }
func kindText(v chainscope.Kind) string            { return labelOr(v.Label(), string(v)) }
func labelOr(label, value string) string {
	if label == "" {
		return value
	}
	return label
}

// normDate writes a recognised date — 2024-03-15, 2024/3/15, 2024.3.15,
// 2024年3月15日, 20240315, with or without a time after it — as
// YYYY-MM-DD. Anything else comes back trimmed, for Build to report.
func normDate(s string) string {
	s = strings.TrimSpace(s)
	if y, m, d, ok := parseYMD(s); ok {
		return ymd(y, m, d)
	}
	return s
}

func ymd(y, m, d int) string {
	b := make([]byte, 0, 10)
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
	return string(b)
}

// leadingDigits reads up to maxN ASCII digits from s.
func leadingDigits(s string, maxN int) (v, n int) {
	for n < len(s) && n < maxN && s[n] >= '0' && s[n] <= '9' {
		v = v*10 + int(s[n]-'0')
		n++
	}
	return v, n
}

func parseYMD(s string) (y, m, d int, ok bool) {
	y, n := leadingDigits(s, 4)
	if n != 4 {
		return 0, 0, 0, false
	}
	rest := s[4:]
	if len(s) >= 8 {
		if v, k := leadingDigits(s, 9); k == 8 && (len(s) == 8 || s[8] == ' ' || s[8] == 'T') {
			y, m, d = v/10000, v/100%100, v%100
			return y, m, d, calendarDate(y, m, d)
		}
	}
	var sep, msep, dsep string
	switch {
	case strings.HasPrefix(rest, "-"), strings.HasPrefix(rest, "/"), strings.HasPrefix(rest, "."):
		sep = rest[:1]
		msep = sep
	case strings.HasPrefix(rest, "年"):
		sep, msep, dsep = "年", "月", "日"
	default:
		return 0, 0, 0, false
	}
	rest = rest[len(sep):]
	m, n = leadingDigits(rest, 2)
	if n == 0 || !strings.HasPrefix(rest[n:], msep) {
		return 0, 0, 0, false
	}
	rest = rest[n+len(msep):]
	d, n = leadingDigits(rest, 2)
	if n == 0 {
		return 0, 0, 0, false
	}
	rest = rest[n:]
	if dsep != "" {
		rest = strings.TrimPrefix(rest, dsep)
	}
	if rest != "" && rest[0] != ' ' && rest[0] != 'T' {
		return 0, 0, 0, false
	}
	return y, m, d, calendarDate(y, m, d)
}

func calendarDate(y, m, d int) bool {
	if y < 1 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// Excel date serials accepted in date columns: 1950-01-01 to 2099-12-31.
// A smaller number is more likely a year or a typo than a date.
const (
	minSerial = 18264
	maxSerial = 73051
)

// serialDate reads an Excel date serial (days since 1900, or 1904), as a
// date cell holds it, into YYYY-MM-DD.
func serialDate(s string, date1904 bool) (string, bool) {
	if s == "" || !(s[0] >= '0' && s[0] <= '9') {
		return "", false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < minSerial || v >= maxSerial {
		return "", false
	}
	tm, err := excelize.ExcelDateToTime(math.Floor(v), date1904)
	if err != nil {
		return "", false
	}
	return ymd(tm.Year(), int(tm.Month()), tm.Day()), true
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
