package throttle

import (
	"fmt"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestDelaysDoubleAfterTheFreeFailuresAndStopAtTheMaximum(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	th := New(Policy{Free: 3, Base: time.Second, Max: 10 * time.Second}, c.now)
	var got []time.Duration
	for i := 0; i < 8; i++ {
		got = append(got, th.Fail("admin"))
	}
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("delays %v, want %v", got, want)
	}
	if w := th.Wait("admin"); w != 10*time.Second {
		t.Fatalf("wait %v, want 10s", w)
	}
	if w := th.Wait("other"); w != 0 {
		t.Fatalf("another key waits %v", w)
	}
	c.t = c.t.Add(4 * time.Second)
	if w := th.Wait("admin"); w != 6*time.Second {
		t.Fatalf("wait after 4s: %v, want 6s", w)
	}
	th.Succeed("admin")
	if w := th.Wait("admin"); w != 0 {
		t.Fatalf("wait after success: %v", w)
	}
}

func TestIdleKeysAreForgotten(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	th := New(Policy{Free: 1, Forget: time.Hour}, c.now)
	th.Fail("k")
	if d := th.Fail("k"); d == 0 {
		t.Fatal("second failure set no delay")
	}
	c.t = c.t.Add(61 * time.Minute)
	if w := th.Wait("k"); w != 0 {
		t.Fatalf("forgotten key waits %v", w)
	}
	if d := th.Fail("k"); d != 0 {
		t.Fatalf("a failure after the key was forgotten counts as first, got delay %v", d)
	}
}

func TestMemoryIsBounded(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	th := New(Policy{Free: 1, MaxKeys: 1000}, c.now)
	for i := 0; i < 50_000; i++ {
		th.Fail(fmt.Sprint("addr-", i))
	}
	if n := len(th.keys); n > 1000 {
		t.Fatalf("%d keys kept, want at most 1000", n)
	}
}
