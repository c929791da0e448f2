package search

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/go-ego/gse"
)

// analyzerVersion changes whenever tokenization changes in a way that makes
// an existing index disagree with new queries; it is part of the on-disk
// version stamp, so bumping it makes Open report NeedsRebuild.
const analyzerVersion = "an7"

// regionWords is the built-in dictionary for this paper's region: 吕梁市
// and its counties and districts, in full and short forms. gse's general
// dictionary knows some of them only with tiny frequencies, which lets
// neighbouring characters steal them (柳林县 → 柳 / 林县).
var regionWords = []string{
	"吕梁", "吕梁市", "离石", "离石区", "孝义", "孝义市", "汾阳", "汾阳市",
	"文水", "文水县", "交城", "交城县", "兴县", "临县", "柳林", "柳林县",
	"石楼", "石楼县", "岚县", "方山", "方山县", "中阳", "中阳县", "交口", "交口县",
}

const (
	// regionFreq and userFreq are the dictionary frequencies given to
	// built-in and user words without an explicit one: high enough to win
	// against the general dictionary's shorter words, as a name should.
	regionFreq = 2000
	userFreq   = 1000
	// subWordMinFreq drops junk dictionary entries (e.g. 京市, freq 2) as
	// sub-words, so 南京市 does not also index 京市.
	subWordMinFreq = 3
	// maxSubWordParent bounds the sub-word scan of very long tokens
	// (全国人大常委会法制工作委员会 is 14 characters).
	maxSubWordParent = 24
)

// Analyzer turns text into search tokens. It owns the gse segmenter and its
// dictionary (embedded simplified-Chinese dictionary + built-in region words
// + the optional user dictionary). Loading the dictionary takes about a
// second, so an Analyzer is built once and shared; it is read-only after
// NewAnalyzer returns and safe for concurrent use.
type Analyzer struct {
	seg     gse.Segmenter
	tokLen  []uint16 // see tokenBytes
	version string   // analyzerVersion + dictionary fingerprint
	names   nameTables
	// fnFreq weighs single-character function words in the route (see
	// functionWeight).
	fnFreq map[rune]float64
	// syllables memoizes the pinyin of characters (see syllableMemo).
	syllables *syllableMemo
}

// Token is one analyzed token. Offsets are byte offsets in the original
// (unfolded) text, so a highlight covers exactly what the reader sees.
type Token struct {
	Term       string // folded term
	Start, End int    // byte span in the original text
	Position   int    // 1-based; sub-words share their parent's position
	// Sub marks a token that shares the position of a primary token: a
	// dictionary word inside a longer word (吕梁 in 吕梁市) or a number with
	// its measure word (198个). Queries are built from primary tokens only.
	Sub bool
	// Known is true for dictionary words of two or more characters and for
	// non-Chinese words: tokens that can be trusted to be segmented the
	// same way in any context. Others need the bigram fallback.
	Known bool
	// Number marks an all-digit token directly followed by a Chinese
	// character (the compound 198个 is then emitted as a Sub token).
	Number bool
	// Name marks a person name the analyzer joined from a surname and the
	// given-name characters after it (see joinNames).
	Name bool
}

