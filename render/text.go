package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ellipsis ends a label that was cut to fit its box.
const ellipsis = "…"

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

// truncate returns s unchanged when it fits maxWidth at size, else its
// longest prefix that fits together with a trailing "…".
func truncate(s string, size, maxWidth float64) string {
	if textWidth(s, size) <= maxWidth {
		return s
	}
	budget := maxWidth/size - runeEm('…')
	em := 0.0
	end := 0
	for i, r := range s {
		em += runeEm(r)
		if em > budget {
			break
		}
		end = i + utf8.RuneLen(r)
	}
	return strings.TrimRight(s[:end], " ") + ellipsis
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
