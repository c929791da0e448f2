// Package throttle slows down guessing: after a few failures for one key
// (an account name, a client address) each further try must wait, twice as
// long after each failure, up to a maximum. A success clears the key; a key
// with no failure for a while is forgotten. Memory is bounded by MaxKeys.
package throttle

import (
	"sync"
	"time"
)

// Throttle counts failures per key. The zero value is not usable; use New.
type Throttle struct {
	free    int           // failures allowed before delays start
	base    time.Duration // the first delay
	max     time.Duration // the longest delay
	forget  time.Duration // a key idle this long is forgotten
	maxKeys int
	now     func() time.Time

	mu   sync.Mutex // guards keys
	keys map[string]*record
}

type record struct {
	failures int
	last     time.Time // of the last failure
	until    time.Time // no try before this
}

// Policy sets how a Throttle counts.
type Policy struct {
	Free    int           // failures allowed before any delay (default 5)
	Base    time.Duration // delay after the first failure beyond Free (default 1 s)
	Max     time.Duration // longest delay (default 15 min)
	Forget  time.Duration // idle time after which a key is forgotten (default 1 h)
	MaxKeys int           // keys kept at most (default 100,000)
}

// New returns a Throttle with policy p, reading time from now.
func New(p Policy, now func() time.Time) *Throttle {
	if p.Free <= 0 {
		p.Free = 5
	}
	if p.Base <= 0 {
		p.Base = time.Second
	}
	if p.Max <= 0 {
		p.Max = 15 * time.Minute
	}
	if p.Forget <= 0 {
		p.Forget = time.Hour
	}
	if p.MaxKeys <= 0 {
		p.MaxKeys = 100_000
	}
	return &Throttle{free: p.Free, base: p.Base, max: p.Max, forget: p.Forget, maxKeys: p.MaxKeys, now: now, keys: map[string]*record{}}
}

// Wait returns how long a try for key must still wait (0: it may go now).
func (t *Throttle) Wait(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.keys[key]
	if r == nil {
		return 0
	}
	now := t.now()
	if now.Sub(r.last) > t.forget {
		delete(t.keys, key)
		return 0
	}
	if d := r.until.Sub(now); d > 0 {
		return d
	}
	return 0
}

// Fail records a failed try for key and returns the wait it sets.
func (t *Throttle) Fail(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	r := t.keys[key]
	if r == nil || now.Sub(r.last) > t.forget {
		if len(t.keys) >= t.maxKeys {
			t.evict(now)
		}
		r = &record{}
		t.keys[key] = r
	}
	r.failures++
	r.last = now
	over := r.failures - t.free
	if over <= 0 {
		return 0
	}
	d := t.base
	for i := 1; i < over && d < t.max; i++ {
		d *= 2
	}
	d = min(d, t.max)
	r.until = now.Add(d)
	return d
}

// Succeed clears key's failures.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// evict makes room: it drops forgotten keys, and if that is not enough,
// those whose delay has passed, and last of all any (a flood of distinct
// keys must not grow memory without end). Called with mu held.
func (t *Throttle) evict(now time.Time) {
	for k, r := range t.keys {
		if now.Sub(r.last) > t.forget {
			delete(t.keys, k)
		}
	}
	for k, r := range t.keys {
		if len(t.keys) < t.maxKeys*3/4 {
			return
		}
		if !r.until.After(now) {
			delete(t.keys, k)
		}
	}
	for k := range t.keys {
		if len(t.keys) < t.maxKeys*3/4 {
			return
		}
		delete(t.keys, k)
	}
}
