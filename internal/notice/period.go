package notice

import (
	"fmt"
	"time"

	"newsroom/internal/news"
)

// ClaimDays is how many days creditors have to claim after a company
// notice is published, when they received no individual notification
// (公司法 2023 第二百二十条 合并/分立, 第二百二十四条 减资, 第二百三十五条 清算;
// 注销 follows the liquidation notice). Zero for kinds without a claim period.
func ClaimDays(k Kind) int {
	if k.Company() {
		return 45
	}
	return 0
}

// MinTenderDays is the shortest time between a tender notice and the bid
// deadline (招标投标法 第二十四条: 不得少于二十日).
const MinTenderDays = 20

// AddDays returns the date n days after t, as YYYY-MM-DD in Asia/Shanghai.
// Periods follow 民法典 第二百零一条: the day of publication does not count,
// so a 45-day period from a notice of 1 March ends on 15 April (45 days
// after 1 March), inclusive. Month ends and leap years come from calendar
// arithmetic; statutory holidays are not taken into account (第二百零三条 moves
// a deadline that falls on one to the next working day; the page says so).
func AddDays(t time.Time, n int) string {
	t = t.In(news.Shanghai)
	return time.Date(t.Year(), t.Month(), t.Day()+n, 0, 0, 0, 0, news.Shanghai).Format(time.DateOnly)
}

// Status is where a notice's period stands on a given day.
type Status struct {
	State    string `json:"state"`     // "none" (no period), "pending", "open", "closed"; "withdrawn" on /verify/
	Label    string `json:"label"`     // 公示中 / 已截止 / 未开始 / ""
	End      string `json:"end"`       // the last day, YYYY-MM-DD
	DaysLeft int    `json:"days_left"` // days after today up to and including End; 0 on the last day
	Text     string `json:"text"`      // a sentence for the page: 公示中，还剩 12 天（截止 2023-07-23）
}

// EndOf returns the last day of the notice's period: the claim deadline for
// company notices, the bid deadline for tenders, else period_end.
func EndOf(n *news.NoticeInfo) string {
	if n == nil {
		return ""
	}
	switch {
	case n.ClaimDeadline != "":
		return n.ClaimDeadline
	case n.PeriodEnd != "":
		return n.PeriodEnd
	case n.BidDeadline != "":
		return n.BidDeadline[:min(10, len(n.BidDeadline))]
	}
	return ""
}

// StatusAt says whether the notice's period is running at now.
func StatusAt(n *news.NoticeInfo, now time.Time) Status {
	end := EndOf(n)
	e, ok := ParseDate(end)
	if !ok {
		return Status{State: "none"}
	}
	now = now.In(news.Shanghai)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, news.Shanghai)
	if s, ok := ParseDate(n.PeriodStart); ok && today.Before(s) {
		return Status{State: "pending", Label: "未开始", End: end, DaysLeft: daysBetween(today, e),
			Text: fmt.Sprintf("公示期自 %s 起，截止 %s", n.PeriodStart, end)}
	}
	if today.After(e) {
		return Status{State: "closed", Label: "已截止", End: end, Text: "已截止（截止日期 " + end + "）"}
	}
	left := daysBetween(today, e)
	text := fmt.Sprintf("公示中，还剩 %d 天（截止 %s）", left, end)
	if left == 0 {
		text = "公示中，今天（" + end + "）截止"
	}
	return Status{State: "open", Label: "公示中", End: end, DaysLeft: left, Text: text}
}

// daysBetween counts calendar days from a to b (both midnight, Shanghai).
func daysBetween(a, b time.Time) int {
	ua := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}
