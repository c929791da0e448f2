package password

import (
	"context"
	"errors"
	"sync/atomic"
)

// ErrBusy means too many password checks are already waiting: the caller
// should answer "try again later" instead of queueing more memory.
var ErrBusy = errors.New("too many password checks waiting")

// Limiter bounds the memory that password hashing can take. Each Argon2id
// computation holds Params.Memory (64 MiB by default) while it runs, so a
// flood of logins would otherwise grow the server by that much per request.
// At most Concurrent computations run at once; at most Queue more wait for a
// slot, and any beyond that get ErrBusy at once.
type Limiter struct {
	slots   chan struct{}
	queue   int64
	waiting atomic.Int64
}

// NewLimiter returns a Limiter running at most concurrent computations with
// at most queue waiting.
func NewLimiter(concurrent, queue int) *Limiter {
	if concurrent < 1 {
		concurrent = 1
	}
	return &Limiter{slots: make(chan struct{}, concurrent), queue: int64(queue)}
}

// Do runs f once a slot is free, or returns ErrBusy when the queue is full
// or ctx's error when ctx ends first.
func (l *Limiter) Do(ctx context.Context, f func()) error {
	if l.waiting.Add(1) > l.queue+int64(cap(l.slots)) {
		l.waiting.Add(-1)
		return ErrBusy
	}
	defer l.waiting.Add(-1)
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.slots }()
	f()
	return nil
}

// Check is password.Check run under the limiter.
func (l *Limiter) Check(ctx context.Context, encoded, pw string) (ok bool, err error) {
	if derr := l.Do(ctx, func() { ok, err = Check(encoded, pw) }); derr != nil {
		return false, derr
	}
	return ok, err
}

// Hash is password.Hash run under the limiter.
func (l *Limiter) Hash(ctx context.Context, pw string, p Params) (h string, err error) {
	err = l.Do(ctx, func() { h = Hash(pw, p) })
	return h, err
}
