package desk

import (
	"context"
	"strings"
	"testing"
	"time"

	"newsroom/internal/news"
)

// TestNoticeRulesAtEverySignoff: a notice's rules, those that depend on the
// publication date too, are checked when it is filed and at each sign-off,
// so a 公示 period that ends while the notice waits in review stops the
// next sign-off, not first 签发; the error names every wrong field.
func TestNoticeRulesAtEverySignoff(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Filed on 2023-06-07 with a period ending 06-09 and a resolution of
	// 06-08: fine for publication today or tomorrow.
	n := &news.Story{Kind: news.KindNotice, Title: "关于某项目的公示", Body: "现予公示。",
		Notice: &news.NoticeInfo{Issuers: []string{"吕梁市示例局"}, IssuedOn: "2023-06-01",
			NoticeFields: news.NoticeFields{Kind: "gov", PeriodStart: "2023-06-07", PeriodEnd: "2023-06-09"}}}
	if err := f.desk.Create(ctx, f.reporter, n); err != nil {
		t.Fatal(err)
	}
	// Filing a tender whose bid deadline is too close is refused at once,
	// with every wrong or missing field in the message.
	bad := &news.Story{Kind: news.KindNotice, Title: "采购公告", Body: "现公开招标。",
		Notice: &news.NoticeInfo{Issuers: []string{"吕梁市示例局"},
			NoticeFields: news.NoticeFields{Kind: "tender", ProjectName: "示例项目", BidDeadline: "2023-06-10"}}}
	err := f.desk.Create(ctx, f.reporter, bad)
	fields := news.ErrorFields(err)
	if news.ErrorCode(err) != news.EINVALID || fields["bid_deadline"] == "" || fields["contact"] == "" || fields["phones"] == "" {
		t.Fatalf("tender with a close deadline and no contact: %v %v", err, fields)
	}
	msg := news.ErrorMessage(err)
	for _, want := range []string{"3 处需要修改", "投标截止时间距刊发不得少于 20 日", "请填写联系人", "请填写联系电话"} {
		if !strings.Contains(msg, want) {
			t.Errorf("summary %q lacks %q", msg, want)
		}
	}
	if _, err := f.desk.Submit(ctx, f.reporter, n.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.Approve(ctx, f.editor, n.ID); err != nil {
		t.Fatal(err)
	}
	// Three days later the period has ended: 二审 is refused, naming it.
	f.clock.add(72 * time.Hour)
	_, err = f.desk.Approve(ctx, f.director, n.ID)
	if news.ErrorCode(err) != news.EINVALID || !strings.Contains(news.ErrorFields(err)["period_end"], "早于刊发日期") {
		t.Fatalf("二审 after the period ended: %v, want the period_end error", err)
	}
	cur, _ := f.desk.Get(ctx, f.director, n.ID)
	if len(cur.Signoffs) != 1 {
		t.Errorf("a refused sign-off was recorded: %+v", cur.Signoffs)
	}
}
