package site

import (
	"context"
	"sync"
)

// runner runs one job at a time and lets the callers that arrive while a
// job runs share the next one: a burst of requests costs at most two runs,
// never one per request, and no run starts before the one before it has
// finished (two renders of one part at once could publish an older state
// after a newer one). The zero value is ready to use.
type runner[T any] struct {
	running sync.Mutex // held by the run in progress
	queue   sync.Mutex // guards next
	next    *call[T]   // the run that starts after the one in progress
}

// call is one queued run and everyone waiting for it.
type call[T any] struct {
	done chan struct{}
	val  T
	err  error
}

// Do asks for a run of job that starts after this call and waits for it,
// or for ctx to end. Callers of one runner pass the same job. The run is
// not tied to any one caller's context: a caller that gives up must not
// cancel the run the others wait for.
func (r *runner[T]) Do(ctx context.Context, job func(context.Context) (T, error)) (T, error) {
	r.queue.Lock()
	c := r.next
	if c == nil {
		c = &call[T]{done: make(chan struct{})}
		r.next = c
		go r.run(c, job)
	}
	r.queue.Unlock()
	select {
	case <-c.done:
		return c.val, c.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func (r *runner[T]) run(c *call[T], job func(context.Context) (T, error)) {
	r.running.Lock()
	defer r.running.Unlock()
	r.queue.Lock()
	r.next = nil // callers from now on wait for the run after this one
	r.queue.Unlock()
	c.val, c.err = job(context.Background())
	close(c.done)
}
