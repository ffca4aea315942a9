package dataset

import "chainscope"

// Staged is Build in two stages, so that a store can write the other
// records while the links, most of a large dataset, are still being
// checked (see store.ReplaceOptions.Links): Nodes is ready at once, and
// Wait gives what Build gives for the same records.
type Staged struct {
	// Nodes is every record but the links, checked and assembled, with no
	// links; nil when any of those records has a problem. Its records are
	// shared with the dataset Wait returns.
	Nodes *chainscope.Dataset
	// LinkCount is how many links the second stage checks.
	LinkCount int

	done     chan struct{}
	ds       *chainscope.Dataset
	problems []chainscope.Problem
}

// BuildStaged checks the records but the links now and starts checking the
// links on another goroutine.
func BuildStaged(r *Records) *Staged {
	b := &builder{}
	s := &Staged{LinkCount: len(r.Links), done: make(chan struct{})}
	ds := b.nodes(r)
	if ds != nil && len(b.problems) == 0 {
		nodes := *ds // the link stage sets ds.Links, never nodes.Links
		s.Nodes = &nodes
	}
	go func() {
		defer close(s.done)
		if ds != nil {
			ds.Links = b.links(r.Links, len(ds.Enterprises))
		}
		if len(b.problems) > 0 {
			s.problems = b.problems
			return
		}
		s.ds = ds
	}()
	return s
}

// ApplyStaged is Apply in two stages (see BuildStaged).
func ApplyStaged(stored *chainscope.Dataset, in *Records, mode Mode) *Staged {
	return BuildStaged(prepare(stored, in, mode))
}

// Wait waits for the link stage and returns the whole dataset, or every
// problem found in both stages (the dataset is then nil).
func (s *Staged) Wait() (*chainscope.Dataset, []chainscope.Problem) {
	<-s.done
	return s.ds, s.problems
}
