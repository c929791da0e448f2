// Package gen writes a synthetic archive: realistic Chinese stories and
// notices spread over twenty years, recombined from the sample page's
// sentences and a bank of local names, places and topics. It exists to
// measure the site and search at archive scale; the same seed always
// gives the same archive.
package gen

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/news"
)

// Options control a generated archive.
type Options struct {
	Stories int       // items to write (stories, photos and notices)
	Seed    uint64    // same seed, same archive
	End     time.Time // the newest date; items spread over the 20 years before it
	Years   int       // 0: 20
	// Photos, if not 0, is how many distinct pictures are written (JPEG,
	// 1600×1067, under static/media/gen/, where the media library keeps
	// its uploads), and every story and photo story gets one of them as
	// its lead photo, with a caption and a credit; otherwise photo stories
	// have the placeholder and other stories none.
	Photos int
	// Progress, if set, is called every 1,000 items and at the end.
	Progress func(done, total int)
}

// DefaultEnd is the newest date of a generated archive unless told
// otherwise: fixed, so that a seed gives the same archive on any day.
var DefaultEnd = time.Date(2026, 6, 30, 18, 0, 0, 0, news.Shanghai)

var (
	places = []string{"离石区", "孝义市", "汾阳市", "文水县", "交城县", "兴县", "临县", "柳林县", "石楼县", "岚县", "方山县", "中阳县", "交口县"}
	towns  = []string{"马坊镇", "信义镇", "西属巴街道", "城北街道", "凤山街道", "吴城镇", "大武镇", "田家会街道", "薛村镇", "孟门镇"}
	people = []string{"张广勇", "李明华", "王建国", "赵晓燕", "刘振东", "陈丽萍", "杨志刚", "高文斌", "冯成定", "郭海峰", "任晓东", "白雪梅"}
	staff  = []string{"张娟娟", "刘子璇", "冯凯治", "高茜", "刘亮亮", "肖继旺", "王泽利", "王乾宇", "李文杰", "郝静", "薛峰", "武晓霞", "任雅琴", "曹宇航"}
	orgs   = []string{"市卫健委", "市教育局", "市交通运输局", "市生态环境局", "市农业农村局", "市文旅局", "市市场监管局", "市住建局", "市应急管理局", "市公安局", "市人社局", "市行政审批服务管理局"}
	// columns and their topics: each topic is a subject and what happened.
	columns = map[string][][2]string{
		"要闻":   {{"营商环境", "持续优化，企业办事更加便捷"}, {"一件事一次办", "改革深入推进，群众满意度不断提升"}, {"高质量发展", "取得新成效"}},
		"时政":   {{"全市领导干部大会", "召开，部署下半年重点工作"}, {"市政府常务会议", "研究安全生产和民生实事"}, {"人大代表视察", "聚焦基层治理与乡村振兴"}},
		"本地":   {{"城区道路改造", "完工通车，出行条件明显改善"}, {"老旧小区改造", "惠及数千户居民"}, {"防灾减灾宣传", "走进社区和学校"}, {"口袋公园", "陆续建成开放"}},
		"教育":   {{"高考", "平稳有序进行"}, {"义务教育阶段招生", "工作顺利完成"}, {"职业教育", "产教融合迈出新步伐"}},
		"卫生健康": {{"职业健康传播作品", "获得优异成绩"}, {"家庭医生签约服务", "覆盖面持续扩大"}, {"医共体建设", "让群众在家门口看好病"}},
		"文化":   {{"伞头秧歌", "展演活动精彩纷呈"}, {"移风易俗", "文艺巡演走进乡村"}, {"非遗传承", "焕发新活力"}},
		"经济":   {{"煤炭保供", "稳产稳价工作扎实推进"}, {"特色农业", "带动农民增收致富"}, {"文旅产业", "迎来发展新机遇"}, {"招商引资", "签约项目总投资再创新高"}},
	}
	columnNames = []string{"要闻", "时政", "本地", "教育", "卫生健康", "文化", "经济"}
	sentences   = []string{
		"政务服务是评价营商环境的重要指标，直接关系人民群众的幸福感和满意度。",
		"今年以来，{place}持续推动“一件事一次办”集成服务改革，凝聚共识，协同发力。",
		"围绕市场经营、工程建设、卫生健康、交通运输等领域，推出了{n}个“一件事”套餐服务。",
		"{org}相关负责人介绍，下一步将进一步压缩办理时限，精简申请材料。",
		"{person}深入{town}实地调研，详细了解项目建设进展和群众生产生活情况。",
		"他强调，各级各部门要认真落实中央及省市部署要求，压紧压实各方责任。",
		"据了解，此次活动共吸引{n}余名群众参与，营造了浓厚的社会氛围。",
		"{town}村民说：“现在办事方便多了，不用来回跑，在家门口就能办好。”",
		"通过开展系列宣传活动，进一步增强了群众的安全意识和自我保护能力。",
		"截至目前，全市已累计完成投资{n}亿元，占年度计划的{pct}%。",
		"活动现场，工作人员通过发放宣传资料、设立咨询台等方式，向过往群众普及相关知识。",
		"要守牢安全底线，完善应急处置预案，确保各项工作安全顺利。",
		"{place}将以此为契机，持续巩固提升工作成效，推动各项任务落地见效。",
		"演出内容精彩纷呈，形式新颖、贴近生活，吸引了众多群众前来观看。",
		"该项目建成后，预计每年可带动就业{n}人，实现产值{n}万元。",
		"近年来，{place}坚持把保障和改善民生作为工作的出发点和落脚点。",
		"{org}联合多部门开展专项行动，排查整治各类隐患{n}处。",
		"在{town}，记者看到，新修的道路平整宽阔，路灯、绿化等配套设施一应俱全。",
		"下一步，{place}将继续加大工作力度，确保群众得到更多实惠。",
		"全市共设{n}个考点、{n}个考场，{n}名考生参加考试。",
	}
	issuers = []string{"吕梁市人民政府", "吕梁市人民政府办公室", "吕梁市自然资源局", "吕梁市住房和城乡建设局", "吕梁市生态环境局", "吕梁市市场监督管理局"}
	firms   = []string{"吕梁市鑫源煤业有限公司", "山西晋兴建材有限公司", "孝义市顺通物流有限公司", "汾阳市杏花酒业销售有限公司", "柳林县宏达商贸有限公司", "离石区润民农业专业合作社"}
)

