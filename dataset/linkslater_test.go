package dataset

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"chainscope"
)

// TestReadPathsLinksLater: reading a CSV folder with its links later gives,
// once waited for, exactly what ReadPaths gives — records, warnings and
// problems in the same order — and the first answer holds everything but
// the links. The staged build of such records waits for the links and
// reports a reading problem in them as ReadPaths then Build would.
func TestReadPathsLinksLater(t *testing.T) {
	good := t.TempDir()
	if err := WriteCSV(good, tabularDataset()); err != nil {
		t.Fatal(err)
	}
	// bad: a problem in a node table and two in the links table
	bad := t.TempDir()
	if err := WriteCSV(bad, tabularDataset()); err != nil {
		t.Fatal(err)
	}
	appendTo := func(dir, name, text string) {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(text)
		f.Close()
	}
	jsonPath := filepath.Join("testdata", "small.json")
	appendTo(bad, "links.csv", "E-a,\"E-b\"x,broken quote\n")
	appendTo(bad, "projects.csv", "P-x,项目,,,not-a-number,,,,签约,否,,\n")
	os.WriteFile(filepath.Join(bad, "notes.csv"), []byte("a,b\n"), 0o644) // an unknown file: a warning
	// badLinks: only the links table has a problem, found after the nodes
	// have been checked
	f, err := os.Open(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	smallRecs, _ := ReadJSON(f, jsonPath)
	f.Close()
	small, probs := Build(smallRecs)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	badLinks := t.TempDir()
	if err := WriteCSV(badLinks, small); err != nil {
		t.Fatal(err)
	}
	appendTo(badLinks, "links.csv", "E-a,\"E-b\"x,broken quote\n")

	for _, paths := range [][]string{{good}, {bad}, {jsonPath}, {good, jsonPath}, {jsonPath, good}, {badLinks}} {
		t.Run(strings.Join(paths, "+"), func(t *testing.T) {
			want, wantProbs := ReadPaths(paths...)
			now, nowProbs, wait := ReadPathsLinksLater(paths...)
			if len(nowProbs) > len(wantProbs) {
				t.Fatalf("problems now %v, all %v", nowProbs, wantProbs)
			}
			later, allProbs := wait()
			if !reflect.DeepEqual(allProbs, wantProbs) {
				t.Fatalf("problems:\n got %v\nwant %v", allProbs, wantProbs)
			}
			if again, _ := wait(); again != later {
				t.Fatal("a second wait read again")
			}
			got := *now
			got.Links = append(append([]chainscope.Link(nil), now.Links...), later.Links...)
			got.Warnings = append(append([]chainscope.Problem(nil), now.Warnings...), later.Warnings...)
			w := *want
			if len(w.Links) == 0 {
				w.Links = got.Links[:0:0]
			}
			if !reflect.DeepEqual(got.Links, w.Links) || !reflect.DeepEqual(got.Enterprises, w.Enterprises) ||
				!reflect.DeepEqual(got.Projects, w.Projects) || !reflect.DeepEqual(got.Region, w.Region) {
				t.Fatal("records differ from ReadPaths'")
			}
			if len(got.Warnings) != len(w.Warnings) {
				t.Fatalf("warnings %v, want %v", got.Warnings, w.Warnings)
			}
			if paths[0] == good && len(paths) == 1 && len(now.Links) != 0 {
				t.Fatalf("the first answer already has %d links", len(now.Links))
			}

			// the staged build: Build's answer, or the reading problems
			_, now2, wait2 := func() (*Records, *Records, func() (*Records, []chainscope.Problem)) {
				n, _, w := ReadPathsLinksLater(paths...)
				return nil, n, w
			}()
			s := ApplyStagedLinksLater(nil, now2, ModeReplace, wait2)
			if paths[0] == badLinks && s.Nodes == nil {
				_, p := s.Wait()
				t.Fatalf("sound nodes not ready while the links are read: %v", p)
			}
			if n := len(want.Links); len(wantProbs) == 0 && (s.LinkCount*4 < n*3 || s.LinkCount*3 > n*4) {
				// an estimate from the lines of links.csv (a cell may hold
				// a line break): within a third
				t.Errorf("LinkCount %d while the links are read, want about %d", s.LinkCount, n)
			}
			gotDS, gotProbs := s.Wait()
			if len(wantProbs) > 0 {
				if !reflect.DeepEqual(gotProbs, wantProbs) {
					t.Fatalf("staged problems:\n got %v\nwant %v", gotProbs, wantProbs)
				}
				return
			}
			wantDS, wantBuild := Build(want)
			if !reflect.DeepEqual(gotProbs, wantBuild) || !reflect.DeepEqual(gotDS, wantDS) {
				t.Fatalf("staged build differs from Build: %v / %v", gotProbs, wantBuild)
			}
		})
	}
}
