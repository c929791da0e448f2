package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

type lineKind int

const (
	lText    lineKind = iota
	lLead             // starts a story: 本报讯 / 新华社…电 / 据…报道
	lVert             // a vertical headline, rebuilt from one-character lines
	lBanner           // doubled bold banner text
	lCredit           // photo credit: 记者 X 摄
	lTrailer          // bracketed byline or source ending a story: （A B C）
	lDate             // a date alone on a line: 2023年5月8日
	lByline           // a byline alone on a line: 本报记者 张三 / 本报评论员 / 张三
)

// line is one non-blank line of the page.
type line struct {
	text      string // trimmed text
	indent    bool   // line started with whitespace (paragraph indent)
	width     float64
	justified bool
	kind      lineKind
	banner    string  // lBanner: the de-doubled text
	size      float64 // font size, when the page told it (a PDF); 0 unknown
}

// mdRe matches a month and day in a dateline, in ASCII or full-width
// digits or Chinese numerals: 6月7日, １月６日, 十二月三十一日.
const mdRe = `[0-9０-９一二三四五六七八九十〇○]{1,3}月[0-9０-９一二三四五六七八九十〇○]{1,3}日`

var (
	leadRe = regexp.MustCompile(`^(?:本报讯|本报专电|本报[\p{Han}]{0,8}?(?:` + mdRe + `)?(?:电|讯)|据?(?:新华社|中新社|人民日报|光明日报|经济日报|央视网|中新网|人民网|新华网)[\p{Han}]{0,10}?(?:` + mdRe + `)?(?:电|讯)|据[^，。；]{2,24}?报道)`)
	dateRe = regexp.MustCompile(`^([0-9]{4}|[〇零○Ｏ一二三四五六七八九]{4})年([0-9]{1,2}|[一二三四五六七八九十]{1,3})月([0-9]{1,2}|[一二三四五六七八九十]{1,3})日$`)
	// a role word printed before names in a byline
	roleRe      = regexp.MustCompile(`^(本报记者|本报通讯员|特约记者|见习记者|实习记者|摄影记者|首席记者|融媒记者|全媒体记者|记者|通讯员|实习生|摄影|摄像|本报评论员|评论员|文/图|图/文)`)
	roleSplitRe = regexp.MustCompile(`(本报记者|本报通讯员|特约记者|见习记者|实习记者|摄影记者|首席记者|融媒记者|全媒体记者|记者|通讯员|实习生)`)
	nameRe      = regexp.MustCompile(`^[\p{Han}·]{2,4}$|^[\p{Han}]{1,6}·[\p{Han}]{1,8}$`)
	jumpRe      = regexp.MustCompile(`[（(]?\s*(?:下转|上接|转|接)第\s*[0-9一二三四五六七八九十]+\s*版\s*[）)]?`)
)

// findLead returns where the dateline at the start of the compacted text
// c ends, or nil. "据外电报道，…" is the start of a sentence, not a
// dateline (which runs straight into the text), unless it names one of the
// home agencies (据新华社报道，…).
func findLead(c string) []int {
	loc := leadRe.FindStringIndex(c)
	if loc == nil {
		return nil
	}
	if strings.HasPrefix(c[loc[1]:], "员") {
		// 本报通讯员, 新华社通讯员: a byline, not a dateline
		return nil
	}
	if strings.HasPrefix(c, "据") && strings.HasSuffix(c[:loc[1]], "报道") && !agencyRe.MatchString(c) {
		if r, _ := utf8.DecodeRuneInString(c[loc[1]:]); r == '，' || r == ',' || r == '、' {
			return nil
		}
	}
	return loc
}

// compact removes all whitespace (for pattern matching on artefact-ridden lines).
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// prepareLines normalises the raw text, drops blank lines, rebuilds
// vertical headlines and classifies every line. sizes, when not nil, is
// the font size of each line of text (split at "\n"; see Options.Sizes).
func prepareLines(text string, sizes []float64, rep *Report) []*line {
	repl := strings.NewReplacer("\r\n", "\n", "\r", "\n", "\f", "\n", "\u00a0", " ", "\t", " ", "\ufeff", "")
	var raw []string
	var rawSize []float64
	for i, src := range strings.Split(text, "\n") {
		var size float64
		if i < len(sizes) {
			size = sizes[i]
		}
		for _, l := range strings.Split(repl.Replace(src), "\n") {
			if strings.TrimFunc(l, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' }) != "" {
				raw = append(raw, strings.TrimRightFunc(l, unicode.IsSpace))
				rawSize = append(rawSize, size)
			}
		}
	}
	out := classifyAll(raw, rawSize)
	markSplitLeads(out)
	return out
}

