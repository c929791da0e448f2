package admin

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsroom/internal/news"
)

// TestNoticeReviewPage: reviewers see every structured field of a notice
// with its label beside the text, and what its rules find wrong today.
func TestNoticeReviewPage(t *testing.T) {
	ta := newTestAdmin(t)
	clock := &shiftClock{}
	ta.desk.Clock = clock // before any request reads it
	ctx := context.Background()
	n := &news.Story{Kind: news.KindNotice, Title: "吕梁示例有限公司减资公告", Body: "经股东会决议，本公司注册资本由1000万元减至500万元。",
		Notice: &news.NoticeInfo{Phones: []string{"0358-1234567"}, NoticeFields: news.NoticeFields{Kind: "capital-reduction",
			Company: "吕梁示例有限公司", CreditCode: "91350100M000100Y43", Contact: "李女士",
			CapitalBefore: "1000万元", CapitalAfter: "500万元", ResolutionDate: "2023-05-20"}}}
	if err := ta.desk.Create(ctx, ta.users[news.RoleReporter], n); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.desk.Submit(ctx, ta.users[news.RoleReporter], n.ID); err != nil {
		t.Fatal(err)
	}
	_, body, _ := ta.getPage(t, news.RoleEditor, fmt.Sprintf("/admin/stories/%d", n.ID))
	for _, want := range []string{"统一社会信用代码", "91350100M000100Y43", "减资前注册资本", "1000万元", "减资后注册资本", "500万元",
		"决议日期", "2023-05-20", "公司名称", "吕梁示例有限公司", "联系人", "李女士", "0358-1234567", "发布单位",
		"经股东会决议", `id="notice-ok"`} {
		if !strings.Contains(body, want) {
			t.Errorf("review page lacks %q", want)
		}
	}

	// A 公示 whose period ends tomorrow is fine today; three days on, the
	// page says what is wrong, in the row of the field.
	tomorrow := time.Now().In(news.Shanghai).AddDate(0, 0, 1).Format(time.DateOnly)
	g := &news.Story{Kind: news.KindNotice, Title: "关于某项目的公示", Body: "现予公示。",
		Notice: &news.NoticeInfo{Issuers: []string{"吕梁市示例局"}, IssuedOn: "2023-06-01",
			NoticeFields: news.NoticeFields{Kind: "gov", PeriodEnd: tomorrow}}}
	if err := ta.desk.Create(ctx, ta.users[news.RoleReporter], g); err != nil {
		t.Fatal(err)
	}
	clock.shift.Store(int64(72 * time.Hour))
	_, body, _ = ta.getPage(t, news.RoleEditor, fmt.Sprintf("/admin/stories/%d", g.ID))
	if !strings.Contains(body, `id="notice-problem"`) || !strings.Contains(body, `class="field-bad"`) ||
		!strings.Contains(body, "公示截止日期（"+tomorrow+"）早于刊发日期") {
		t.Errorf("review page of an expired 公示 does not say so:\n%s", body)
	}
}

// shiftClock is the system clock moved on by shift, safe to move while
// the server reads it.
type shiftClock struct{ shift atomic.Int64 }

func (c *shiftClock) Now() time.Time { return time.Now().Add(time.Duration(c.shift.Load())) }
