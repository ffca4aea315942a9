package dataset

import "strings"

// usccChars is the GB 32100-2015 character set: digits and the capital
// letters except I, O, S, V and Z, in the order that gives their values.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidUSCC reports whether s is a unified social credit code
// (统一社会信用代码): 18 characters of the GB 32100-2015 set whose last
// character is the check character of the first 17.
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, s[i])
		if v < 0 {
			return false
		}
		sum += v * usccWeights[i]
	}
	return s[17] == usccChars[(31-sum%31)%31]
}
