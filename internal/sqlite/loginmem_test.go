//go:build !race

// The race detector makes each 64 MiB hash many times slower; the bound is
// the same with or without it, so this runs without it only.

package sqlite

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsroom/internal/news"
	"newsroom/internal/password"
)

// TestConcurrentLoginsStayWithinMemoryBound: 32 logins at once with the
// real Argon2id cost (64 MiB each) run two at a time, so the heap stays far
// below the 2 GiB that 32 hashes at once would take.
func TestConcurrentLoginsStayWithinMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("hashes 32 passwords at 64 MiB")
	}
	db, _ := open(t)
	ctx := context.Background()
	u := &news.User{Name: "总编", Role: news.RoleChief}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	db.SetHashParams(password.Default)
	if err := db.SetPassword(ctx, u.ID, "correct horse battery", false); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	var refused, failed atomic.Int32
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := "总编"
			if i%2 == 1 {
				name = fmt.Sprint("nobody-", i) // unknown names cost a hash too
			}
			_, err := db.Authenticate(ctx, name, "wrong password")
			switch news.ErrorCode(err) {
			case news.EUNAVAILABLE:
				refused.Add(1)
			case news.EUNAUTHORIZED:
			default:
				failed.Add(1)
			}
		}(i)
	}
	wg.Wait()
	close(stop)
	<-sampled
	if failed.Load() > 0 || refused.Load() > 0 {
		t.Fatalf("%d logins failed oddly, %d refused (the queue holds 32)", failed.Load(), refused.Load())
	}
	const bound = 512 << 20
	t.Logf("peak heap in use: %d MiB", peak.Load()>>20)
	if peak.Load() > bound {
		t.Fatalf("peak heap %d MiB during 32 concurrent logins, want under %d MiB", peak.Load()>>20, bound>>20)
	}
}