// NewAnalyzer loads the dictionaries. userDict is the path of an optional
// user dictionary ("word [freq] [pos]" per line, # comments); a missing
// file means none, any other read error is returned.
func NewAnalyzer(userDict string) (*Analyzer, error) {
	a := &Analyzer{syllables: new(syllableMemo)}
	// gse's HMM model lives in package-level maps that Init rewrites; we
	// never use HMM (the bigram field covers unknown words), so keep it off
	// to stay free of data races.
	a.seg.NotLoadHMM = true
	a.seg.SkipLog = true
	a.seg.Dict = gse.NewDict()
	a.seg.Init()

	h := sha256.New()
	fmt.Fprintf(h, "%s gse %s\n", analyzerVersion, gse.GetVersion())
	// Words added before the big dictionary win: gse keeps the first entry
	// of a word, so our frequencies override the general ones.
	for _, w := range regionWords {
		if err := a.seg.AddToken(w, regionFreq, "ns"); err != nil {
			return nil, fmt.Errorf("search: add region word %q: %w", w, err)
		}
		fmt.Fprintln(h, w)
	}
	if userDict != "" {
		data, err := os.ReadFile(userDict)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("search: read user dictionary: %w", err)
		default:
			words, err := parseUserDict(string(data))
			if err != nil {
				return nil, err
			}
			for _, w := range words {
				if err := a.seg.AddToken(w.text, w.freq, w.pos); err != nil {
					return nil, fmt.Errorf("search: add user word %q: %w", w.text, err)
				}
				fmt.Fprintf(h, "%s %g\n", w.text, w.freq)
			}
		}
	}
	if err := a.seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("search: load gse dictionary: %w", err)
	}
	a.tokLen = tokenLengths(a.seg.Dict.Tokens)
	a.names = newNameTables(func(yield func(string, string) bool) {
		for i := range a.seg.Dict.Tokens {
			t := &a.seg.Dict.Tokens[i]
			if !yield(t.Text(), t.Pos()) {
				return
			}
		}
	})
	a.fnFreq = functionWeights(functionFreqText)
	a.version = analyzerVersion + "-" + hex.EncodeToString(h.Sum(nil))[:16]
	return a, nil
}

// functionFreqText lists single-character function words (prepositions,
// conjunctions, particles, adverbs, pronouns) with their frequency as
// words of their own in jieba's dictionary, as gse ships it.
//
//go:embed function_freq.txt
var functionFreqText string

// functionWeight is the power of its dictionary frequency that a
// single-character function word weighs with in the route. gse gives every
// single character the frequency 2, as rare as a word can be, so its route
// cuts the word after a function word to join the function word's
// neighbour (和平/稳, 不许/可, 军区某) where a newspaper's segmentation
// (and a reader) has the function word alone (和/平稳, 不/许可, 军区/某).
// The full frequency overshoots the other way (当日/本 for 当/日本), since
// a unigram route sees no context; a power of it between the two does
// best on real text (issue 20: 0.65 to 0.85 all gain about the same).
// Content characters keep gse's 2: with their own frequencies the route
// cuts more words into a long one and a character (中国共产党/人 is right,
// but 省/人大常委会 and 沈阳军区/队 are not), measured as a loss.
const functionWeight = 0.75

// functionWeights parses functionFreqText ("char freq pos" lines).
func functionWeights(text string) map[rune]float64 {
	m := map[rune]float64{}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") || utf8.RuneCountInString(f[0]) != 1 {
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil || v <= 0 {
			continue
		}
		r, _ := utf8.DecodeRuneInString(f[0])
		m[r] = math.Pow(v, functionWeight)
	}
	return m
}

type dictWord struct {
	text string
	freq float64
	pos  string
}

// parseUserDict reads "word [freq] [pos]" lines. Words are folded like the
// text they will match, so a traditional or full-width entry still works.
func parseUserDict(s string) ([]dictWord, error) {
	var out []dictWord
	sc := bufio.NewScanner(strings.NewReader(s))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		w := dictWord{text: Fold(f[0]), freq: userFreq}
		rest := f[1:]
		if len(rest) > 0 {
			// "word pos" without a frequency is common enough to accept.
			if v, err := strconv.ParseFloat(rest[0], 64); err == nil {
				if v <= 0 {
					return nil, fmt.Errorf("search: user dictionary line %d: frequency %q must be positive", n, rest[0])
				}
				w.freq = v
				rest = rest[1:]
			}
		}
		if len(rest) > 0 {
			w.pos = rest[0]
		}
		out = append(out, w)
	}
	return out, sc.Err()
}

// Version identifies the analyzer and its dictionaries; an index built with
// a different Version must be rebuilt.
func (a *Analyzer) Version() string { return a.version }

// known reports whether w is a dictionary word with a usable frequency.
func (a *Analyzer) known(w string, minFreq float64) bool {
	f, _, ok := a.seg.Find(w)
	return ok && f >= minFreq
}

// IsWord reports whether w (folded first) is a dictionary word.
func (a *Analyzer) IsWord(w string) bool {
	return a.known(Fold(w), 1)
}

