package sqlite

import (
	"context"
	"slices"
	"testing"
	"time"

	"newsroom/internal/news"
)

func TestMediaLibrary(t *testing.T) {
	ctx := context.Background()
	db, clock := open(t)
	u := &news.User{Name: "刘摄影", Role: news.RoleReporter}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	add := func(file, caption, credit string, story int64) *news.Media {
		m := &news.Media{File: file, URL: "/media/" + file, Width: 800, Height: 600, Bytes: 1234, Format: "jpeg",
			Caption: caption, Credit: credit, Alt: "替代文字", StoryID: story, UploadedBy: u.ID}
		if err := db.CreateMedia(ctx, m); err != nil {
			t.Fatal(err)
		}
		clock.t = clock.t.Add(time.Hour)
		return m
	}
	a := add("2023/06/a.jpg", "图为城市书房内景", "记者 刘摄影 摄", 0)
	b := add("2023/06/b.jpg", "大棚里的蔬菜", "记者 刘摄影 摄", 7)
	c := add("2023/06/c.jpg", "城市书房外景", "通讯员 王明 摄", 0)

	got, err := db.MediaByID(ctx, b.ID)
	if err != nil || got.Caption != "大棚里的蔬菜" || got.Uploader != "刘摄影" || got.StoryID != 7 || got.Width != 800 {
		t.Fatalf("MediaByID = %+v, %v", got, err)
	}
	if _, err := db.MediaByID(ctx, 999); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("missing media: %v", err)
	}
	ids := func(ms []*news.Media) []int64 {
		var out []int64
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	if err := db.DescribeMedia(ctx, b.ID, "改过的说明", "", "大棚"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.MediaByID(ctx, b.ID); got.Caption != "大棚里的蔬菜" || got.Alt != "替代文字" {
		t.Errorf("DescribeMedia overwrote a description: %+v", got)
	}
	bare := add("2023/06/d.jpg", "", "", 0)
	if err := db.DescribeMedia(ctx, bare.ID, "图为书房", "记者 刘摄影 摄", ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.MediaByID(ctx, bare.ID); got.Caption != "图为书房" || got.Credit != "记者 刘摄影 摄" {
		t.Errorf("DescribeMedia left %+v", got)
	}
	if err := db.UseMedia(ctx, 9, []int64{a.ID, 12345}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		q    news.MediaQuery
		want []int64
	}{
		{news.MediaQuery{}, []int64{bare.ID, c.ID, b.ID, a.ID}},
		{news.MediaQuery{Text: "城市书房"}, []int64{c.ID, a.ID}},
		{news.MediaQuery{Text: "书房 刘摄影"}, []int64{bare.ID, a.ID}},
		{news.MediaQuery{Text: "书房 王明"}, []int64{c.ID}},
		{news.MediaQuery{StoryID: 7}, []int64{b.ID}},
		{news.MediaQuery{StoryID: 9}, []int64{a.ID}},
		{news.MediaQuery{From: a.UploadedAt.Add(time.Minute)}, []int64{bare.ID, c.ID, b.ID}},
		{news.MediaQuery{To: b.UploadedAt}, []int64{a.ID}},
		{news.MediaQuery{Limit: 1}, []int64{bare.ID}},
	} {
		got, err := db.FindMedia(ctx, q.q)
		if err != nil {
			t.Fatal(err)
		}
		if g := ids(got); !slices.Equal(g, q.want) {
			t.Errorf("FindMedia(%+v) = %v, want %v", q.q, g, q.want)
		}
	}
}