// Generate writes opts.Stories items below root/content and returns how
// many it wrote. Existing files with the same names are replaced.
func Generate(root string, opts Options) (int, error) {
	if opts.Stories <= 0 {
		return 0, fmt.Errorf("number of stories must be positive")
	}
	if opts.End.IsZero() {
		opts.End = DefaultEnd
	}
	if opts.Years <= 0 {
		opts.Years = 20
	}
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	start := opts.End.AddDate(-opts.Years, 0, 0)
	span := opts.End.Sub(start)
	step := span / time.Duration(opts.Stories)
	var photos []string
	for i := range opts.Photos {
		src, err := writePhoto(root, i)
		if err != nil {
			return 0, err
		}
		photos = append(photos, src)
	}
	dirs := map[string]bool{}
	for i := 0; i < opts.Stories; i++ {
		// Evenly spread, newest last, with jitter inside the step, so the
		// archive grows like a daily paper's.
		at := start.Add(step*time.Duration(i) + time.Duration(r.Int64N(int64(step)+1)))
		s := story(r, i, at)
		if len(photos) > 0 && s.Kind != news.KindNotice {
			credit := "记者 " + pick(r, staff) + " 摄"
			caption := fill(r, "图为{town}群众参加活动。", pick(r, places))
			if len(s.Photos) > 0 {
				caption, credit = s.Photos[0].Caption, s.Photos[0].Credit
			}
			s.Photos = []news.Photo{{Src: photos[i%len(photos)], Caption: caption, Credit: credit}}
		}
		rel := content.RelPath(s.Kind, at, fmt.Sprintf("g%07d", i))
		data, err := content.Marshal(s, at)
		if err != nil {
			return i, err
		}
		full := filepath.Join(root, "content", filepath.FromSlash(rel))
		if dir := filepath.Dir(full); !dirs[dir] {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return i, err
			}
			dirs[dir] = true
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return i, fmt.Errorf("write %s: %w", rel, err)
		}
		if opts.Progress != nil && (i+1)%1000 == 0 {
			opts.Progress(i+1, opts.Stories)
		}
	}
	if opts.Progress != nil {
		opts.Progress(opts.Stories, opts.Stories)
	}
	return opts.Stories, nil
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// fill replaces the placeholders of a sentence template.
func fill(r *rand.Rand, s string, place string) string {
	for strings.Contains(s, "{") {
		switch {
		case strings.Contains(s, "{place}"):
			s = strings.Replace(s, "{place}", place, 1)
		case strings.Contains(s, "{town}"):
			s = strings.Replace(s, "{town}", pick(r, towns), 1)
		case strings.Contains(s, "{person}"):
			s = strings.Replace(s, "{person}", pick(r, people), 1)
		case strings.Contains(s, "{org}"):
			s = strings.Replace(s, "{org}", pick(r, orgs), 1)
		case strings.Contains(s, "{n}"):
			s = strings.Replace(s, "{n}", fmt.Sprint(2+r.IntN(3000)), 1)
		case strings.Contains(s, "{pct}"):
			s = strings.Replace(s, "{pct}", fmt.Sprint(40+r.IntN(60)), 1)
		default:
			return s
		}
	}
	return s
}

