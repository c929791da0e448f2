package news

import "strings"

// bylineRoles are the words of a printed byline that are not names.
var bylineRoles = map[string]bool{
	"记者": true, "本报记者": true, "通讯员": true, "特约记者": true, "见习记者": true,
	"实习生": true, "实习记者": true, "新华社记者": true, "摄": true, "摄影": true,
	"文": true, "图": true, "文/图": true, "图/文": true, "编辑": true, "责任编辑": true,
}

// BylineNames returns the people named in printed bylines such as
// "记者 张娟娟", "通讯员 王明 李华" or "记者 刘亮亮 摄", in order, once each.
func BylineNames(bylines []string) []string {
	var names []string
	seen := map[string]bool{}
	for _, b := range bylines {
		b = strings.NewReplacer("（", " ", "）", " ", "(", " ", ")", " ", "、", " ", "，", " ", ",", " ").Replace(b)
		for _, w := range strings.Fields(b) {
			if bylineRoles[w] || seen[w] {
				continue
			}
			seen[w] = true
			names = append(names, w)
		}
	}
	return names
}
