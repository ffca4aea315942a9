package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// progress returns a callback that draws a progress bar on a terminal and
// does nothing otherwise, so that logs and pipes stay clean. The bar shows
// only once the work has taken a moment.
func (e *env) progress(what string) (update func(done, total int), finish func()) {
	if !e.tty {
		return nil, func() {}
	}
	var bar *progressbar.ProgressBar
	update = func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(e.stderr),
				progressbar.OptionSetDescription(what),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("rows"),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionSetVisibility(true),
				progressbar.OptionClearOnFinish(),
			)
		}
		_ = bar.Set(done)
	}
	finish = func() {
		if bar != nil {
			_ = bar.Finish()
			_, _ = io.WriteString(e.stderr, "")
		}
	}
	return update, finish
}