// story makes item i, dated at.
func story(r *rand.Rand, i int, at time.Time) news.Story {
	place := pick(r, places)
	col := pick(r, columnNames)
	topic := pick(r, columns[col])
	s := news.Story{
		ID: 0, Kind: news.KindStory, Section: col, Source: "本报讯",
		Title: place + topic[0] + topic[1],
		Tags:  []string{topic[0], place},
	}
	reporter := pick(r, staff)
	s.Authors = []string{"记者 " + reporter}
	if r.IntN(3) == 0 {
		s.Authors = append(s.Authors, "通讯员 "+pick(r, staff))
	}
	switch k := r.IntN(100); {
	case k < 5:
		return notice(r, i, at, place)
	case k < 10:
		s.Kind = news.KindPhoto
		s.Photos = []news.Photo{{Src: "/images/placeholder-photo.svg", Caption: fill(r, "图为{town}群众参加活动。", place), Credit: "记者 " + reporter + " 摄", Placeholder: true}}
	case k < 25:
		s.Kicker = fill(r, "{place}聚焦民生实事", place)
	case k < 35:
		s.Subtitle = fill(r, "{n}个项目集中开工", place)
	case k < 40:
		s.Source = fmt.Sprintf("新华社太原%d月%d日电", at.Month(), at.Day())
		s.Authors = nil
	}
	// About 1,500 characters: five to seven paragraphs of three to five
	// sentences.
	var paras []string
	for p, n := 0, 5+r.IntN(3); p < n; p++ {
		var b strings.Builder
		for k, m := 0, 3+r.IntN(3); k < m; k++ {
			b.WriteString(fill(r, pick(r, sentences), place))
		}
		paras = append(paras, b.String())
	}
	s.Body = strings.Join(paras, "\n\n")
	s.Edition = at.In(news.Shanghai).Format("2006-01-02")
	s.Page = 1 + r.IntN(8)
	s.PageName = col
	return s
}

func notice(r *rand.Rand, i int, at time.Time, place string) news.Story {
	s := news.Story{Kind: news.KindNotice, Section: "公告", Source: ""}
	if r.IntN(2) == 0 {
		issuer := pick(r, issuers)
		s.Title = fmt.Sprintf("%s关于%s的公告", issuer, pick(r, []string{"征收土地", "城区道路临时交通管制", "开展安全生产大检查", "公开征求意见"}))
		s.Notice = &news.NoticeInfo{Issuers: []string{issuer}, DocNumber: fmt.Sprintf("吕政告〔%d〕%d号", at.Year(), 1+i%90),
			IssuedOn: at.In(news.Shanghai).Format("2006-01-02"), Phones: []string{fmt.Sprintf("0358-82%05d", r.IntN(100000))}}
		s.Body = fill(r, "根据有关法律法规规定，现就有关事项公告如下：{place}相关工作自即日起实施，请有关单位和个人相互转告。", place) +
			"\n\n特此公告。"
	} else {
		firm := pick(r, firms)
		s.Title = firm + pick(r, []string{"减资公告", "注销公告", "清算公告"})
		s.Notice = &news.NoticeInfo{Issuers: []string{firm}, IssuedOn: at.In(news.Shanghai).Format("2006-01-02"),
			Phones: []string{fmt.Sprintf("13%09d", r.IntN(1000000000))}}
		s.Body = fmt.Sprintf("经本公司股东会决议，%s。请债权人自本公告见报之日起四十五日内向本公司申报债权。", pick(r, []string{"注册资本由1000万元减至500万元", "决定注销本公司", "成立清算组进行清算"})) +
			"\n\n特此公告。"
	}
	return s
}

// writePhoto writes generated picture i (bands of colour that differ from
// one picture to the next, so each encodes to its own file) and returns
// its address.
func writePhoto(root string, i int) (string, error) {
	const w, h = 1600, 1067
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(uint64(i), 7))
	base := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{base.R + uint8(x/7), base.G + uint8(y/5), base.B + uint8((x+y)/11), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return "", err
	}
	name := fmt.Sprintf("p%05d.jpg", i)
	dir := filepath.Join(root, "static", "media", "gen")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
		return "", err
	}
	return "/media/gen/" + name, nil
}
