package news

import (
	"slices"
	"testing"
)

func TestBylineNames(t *testing.T) {
	got := BylineNames([]string{"记者 张娟娟", "通讯员 王明、李华", "记者 刘亮亮 摄", "肖继旺 王泽利 王乾宇", "记者 张娟娟"})
	want := []string{"张娟娟", "王明", "李华", "刘亮亮", "肖继旺", "王泽利", "王乾宇"}
	if !slices.Equal(got, want) {
		t.Fatalf("BylineNames = %v, want %v", got, want)
	}
}