// Words returns the word-field tokens of text: dictionary segmentation of
// every run of Chinese characters (gse DAG without HMM), whole non-Chinese
// words, and, at the position of their parent, the dictionary sub-words of
// long words and number+measure-word compounds.
func (a *Analyzer) Words(text string) []Token {
	return a.words(fold(text).joinHan(), nil, nil, true)
}

// words is Words on folded text. When inWord is not nil (as long as
// f.runes), words sets inWord[i] when rune i is part of a primary token of
// two or more Chinese characters, i.e. of a dictionary word, or (when
// namesInWord) of a person name the analyzer joined. A query leaves its
// names out of inWord: a text where the name was not joined (尤秀平时常 is
// cut 尤/秀/平时/常) still has their character pairs in the bigram field.
// When bound is not nil (as long as f.runes plus one), words sets bound[i]
// where a word starts or ends before rune i.
func (a *Analyzer) words(f folded, inWord, bound []bool, namesInWord bool) []Token {
	c := cutters.Get().(*cutter)
	defer cutters.Put(c)
	rs := f.runes
	toks := make([]Token, 0, len(rs)/2+4)
	pos := 0
	span := func(i, j int) (int, int) { return f.start[i], f.end[j-1] }
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isHan(r):
			j := i + 1
			for j < len(rs) && isHan(rs[j]) {
				j++
			}
			run := rs[i:j]
			k := i
			lens := a.cut(run, c)
			if i > 0 && isDigit(rs[i-1]) && len(run) > 1 && measureChars[run[0]] && lens[0] > 1 {
				// 22日本版 is 22日 / 本版, not 22 / 日本 / 版: a measure
				// word after a number belongs to it.
				rest := a.cut(run[1:], c)
				lens = append([]int{1}, rest...)
			}
			lens = a.keepLongWords(run, lens, c)
			var isName []bool
			if list := a.bylineNames(rs, i, j); list != nil {
				lens = list
				isName = c.names[:0]
				for _, n := range lens {
					isName = append(isName, n > 1)
				}
			} else if a.listName(rs, i, j) {
				lens = append(lens[:0], j-i)
				isName = append(c.names[:0], true)
			} else {
				lens = a.regroupAdmin(run, lens)
				lens = a.splitClitics(run, lens)
				lens, isName = a.joinNames(run, lens, c.names)
			}
			c.names = isName
			for t, n := range lens {
				w := string(rs[k : k+n])
				if inWord != nil && n > 1 && (namesInWord || !isName[t] || a.known(w, 1)) {
					for o := k; o < k+n; o++ {
						inWord[o] = true
					}
				}
				if bound != nil {
					bound[k], bound[k+n] = true, true
				}
				pos++
				s, e := span(k, k+n)
				toks = append(toks, Token{Term: w, Start: s, End: e, Position: pos, Known: n > 1 && a.known(w, 1), Name: isName[t]})
				if n >= 3 && n <= maxSubWordParent && !isName[t] {
					for _, sw := range a.subWords(rs[k : k+n]) {
						s, e := span(k+sw[0], k+sw[0]+sw[1])
						toks = append(toks, Token{Term: string(rs[k+sw[0] : k+sw[0]+sw[1]]), Start: s, End: e, Position: pos, Sub: true, Known: true})
					}
				}
				k += n
			}
			i = j
		case isWordRune(r):
			j := i + 1
			digits := r >= '0' && r <= '9'
			for j < len(rs) {
				c := rs[j]
				if isWordRune(c) {
					digits = digits && c >= '0' && c <= '9'
					j++
					continue
				}
				// keep decimals (2.5) together
				if c == '.' && j+1 < len(rs) && isDigit(rs[j-1]) && isDigit(rs[j+1]) {
					j++
					continue
				}
				break
			}
			pos++
			s, e := span(i, j)
			// The measure word may follow a space: PDF extraction splits
			// "198 个" as often as not.
			m := j
			for m < len(rs) && m-j < 2 && (rs[m] == ' ' || rs[m] == '\u3000') {
				m++
			}
			num := digits && m < len(rs) && isHan(rs[m])
			toks = append(toks, Token{Term: string(rs[i:j]), Start: s, End: e, Position: pos, Known: true, Number: num})
			if num {
				// 198个, 2023年: numbers are only meaningful with their
				// measure word, and Bleve's cjk analyzer loses exactly this.
				s, e := span(i, m+1)
				term := string(rs[i:j]) + string(rs[m])
				toks = append(toks, Token{Term: term, Start: s, End: e, Position: pos, Sub: true, Known: true})
			}
			i = j
		default:
			i++
		}
	}
	return toks
}

