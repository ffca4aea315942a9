package synth

import "chainscope/dataset"

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
	check, ok := dataset.USCCCheckChar(dst[start:])
	if !ok {
		panic("synth: malformed credit code body " + string(dst[start:]))
	}
	return append(dst, check)
}
