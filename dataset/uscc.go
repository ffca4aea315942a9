package dataset

import "strings"

// usccChars is the GB 32100-2015 character set: digits and the capital
// letters except I, O, S, V and Z, in the order that gives their values.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidUSCC reports whether s is a unified social credit code
// (统一社会信用代码): 18 characters of the GB 32100-2015 set whose last
// character is the check character of the first 17 (SPEC §4). It is the
// one USCC check: readers, Build and the generator use it.
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := USCCCheckChar(s[:17])
	return ok && s[17] == c
}

// USCCCheckChar returns the GB 32100-2015 check character (the 18th) of a
// unified social credit code's first 17 characters: the weighted sum of
// their values modulo 31, subtracted from 31. It is false when first17 is
// not 17 characters of the code's set.
func USCCCheckChar[T string | []byte](first17 T) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(usccChars, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31], true
}