// opens and closes are the brackets around a byline (folded: full-width
// brackets are ASCII ones by then).
var (
	opens  = map[rune]bool{'(': true, '[': true, '〔': true, '【': true}
	closes = map[rune]bool{')': true, ']': true, '〕': true, '】': true}
)

// credits are the characters that end a byline in brackets after the
// names: 摄 (a photo's), 画 (a drawing's: （李明画）).
var credits = map[rune]bool{'摄': true, '画': true}

// bylineNames returns nameList of the run rs[i:j] when it is all there is
// between brackets, a last character of credits aside.
func (a *Analyzer) bylineNames(rs []rune, i, j int) []int {
	if i == 0 || j == len(rs) || !opens[rs[i-1]] || !closes[rs[j]] {
		return nil
	}
	if credits[rs[j-1]] {
		if list := a.nameList(rs[i : j-1]); list != nil {
			return append(list, 1)
		}
	}
	return a.nameList(rs[i:j])
}

// clitics are the characters that follow a word as words of their own
// (localisers, particles, a few adverbs and verbs) and that the
// dictionary also has as the end of a two-character word with the
// character before them: 网上, 眼里, 门前, 平等.
var clitics = map[rune]bool{}

func init() {
	for _, r := range "上下里内外前后中间旁边等们的地得了着过将是到未会" {
		clitics[r] = true
	}
}

// keepsClitic are the parts of speech of two-character words that end in
// a clitic character and are still a word: verbs, adjectives, adverbs.
var keepsClitic = map[string]bool{"v": true, "vn": true, "vd": true, "a": true, "ad": true, "an": true, "d": true, "c": true, "p": true}

// splitClitics moves a clitic's partner back to the word before it when
// that makes a dictionary word: 因特/网上 → 因特网/上, 左/眼里 → 左眼/里,
// 图书/馆里 → 图书馆/里, 部门将 stays 部门/将. The dictionary's route
// prefers the short common word (网上) over the longer rarer one, where a
// newspaper's segmentation standard, and a reader, see the longer word
// and the localiser.
func (a *Analyzer) splitClitics(run []rune, lens []int) []int {
	k := 0
	for i, n := range lens {
		if i > 0 && n == 2 && clitics[run[k+1]] {
			p := lens[i-1]
			f, pos, _ := a.seg.Find(string(run[k : k+2]))
			w := string(run[k-p : k+1])
			switch {
			case p == 1:
				// A character alone before (金/平等, 心/眼里, 传/达到)
				// joins the next one when that word is not much rarer
				// than the clitic's: gse gives every single character
				// the frequency 2, so its route weighs only the two
				// words and takes the commoner one even where a
				// character is left over; 人/眼里 and 店/门前 stay.
				// A function word alone is weighed as the word it is
				// by the route already: it joins only a word as common
				// as the clitic's (和平/等, but 不/平等).
				ratio := singleJoinRatio
				if a.fnFreq[run[k-1]] > 0 {
					ratio = 1
				}
				if g, _, _ := a.seg.Find(w); g >= ratio*f {
					lens[i-1], lens[i] = p+1, 1
				}
			case !keepsClitic[pos] && a.known(w, subWordMinFreq):
				// a verb, adjective or adverb keeps its clitic (达到,
				// 集中, 平等) after a longer word: that is a word of
				// its own
				lens[i-1], lens[i] = p+1, 1
			}
		}
		k += n
	}
	return lens
}