// markSplitLeads marks a dateline broken over two lines (本报北京１月１９ /
// 日讯记者…), as narrow columns print it, as the lead of a story.
func markSplitLeads(ls []*line) {
	for i := 0; i+1 < len(ls); i++ {
		l, nx := ls[i], ls[i+1]
		if l.kind != lText || nx.kind != lText || !leadStartRe.MatchString(l.text) {
			continue
		}
		c := compact(l.text)
		if loc := findLead(c + compact(nx.text)); loc != nil && loc[1] > len(c) {
			l.kind = lLead
		}
	}
}

var agencyRe = regexp.MustCompile(`^据(?:新华社|中新社|人民日报|光明日报|经济日报|央视网|中新网|人民网|新华网|本报)`)

var leadStartRe = regexp.MustCompile(`^\s*(本报|新华社|据|中新社)`)

// classifyAll rebuilds vertical headlines and wrapped bylines and
// classifies every line.
func classifyAll(raw []string, sizes []float64) []*line {
	var out []*line
	for i := 0; i < len(raw); i++ {
		first := len(out)
		i0 := i
		out = classifyAt(raw, i, &i, out)
		for _, l := range out[first:] {
			l.size = sizes[i0]
		}
	}
	return out
}

// classifyAt classifies the line(s) starting at raw[i], appends them to out
// and leaves *next at the last raw line it used.
func classifyAt(raw []string, i int, next *int, out []*line) []*line {
	defer func() { *next = i }()
	// vertical headline: 4+ consecutive lines of a single ideograph
	j := i
	for j < len(raw) && isSingleHan(raw[j]) {
		j++
	}
	if j-i >= 4 {
		var b strings.Builder
		for _, l := range raw[i:j] {
			b.WriteString(strings.TrimSpace(l))
		}
		t := b.String()
		out = append(out, &line{text: t, kind: lVert, width: float64(utf8.RuneCountInString(t))})
		i = j - 1
		return out
	}
	// a bracketed byline wrapped over two lines: "（肖继旺 王泽利" + "王乾宇）"
	if i+1 < len(raw) {
		a, b := strings.TrimSpace(raw[i]), strings.TrimSpace(raw[i+1])
		if (strings.HasPrefix(a, "（") || strings.HasPrefix(a, "(")) && !strings.ContainsAny(a, "）)") &&
			(strings.HasSuffix(b, "）") || strings.HasSuffix(b, ")")) && isTrailer(a+" "+b) {
			out = append(out, classify(a+" "+b))
			i++
			return out
		}
	}
	// a byline in brackets after the last sentence, broken over two
	// lines: "…生产率。（徐国春张雅文崔成" + "龙）"
	if i+1 < len(raw) {
		a, b := strings.TrimSpace(raw[i]), strings.TrimSpace(raw[i+1])
		if k := strings.LastIndexAny(a, "（("); k > 0 && !strings.ContainsAny(a[k:], "）)") && !strings.ContainsAny(b, "（(") &&
			(strings.HasSuffix(b, "）") || strings.HasSuffix(b, ")")) && utf8.RuneCountInString(b) <= 12 {
			if parts := splitInline(a + b); len(parts) == 2 {
				out = append(out, classify(parts[0]), classify(parts[1]))
				i++
				return out
			}
		}
	}
	if groups := bracketGroupsRe.FindAllString(strings.TrimSpace(raw[i]), -1); len(groups) > 1 && strings.Join(groups, "") == strings.TrimSpace(raw[i]) {
		// notes in brackets side by side: （周文广摄）（新华社稿）
		for _, g := range groups {
			out = append(out, classify(g))
		}
		return out
	}
	for _, part := range splitInline(raw[i]) {
		out = append(out, classify(part))
	}
	return out
}

var bracketGroupsRe = regexp.MustCompile(`[（(][^（）()]{2,40}[）)]`)

var inlineTailRe = regexp.MustCompile(`^(.*[。！？”])\s*([（(][^（）()]{2,60}[）)]|[^。！？”（）()]{3,24}摄)\s*$`)

