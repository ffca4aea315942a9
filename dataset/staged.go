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
	// LinkCount is how many links the second stage checks; while some are
	// still being read, an estimate from the size of their file.
	LinkCount int

	done     chan struct{}
	ds       *chainscope.Dataset
	problems []chainscope.Problem
}

// BuildStaged checks the records but the links now and starts checking the
// links on another goroutine.
func BuildStaged(r *Records) *Staged { return buildStaged(r, nil) }

// buildStaged is BuildStaged; more, when not nil, gives the links still
// being read (see ReadPathsLinksLater) and every problem of reading: the
// link stage waits for it, and a reading problem is reported instead of
// any other, as ReadPaths and then Build would.
func buildStaged(r *Records, more func() (*Records, []chainscope.Problem)) *Staged {
	b := &builder{}
	s := &Staged{LinkCount: len(r.Links), done: make(chan struct{})}
	if more != nil {
		s.LinkCount += r.linksPending
	}
	ds := b.nodes(r)
	b.report(r)
	if ds != nil && len(b.problems) == 0 {
		nodes := *ds // the link stage sets ds.Links, never nodes.Links
		s.Nodes = &nodes
	}
	go func() {
		defer close(s.done)
		links := r.Links
		if more != nil {
			later, probs := more()
			if len(probs) > 0 {
				s.problems = probs
				return
			}
			links = join(links, later.Links)
		}
		if ds != nil {
			ds.Links = b.links(links, len(ds.Enterprises))
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

// ApplyStagedLinksLater is ApplyStaged for records from ReadPathsLinksLater:
// wait gives the links still being read, which the link stage waits for.
// A merge needs every record first, so in merge mode it waits at once.
func ApplyStagedLinksLater(stored *chainscope.Dataset, in *Records, mode Mode, wait func() (*Records, []chainscope.Problem)) *Staged {
	if mode == ModeMerge {
		later, probs := wait()
		if len(probs) > 0 {
			s := &Staged{done: make(chan struct{}), problems: probs}
			close(s.done)
			return s
		}
		in.Links = join(in.Links, later.Links) // its warnings stay the caller's
		return ApplyStaged(stored, in, mode)
	}
	return buildStaged(prepare(stored, in, mode), wait)
}

// Wait waits for the link stage and returns the whole dataset, or every
// problem found in both stages (the dataset is then nil).
func (s *Staged) Wait() (*chainscope.Dataset, []chainscope.Problem) {
	<-s.done
	return s.ds, s.problems
}
