package server

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// LogWriter buffers the request log: lines gather in memory and go out
// every interval, or as soon as 64 KiB have gathered, so that a busy server
// makes one write system call per batch of lines instead of one per
// request (measured with bench/http.sh: see the README). Lines are never
// interleaved or reordered. What is still buffered when the process is
// killed outright, at most one interval's worth, is lost; Close writes it
// out on a normal exit.
type LogWriter struct {
	mu     sync.Mutex
	buf    *bufio.Writer
	stop   chan struct{}
	done   chan struct{}
	closed bool
}

// NewLogWriter buffers writes to w, flushing every interval.
func NewLogWriter(w io.Writer, interval time.Duration) *LogWriter {
	l := &LogWriter{
		buf:  bufio.NewWriterSize(w, 64<<10),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go func() {
		defer close(l.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				l.Flush()
			case <-l.stop:
				return
			}
		}
	}()
	return l
}

// Write buffers p. After Close it writes p through at once.
func (l *LogWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, err := l.buf.Write(p)
	if err == nil && l.closed {
		err = l.buf.Flush()
	}
	return n, err
}

// Flush writes out what is buffered.
func (l *LogWriter) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Flush()
}

// Close stops the periodic flush and writes out what is buffered; later
// writes go straight through.
func (l *LogWriter) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	close(l.stop)
	<-l.done
	return l.Flush()
}
