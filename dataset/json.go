package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"chainscope"
)

// ReadJSON reads a SPEC §2 JSON dataset. file names the input in problems.
// Unknown fields, malformed JSON and values of the wrong type are problems,
// each with the line of the record and the field; reading goes on past a
// bad record so that one run reports as much as it can.
func ReadJSON(r io.Reader, file string) (*Records, []chainscope.Problem) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, []chainscope.Problem{{File: file, Message: fmt.Sprintf("无法读取文件 cannot read file: %v", err)}}
	}
	return parseJSON(data, file)
}

// jsonReader walks one JSON document, turning byte offsets into line numbers.
type jsonReader struct {
	data     []byte
	file     string
	recs     *Records
	problems []chainscope.Problem
	sheets   map[string]*chainscope.Sheet
	// line counting is incremental: offsets are visited in increasing order
	lineOff, line int
}

func parseJSON(data []byte, file string) (*Records, []chainscope.Problem) {
	jr := &jsonReader{data: data, file: file, recs: &Records{}, sheets: map[string]*chainscope.Sheet{}, line: 1}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	jr.data = data
	if !utf8.Valid(data) {
		off := firstInvalidUTF8(data)
		return nil, []chainscope.Problem{{File: file, Row: jr.lineAt(off),
			Message: "文件不是 UTF-8 编码 file is not UTF-8; 请另存为 UTF-8"}}
	}
	if err := jr.document(); err != nil {
		jr.problems = append(jr.problems, jr.syntaxProblem(err))
	}
	return jr.recs, jr.problems
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// lineAt returns the 1-based line of byte offset off, skipping the
// whitespace and commas that precede a value.
func (jr *jsonReader) lineAt(off int) int {
	off = max(0, min(off, len(jr.data)))
	for off < len(jr.data) && strings.IndexByte(" \t\r\n,:", jr.data[off]) >= 0 {
		off++
	}
	if off < jr.lineOff {
		jr.lineOff, jr.line = 0, 1
	}
	jr.line += bytes.Count(jr.data[jr.lineOff:off], []byte{'\n'})
	jr.lineOff = off
	return jr.line
}

func (jr *jsonReader) sheet(name string) *chainscope.Sheet {
	s := jr.sheets[name]
	if s == nil {
		s = &chainscope.Sheet{File: jr.file, Name: name}
		jr.sheets[name] = s
	}
	return s
}

func (jr *jsonReader) syntaxProblem(err error) chainscope.Problem {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var sh *shapeError
	p := chainscope.Problem{File: jr.file}
	switch {
	case errors.As(err, &sh):
		p.Row = jr.lineAt(int(sh.offset) - 1)
		p.Value = snippet(jr.data, int(sh.offset)-1)
		p.Message = sh.msg
	case errors.As(err, &se):
		p.Row = jr.lineAt(int(se.Offset) - 1)
		p.Value = snippet(jr.data, int(se.Offset)-1)
		p.Message = fmt.Sprintf("JSON 格式错误 malformed JSON: %v", se)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		p.Row = jr.lineAt(len(jr.data))
		p.Message = "JSON 不完整，文件被截断 malformed JSON: unexpected end of file"
	case errors.As(err, &te):
		p.Row = jr.lineAt(int(te.Offset))
		p.Column = te.Field
		p.Message = fmt.Sprintf("JSON 类型错误 wrong JSON type: %v", te)
	default:
		p.Message = fmt.Sprintf("JSON 格式错误 malformed JSON: %v", err)
	}
	return p
}

func snippet(data []byte, off int) string {
	if off < 0 {
		off = 0
	}
	end := off + 20
	if end > len(data) {
		end = len(data)
	}
	if off > end {
		off = end
	}
	s := strings.ToValidUTF8(string(data[off:end]), "")
	return strings.TrimSpace(s)
}

// shapeError is well-formed JSON of the wrong shape at the top level.
type shapeError struct {
	offset int64
	msg    string
}

func (e *shapeError) Error() string { return e.msg }

// The top-level fields of a SPEC §2 document.
var topFields = []string{"region", "counties", "chains", "enterprises", "projects", "links", "leads", "reports"}

func (jr *jsonReader) document() error {
	dec := json.NewDecoder(bytes.NewReader(jr.data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return &shapeError{offset: dec.InputOffset(), msg: "数据集必须是一个 JSON 对象 the dataset must be a JSON object"}
	}
	dec.DisallowUnknownFields() // records decode straight from here (decodeStrict)
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		line := jr.lineAt(int(dec.InputOffset()))
		if seen[key] {
			jr.problems = append(jr.problems, chainscope.Problem{File: jr.file, Row: line, Column: key,
				Message: fmt.Sprintf("字段重复 duplicate field %q", key)})
		}
		seen[key] = true
		switch key {
		case "region":
			start := int(dec.InputOffset())
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			var reg chainscope.Region
			at := chainscope.Origin{Sheet: jr.sheet("region"), Row: jr.lineAt(start)}
			if jr.strict(raw, &reg, at, "code") {
				jr.recs.Region, jr.recs.RegionAt = &reg, at
			}
		case "counties", "chains", "enterprises", "projects", "links", "leads", "reports":
			if err := jr.array(dec, key); err != nil {
				return err
			}
		default:
			jr.problems = append(jr.problems, chainscope.Problem{File: jr.file, Row: line, Column: key,
				Message: fmt.Sprintf("未知字段 unknown field %q (应为 expected one of %s)", key, strings.Join(topFields, ", "))})
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return &shapeError{offset: dec.InputOffset(), msg: "JSON 对象之后还有内容 data after the dataset object"}
	}
	return nil
}

// array decodes the elements of one top-level array, one at a time, each
// with its own line.
func (jr *jsonReader) array(dec *json.Decoder, name string) error {
	start := int(dec.InputOffset())
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil { // null: an empty list
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		jr.problems = append(jr.problems, chainscope.Problem{File: jr.file, Row: jr.lineAt(start), Column: name,
			Message: fmt.Sprintf("%s 必须是数组 must be an array", name)})
		return nil
	}
	sheet := jr.sheet(name)
	for dec.More() {
		off := int(dec.InputOffset())
		at := chainscope.Origin{Sheet: sheet, Row: jr.lineAt(off)}
		var err error
		switch name {
		case "counties":
			err = decodeStrict(jr, dec, at, off, &jr.recs.Counties, func(c *chainscope.County) { c.At = at }, "code")
		case "enterprises":
			err = decodeStrict(jr, dec, at, off, &jr.recs.Enterprises, func(e *chainscope.Enterprise) { e.At = at }, "id")
		case "projects":
			err = decodeStrict(jr, dec, at, off, &jr.recs.Projects, func(p *chainscope.Project) { p.At = at }, "id")
		case "links":
			err = decodeStrict(jr, dec, at, off, &jr.recs.Links, func(l *chainscope.Link) { l.At = at }, "from", "to")
		case "leads":
			err = decodeStrict(jr, dec, at, off, &jr.recs.Leads, func(l *chainscope.Lead) { l.At = at }, "id")
		case "reports":
			err = decodeStrict(jr, dec, at, off, &jr.recs.Reports, func(r *chainscope.Report) { r.At = at }, "area", "from", "to")
		case "chains":
			var raw json.RawMessage
			if err = dec.Decode(&raw); err == nil {
				jr.chain(raw, off, at)
			}
		}
		if err != nil {
			return err
		}
	}
	_, err = dec.Token() // ]
	return err
}

// decodeStrict decodes the next record of dec (which refuses unknown
// fields) and, when it decodes, stamps its origin with place and appends
// it to dst. A record with fields that do not decode is a problem per such
// field, naming the value as typed ("十亿"); it is kept with those fields
// unknown, so that what refers to it finds it, unless one of its keys is
// among them. Reading goes on after it. One pass over the bytes: the
// decoder reads the whole value before filling rec, so after a wrong type
// or an unknown field it stands past the record. Only broken JSON, which
// ends the reading, is returned.
func decodeStrict[T any](jr *jsonReader, dec *json.Decoder, at chainscope.Origin, off int, dst *[]T, place func(*T), keys ...string) error {
	var rec T
	err := dec.Decode(&rec)
	if err == nil {
		place(&rec)
		*dst = append(*dst, rec)
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return err
	}
	start := min(off, len(jr.data))
	for start < len(jr.data) && strings.IndexByte(" \t\r\n,", jr.data[start]) >= 0 {
		start++
	}
	end := max(start, min(int(dec.InputOffset()), len(jr.data)))
	if jr.fieldProblems(err, jr.data[start:end], &rec, at, keys) {
		place(&rec)
		*dst = append(*dst, rec)
	}
	return nil
}

// jsonChain is a chain as written, its segments and flows kept raw so that
// each gets its own line.
type jsonChain struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Segments json.RawMessage `json:"segments"`
	Flows    json.RawMessage `json:"flows"`
	Source   string          `json:"source,omitempty"`
	Note     string          `json:"note,omitempty"`
}

func (jr *jsonReader) chain(raw []byte, off int, at chainscope.Origin) {
	var jc jsonChain
	if !jr.strict(raw, &jc, at, "id") {
		return
	}
	// raw starts at the first byte of the value; find it in the document
	base := off
	for base < len(jr.data) && strings.IndexByte(" \t\r\n,", jr.data[base]) >= 0 {
		base++
	}
	jr.recs.Chains = append(jr.recs.Chains, chainscope.Chain{ID: jc.ID, Name: jc.Name, Source: jc.Source, Note: jc.Note, At: at})
	segSheet, flowSheet := jr.sheet("segments"), jr.sheet("flows")
	jr.nested(jc.Segments, raw, base, "segments", func(elem []byte, at chainscope.Origin) {
		at.Sheet = segSheet
		var s chainscope.Segment
		if jr.strict(elem, &s, at, "id") {
			s.At = at
			jr.recs.Segments = append(jr.recs.Segments, SegmentRecord{Chain: jc.ID, Segment: s})
		}
	})
	jr.nested(jc.Flows, raw, base, "flows", func(elem []byte, at chainscope.Origin) {
		at.Sheet = flowSheet
		var f chainscope.Flow
		if err := json.Unmarshal(elem, &f); err != nil {
			jr.problems = append(jr.problems, chainscope.ProblemAt(at, "flows", string(elem), "环节关系格式错误 malformed flow: %v", err))
			return
		}
		f.At = at
		jr.recs.Flows = append(jr.recs.Flows, f)
	})
}

// nested walks an array held raw inside the value raw (which starts at byte
// base of the document), calling fn with each element and its line.
func (jr *jsonReader) nested(arr json.RawMessage, raw []byte, base int, name string, fn func([]byte, chainscope.Origin)) {
	if len(arr) == 0 || string(arr) == "null" {
		return
	}
	// locate arr inside raw to learn its offset in the document
	rel := bytes.Index(raw, arr)
	if rel < 0 {
		rel = 0
	}
	dec := json.NewDecoder(bytes.NewReader(arr))
	tok, err := dec.Token()
	if d, ok := tok.(json.Delim); err != nil || !ok || d != '[' {
		jr.problems = append(jr.problems, chainscope.Problem{File: jr.file, Row: jr.lineAt(base + rel), Column: name,
			Message: fmt.Sprintf("%s 必须是数组 must be an array", name)})
		return
	}
	for dec.More() {
		off := base + rel + int(dec.InputOffset())
		var elem json.RawMessage
		if err := dec.Decode(&elem); err != nil {
			return // the outer decoder already accepted the bytes; cannot happen
		}
		fn(elem, chainscope.Origin{Row: jr.lineAt(off)})
	}
}

// strict decodes one record, refusing unknown fields; each field that
// fails is a problem at the record's line naming the field and its value.
// It reports whether the record is to be kept: decoded, or decoded but for
// fields other than its keys.
func (jr *jsonReader) strict(raw []byte, v any, at chainscope.Origin, keys ...string) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return true
	}
	return jr.fieldProblems(err, raw, v, at, keys)
}

