package content

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// ConfigFile is the site configuration's name in the site root.
const ConfigFile = "hugo.toml"

// Config is what this program reads of the site configuration (Hugo's
// hugo.toml); Hugo reads the rest itself.
type Config struct {
	// BaseURL is the site's public address as configured ("/" if unset).
	BaseURL string
	// Themes are the theme folders below themes/, highest precedence
	// first (Hugo's theme setting is a name or a list of names).
	Themes []string
}

// ReadConfig reads root's hugo.toml with a TOML parser.
func ReadConfig(root string) (Config, error) {
	data, err := os.ReadFile(filepath.Join(root, ConfigFile))
	if err != nil {
		return Config{BaseURL: "/"}, err
	}
	return ParseConfig(data)
}

// ParseConfig reads the contents of a hugo.toml.
func ParseConfig(data []byte) (Config, error) {
	var raw struct {
		BaseURL string `toml:"baseURL"`
		Theme   any    `toml:"theme"`
	}
	if err := toml.Unmarshal(data, &raw); err != nil {
		return Config{BaseURL: "/"}, fmt.Errorf("%s: %w", ConfigFile, err)
	}
	c := Config{BaseURL: raw.BaseURL}
	if c.BaseURL == "" {
		c.BaseURL = "/"
	}
	switch t := raw.Theme.(type) {
	case string:
		if t != "" {
			c.Themes = []string{t}
		}
	case []any:
		for _, v := range t {
			if s, ok := v.(string); ok && s != "" {
				c.Themes = append(c.Themes, s)
			}
		}
	}
	return c, nil
}

// Base is BaseURL ending in a slash, the prefix of absolute page URLs.
func (c Config) Base() string {
	if c.BaseURL == "" {
		return "/"
	}
	if !strings.HasSuffix(c.BaseURL, "/") {
		return c.BaseURL + "/"
	}
	return c.BaseURL
}
