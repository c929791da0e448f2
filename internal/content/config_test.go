package content

import (
	"reflect"
	"testing"
)

func TestParseConfig(t *testing.T) {
	for _, c := range []struct {
		in     string
		base   string
		themes []string
	}{
		{"baseURL = \"https://www.example.cn\"\ntheme = \"broadsheet\"\n", "https://www.example.cn/", []string{"broadsheet"}},
		// What a regular expression got wrong: a commented-out line, a
		// key inside a table, single quotes, a list of themes.
		{"# baseURL = \"https://old.example.cn/\"\ntheme = ['a', 'b']\n[params]\nbaseURL = \"x\"\n", "/", []string{"a", "b"}},
		{"baseURL = 'https://x.cn/' # production\n", "https://x.cn/", nil},
	} {
		cfg, err := ParseConfig([]byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Base() != c.base || !reflect.DeepEqual(cfg.Themes, c.themes) {
			t.Errorf("%q: base %q themes %q", c.in, cfg.Base(), cfg.Themes)
		}
	}
	if _, err := ParseConfig([]byte("baseURL = \n")); err == nil {
		t.Error("broken TOML must be an error")
	}
	cfg, err := ReadConfig("../..")
	if err != nil || cfg.Base() != "/" || !reflect.DeepEqual(cfg.Themes, []string{"broadsheet"}) {
		t.Errorf("the repository's hugo.toml: %+v %v", cfg, err)
	}
}