// fieldProblems reports what is wrong with the record raw, which decoding
// into v (a pointer to a record) failed with err: each field that does not
// decode on its own — of the wrong type, or unknown — is one problem naming
// the field, the value as typed and the record's key. The decoder fills
// every other field of v, so the record is kept (true) unless a key field
// failed. JSON that is not an object is one problem, and not kept.
func (jr *jsonReader) fieldProblems(err error, raw []byte, v any, at chainscope.Origin, keys []string) (keep bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, terr := dec.Token(); terr != nil || tok != json.Delim('{') {
		jr.recordProblem(err, at, raw, "")
		return false
	}
	type bad struct {
		key string
		err error
		raw json.RawMessage
	}
	var bads []bad
	typ := reflect.TypeOf(v).Elem()
	for dec.More() {
		tok, terr := dec.Token()
		var val json.RawMessage
		if terr == nil {
			terr = dec.Decode(&val)
		}
		if terr != nil {
			jr.recordProblem(err, at, raw, "")
			return false
		}
		key, _ := tok.(string)
		probe := reflect.New(typ).Interface()
		name, _ := json.Marshal(key)
		pd := json.NewDecoder(bytes.NewReader(slices.Concat([]byte("{"), name, []byte(":"), val, []byte("}"))))
		pd.DisallowUnknownFields()
		if ferr := pd.Decode(probe); ferr != nil {
			bads = append(bads, bad{key, ferr, val})
		}
	}
	if len(bads) == 0 { // the whole failed but no field alone: report the whole
		jr.recordProblem(err, at, raw, "")
		return false
	}
	keep = true
	for _, b := range bads {
		if slices.Contains(keys, b.key) {
			keep = false
		}
		// A text field given a number keeps it as text: reported here, and
		// not again by Build as missing (or as an unknown county "").
		setText(v, b.key, typedValue(b.raw))
	}
	who := recordKey(v)
	for _, b := range bads {
		jr.recordProblem(b.err, at, b.raw, who)
	}
	return keep
}

