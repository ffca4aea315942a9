package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// boldFactor widens a measurement for bold text.
const boldFactor = 1.06

// textWidth estimates the advance width of s set in a CJK sans-serif font at
// the given size (px). CJK and other full-width runes count one em, ASCII
// about 0.55 em (narrow and wide letters apart), symbols and punctuation that
// CJK fonts draw full-width one em, and zero-width runes nothing. The
// estimate errs on the wide side, so text measured to fit a box does fit.
func textWidth(s string, size float64) float64 {
	em := 0.0
	for _, r := range s {
		em += runeEm(r)
	}
	return em * size
}

// asciiEm holds the advance of printable ASCII runes, in em.
var asciiEm = func() [128]float64 {
	var t [128]float64
	for r := 0x20; r < 0x7f; r++ {
		t[r] = 0.56
	}
	for _, r := range " il.,:;|!'`" {
		t[r] = 0.3
	}
	for _, r := range "fjtrI()[]{}-\"/\\" {
		t[r] = 0.38
	}
	for r := 'A'; r <= 'Z'; r++ {
		t[r] = 0.68
	}
	for _, r := range "MWmw@%&" {
		t[r] = 0.88
	}
	return t
}()

// runeEm is the advance of one rune, in em.
func runeEm(r rune) float64 {
	switch {
	case r < 0x80:
		return asciiEm[r]
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf), r >= 0xFE00 && r <= 0xFE0F:
		return 0 // combining marks, format characters, variation selectors
	case isWide(r):
		return 1
	case r == 0xB7 || r == 0xD7 || r == 0xF7 || r == 0xB0 || r == 0xB1:
		return 1 // · × ÷ ° ±: full width in CJK fonts
	default:
		return 0.62 // other alphabets: Latin-1, Greek, Cyrillic, Arabic …
	}
}

// isWide reports whether a CJK font draws r one em wide: East Asian wide and
// full-width runes, and the punctuation, arrows, shapes and emoji that CJK
// fonts draw full width.
func isWide(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x115F, // Hangul Jamo
		r >= 0x2010 && r <= 0x205F,                             // general punctuation: — ‘ ’ “ ” … ‰
		r >= 0x2190 && r <= 0x21FF,                             // arrows
		r >= 0x2460 && r <= 0x27BF,                             // enclosed numbers, box drawing, shapes ★, dingbats
		r >= 0x2E80 && r <= 0x303E,                             // CJK radicals, punctuation 、。「」
		r >= 0x3041 && r <= 0x33FF,                             // kana, bopomofo, CJK compatibility
		r >= 0x3400 && r <= 0x4DBF,                             // CJK extension A
		r >= 0x4E00 && r <= 0x9FFF,                             // CJK unified ideographs
		r >= 0xA000 && r <= 0xA4CF,                             // Yi
		r >= 0xAC00 && r <= 0xD7A3,                             // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF,                             // CJK compatibility ideographs
		r >= 0xFE10 && r <= 0xFE19, r >= 0xFE30 && r <= 0xFE6F, // vertical and small forms
		r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6, // full-width forms （）：，
		r >= 0x1F000 && r <= 0x1FAFF, // emoji and pictographs
		r >= 0x20000 && r <= 0x3FFFD: // CJK extensions B…
		return true
	}
	return false
}

// maxLines is the most lines a name is wrapped over; a name that needs
// more at its box's width widens the box instead. Names are never cut.
const maxLines = 3

// noLineStart are runes a line should not start with (closing punctuation),
// noLineEnd runes it should not end with (opening brackets).
const (
	noLineStart = "）」』】》〉，。、；：！？)]}%,.;:!?·"
	noLineEnd   = "（「『【《〈([{"
)