// singleJoinRatio is how much rarer than a clitic's two-character word
// (眼里) the word of the character before it and the clitic's partner
// (心眼) may be and still be preferred (see splitClitics).
const singleJoinRatio = 0.08

// measureChars are the measure words and units that follow a number.
var measureChars = map[rune]bool{}

func init() {
	for _, r := range "年月日时分秒号个名人位次件元角岁天周届期版层项条台辆架艘座所家户只头支套本册篇部场批亩米吨斤克度倍" {
		measureChars[r] = true
	}
}

// subWords returns the dictionary words inside a long word w that line up
// with how the word itself divides: 北京西站 holds 北京 and 西站, not 京西;
// 小康生活 holds 小康 and 生活, not 康生; 全国人大常委会 holds 全国人大. The
// places where w divides are the ends of the words of its best cut
// without w itself, and recursively of those words; a sub-word is a
// dictionary word from one such place to another. Pairs are (rune offset,
// length) within w.
func (a *Analyzer) subWords(w []rune) [][2]int {
	bounds := a.innerBounds(w, 0, []int{0, len(w)})
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)
	head := a.longPrefix(w)
	var headFreq float64
	if head > 0 {
		headFreq, _, _ = a.seg.Find(string(w[:head]))
	}
	var out [][2]int
	for i, s := range bounds {
		for _, e := range bounds[i+1:] {
			if e-s < 2 || e-s >= len(w) || a.adminEnd(w, e) {
				continue
			}
			f, _, ok := a.seg.Find(string(w[s:e]))
			if !ok || f < subWordMinFreq || 0 < s && s < head && head < e && f < headFreq {
				// 中共中央统战部 is 中共中央 + 统战部: 中央统战部, a rarer
				// word, is not in it
				continue
			}
			out = append(out, [2]int{s, e - s})
		}
	}
	return out
}

// minLongPrefix is the length from which the longest dictionary word at
// the start of a long word is a part of it that no sub-word crosses.
const minLongPrefix = 4

// longPrefix returns the length of the longest dictionary word of at least
// minLongPrefix characters that w starts with (w itself excluded), or 0. A
// newspaper's segmentation keeps such a word whole inside a longer name
// (中共中央/宣传部, 中共中央/顾问/委员会) when it is more common than the
// word that would cross its end, where the dictionary's best cut may
// divide it (中共/中央宣传部); 共青团中央, rarer than 中央书记处, does not
// keep it out of 共青团中央书记处.
func (a *Analyzer) longPrefix(w []rune) int {
	for n := len(w) - 1; n >= minLongPrefix; n-- {
		if a.known(string(w[:n]), subWordMinFreq) {
			return n
		}
	}
	return 0
}

// keepLongWords applies longPrefix's rule across the words of a route: a
// dictionary word of four or more characters that starts where a word
// starts is not crossed by the next word when that one is much rarer
// (longWordRatio) and leaves two or more characters. The dictionary's best
// route may pair a short word with a long rare one (中共/中央政治局常委,
// 世界/银行行长) where a newspaper's segmentation, and a reader, see the
// common long name first (中共中央/政治局/常委, 世界银行/行长); but
// 全国/人大代表 (the two about as common) and 中国/共产党人, 沈阳/军区队
// (one character left) stay. The rest of the crossing word is cut again.
func (a *Analyzer) keepLongWords(run []rune, lens []int, c *cutter) []int {
	k := 0
	for i := 0; i+1 < len(lens); i++ {
		n1, n2 := lens[i], lens[i+1]
		if n1+n2 > minLongPrefix && n2 >= 2 {
			f2, _, _ := a.seg.Find(string(run[k+n1 : k+n1+n2]))
			for e := n1 + n2 - 2; e > n1 && e >= minLongPrefix; e-- {
				f, _, ok := a.seg.Find(string(run[k : k+e]))
				if !ok || f < subWordMinFreq || f < longWordRatio*f2 {
					continue
				}
				// lens may be c's buffer, which cut reuses
				lens = slices.Clone(lens)
				rest := a.cut(run[k+e:k+n1+n2], c)
				lens = slices.Concat(lens[:i:i], []int{e}, rest, lens[i+2:])
				break
			}
		}
		k += lens[i]
	}
	return lens
}