// setText sets the string field of the struct v points to whose JSON name
// is key to text, when there is one.
func setText(v any, key, text string) {
	rv := reflect.ValueOf(v).Elem()
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == key && f.Type.Kind() == reflect.String && f.IsExported() {
			rv.Field(i).SetString(text)
			return
		}
	}
}

// recordKey names a record by its key for messages: "P-2024-017 ", or
// "E-a → E-b " for a link; "" when it has none.
func recordKey(v any) string {
	var k string
	switch r := v.(type) {
	case *chainscope.Enterprise:
		k = r.ID
	case *chainscope.Project:
		k = r.ID
	case *chainscope.County:
		k = r.Code
	case *chainscope.Region:
		k = r.Code
	case *chainscope.Segment:
		k = r.ID
	case *jsonChain:
		k = r.ID
	case *chainscope.Lead:
		k = r.ID
	case *chainscope.Report:
		if r.Area != "" || r.From != "" || r.To != "" {
			k = r.Area + " " + r.From + ".." + r.To
		}
	case *chainscope.Link:
		if r.From != "" || r.To != "" {
			k = r.From + " → " + r.To
		}
	}
	if k == "" {
		return ""
	}
	return k + " "
}

// typedValue is a JSON value as the user typed it: a string without its
// quotes ("十亿" is 十亿), anything else as written, shortened.
func typedValue(raw []byte) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return shorten(s)
	}
	return shorten(strings.TrimSpace(string(raw)))
}

// recordProblem turns the error of decoding one record or field, raw,
// into a problem at the record's line naming the field and the value as
// typed; who is the record's key and a space, or "".
func (jr *jsonReader) recordProblem(err error, at chainscope.Origin, raw []byte, who string) {
	p := chainscope.ProblemAt(at, "", "", "")
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		p.Column = te.Field
		p.Value = typedValue(raw)
		p.Message = fmt.Sprintf("%s字段 %s 的类型错误，应为%s wrong type for field %s: expected %s", who, te.Field, jsonTypeName(te.Type.Kind().String()), te.Field, te.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		p.Column = field
		p.Value = field
		p.Message = fmt.Sprintf("%s未知字段 unknown field %q", who, field)
	default:
		p.Value = snippet(raw, 0)
		p.Message = fmt.Sprintf("%s记录格式错误 malformed record: %v", who, err)
	}
	jr.problems = append(jr.problems, p)
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "文本"
	case "float64", "int", "int64", "ptr":
		return "数字"
	case "bool":
		return "布尔值"
	case "slice", "array":
		return "数组"
	}
	return kind
}

// WriteJSON writes ds as a SPEC §2 document: one record per line, so that a
// large export streams, diffs read well and problems point at a line.
func WriteJSON(w io.Writer, ds *chainscope.Dataset) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	put := func(v any) error {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(bytes.TrimRight(buf.Bytes(), "\n"))
		return err
	}
	list := func(name string, n int, elem func(i int) any, last bool) error {
		fmt.Fprintf(bw, "  %q: [", name)
		for i := 0; i < n; i++ {
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n    ")
			if err := put(elem(i)); err != nil {
				return err
			}
		}
		if n > 0 {
			bw.WriteString("\n  ")
		}
		bw.WriteString("]")
		if !last {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		return nil
	}
	bw.WriteString("{\n  \"region\": ")
	if err := put(ds.Region); err != nil {
		return err
	}
	bw.WriteString(",\n")
	steps := []error{
		list("counties", len(ds.Counties), func(i int) any { return ds.Counties[i] }, false),
		list("chains", len(ds.Chains), func(i int) any { return nonNilChain(ds.Chains[i]) }, false),
		list("enterprises", len(ds.Enterprises), func(i int) any { return nonNilEnterprise(ds.Enterprises[i]) }, false),
		list("projects", len(ds.Projects), func(i int) any { return nonNilProject(ds.Projects[i]) }, false),
		list("links", len(ds.Links), func(i int) any { return ds.Links[i] }, len(ds.Leads) == 0 && len(ds.Reports) == 0),
	}
	// leads and reports are optional (SPEC §2): a dataset without them is
	// written as it always was.
	if len(ds.Leads) > 0 {
		steps = append(steps, list("leads", len(ds.Leads), func(i int) any { return nonNilLead(ds.Leads[i]) }, len(ds.Reports) == 0))
	}
	if len(ds.Reports) > 0 {
		steps = append(steps, list("reports", len(ds.Reports), func(i int) any { return ds.Reports[i] }, true))
	}
	for _, err := range steps {
		if err != nil {
			return err
		}
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

func nonNilChain(c chainscope.Chain) chainscope.Chain {
	if c.Segments == nil {
		c.Segments = []chainscope.Segment{}
	}
	if c.Flows == nil {
		c.Flows = []chainscope.Flow{}
	}
	return c
}

func nonNilEnterprise(e chainscope.Enterprise) chainscope.Enterprise {
	if e.Segments == nil {
		e.Segments = []string{}
	}
	if e.LeaderOf == nil {
		e.LeaderOf = []string{}
	}
	return e
}

func nonNilLead(l chainscope.Lead) chainscope.Lead {
	if l.Segments == nil {
		l.Segments = []string{}
	}
	return l
}

func nonNilProject(p chainscope.Project) chainscope.Project {
	if p.Segments == nil {
		p.Segments = []string{}
	}
	return p
}
