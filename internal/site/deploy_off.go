//go:build !withdeploy

package site

import (
	"context"
	"errors"
)

// ErrNoDeploy means this binary was built without Hugo's deploy package,
// which, as in Hugo itself, needs the withdeploy build tag (it brings the
// cloud storage SDKs).
var ErrNoDeploy = errors.New("this newsroom was built without deploy support: build it with `go build -tags withdeploy ./cmd/newsroom`")

// Deploy is unavailable without the withdeploy build tag.
func Deploy(ctx context.Context, root, tree, bucketURL string) (DeployChanges, error) {
	return DeployChanges{}, ErrNoDeploy
}