// longWordRatio is how much more common than the word that crosses it a
// long word must be to be kept whole (see keepLongWords).
const longWordRatio = 10

// adminChars are the administrative units that a newspaper's segmentation
// joins to the organ after them, not to the place before them: 南京/市政府,
// 北京/市委, 河北/省委.
var adminChars = map[rune]bool{'市': true, '省': true, '县': true, '区': true}

// organs are what follows an administrative unit as one word with it in a
// newspaper's segmentation: 市政府, 省委, 县长 (but 纽约市/议会, 湖北省/农科院).
var organs = map[string]bool{"政府": true, "委": true, "长": true}

// organAt returns the length of the organ word that starts at rune i of w
// (see organs), or 0.
func organAt(w []rune, i int) int {
	for _, n := range []int{1, 2} {
		if i+n <= len(w) && organs[string(w[i:i+n])] {
			return n
		}
	}
	return 0
}

// adminEnd reports whether rune e-1 of w is an administrative unit that
// belongs to the organ after it (南京市政府 at 南京市): a sub-word must not
// end there.
func (a *Analyzer) adminEnd(w []rune, e int) bool {
	return e >= 3 && e < len(w) && adminChars[w[e-1]] && organAt(w, e) > 0 && a.known(string(w[:e-1]), subWordMinFreq)
}

// regroupAdmin moves an administrative unit from the end of a place to the
// organ after it: 南京市/政府 → 南京/市政府, 青岛市/委 → 青岛/市委.
func (a *Analyzer) regroupAdmin(run []rune, lens []int) []int {
	k := 0
	for i, n := range lens {
		if i+1 < len(lens) && n >= 3 && adminChars[run[k+n-1]] && organAt(run[k+n:k+n+lens[i+1]], 0) == lens[i+1] {
			if a.known(string(run[k:k+n-1]), subWordMinFreq) && a.known(string(run[k+n-1:k+n+lens[i+1]]), subWordMinFreq) {
				lens[i], lens[i+1] = n-1, lens[i+1]+1
			}
		}
		k += n
	}
	return lens
}

// innerBounds adds to bounds the rune offsets (plus off) where w divides:
// the ends of the words of its best cut without w itself, and recursively
// of those words.
func (a *Analyzer) innerBounds(w []rune, off int, bounds []int) []int {
	c := cutters.Get().(*cutter)
	lens := a.regroupAdmin(w, slices.Clone(a.cutParts(w, c)))
	cutters.Put(c)
	k := 0
	for _, n := range lens {
		bounds = append(bounds, off+k+n)
		if n >= 3 {
			bounds = a.innerBounds(w[k:k+n], off+k, bounds)
		}
		k += n
	}
	return bounds
}

// byteOffset returns the byte offset of the n-th rune of s.
func byteOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

var cutters = sync.Pool{New: func() any { return new(cutter) }}

// Bigrams returns the bigram-field tokens of text: overlapping character
// pairs of every Chinese run (a lone character as itself) and whole
// non-Chinese words, at consecutive positions. The field finds words the
// dictionary does not know (冯成定); queries use it only as a phrase over
// all the bigrams of such a word, so it behaves as an exact substring
// match.
func (a *Analyzer) Bigrams(text string) []Token {
	f := fold(text).joinHan()
	bs := bigrams(f)
	toks := make([]Token, len(bs))
	for i, b := range bs {
		toks[i] = Token{Term: string(f.runes[b.start:b.end]), Start: f.start[b.start], End: f.end[b.end-1], Position: b.pos, Known: b.pair < 0 && !isHan(f.runes[b.start])}
	}
	return toks
}

// pruneBigrams makes the bigram field leave out the character pairs whose
// both characters belong to dictionary words of the text. It makes the
// index about a third smaller (5.97 → 3.77 times the text at 2,000
// synthetic documents) and indexing faster, at a cost in recall: a quoted
// phrase or an unknown word no longer matches where its characters lie
// inside the text's dictionary words, so a phrase cut in the middle of a
// word ("展营商环境" in 发展营商环境) no longer matches; whole words and
// names still do (testdata/judged.json). Changing it changes the mapping
// version, so indexes are rebuilt.
const pruneBigrams = true

