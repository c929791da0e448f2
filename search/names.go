package search

import (
	"math"
	"slices"
	"strings"
)

// Chinese person names. The dictionary knows the famous ones; the names of
// a city paper's people (a reporter, a farmer, a school head) it mostly
// does not, and cuts them into pieces that neighbouring words steal:
// 王文辉 becomes 王文 / 辉, and a search for the name 王文 then finds
// 王文辉. The analyzer joins a surname with the given-name characters after
// it into one word, so a name is found whole and never inside a longer
// one.

// surnames are common single-character Chinese surnames, written from the
// traditional 百家姓 order and the list of the most common surnames of the
// population census, without the few that are more often a word of
// their own in news text (和, 时, 文, 明, 成 …).
const surnames = "关王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤温康施牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶牟艾尤穆卓吉缪芦麦褚娄窦戚岑卜晏柏宗瞿桂佟臧闵苟邬卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘苑迟邝"

// nameTables are the surnames and the characters that end given names,
// with how often the dictionary's three-character person names end in
// each.
type nameTables struct {
	surname map[rune]bool
	given   map[rune]int
}

// newNameTables counts given-name characters in the dictionary's own
// person names (part of speech nr, three characters, a known surname
// first).
func newNameTables(each func(yield func(text string, pos string) bool)) nameTables {
	t := nameTables{surname: map[rune]bool{}, given: map[rune]int{}}
	for _, r := range surnames {
		t.surname[r] = true
	}
	each(func(text, pos string) bool {
		if !strings.HasPrefix(pos, "nr") {
			return true
		}
		rs := []rune(text)
		if len(rs) == 3 && t.surname[rs[0]] {
			t.given[rs[1]]++
			t.given[rs[2]]++
		}
		return true
	})
	return t
}

// functionPOS are the parts of speech of characters that never end a name
// in running text: prepositions, conjunctions, particles, adverbs,
// pronouns, numerals, interjections. (Measure words and localisers do:
// 王章平, 王文西.)
var functionPOS = map[string]bool{
	"p": true, "c": true, "u": true, "uj": true, "ul": true, "uz": true, "ud": true, "ug": true, "uv": true,
	"d": true, "r": true, "m": true, "y": true, "e": true, "o": true, "x": true,
}

// notGiven are characters that the dictionary's names end in but that,
// after a name in news text, are nearly always a word of their own: a
// title (副), a verb of saying or meeting, a preposition the dictionary
// files under another part of speech (为).
var notGiven = map[rune]bool{}

func init() {
	for _, r := range "摄著副为说同任称讲问答谈率带领陪会见获被让叫请给到去来向是在和与及等也都又还就将曾对把从有要能才已正则便即并跟" {
		notGiven[r] = true
	}
}

// saying are the verbs of saying that follow a name in news text.
var saying = map[rune]bool{'说': true, '称': true, '讲': true, '问': true, '答': true, '谈': true}

// nameList cuts a run that stands alone in brackets into person names
// when it is made of nothing else: the byline of a short item, one name
// or several printed without separators (（邢海洋朱迪）, （李春华陈平摄）). Each name is
// a surname and one or two given-name characters and no dictionary word
// other than a name. It returns nil when the run is not such a list.
func (a *Analyzer) nameList(run []rune) []int {
	if len(run) < 2 || len(run) > 15 {
		return nil
	}
	ok := func(w []rune) bool {
		if !a.names.surname[w[0]] {
			return false
		}
		for _, r := range w[1:] {
			if notGiven[r] {
				return false
			}
		}
		f, pos, known := a.seg.Find(string(w))
		return !known || f <= 0 || strings.HasPrefix(pos, "nr")
	}
	// best[i]: the best division of run[i:] into names, scored by how
	// often the dictionary's names have its given-name characters
	// (李春华/陈平, not 李春/华陈平); first[i] is the length
	// of its first name, 0 where there is none.
	best := make([]float64, len(run)+1)
	first := make([]int, len(run)+1)
	for i := len(run) - 2; i >= 0; i-- {
		for _, n := range []int{2, 3} {
			if i+n > len(run) || i+n < len(run) && first[i+n] == 0 || !ok(run[i:i+n]) {
				continue
			}
			s := best[i+n]
			for _, r := range run[i+1 : i+n] {
				s += math.Log1p(float64(a.names.given[r]))
			}
			if first[i] == 0 || s > best[i] {
				best[i], first[i] = s, n
			}
		}
	}
	if first[0] == 0 {
		return nil
	}
	var lens []int
	for i := 0; i < len(run); i += first[i] {
		lens = append(lens, first[i])
	}
	return lens
}

