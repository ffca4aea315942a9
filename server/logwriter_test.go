package server

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the flusher and the test.
type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes++
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogWriter: lines from many goroutines arrive whole, each goroutine's
// in order, in far fewer writes than lines; a line waits at most about one
// interval; Close writes out the rest and later lines go straight through.
func TestLogWriter(t *testing.T) {
	var out lockedBuffer
	w := NewLogWriter(&out, 20*time.Millisecond)
	const writers, lines = 8, 500
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range lines {
				fmt.Fprintf(w, "{\"g\":%d,\"i\":%d}\n", g, i)
			}
		})
	}
	wg.Wait()

	fmt.Fprintf(w, "late\n")
	deadline := time.Now().Add(2 * time.Second)
	for !strings.HasSuffix(out.String(), "late\n") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.HasSuffix(out.String(), "late\n") {
		t.Fatal("a buffered line was not written out by the periodic flush")
	}

	next := make([]int, writers)
	got := strings.Split(strings.TrimSuffix(out.String(), "late\n"), "\n")
	for _, line := range got[:len(got)-1] {
		var g, i int
		if _, err := fmt.Sscanf(line, "{\"g\":%d,\"i\":%d}", &g, &i); err != nil {
			t.Fatalf("broken line %q: %v", line, err)
		}
		if i != next[g] {
			t.Fatalf("goroutine %d: line %d after %d", g, i, next[g]-1)
		}
		next[g]++
	}
	for g, n := range next {
		if n != lines {
			t.Fatalf("goroutine %d: %d lines of %d", g, n, lines)
		}
	}
	out.mu.Lock()
	writes := out.writes
	out.mu.Unlock()
	if writes > writers*lines/10 {
		t.Errorf("%d writes for %d lines: not buffered", writes, writers*lines)
	}

	fmt.Fprintf(w, "before close\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "before close\n") {
		t.Fatal("Close did not write out the buffer")
	}
	fmt.Fprintf(w, "after close\n")
	if !strings.HasSuffix(out.String(), "after close\n") {
		t.Fatal("a line after Close was held back")
	}
	if err := w.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
}
