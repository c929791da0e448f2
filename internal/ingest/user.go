package ingest

import (
	"context"
	"fmt"
	"io"

	"newsroom/internal/news"
	"newsroom/internal/password"
)

// Users finds and adds accounts (implemented by the database).
type Users interface {
	UserByName(ctx context.Context, name string) (*news.User, error)
	CreateUser(ctx context.Context, u *news.User, password string) error
}

// EnsureUser returns the editor account that owns imports (UserName),
// creating it with a random password nobody knows (an admin can reset
// it), and says so on out.
func EnsureUser(ctx context.Context, users Users, out io.Writer) (*news.User, error) {
	u, err := users.UserByName(ctx, UserName)
	if err == nil {
		if !u.Role.Reviewer() {
			return nil, fmt.Errorf("user %q exists with role %s; imports need an editor account of that name", UserName, u.Role)
		}
		return u, nil
	}
	if news.ErrorCode(err) != news.ENOTFOUND {
		return nil, err
	}
	u = &news.User{Name: UserName, Role: news.RoleEditor}
	if err := users.CreateUser(ctx, u, password.NewReadable()); err != nil {
		return nil, fmt.Errorf("create user %q: %w", UserName, news.Plain(err))
	}
	fmt.Fprintf(out, "created editor user %q to own imported stories (random password, not shown)\n", UserName)
	return u, nil
}