// prunedPair reports whether the bigram field leaves t out (see
// pruneBigrams).
func prunedPair(t bigramTok, inWord []bool) bool {
	return pruneBigrams && t.pair >= 0 && inWord[t.pair] && inWord[t.pair+1]
}

// queryBigrams returns the bigram-field terms of a query text as a phrase:
// one term per position, "" for the pairs the index leaves out (see
// bigramStream) as judged by the query's own segmentation. When the text
// is only Chinese characters, chain is its folded form (for highlighting)
// and the terms are aligned with its character pairs (or are the one lone
// character).
func (a *Analyzer) queryBigrams(text string) (terms []string, chain string) {
	f := fold(text).joinHan()
	inWord := make([]bool, len(f.runes))
	a.words(f, inWord, nil, false)
	han := len(f.runes) > 0
	for _, r := range f.runes {
		han = han && isHan(r)
	}
	for _, t := range bigrams(f) {
		if prunedPair(t, inWord) {
			terms = append(terms, "")
		} else {
			terms = append(terms, string(f.runes[t.start:t.end]))
		}
	}
	if han {
		chain = string(f.runes)
	}
	return terms, chain
}

// bigramTok is a bigram-field token as rune indexes into folded text.
type bigramTok struct {
	start, end int // runes [start, end)
	pos        int
	pair       int // start of a character pair, or -1 for a lone character or word
}

func bigrams(f folded) []bigramTok {
	rs := f.runes
	toks := make([]bigramTok, 0, len(rs))
	pos := 0
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isHan(r):
			j := i + 1
			for j < len(rs) && isHan(rs[j]) {
				j++
			}
			if j-i == 1 {
				pos++
				toks = append(toks, bigramTok{i, i + 1, pos, -1})
			}
			for k := i; k+1 < j; k++ {
				pos++
				toks = append(toks, bigramTok{k, k + 2, pos, k})
			}
			i = j
		case isWordRune(r):
			j := i + 1
			for j < len(rs) && (isWordRune(rs[j]) || rs[j] == '.' && j+1 < len(rs) && isDigit(rs[j-1]) && isDigit(rs[j+1])) {
				j++
			}
			pos++
			toks = append(toks, bigramTok{i, j, pos, -1})
			i = j
		default:
			i++
		}
	}
	return toks
}

// fieldAnalysis analyses one field value once for both of its Bleve fields
// (words and bigrams): Bleve asks for each separately, and folding and
// segmenting the text twice would double the cost of indexing. The token
// streams carry positions but no offsets (Start = End = 0): nothing reads
// offsets from the index (highlights are computed from the stored text,
// see matchSpans), and without them the index is smaller.
type fieldAnalysis struct {
	an             *Analyzer
	text           string
	once           sync.Once
	words, bigrams analysis.TokenStream
}

func (fa *fieldAnalysis) run() {
	f := fold(fa.text).joinHan()
	inWord := make([]bool, len(f.runes))
	bound := make([]bool, len(f.runes)+1)
	fa.words = toStream(fa.an.words(f, inWord, bound, true))
	fa.bigrams = bigramStream(f, inWord, bound)
}

// wordAnalyzer and bigramAnalyzer adapt a fieldAnalysis to Bleve. They are
// handed to Bleve per field (document.NewTextFieldCustom), not registered in
// Bleve's global registry, so configuration stays per index.
type wordAnalyzer struct{ *fieldAnalysis }
type bigramAnalyzer struct{ *fieldAnalysis }

func (w wordAnalyzer) Analyze([]byte) analysis.TokenStream {
	w.once.Do(w.run)
	return w.words
}

func (g bigramAnalyzer) Analyze([]byte) analysis.TokenStream {
	g.once.Do(g.run)
	return g.bigrams
}