// splitInline separates a trailing byline or photo credit printed on the
// same line as the end of the last sentence.
func splitInline(raw string) []string {
	m := inlineTailRe.FindStringSubmatch(strings.TrimSpace(raw))
	if m == nil {
		return []string{raw}
	}
	tail := strings.TrimSpace(m[2])
	if isTrailer(tail) || isCredit(tail) {
		return []string{m[1], tail}
	}
	return []string{raw}
}

func isSingleHan(s string) bool {
	t := strings.TrimSpace(s)
	r, n := utf8.DecodeRuneInString(t)
	return n == len(t) && n > 0 && isHan(r)
}

func classify(raw string) *line {
	t := strings.TrimFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' })
	l := &line{
		text:      t,
		indent:    strings.HasPrefix(raw, " ") || strings.HasPrefix(raw, "\u3000"),
		width:     textWidth(t),
		justified: isJustified(t),
	}
	c := compact(t)
	switch {
	case findLead(c) != nil:
		l.kind = lLead
	case dateRe.MatchString(c):
		l.kind = lDate
	case isCredit(t):
		l.kind = lCredit
	case isTrailer(t):
		l.kind = lTrailer
	case isBylineLine(c):
		l.kind = lByline
	default:
		if b, ok := undouble(t); ok {
			l.kind = lBanner
			l.banner = b
		}
	}
	return l
}

// undouble recognises a bold banner that the extraction doubled: every
// whitespace-separated token (or the whole line) is a run X repeated twice,
// X at least four characters. It returns the de-doubled text.
func undouble(s string) (string, bool) {
	if x, ok := doubled(compact(s)); ok {
		return x, true
	}
	toks := strings.Fields(s)
	var parts []string
	for _, t := range toks {
		x, ok := doubled(t)
		if !ok {
			return "", false
		}
		parts = append(parts, x)
	}
	return strings.Join(parts, " "), len(parts) > 0
}

func doubled(t string) (string, bool) {
	rs := []rune(t)
	if len(rs) < 8 || len(rs)%2 != 0 {
		return "", false
	}
	h := len(rs) / 2
	if string(rs[:h]) != string(rs[h:]) || hanOnly(string(rs[:h])) == "" {
		return "", false
	}
	return string(rs[:h]), true
}

// creditRe matches a photo credit: "记者 刘亮亮 摄", "刘亮亮/摄", "（记者 刘亮亮 摄）".
var creditRe = regexp.MustCompile(`^[（(]?\s*((?:本报记者|摄影记者|记者|通讯员|实习生|摄影)?)\s*([\p{Han}·]{2,4}(?:\s+[\p{Han}·]{2,4}){0,3})\s*(?:/|／)?\s*(摄影?|供图|摄)\s*[）)]?$`)

func isCredit(t string) bool {
	m := creditRe.FindStringSubmatch(t)
	if m == nil || utf8.RuneCountInString(t) > 28 {
		return false
	}
	// without a role, require the gap or slash before 摄 so that ordinary
	// words ending in 摄 are not taken for credits
	return m[1] != "" || strings.ContainsAny(t, " /／") || strings.HasSuffix(t, "供图")
}

// bylineLineRe matches a byline printed alone on a line, without
// brackets: a reporter's role with names, or a commentator's signature.
var bylineLineRe = regexp.MustCompile(`^(?:(?:本报|新华社|中新社)(?:驻[\p{Han}]{1,8})?(?:特约|首席|见习|实习)?(?:记者|通讯员)|本报(?:特约)?评论员|特约评论员|本报通讯员|特约记者)([\p{Han}·、]{0,16})$`)

// isBylineLine reports whether the compacted line c is a byline alone on
// a line: "本报记者张三李四", "本报评论员", "新华社记者王五", or one person's
// name ("张汉民") as printed over a commentary.
func isBylineLine(c string) bool {
	if bylineLineRe.MatchString(c) {
		return true
	}
	n := utf8.RuneCountInString(c)
	return n >= 2 && n <= 3 && hanOnly(c) == c && isSurname(c)
}

// surnames are the commonest Chinese family names (first character).
const surnames = "萧王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"

// plausibleName reports whether a bare token in brackets can be a
// person's name: one starting with a family name, or a short pen name
// (天沛) that is none of the words of photo and page notes.
func plausibleName(t string) bool {
	return isSurname(t) || utf8.RuneCountInString(t) <= 3 && !noteWord(t)
}

func isSurname(name string) bool {
	r, _ := utf8.DecodeRuneInString(name)
	return strings.ContainsRune(surnames, r)
}

