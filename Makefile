# The few commands everyone runs. `make test` is the README's test command
# and what CI runs.
.PHONY: test deps serve bench lint fuzz

# The tests that run goroutines against shared state: readers during
# writes, concurrent editors, as-of snapshots, an index patched while read,
# the staged import.
RACE_TESTS = During|Readers|Concurrent|Processes|Shutdown|WhileReading|Staged|AsOf|IfMatch|PastCache|TwoConnections|Warm|LoadForAnalysis

# test runs every test, then the tests of the state shared between
# goroutines (the store's writer and readers, the server's snapshots and
# write lock, the patched index) again under the race detector.
test: deps
	go test -count=1 -timeout 15m ./...
	go test -race -count=1 -timeout 15m -run '$(RACE_TESTS)' ./store ./server ./graph ./dataset

# deps installs what the tests need on a Debian machine (headless chromium
# for the browser tests); it does nothing when everything is there.
deps:
	bash scripts/test-deps.sh

serve:
	go run ./cmd/chainscope serve

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...
	bash bench/import.sh

fuzz:
	go test ./dataset -run '^$$' -fuzz FuzzReadJSON -fuzztime 60s
	go test ./dataset -run '^$$' -fuzz FuzzReadCSV -fuzztime 60s
	go test ./dataset -run '^$$' -fuzz FuzzReadXLSX -fuzztime 60s
