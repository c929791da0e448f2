package search

import "strings"

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
// their own in news text (和, 时, 文, 明, 成, 关 …).
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤温康施牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶牟艾尤穆卓吉缪芦麦褚娄窦戚岑卜晏柏宗瞿桂佟臧闵苟邬卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘苑迟邝"

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
	for _, r := range "副为说同任称讲问答谈率带领陪会见获被让叫请给到去来向是在和与及等也都又还就将曾对把从有要能才已正则便即并跟" {
		notGiven[r] = true
	}
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
		case n == 1 && single(i+1) && single(i+2) && a.givenChar(at(i+1)) && a.givenChar(at(i+2)):
			out, name = append(out, 3), append(name, true)
			k += 3
			i += 2
			continue
		case n == 1 && i+1 < len(lens) && lens[i+1] == 2 && a.givenWord(run[k+1:k+3]):
			// 周/维德, 李/景阳: a rare two-character word of given-name
			// characters after a surname
			out, name = append(out, 3), append(name, true)
			k += 3
			i++
			continue
		case n == 2 && single(i+1) && a.givenChar(at(i+1)):
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
	return out, name
}
