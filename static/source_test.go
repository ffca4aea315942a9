package static_test

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"chainscope/static"
)

// modules returns every JavaScript file of the web app with its text.
func modules(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(static.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, err := fs.ReadFile(static.FS, p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 10 {
		t.Fatalf("only %d modules embedded: %v", len(out), out)
	}
	return out
}

// TestOneEscapingPath: no module writes markup. Text reaches the page
// only through dom.js (text nodes and setAttribute) or textContent.
func TestOneEscapingPath(t *testing.T) {
	banned := regexp.MustCompile(`\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|\.srcdoc|setAttribute\(\s*['"]on|setAttribute\(\s*['"]style`)
	for name, src := range modules(t) {
		for i, line := range strings.Split(src, "\n") {
			if m := banned.FindString(line); m != "" {
				t.Errorf("%s:%d uses %s: %s", name, i+1, m, strings.TrimSpace(line))
			}
		}
	}
}

// TestMessages: every message key the modules use is in the table of
// i18n.js, and every message has its Chinese and its English.
func TestMessages(t *testing.T) {
	mods := modules(t)
	table := mods["i18n.js"]
	entry := regexp.MustCompile(`(?m)^\s*'([a-zA-Z0-9_.]+)': \[('(?:[^'\\]|\\.)*'),\s*('(?:[^'\\]|\\.)*')\]`)
	keys := map[string]bool{}
	for _, m := range entry.FindAllStringSubmatch(table, -1) {
		keys[m[1]] = true
		if m[2] == "''" {
			t.Errorf("message %s has no Chinese", m[1])
		}
		if m[3] == "''" && m[1] != "unit.projects" {
			t.Errorf("message %s has no English", m[1])
		}
	}
	if len(keys) < 200 {
		t.Fatalf("read only %d messages from i18n.js", len(keys))
	}
	use := regexp.MustCompile(`\bt\('([a-zA-Z0-9_.]+)'`)
	prefix := regexp.MustCompile(`\bt\('([a-zA-Z0-9_.]+\.)' \+`)
	for name, src := range mods {
		for _, m := range use.FindAllStringSubmatch(src, -1) {
			if !keys[m[1]] && !strings.HasSuffix(m[1], ".") {
				t.Errorf("%s uses message %q, which i18n.js lacks", name, m[1])
			}
		}
		// Keys built from a prefix and a value: every value the API can
		// send must have its message.
		for _, m := range prefix.FindAllStringSubmatch(src, -1) {
			want := map[string][]string{
				"status.":  {"missing", "weak", "ok", "broken", "external"},
				"reason.":  {"single", "planned_only"},
				"seg.":     {"single", "planned_only"},
				"nav.":     {"dashboard", "panorama", "cluster", "gaps", "projects", "enterprises", "leads", "funnel", "changes", "audit"},
				"kind.":    {"county", "chain", "segment", "enterprise", "project", "link"},
				"stage.":   {"upstream", "midstream", "downstream", "support"},
				"project.": {"signed", "started", "operating", "stalled", "cancelled"},
				// SPEC §8: the changes of a record's history, and the
				// fields of enterprises and projects it names.
				"hist.change.": {"added", "changed", "removed"},
				"field.": {"id", "from", "to", "name", "product", "uscc", "investor", "county", "segments", "leader_of", "investment_wan",
					"output_wan", "signed", "started", "status", "emerging", "source", "note", "enterprise", "stage", "dates", "project", "owner", "reason"},
				// The edit forms of each kind of record (edit.js).
				"form.delete.":         {"project", "enterprise", "link", "lead"},
				"form.deleteQuestion.": {"project", "enterprise", "link", "lead"},
				"form.staleGone.":      {"project", "enterprise", "lead"},
				"form.editTitle.":      {"project", "enterprise", "lead"},
				"form.newTitle.":       {"project", "enterprise", "lead"},
				// Warnings of a save (contract of issue #12, item 6).
				"warn.": {"operating_without_started"},
				// A revision's summary in words (asof.js summaryText).
				"sum.":      {"create", "update", "delete", "upload", "import", "replace", "merge"},
				"sum.kind.": {"region", "county", "chain", "segment", "enterprise", "project", "link", "lead", "report"},
				// The region's level (GET /region level): 全省/全市, 省本级/市本级.
				"level.": {"city", "province", "cityOwn", "provinceOwn"},
				"area.":  {"city", "province"},
				// Gap-filling candidates' reasons (contract item 3).
				// The drive over time (#13): lead stages, period kinds, the
				// figures of the 晾晒 table, what changed.
				"lead.stage.": {"visited", "intent", "inspected", "negotiating", "signed", "dropped"},
				"per.kind.":   {"month", "quarter", "ytd"},
				"per.fig.":    {"signed", "investment_wan", "started", "start_rate", "emerging"},
				"chg.":        {"closed", "opened", "started", "stalled", "from", "to"},
				"cand.":       {"supplies_area", "leader", "project_operating", "project_not_operating", "operating", "chain_partners", "output"},
			}[m[1]]
			if want == nil {
				t.Errorf("%s builds message keys from %q; list its values in this test", name, m[1])
			}
			for _, v := range want {
				if !keys[m[1]+v] {
					t.Errorf("%s: message %s%s is missing", name, m[1], v)
				}
			}
		}
	}
}

// TestModulesResolve: every import names an embedded module, and
// index.html preloads every module, so a deep link fetches them all at
// once instead of one import level after another.
func TestModulesResolve(t *testing.T) {
	mods := modules(t)
	index, err := fs.ReadFile(static.FS, "index.html")
	if err != nil {
		t.Fatal("index.html is not at the root of static.FS")
	}
	imp := regexp.MustCompile(`(?m)^import .* from '([^']+)';`)
	for name, src := range mods {
		dir := name[:strings.LastIndex(name, "/")+1]
		for _, m := range imp.FindAllStringSubmatch(src, -1) {
			target := resolve(dir, m[1])
			if _, ok := mods[target]; !ok {
				t.Errorf("%s imports %s (%s), which is not embedded", name, m[1], target)
			}
		}
		if name != "app.js" && !strings.Contains(string(index), `<link rel="modulepreload" href="/`+name+`">`) {
			t.Errorf("index.html does not preload %s", name)
		}
	}
	for _, asset := range []string{"app.css", "favicon.svg", "app.js"} {
		if _, err := fs.Stat(static.FS, asset); err != nil {
			t.Errorf("%s is not embedded", asset)
		}
	}
}

// resolve joins a relative import to the importing module's folder.
func resolve(dir, spec string) string {
	parts := strings.Split(strings.TrimSuffix(dir, "/"), "/")
	if dir == "" {
		parts = nil
	}
	for _, p := range strings.Split(spec, "/") {
		switch p {
		case ".":
		case "..":
			parts = parts[:max(0, len(parts)-1)]
		default:
			parts = append(parts, p)
		}
	}
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), "/")
}