// wrapTokens cuts s into the pieces a line may break between: a run of
// ASCII letters, digits and signs ("1500mm", "5A", "2.0") stays whole, every
// other rune is a piece of its own, a closing mark sticks to the piece
// before it and an opening bracket to the piece after it. Spaces are pieces
// of their own, dropped where a line breaks.
func wrapTokens(s string) []string {
	var toks []string
	glue := false // the previous piece ends with an opening bracket
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		if r < 0x80 && r != ' ' {
			for j < len(s) && s[j] < 0x80 && s[j] != ' ' && !strings.ContainsRune(noLineEnd, rune(s[j])) {
				j++
			}
		}
		tok := s[i:j]
		first, _ := utf8.DecodeRuneInString(tok)
		switch {
		case len(toks) > 0 && (glue || (first != ' ' && strings.ContainsRune(noLineStart, first))) && toks[len(toks)-1] != " ":
			toks[len(toks)-1] += tok
		default:
			toks = append(toks, tok)
		}
		last, _ := utf8.DecodeLastRuneInString(tok)
		glue = strings.ContainsRune(noLineEnd, last)
		i = j
	}
	return toks
}

// wrap breaks s into lines no wider than width at size (scaled by factor
// for bold text), greedily, between the pieces wrapTokens finds; a piece
// wider than a line is broken between its runes. The lines joined give s
// back, less the spaces at the breaks. s must be clean (cleanText).
func wrap(s string, size, factor, width float64) []string {
	if textWidth(s, size)*factor <= width || s == "" {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	curW := 0.0
	flush := func() {
		if t := strings.TrimRight(cur.String(), " "); t != "" {
			lines = append(lines, t)
		}
		cur.Reset()
		curW = 0
	}
	for _, tok := range wrapTokens(s) {
		w := textWidth(tok, size) * factor
		if tok == " " && curW == 0 {
			continue
		}
		if curW+w <= width {
			cur.WriteString(tok)
			curW += w
			continue
		}
		if tok == " " {
			flush()
			continue
		}
		if curW > 0 && w <= width {
			flush()
			cur.WriteString(tok)
			curW = w
			continue
		}
		for _, r := range tok { // a piece wider than the line
			rw := runeEm(r) * size * factor
			if curW+rw > width && curW > 0 {
				flush()
			}
			cur.WriteRune(r)
			curW += rw
		}
	}
	flush()
	if len(lines) == 0 {
		return []string{s}
	}
	return lines
}

// wrapEven wraps s like wrap at width, then evens out its lines: of the
// widths that give as few lines, it takes about the narrowest, so that a
// name does not leave one rune alone on its last line.
func wrapEven(s string, size, factor, width float64) []string {
	lines := wrap(s, size, factor, width)
	if len(lines) < 2 {
		return lines
	}
	lo, hi := textWidth(s, size)*factor/float64(len(lines)), width
	best := lines
	for range 8 {
		mid := (lo + hi) / 2
		if l := wrap(s, size, factor, mid); len(l) <= len(lines) {
			best, hi = l, mid
		} else {
			lo = mid
		}
	}
	return best
}

// wrapWidth is the least width, from at least width, at which s wraps
// over no more than maxLines lines.
func wrapWidth(s string, size, factor, width float64) float64 {
	total := textWidth(s, size) * factor
	w := max(width, total/maxLines)
	for w < total && len(wrap(s, size, factor, w)) > maxLines {
		w += size / 2
	}
	return min(max(w, width), max(total, width))
}

// linesWidth is the width of the widest line.
func linesWidth(lines []string, size, factor float64) float64 {
	w := 0.0
	for _, l := range lines {
		w = max(w, textWidth(l, size)*factor)
	}
	return w
}

// cleanText makes a user string safe to show on one line: invalid UTF-8
// becomes U+FFFD; characters XML 1.0 forbids, C1 controls, and the
// bidirectional embedding, override and isolate controls (which would let a
// name reorder the text drawn after it) are dropped; tabs and line breaks
// become spaces; surrounding space is trimmed.
func cleanText(s string) string {
	simple := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			simple = false
			break
		}
	}
	if simple || (utf8.ValidString(s) && !needsCleaning(s)) {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case !xmlChar(r), r >= 0x7F && r <= 0x9F, bidiControl(r):
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// needsCleaning reports whether s holds a rune cleanText would change.
func needsCleaning(s string) bool {
	for _, r := range s {
		if r < 0x20 || !xmlChar(r) || (r >= 0x7F && r <= 0x9F) || bidiControl(r) {
			return true
		}
	}
	return false
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// bidiControl reports the explicit directional formatting characters.
func bidiControl(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// xmlEscaper escapes the five XML special characters, so one path serves
// both text content and double-quoted attribute values.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")
