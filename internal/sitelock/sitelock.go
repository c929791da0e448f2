// Package sitelock keeps to one the processes that write a site's live
// tree: `newsroom serve` holds the site's lock while it runs, and `build`,
// `import --publish` and `restore` take it for as long as they write, so a
// second writer is refused with a clear message instead of swapping the
// live tree under a running server (which would go on writing into a dead
// one). The lock is an advisory flock(2) on .newsroom/lock: the kernel
// drops it when the process ends, also on SIGKILL, so no stale lock is
// ever left behind.
package sitelock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Lock is a held site lock.
type Lock struct{ f *os.File }

// ErrHeld is returned (wrapped, with who holds it) when another process
// holds the lock.
var ErrHeld = errors.New("the site is in use by another newsroom process")

// Acquire takes the lock of the site whose data folder is data (created if
// missing) for command what (e.g. "serve"), without waiting: if another
// process holds it, the error says which command and process.
func Acquire(data, what string) (*Lock, error) {
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", data, err)
	}
	path := filepath.Join(data, "lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open site lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s)", ErrHeld, holder(path))
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// Who holds it, for the message a second process prints; the lock is
	// the flock, not this text.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(fmt.Sprintf("%s %d\n", what, os.Getpid())), 0)
	}
	return &Lock{f: f}, nil
}

// holder describes the process named in the lock file.
func holder(path string) string {
	b, err := os.ReadFile(path)
	what, pid, ok := strings.Cut(strings.TrimSpace(string(b)), " ")
	if err != nil || !ok {
		return "unknown process"
	}
	if _, err := strconv.Atoi(pid); err != nil {
		return "unknown process"
	}
	return fmt.Sprintf("`newsroom %s`, process %s", what, pid)
}

// Release lets the lock go. A nil Lock is released already.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the only descriptor drops the flock
	l.f = nil
	return err
}