func toStream(toks []Token) analysis.TokenStream {
	n := 0
	for _, t := range toks {
		n += len(t.Term)
	}
	buf := make([]byte, 0, n)
	ts := make(analysis.TokenStream, len(toks))
	backing := make([]analysis.Token, len(toks))
	for i, t := range toks {
		typ := analysis.Ideographic
		if t.Known && !t.Sub && (t.Term[0] < utf8.RuneSelf) {
			typ = analysis.AlphaNumeric
		}
		at := len(buf)
		buf = append(buf, t.Term...)
		backing[i] = analysis.Token{Term: buf[at:len(buf):len(buf)], Position: t.Position, Type: typ}
		ts[i] = &backing[i]
	}
	return ts
}

// bigramStream is the bigram field of folded text as a Bleve token stream,
// built without intermediate strings. It leaves out the character pairs
// whose both characters belong to dictionary words of the text (inWord, from
// words): the field is there for text the dictionary does not know, and
// those pairs are most of the field. Their positions stay taken, so a
// phrase cannot skip them.
func bigramStream(f folded, inWord, bound []bool) analysis.TokenStream {
	toks := bigrams(f)
	keep := toks[:0]
	edges := 0
	for _, t := range toks {
		if !prunedPair(t, inWord) {
			keep = append(keep, t)
			if t.pair >= 0 {
				edges += edgeCount(bound[t.start], bound[t.end])
			}
		}
	}
	toks = keep
	n := 0
	for _, t := range toks {
		n += t.end - t.start
	}
	buf := make([]byte, 0, n*3+edges*8)
	ts := make(analysis.TokenStream, 0, len(toks)+edges)
	backing := make([]analysis.Token, 0, len(toks)+edges)
	emit := func(at, pos int, typ analysis.TokenType) {
		backing = append(backing, analysis.Token{Term: buf[at:len(buf):len(buf)], Position: pos, Type: typ})
	}
	for _, t := range toks {
		typ := analysis.Ideographic
		if t.pair < 0 && !isHan(f.runes[t.start]) {
			typ = analysis.AlphaNumeric
		}
		at := len(buf)
		for _, r := range f.runes[t.start:t.end] {
			buf = utf8.AppendRune(buf, r)
		}
		emit(at, t.pos, typ)
		if t.pair < 0 {
			continue
		}
		// the same pair marked with the word boundaries at its ends
		pair := buf[at:len(buf)]
		left, right := bound[t.start], bound[t.end]
		if left {
			at := len(buf)
			buf = append(append(buf, edgeMark), pair...)
			emit(at, t.pos, typ)
		}
		if right {
			at := len(buf)
			buf = append(append(buf, pair...), edgeMark)
			emit(at, t.pos, typ)
		}
		if left && right {
			at := len(buf)
			buf = append(append(append(buf, edgeMark), pair...), edgeMark)
			emit(at, t.pos, typ)
		}
	}
	for i := range backing {
		ts = append(ts, &backing[i])
	}
	return ts
}

// edgeMark marks a character pair of the bigram field that begins (before
// it) or ends (after it) on a word boundary of the text: <离石 and 石区<.
// A query's unknown word then needs boundaries at both of its ends, so 王章
// does not match inside the name 王章平, nor 言和 in 语言/和.
const edgeMark = '|'

// edgeCount is how many marked forms of a pair the bigram field holds.
func edgeCount(left, right bool) int {
	switch {
	case left && right:
		return 3
	case left || right:
		return 1
	}
	return 0
}

// withEdges marks the ends of a bigram phrase (see edgeMark): the first
// pair must begin on a word boundary and, when right is set, the last one
// end on one. Gaps ("") and terms other than pairs of Chinese characters
// stay as they are.
func withEdges(terms []string, right bool) []string {
	if len(terms) == 0 {
		return terms
	}
	out := slices.Clone(terms)
	hanPair := func(s string) bool {
		rs := []rune(s)
		return len(rs) == 2 && isHan(rs[0]) && isHan(rs[1])
	}
	if hanPair(out[0]) {
		out[0] = string(edgeMark) + out[0]
	}
	if l := len(out) - 1; right && hanPair(terms[l]) {
		out[l] += string(edgeMark)
	}
	return out
}
