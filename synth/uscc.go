package synth

import "strings"

// usccChars is the GB 32100-2015 character set in the order of its values.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccCheckChar returns the GB 32100-2015 check character (the 18th) of a
// unified social credit code's first 17 characters; false when first17 is
// not 17 characters of the code's set.
func usccCheckChar[T string | []byte](first17 T) (byte, bool) {
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

// orgCodeWeights are the GB 11714-1997 weights of an organization code's
// eight body characters.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// appendUSCC appends a unified social credit code for an enterprise
// (登记管理部门 9 工商, 机构类别 1 企业) registered in division: the 6-digit
// division code, a 9-character organization code built from body (8
// digits) with its GB 11714 check character, and the GB 32100 check
// character.
func appendUSCC(dst []byte, division string, body uint64) []byte {
	start := len(dst)
	dst = append(dst, '9', '1')
	dst = append(dst, division...)
	var org [8]byte
	sum := 0
	for i := 7; i >= 0; i-- {
		d := int(body % 10)
		body /= 10
		org[i] = byte('0' + d)
	}
	for i, c := range org {
		sum += int(c-'0') * orgCodeWeights[i]
	}
	dst = append(dst, org[:]...)
	switch c := 11 - sum%11; c {
	case 10:
		dst = append(dst, 'X')
	case 11:
		dst = append(dst, '0')
	default:
		dst = append(dst, byte('0'+c))
	}
	check, ok := usccCheckChar(dst[start:])
	if !ok {
		panic("synth: malformed credit code body " + string(dst[start:]))
	}
	return append(dst, check)
}
