package news

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Plain turns a domain error into a plain-English message for the command
// line and logs (the domain messages are Chinese, for the UI). Errors that
// carry no domain code pass through.
func Plain(err error) error {
	switch ErrorCode(err) {
	case EINVALID:
		fields := ErrorFields(err)
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			parts = append(parts, k+": "+fields[k])
		}
		return fmt.Errorf("invalid input (%s)", strings.Join(parts, "; "))
	case ECONFLICT:
		return errors.New("already exists")
	case ENOTFOUND:
		return errors.New("not found")
	}
	return err
}