// trailerRe matches a whole line in brackets, as printed at the end of a story.
var trailerRe = regexp.MustCompile(`^[（(]([^（）()]{2,60})[）)]$`)

func isTrailer(t string) bool {
	m := trailerRe.FindStringSubmatch(t)
	if m == nil {
		return false
	}
	if _, ok := parseTrailerSource(m[1]); ok {
		return true
	}
	if _, _, ok := parseNames(m[1], false); ok {
		return true
	}
	return runTogetherNames(m[1]) || affiliationAndName(compact(m[1]))
}

// affiliationAndName reports whether s is a writer's place or employer and
// name, as letters and contributions are signed: 中国人民银行四川德阳市分行荣鸿琪,
// 河南南阳市宛城区人民法院牛国华白梁英. It must end in a name that starts
// with a family name and hold none of the words of photo and page notes.
func affiliationAndName(s string) bool {
	rs := []rune(s)
	if len(rs) < 5 || len(rs) > 30 || hanOnly(s) != s || noteWord(s) {
		return false
	}
	for _, k := range []int{3, 2} {
		if isSurname(string(rs[len(rs)-k:])) && strings.ContainsAny(string(rs[:len(rs)-k]), "市县区省局院校厂司部行社所队站会乡镇村团处科室中心报台") {
			return true
		}
	}
	return false
}

// noteWordRe matches the words of photo and page notes (（附图片１张）,
// （传真照片）, （下转第二版）, （待续）, （完）); 张 only after a numeral,
// since it is also a family name.
var noteWordRe = regexp.MustCompile(`[图照片附版续完待]|[0-9０-９一二两三四五六七八九十]张`)

func noteWord(s string) bool { return noteWordRe.MatchString(s) }

// runTogetherNames reports whether s looks like the names of two or three
// people printed without a gap (王彦田周亮): ideographs only, four to eight,
// starting with a family name and none of the words of photo notes.
func runTogetherNames(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 4 && n <= 9 && hanOnly(s) == s && isSurname(s) && !noteWord(s)
}

// sourceNoteRe matches a note that says where a text or picture comes
// from: 新华社稿, 新华社发, 本报新闻信息中心供稿, 本报电视照片.
var sourceNoteRe = regexp.MustCompile(`^(?:新华社|中新社|本报|人民日报|新华网)[\p{Han}]{0,12}(?:稿|供稿|发|照片|传真)$`)

// parseTrailerSource recognises a trailing source such as （据新华社电）.
func parseTrailerSource(s string) (string, bool) {
	c := compact(s)
	if sourceNoteRe.MatchString(c) {
		return c, true
	}
	if strings.HasPrefix(c, "据") && (strings.HasSuffix(c, "电") || strings.HasSuffix(c, "报道") || strings.HasSuffix(c, "消息")) && utf8.RuneCountInString(c) <= 20 {
		return c, true
	}
	return "", false
}

// parseNames parses the inside of a byline bracket, e.g. "记者 张娟娟 通讯员
// 李四 王五", into bylines as printed per role and the bare names. When
// needRole is false a list of bare names ("肖继旺 王泽利 王乾宇") is accepted.
func parseNames(s string, needRole bool) (bylines, names []string, ok bool) {
	s = strings.NewReplacer("、", " ", "，", " ", ",", " ").Replace(s)
	// justified lines lose the spaces between roles and names: 记者王晓明通讯员李华
	s = roleSplitRe.ReplaceAllString(s, " $1 ")
	toks := strings.Fields(s)
	if len(toks) == 0 {
		return nil, nil, false
	}
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			bylines = append(bylines, strings.Join(cur, " "))
			cur = nil
		}
	}
	sawRole := false
	for _, t := range toks {
		if role := roleRe.FindString(t); role != "" && (len(t) > len(role) && nameRe.MatchString(t[len(role):]) || len(t) == len(role)) {
			flush()
			cur = append(cur, role)
			sawRole = true
			t = t[len(role):]
			if t == "" {
				continue
			}
		}
		if !nameRe.MatchString(t) || !sawRole && !strings.Contains(t, "·") && !plausibleName(t) {
			return nil, nil, false
		}
		cur = append(cur, t)
		names = append(names, t)
	}
	flush()
	if len(names) == 0 || needRole && !sawRole {
		return nil, nil, false
	}
	if !sawRole && len(names) > 6 {
		return nil, nil, false
	}
	return bylines, names, true
}
