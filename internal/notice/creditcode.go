package notice

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// creditCharset is the GB 32100-2015 character set of the 统一社会信用代码:
// digits and upper-case letters without I, O, Z, S and V. A character's
// value is its index.
const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are the weights of the first 17 characters (3^i mod 31).
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeCreditCode folds a 统一社会信用代码 as people type it (full-width
// characters, lower case, spaces) to its canonical 18-character form.
func NormalizeCreditCode(s string) string {
	s = width.Fold.String(s)
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s))
}

// CreditCheckChar returns the check character (the 18th) for the first 17
// characters of a 统一社会信用代码, and false if they are not 17 characters
// of the code's character set.
func CreditCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCharset, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditCharset[c], true
}

// CheckCreditCode validates a normalized 统一社会信用代码 and returns a
// Chinese message saying what is wrong, or "" when it is valid: 18
// characters of the GB 32100-2015 set, a six-digit administrative division
// code in positions 3–8, and the right check character.
func CheckCreditCode(code string) string {
	if code == "" {
		return "请填写统一社会信用代码"
	}
	if n := len([]rune(code)); n != 18 {
		return "统一社会信用代码应为 18 位，现为 " + itoa(n) + " 位"
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(creditCharset, code[i]) < 0 {
			return "统一社会信用代码第 " + itoa(i+1) + " 位「" + string(code[i]) + "」不是有效字符（不使用 I、O、Z、S、V）"
		}
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return "统一社会信用代码第 3–8 位应为行政区划代码（数字）"
		}
	}
	want, _ := CreditCheckChar(code[:17])
	if code[17] != want {
		return "统一社会信用代码校验位不正确，请核对（按 GB 32100-2015 计算）"
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }
