package graph

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"slices"
	"unsafe"

	"chainscope"

	dgraph "github.com/dominikbraun/graph"
)

// SnapshotFormat is the number of the binary form MarshalBinary writes and
// UnmarshalIndex reads. A change to what the form holds (a field added to
// Index, a section reordered) takes the next number; a blob of another
// number is refused, and its reader indexes the dataset afresh.
const SnapshotFormat = 1

// The blob: a 24-byte header — "CSIX", the format (uint32), the CRC-32C
// of the body (uint32), 4 zero bytes, the body's length (uint64) — then
// the body, every value little-endian. Every array starts at a multiple of
// 8 bytes from the start of the blob, so that a decoder whose blob is
// aligned (Go's large allocations are) reads int32, uint64 and float64
// arrays in place.
const (
	snapMagic  = "CSIX"
	snapHeader = 24
	nilCount   = math.MaxUint32 // the count of a nil slice
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// littleEndian is true when the machine stores integers as the blob does,
// so arrays can be read in place.
var littleEndian = func() bool { x := uint16(1); return *(*byte)(unsafe.Pointer(&x)) == 1 }()

// MarshalBinary encodes the index for UnmarshalIndex: what NewIndex takes
// from the dataset — counties, chains with their flows (as successor
// lists), segments, every node's columns and segment and leader lists, the
// cancelled projects and their links, the links (as one CSR). What NewIndex
// derives from these (each chain's DAG, order and closures, the nodes' area
// buckets, the chains' node lists, the reversed and undirected adjacency)
// UnmarshalIndex derives again, and what an Index computes on first use
// (the structure, relatedness and flows caches) is not part of it.
func (ix *Index) MarshalBinary() ([]byte, error) {
	if len(ix.ids) >= math.MaxInt32 || ix.out == nil || len(ix.out.Targets) >= math.MaxInt32 {
		return nil, chainscope.Errorf(chainscope.EINTERNAL, "graph: index too large to encode")
	}
	size := snapHeader + 4096 + 64*len(ix.ids) + 4*(len(ix.out.Targets)+len(ix.segs)+len(ix.leads))
	for v := range ix.ids {
		size += len(ix.ids[v]) + len(ix.names[v])
	}
	e := &encoder{b: make([]byte, snapHeader, size)}
	e.str(ix.region)
	// The links first, so that the decoder derives in and und from them
	// while it decodes the rest; in and und are not stored: they are a
	// third of the bytes, and reading them back costs about what deriving
	// them does.
	e.u32(uint32(len(ix.ids)))
	e.i32s(ix.out.Offsets)
	e.i32s(ix.out.Targets)

	e.count(len(ix.counties), ix.counties == nil)
	for _, c := range ix.counties {
		e.str(c.code)
		e.str(c.name)
		e.bool(c.zone)
		e.u32(uint32(c.up))
		e.u32(uint32(c.top))
		e.u32(uint32(c.slot))
	}
	e.strMap(ix.countyIdx)
	e.i32s(ix.areas)

	e.count(len(ix.chains), ix.chains == nil)
	for i := range ix.chains {
		c := &ix.chains[i]
		e.str(c.id)
		e.str(c.name)
		e.u32(uint32(c.first))
		e.u32(uint32(c.end))
		e.count(len(c.succ), c.succ == nil)
		for _, s := range c.succ {
			e.i32s(s)
		}
	}
	e.strMap(ix.chainIdx)
	e.strs(ix.segID)
	e.strs(ix.segName)
	e.strs(stageStrings(ix.segStage))
	e.strMap(ix.segIdx)

	e.strs(ix.ids)
	e.strs(ix.names)
	e.bools(ix.project)
	e.bools(ix.operating)
	e.f64s(ix.investment)
	e.statuses(ix.status)
	e.f64s(ix.output)
	e.i32s(ix.county)
	e.i32s(ix.segOff)
	e.i32s(ix.segs)
	e.i32s(ix.leadOff)
	e.i32s(ix.leads)

	e.strs(ix.cancelled)
	e.count(len(ix.dormant), ix.dormant == nil)
	for _, d := range ix.dormant {
		e.str(d[0])
		e.str(d[1])
	}
	if e.tooLong {
		return nil, chainscope.Errorf(chainscope.EINTERNAL, "graph: index too large to encode")
	}
	b := e.b
	copy(b, snapMagic)
	binary.LittleEndian.PutUint32(b[4:], SnapshotFormat)
	binary.LittleEndian.PutUint32(b[8:], crc32.Checksum(b[snapHeader:], castagnoli))
	binary.LittleEndian.PutUint64(b[16:], uint64(len(b)-snapHeader))
	return b, nil
}

func stageStrings(s []chainscope.Stage) []string {
	if s == nil {
		return nil
	}
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}

// encoder appends the values of a blob.
type encoder struct {
	b       []byte
	tooLong bool
}

func (e *encoder) u32(x uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, x) }

func (e *encoder) bool(x bool) {
	if x {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) align() {
	for len(e.b)%8 != 0 {
		e.b = append(e.b, 0)
	}
}

// count writes the length of a list, nilCount for a nil slice.
func (e *encoder) count(n int, isNil bool) {
	switch {
	case isNil:
		e.u32(nilCount)
	case n >= nilCount:
		e.tooLong = true
		e.u32(0)
	default:
		e.u32(uint32(n))
	}
}

func (e *encoder) str(s string) {
	e.count(len(s), false)
	e.b = append(e.b, s...)
}

func (e *encoder) i32s(s []int32) {
	e.count(len(s), s == nil)
	e.align()
	for _, x := range s {
		e.b = binary.LittleEndian.AppendUint32(e.b, uint32(x))
	}
}

func (e *encoder) f64s(s []float64) {
	e.count(len(s), s == nil)
	e.align()
	for _, x := range s {
		e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(x))
	}
}

func (e *encoder) bools(s []bool) {
	e.count(len(s), s == nil)
	for _, x := range s {
		e.bool(x)
	}
}

// strs writes a list of strings as their end offsets (uint32) and then
// their bytes, one after the other.
func (e *encoder) strs(s []string) {
	e.count(len(s), s == nil)
	e.align()
	end := 0
	for _, x := range s {
		end += len(x)
		if end >= nilCount {
			e.tooLong = true
		}
		e.u32(uint32(end))
	}
	for _, x := range s {
		e.b = append(e.b, x...)
	}
}

// strMap writes a map from strings to numbers as its keys and values,
// keys in byte order (so that one index always encodes to the same bytes).
func (e *encoder) strMap(m map[string]int32) {
	if m == nil {
		e.strs(nil)
		e.i32s(nil)
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	vals := make([]int32, len(keys))
	for i, k := range keys {
		vals[i] = m[k]
	}
	e.strs(keys)
	e.i32s(vals)
}

// statuses writes the projects' statuses as their distinct values and one
// byte per node naming its value.
func (e *encoder) statuses(s []chainscope.Status) {
	var dict []string
	codes := make([]byte, len(s))
	seen := map[chainscope.Status]byte{}
	for i, x := range s {
		c, ok := seen[x]
		if !ok {
			if len(dict) == 255 {
				e.tooLong = true
			}
			c = byte(len(dict))
			seen[x] = c
			dict = append(dict, string(x))
		}
		codes[i] = c
	}
	e.strs(dict)
	e.count(len(s), s == nil)
	e.b = append(e.b, codes...)
}

// UnmarshalIndex decodes an Index that MarshalBinary encoded. A blob that
// is short, of another format, fails its checksum or does not describe a
// well-formed index is an error; the Index it returns is equal to the one
// encoded. The Index's strings and arrays may point into b (in place, on a
// little-endian machine): b must not be changed afterwards, for as long as
// the Index is in use.
func UnmarshalIndex(b []byte) (*Index, error) {
	if len(b) < snapHeader || string(b[:4]) != snapMagic {
		return nil, snapshotError("not an index snapshot")
	}
	if f := binary.LittleEndian.Uint32(b[4:]); f != SnapshotFormat {
		return nil, snapshotError("format %d, not %d", f, SnapshotFormat)
	}
	if n := binary.LittleEndian.Uint64(b[16:]); n != uint64(len(b)-snapHeader) {
		return nil, snapshotError("body of %d bytes, not %d", len(b)-snapHeader, n)
	}
	if crc32.Checksum(b[snapHeader:], castagnoli) != binary.LittleEndian.Uint32(b[8:]) {
		return nil, snapshotError("checksum mismatch")
	}
	d := &decoder{b: b, off: snapHeader}
	ix := &Index{region: d.str()}
	n := d.u32()
	ix.out = &CSR{Offsets: d.i32s(), Targets: d.i32s()}
	if d.err != nil {
		return nil, d.err
	}
	if err := checkLinks(ix.out, n); err != nil {
		return nil, err
	}
	derived := make(chan [2]*CSR, 1)
	go func() {
		in, und := derivedAdjacency(ix.out)
		derived <- [2]*CSR{in, und}
	}()

	nc := d.count(16)
	if nc >= 0 {
		ix.counties = make([]county, nc)
	}
	for i := 0; i < nc && d.err == nil; i++ {
		ix.counties[i] = county{code: d.str(), name: d.str(), zone: d.bool(),
			up: int32(d.u32()), top: int32(d.u32()), slot: int32(d.u32())}
	}
	ix.countyIdx = d.strMap()
	ix.areas = d.i32s()

	nch := d.count(16)
	if nch >= 0 {
		ix.chains = make([]chain, nch)
	}
	for i := 0; i < nch && d.err == nil; i++ {
		c := &ix.chains[i]
		c.id, c.name = d.str(), d.str()
		c.first, c.end = int32(d.u32()), int32(d.u32())
		if ns := d.count(4); ns >= 0 {
			c.succ = make([][]int32, ns)
			for s := 0; s < ns && d.err == nil; s++ {
				c.succ[s] = d.i32s()
			}
		}
	}
	ix.chainIdx = d.strMap()
	ix.segID, ix.segName = d.strs(), d.strs()
	if st := d.strs(); st != nil {
		ix.segStage = make([]chainscope.Stage, len(st))
		for i, s := range st {
			ix.segStage[i] = chainscope.Stage(s)
		}
	}
	ix.segIdx = d.strMap()

	ix.ids, ix.names = d.strs(), d.strs()
	ix.project, ix.operating = d.bools(), d.bools()
	ix.investment = d.f64s()
	ix.status = d.statuses()
	ix.output = d.f64s()
	ix.county = d.i32s()
	ix.segOff, ix.segs = d.i32s(), d.i32s()
	ix.leadOff, ix.leads = d.i32s(), d.i32s()

	ix.cancelled = d.strs()
	if nd := d.count(8); nd >= 0 {
		ix.dormant = make([][2]string, nd)
		for i := 0; i < nd && d.err == nil; i++ {
			ix.dormant[i] = [2]string{d.str(), d.str()}
		}
	}
	if d.err == nil && d.off != len(d.b) {
		d.fail("%d bytes left over", len(d.b)-d.off)
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(ix.ids) != int(n) {
		return nil, snapshotError("links of %d nodes, %d nodes", n, len(ix.ids))
	}
	if err := ix.checkDecoded(); err != nil {
		return nil, err
	}
	// What NewIndex derives from the above is derived here the same way:
	// each chain's DAG, order and closures, each node's area bucket, each
	// chain's node lists.
	for i := range ix.chains {
		if err := ix.closeDecodedChain(&ix.chains[i]); err != nil {
			return nil, err
		}
	}
	ix.bucket = make([]int32, len(ix.ids))
	for v, c := range ix.county {
		ix.bucket[v] = ix.countyBucket(c)
	}
	ix.indexChainNodes()
	adj := <-derived
	ix.in, ix.und = adj[0], adj[1]
	return ix, nil
}

func snapshotError(format string, args ...any) error {
	return chainscope.Errorf(chainscope.EINTERNAL, "graph: index snapshot: "+format, args...)
}

// closeDecodedChain rebuilds a decoded chain's flow DAG from its segments
// and successor lists, as indexChains built it from the dataset, and
// closes it as indexChains does.
func (ix *Index) closeDecodedChain(c *chain) error {
	c.dag = dgraph.New(dotID, dgraph.Directed(), dgraph.PreventCycles())
	for s := c.first; s < c.end; s++ {
		addSegmentVertex(c.dag, ix.segID[s], ix.segName[s], ix.segStage[s])
	}
	pred := make([][]int32, len(c.succ))
	for a, succ := range c.succ {
		for _, b := range succ {
			from, to := ix.segID[c.first+int32(a)], ix.segID[c.first+b]
			if err := c.dag.AddEdge(dotID(from), dotID(to)); err != nil {
				return snapshotError("chain %q: flow %q → %q: %v", c.id, from, to, err)
			}
			pred[b] = append(pred[b], int32(a))
		}
	}
	var bad broken
	ix.closeChain(c, c.succ, pred, &bad)
	if bad.n > 0 {
		return snapshotError("%s", bad.first)
	}
	return nil
}

// decoder reads the values of a blob; the first failure sticks in err and
// every later read returns zero values.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = snapshotError(format+" (at byte %d)", append(args, d.off)...)
	}
}

// take returns the next n bytes, nil (and a failure) if there are fewer.
func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b)-d.off {
		d.fail("truncated: %d bytes wanted", n)
		return nil
	}
	p := d.b[d.off : d.off+n : d.off+n]
	d.off += n
	return p
}

func (d *decoder) u32() uint32 {
	p := d.take(4)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(p)
}

func (d *decoder) bool() bool {
	p := d.take(1)
	if p == nil {
		return false
	}
	if p[0] > 1 {
		d.fail("bool %d", p[0])
	}
	return p[0] == 1
}

// count reads a list's length: -1 for a nil slice (or a failure). A list
// of elements of at least minSize bytes each cannot be longer than what
// is left.
func (d *decoder) count(minSize int) int {
	c := d.u32()
	if d.err != nil || c == nilCount {
		return -1
	}
	if int(c) > (len(d.b)-d.off)/max(minSize, 1) {
		d.fail("a list of %d is longer than the blob", c)
		return -1
	}
	return int(c)
}

func (d *decoder) align() {
	if r := d.off % 8; r != 0 {
		d.take(8 - r)
	}
}

// inPlace reports whether an array of n elements of size bytes each,
// starting at the current offset, can be read where it is.
func (d *decoder) inPlace(n, size int) bool {
	return littleEndian && n > 0 && uintptr(unsafe.Pointer(&d.b[d.off]))%uintptr(size) == 0
}

// str reads one string; it points into the blob.
func (d *decoder) str() string {
	n := d.count(1)
	if n <= 0 {
		return ""
	}
	p := d.take(n)
	return unsafe.String(&p[0], n)
}

func (d *decoder) i32s() []int32 {
	return decodeArray(d, "int32", func(p []byte) int32 { return int32(binary.LittleEndian.Uint32(p)) })
}

func (d *decoder) u64s() []uint64 { return decodeArray(d, "uint64", binary.LittleEndian.Uint64) }

// decodeArray reads a counted array of fixed-size little-endian numbers:
// in place when the blob allows it (see inPlace), else element by element
// with get.
func decodeArray[T int32 | uint64](d *decoder, name string, get func([]byte) T) []T {
	size := int(unsafe.Sizeof(T(0)))
	n := d.count(size)
	d.align()
	if n < 0 || d.err != nil {
		return nil
	}
	if n > (len(d.b)-d.off)/size {
		d.fail("truncated: %d %s", n, name)
		return nil
	}
	if d.inPlace(n, size) {
		s := unsafe.Slice((*T)(unsafe.Pointer(&d.b[d.off])), n)
		d.off += size * n
		return s
	}
	p := d.take(size * n)
	s := make([]T, n)
	for i := range s {
		s[i] = get(p[size*i:])
	}
	return s
}

func (d *decoder) f64s() []float64 {
	u := d.u64s()
	if u == nil {
		return nil
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(u))), len(u))
}

func (d *decoder) bools() []bool {
	n := d.count(1)
	if n < 0 {
		return nil
	}
	p := d.take(n)
	if d.err != nil {
		return nil
	}
	for _, x := range p {
		if x > 1 {
			d.fail("bool %d", x)
			return nil
		}
	}
	if n == 0 {
		return []bool{}
	}
	return unsafe.Slice((*bool)(unsafe.Pointer(&p[0])), n)
}

// strs reads a list of strings; they point into the blob.
func (d *decoder) strs() []string {
	ends := d.i32s()
	if ends == nil || d.err != nil {
		return nil
	}
	size := 0
	if len(ends) > 0 {
		size = int(uint32(ends[len(ends)-1]))
	}
	p := d.take(size)
	if d.err != nil {
		return nil
	}
	all := ""
	if size > 0 {
		all = unsafe.String(&p[0], size)
	}
	out := make([]string, len(ends))
	start := 0
	for i, e := range ends {
		end := int(uint32(e))
		if end < start || end > size {
			d.fail("string %d ends at %d", i, end)
			return nil
		}
		out[i] = all[start:end]
		start = end
	}
	return out
}

func (d *decoder) strMap() map[string]int32 {
	keys, vals := d.strs(), d.i32s()
	if d.err != nil || keys == nil && vals == nil {
		return nil
	}
	if len(keys) != len(vals) {
		d.fail("%d keys, %d values", len(keys), len(vals))
		return nil
	}
	m := make(map[string]int32, len(keys))
	for i, k := range keys {
		m[k] = vals[i]
	}
	return m
}

func (d *decoder) statuses() []chainscope.Status {
	dict := d.strs()
	n := d.count(1)
	if n < 0 {
		return nil
	}
	codes := d.take(n)
	if d.err != nil {
		return nil
	}
	vals := make([]chainscope.Status, len(dict))
	for i, s := range dict {
		vals[i] = chainscope.Status(s)
	}
	out := make([]chainscope.Status, n)
	for i, c := range codes {
		if int(c) >= len(vals) {
			d.fail("status %d of %d", c, len(vals))
			return nil
		}
		out[i] = vals[c]
	}
	return out
}