// given is givenChar, or at the end of a run (before punctuation: a
// list of names, 丁一民、邢海、) any character that is no function word.
func (a *Analyzer) given(r rune, last bool) bool {
	if !last {
		return a.givenChar(r)
	}
	if notGiven[r] {
		return false
	}
	_, pos, ok := a.seg.Find(string(r))
	return !ok || !functionPOS[pos]
}

// nameQuery returns the folded text of a query clause when it may be a
// person name (a surname and one to three more characters), else "".
func (a *Analyzer) nameQuery(text string) string {
	rs := []rune(Fold(text))
	if len(rs) < 2 || len(rs) > 4 || !a.names.surname[rs[0]] {
		return ""
	}
	for _, r := range rs {
		if !isHan(r) {
			return ""
		}
	}
	return string(rs)
}

// givenChar reports whether the single character r, cut off by the
// dictionary after a surname, is likely the rest of a given name.
func (a *Analyzer) givenChar(r rune) bool {
	if a.names.given[r] < 2 || notGiven[r] {
		return false
	}
	_, pos, ok := a.seg.Find(string(r))
	return !ok || !functionPOS[pos]
}

// maxGivenWordFreq bounds the dictionary frequency of a two-character word
// taken as a given name after a surname: 文学 in 王/文学 is a word, 景阳 in
// 李/景阳 a name.
const maxGivenWordFreq = 300

// givenWord reports whether a two-character dictionary word after a
// surname is likely its given name.
func (a *Analyzer) givenWord(w []rune) bool {
	f, pos, _ := a.seg.Find(string(w))
	if strings.HasPrefix(pos, "nr") {
		return true
	}
	return f < maxGivenWordFreq && a.names.given[w[0]] >= 2 && a.names.given[w[1]] >= 2 && !notGiven[w[1]]
}

// joinNames rewrites the word lengths of a run (from cut) so that a
// surname followed by given-name characters is one word: 王文/辉 →
// 王文辉, 徐/生/岚 → 徐生岚. A two-character dictionary word that starts
// with a surname is taken as a name only when the dictionary says so (nr),
// so 江苏/省 stays as it is. name[i] is set for the words so made, and for
// the dictionary's three-character person names, whose parts are never
// indexed as words of their own.
func (a *Analyzer) joinNames(run []rune, lens []int, name []bool) ([]int, []bool) {
	out := lens[:0:0]
	name = name[:0]
	k := 0
	for i := 0; i < len(lens); i++ {
		n := lens[i]
		r := run[k]
		single := func(j int) bool { return j < len(lens) && lens[j] == 1 }
		at := func(j int) rune { // first rune of word j
			o := k
			for x := i; x < j; x++ {
				o += lens[x]
			}
			return run[o]
		}
		switch {
		case !a.names.surname[r]:
		case n == 1 && single(i+1) && single(i+2) && a.names.surname[at(i+2)] && single(i+3) && !single(i+4) &&
			a.given(at(i+1), false) && a.given(at(i+3), i+4 == len(lens)):
			// two names of two characters run together (a byline
			// at a paragraph's start): 张/京/陈/辉 is 张京 陈辉, not
			// 张京陈 辉
			out, name = append(out, 2, 2), append(name, true, true)
			k += 4
			i += 3
			continue
		case n == 1 && single(i+1) && single(i+2) && a.given(at(i+1), i+3 == len(lens)) && a.given(at(i+2), i+3 == len(lens)):
			out, name = append(out, 3), append(name, true)
			k += 3
			i += 2
			continue
		case n == 1 && i+1 < len(lens) && lens[i+1] == 2 && saying[run[k+2]] && a.givenChar(run[k+1]):
			// 周/明说 is 周明 说: a name before a verb of saying that
			// the dictionary glued to the name's last character
			out, name = append(out, 2, 1), append(name, true, false)
			k += 3
			i++
			continue
		case n == 1 && i+1 < len(lens) && lens[i+1] == 2 && a.givenWord(run[k+1:k+3]):
			// 周/维德, 李/景阳: a rare two-character word of given-name
			// characters after a surname
			out, name = append(out, 3), append(name, true)
			k += 3
			i++
			continue
		case n == 2 && single(i+1) && a.given(at(i+1), i+2 == len(lens)):
			if _, pos, _ := a.seg.Find(string(run[k : k+2])); strings.HasPrefix(pos, "nr") || !a.known(string(run[k:k+2]), 1) {
				out, name = append(out, 3), append(name, true)
				k += 3
				i++
				continue
			}
		case n == 2 || n == 3:
			// the dictionary's own names: never cut into smaller words
			if _, pos, _ := a.seg.Find(string(run[k : k+n])); strings.HasPrefix(pos, "nr") {
				out, name = append(out, n), append(name, true)
				k += n
				continue
			}
		}
		out, name = append(out, n), append(name, false)
		k += n
	}
	return a.nameBeforeVerb(run, out, name)
}

// nameBeforeVerb gives a name its third character back from the word after
// it when that word is the character and a verb that follows names in
// news text (选举王宏民为市长, cut 王宏/民为; 李/玉/成为; 周明/华说): the
// name is then the surname, two given-name characters, and the verb stands
// alone.
func (a *Analyzer) nameBeforeVerb(run []rune, lens []int, name []bool) ([]int, []bool) {
	k := 0
	for i := 0; i+1 < len(lens); i++ {
		n := lens[i]
		switch {
		case name[i] && n == 2:
		case n == 1 && !name[i] && a.names.surname[run[k]] && lens[i+1] == 1 && i+2 < len(lens):
			// surname and a character, both alone: 李/玉/成为
			if lens[i+2] == 2 && verbAfterName[run[k+3]] && a.givenChar(run[k+1]) && a.givenChar(run[k+2]) {
				lens = slices.Concat(lens[:i:i], []int{3, 1}, lens[i+3:])
				name = slices.Concat(name[:i:i], []bool{true, false}, name[i+3:])
				k += 4
				i++
				continue
			}
			k += n
			continue
		default:
			k += n
			continue
		}
		if lens[i+1] == 2 && verbAfterName[run[k+3]] && a.givenChar(run[k+2]) {
			lens[i], lens[i+1] = 3, 1
			name[i], name[i+1] = true, false
			k += 4
			i++
			continue
		}
		k += n
	}
	return lens, name
}

// verbAfterName are the one-character verbs that follow a name in news
// text and that the dictionary glues to the name's last character: 为 (选举
// …为…), and the verbs of saying.
var verbAfterName = map[rune]bool{'为': true, '说': true, '称': true, '讲': true, '问': true, '答': true, '谈': true}

// listSeps are the marks around the items of a list of names: the
// enumeration comma 、 between them, and at the list's ends a comma, a
// colon, a bracket or the end of the text.
var listSeps = map[rune]bool{'、': true, ',': true, ':': true, ';': true, '(': true, ')': true, '。': true}

// listName reports whether the run rs[i:j] is a person name as an item of
// a list of names (…、赵立新、孙明甫、钱根宝、…): two or three characters, a
// surname first, no dictionary word but a name, between list marks with a
// 、 on at least one side, and a neighbouring item that starts with a
// surname too. The dictionary cuts such names into pieces (孙明/甫,
// 钱/根/宝: 甫 and 根 are function words in it), which a search for 孙明
// would then find.
func (a *Analyzer) listName(rs []rune, i, j int) bool {
	n := j - i
	if n < 2 || n > 3 || !a.names.surname[rs[i]] {
		return false
	}
	sep := func(k int) bool { return k < 0 || k >= len(rs) || listSeps[rs[k]] }
	if !sep(i-1) || !sep(j) || !(i > 0 && rs[i-1] == '、' || j < len(rs) && rs[j] == '、') {
		return false
	}
	for _, r := range rs[i+1 : j] {
		if notGiven[r] || !isHan(r) {
			return false
		}
	}
	if f, pos, ok := a.seg.Find(string(rs[i:j])); ok && f > 0 && !strings.HasPrefix(pos, "nr") {
		return false
	}
	// a neighbouring item, across a 、, that starts with a surname
	item := func(k int) bool { // the item starting at k
		e := k
		for e < len(rs) && isHan(rs[e]) {
			e++
		}
		return e-k >= 2 && e-k <= 4 && a.names.surname[rs[k]]
	}
	if j+1 < len(rs) && rs[j] == '、' && item(j+1) {
		return true
	}
	if i >= 2 && rs[i-1] == '、' {
		s := i - 1
		for s > 0 && isHan(rs[s-1]) {
			s--
		}
		return item(s) && i-1-s <= 4
	}
	return false
}
