package sitelock

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestSecondHolderIsRefusedUntilTheFirstEnds takes the lock in a child
// process (flock is per open file, so a second process is the real case)
// and checks that this one is refused with the child's name, then gets the
// lock once the child is killed.
func TestSecondHolderIsRefusedUntilTheFirstEnds(t *testing.T) {
	data := t.TempDir()
	if os.Getenv("SITELOCK_CHILD") != "" {
		if _, err := Acquire(os.Getenv("SITELOCK_CHILD"), "serve"); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("locked\n")
		select {} // hold it until killed
	}
	child := exec.Command(os.Args[0], "-test.run=^TestSecondHolderIsRefusedUntilTheFirstEnds$")
	child.Env = append(os.Environ(), "SITELOCK_CHILD="+data)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := out.Read(buf); err != nil || string(buf) != "locked\n" {
		t.Fatalf("child did not lock: %q %v", buf, err)
	}
	_, err = Acquire(data, "build")
	if !errors.Is(err, ErrHeld) || !strings.Contains(err.Error(), "`newsroom serve`, process") {
		t.Fatalf("second Acquire: %v, want ErrHeld naming serve", err)
	}
	child.Process.Kill() // as SIGKILL: the kernel drops the lock
	child.Wait()
	l, err := Acquire(data, "build")
	if err != nil {
		t.Fatalf("Acquire after the holder died: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l, err = Acquire(data, "restore")
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l.Release()
}