// checkDecoded checks that what a decoded index holds is well formed: every
// list as long as its owner says, every offset list non-decreasing and
// ending at its list's length, every number naming something that exists,
// every list the analysis searches or merges sorted. The checksum already
// catches a damaged blob; this keeps a blob that was made wrong from ever
// reaching the analysis, which trusts these bounds. (What the index
// derives from these, decoding derives afresh.)
func (ix *Index) checkDecoded() error {
	n := int32(len(ix.ids))
	nc, nseg, nch := int32(len(ix.counties)), int32(len(ix.segID)), int32(len(ix.chains))
	na := int32(len(ix.areas))
	var bad error
	fail := func(format string, args ...any) {
		if bad == nil {
			bad = snapshotError(format, args...)
		}
	}
	inRange := func(what string, s []int32, lo, hi int32) {
		for _, x := range s {
			if x < lo || x >= hi {
				fail("%s: %d outside [%d, %d)", what, x, lo, hi)
				return
			}
		}
	}
	rows := func(what string, off, vals []int32, hi int32) {
		if err := checkRows(what, off, vals, n, hi, false); err != nil && bad == nil {
			bad = err
		}
	}
	for i, c := range ix.counties {
		if c.up < -1 || c.up >= nc || c.top < -1 || c.top >= nc || c.slot < -1 || c.slot >= na {
			fail("county %d: up %d, top %d, slot %d", i, c.up, c.top, c.slot)
		}
	}
	inRange("areas", ix.areas, 0, nc)
	for code, i := range ix.countyIdx {
		if i < 0 || i >= nc || ix.counties[i].code != code {
			fail("county index %q → %d", code, i)
		}
	}
	if len(ix.segName) != int(nseg) || len(ix.segStage) != int(nseg) {
		fail("%d segments, %d names, %d stages", nseg, len(ix.segName), len(ix.segStage))
	}
	for id, s := range ix.segIdx {
		if s < 0 || s >= nseg || ix.segID[s] != id {
			fail("segment index %q → %d", id, s)
		}
	}
	for id, c := range ix.chainIdx {
		if c < 0 || c >= nch || ix.chains[c].id != id {
			fail("chain index %q → %d", id, c)
		}
	}
	end := int32(0)
	for i := range ix.chains {
		c := &ix.chains[i]
		if c.first != end || c.end < c.first || c.end > nseg || len(c.succ) != int(c.end-c.first) {
			fail("chain %d: segments %d..%d, %d successor lists", i, c.first, c.end, len(c.succ))
			break
		}
		end = c.end
		for _, s := range c.succ {
			inRange("flows", s, 0, c.end-c.first)
		}
	}
	if end != nseg {
		fail("chains hold %d of %d segments", end, nseg)
	}
	if len(ix.names) != int(n) || len(ix.project) != int(n) || len(ix.operating) != int(n) ||
		len(ix.investment) != int(n) || len(ix.status) != int(n) || len(ix.output) != int(n) ||
		len(ix.county) != int(n) {
		fail("node columns of unequal length")
	}
	for v := 1; v < len(ix.ids); v++ {
		if ix.ids[v] <= ix.ids[v-1] {
			fail("node ids not ascending at %d", v)
			break
		}
	}
	inRange("node county", ix.county, -1, nc)
	if bad == nil {
		rows("node segments", ix.segOff, ix.segs, nseg)
		rows("chains led", ix.leadOff, ix.leads, nch)
	}
	return bad
}

// checkLinks checks decoded links between n nodes: n+1 non-decreasing
// offsets from 0 to the end of the targets, and each node's customers
// ascending, without repeats or itself — the shape NewCSR gives the links
// of a valid dataset, which deriving the other adjacencies relies on.
func checkLinks(out *CSR, n uint32) error {
	if n >= math.MaxInt32 {
		return snapshotError("links: %d nodes", n)
	}
	return checkRows("links", out.Offsets, out.Targets, int32(n), int32(n), true)
}

// checkRows checks n rows of values (offsets off into vals): each row
// ascending without repeats, with values in [0, hi), and (noSelf) none
// equal to its own row's number.
func checkRows(what string, off, vals []int32, n, hi int32, noSelf bool) error {
	if len(off) != int(n)+1 || off[0] != 0 || int(off[n]) != len(vals) {
		return snapshotError("%s: %d offsets for %d rows ending at %d", what, len(off), n, len(vals))
	}
	for v := int32(0); v < n; v++ {
		lo, end := off[v], off[v+1]
		if end < lo || int(end) > len(vals) {
			return snapshotError("%s: offsets %d, %d of row %d", what, lo, end, v)
		}
		prev := int32(-1)
		for _, x := range vals[lo:end] {
			if x <= prev || x >= hi || noSelf && x == v {
				return snapshotError("%s of row %d: %d after %d", what, v, x, prev)
			}
			prev = x
		}
	}
	return nil
}
