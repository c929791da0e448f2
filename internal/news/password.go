package news

import (
	_ "embed"
	"strings"
	"unicode"
)

// commonPasswords are refused whatever their length: the first guesses of
// anyone trying passwords (passwords/README.md says where the list comes from).
//
//go:embed passwords/common.txt
var commonPasswords string

// extraPasswords are common choices in China that the international list
// lacks (love numbers, pinyin phrases, keyboard rows with digits).
var extraPasswords = []string{
	"woaini1314", "woaini520", "woaini5201314", "5201314520", "1314520520", "aini1314520",
	"iloveyou1314", "woaiwojia123", "zhongguo123", "qwertyuiop123", "asdfghjkl123",
	"zxcvbnm123456", "1qaz2wsx3edc", "qazwsxedcrfv", "a1234567890", "aa123456789",
	"abc1234567", "abcd123456", "admin12345", "admin123456", "administrator", "password123",
	"p@ssw0rd123", "qq1234567890", "123456789a", "123456abcd",
}

var commonSet = func() map[string]bool {
	m := make(map[string]bool, 2048)
	for _, p := range strings.Split(commonPasswords, "\n") {
		if p != "" {
			m[p] = true
		}
	}
	for _, p := range extraPasswords {
		m[p] = true
	}
	return m
}()

// weakPassword says why p is too easy to guess, or "" when it is not:
// a common password, blank, one character or a short pattern repeated, a
// run such as 1234567890, or too few different characters.
func weakPassword(p string) string {
	low := strings.ToLower(p)
	if strings.TrimFunc(p, unicode.IsSpace) == "" {
		return "密码不能只由空格组成"
	}
	if commonSet[low] {
		return "这是最常见的密码之一，很容易被猜中"
	}
	r := []rune(low)
	for unit := 1; unit <= len(r)/2; unit++ {
		if repeats(r, unit) {
			return "密码不能是同一段字符的重复"
		}
	}
	if isRun(r) {
		return "密码不能是连续的字符（如 1234567890、abcdefghij）"
	}
	distinct := map[rune]bool{}
	for _, c := range r {
		distinct[c] = true
	}
	if len(distinct) < 5 {
		return "密码至少需要 5 个不同的字符"
	}
	return ""
}

// repeats reports whether r is its first unit runes repeated (the last
// repetition may be cut short).
func repeats(r []rune, unit int) bool {
	for i := unit; i < len(r); i++ {
		if r[i] != r[i-unit] {
			return false
		}
	}
	return true
}

// isRun reports whether each rune of r is one more (or one less) than the
// one before it, as in 1234567890 or zyxwvutsrq.
func isRun(r []rune) bool {
	up, down := true, true
	for i := 1; i < len(r); i++ {
		up = up && r[i] == next(r[i-1], 1)
		down = down && r[i] == next(r[i-1], -1)
	}
	return up || down
}

// next is the rune d steps after c; digits wrap around as on a keyboard's
// top row (…8, 9, 0).
func next(c rune, d rune) rune {
	if c >= '0' && c <= '9' {
		return '0' + (c-'0'+d+10)%10
	}
	return c + d
}
