package password

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

func TestLimiterRunsAtMostConcurrentAndRefusesBeyondTheQueue(t *testing.T) {
	l := NewLimiter(2, 3)
	release := make(chan struct{})
	var running, most atomic.Int32
	started := make(chan struct{}, 10)
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := 0; i < 5; i++ { // 2 running + 3 queued: all admitted
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- l.Do(context.Background(), func() {
				n := running.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				started <- struct{}{}
				<-release
				running.Add(-1)
			})
		}()
	}
	<-started
	<-started
	// Wait until the three others are queued, then a sixth must be refused.
	for l.waiting.Load() < 5 {
		runtime.Gosched()
	}
	if err := l.Do(context.Background(), func() {}); !errors.Is(err, ErrBusy) {
		t.Fatalf("sixth caller: %v, want ErrBusy", err)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("admitted caller failed: %v", err)
		}
	}
	if most.Load() != 2 {
		t.Fatalf("at most %d ran at once, want 2", most.Load())
	}
}

func TestLimiterGivesUpWhenTheContextEnds(t *testing.T) {
	l := NewLimiter(1, 1)
	hold := make(chan struct{})
	go l.Do(context.Background(), func() { <-hold })
	defer close(hold)
	for l.waiting.Load() < 1 {
		runtime.Gosched()
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Do(ctx, func() { t.Error("ran after its context ended") }); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestLimiterCheck(t *testing.T) {
	l := NewLimiter(1, 0)
	p := Params{Time: 1, Memory: 1024, Threads: 1}
	h, err := l.Hash(context.Background(), "正确的密码 horse", p)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := l.Check(context.Background(), h, "正确的密码 horse"); !ok || err != nil {
		t.Fatalf("right password: %v %v", ok, err)
	}
	if ok, _ := l.Check(context.Background(), h, "wrong"); ok {
		t.Fatal("wrong password accepted")
	}
}
