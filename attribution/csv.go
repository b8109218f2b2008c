package attribution

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
)

// Format describes a CSV file of paths in ChannelAttribution's layout: a
// header line naming the columns, then one line per path. Its zero value
// reads and writes ChannelAttribution's demo data:
//
//	path;total_conversions;total_conversion_value;total_null
//	eta > iota > alpha > eta;1;0.244;3
//
// Empty fields take the defaults shown with each field.
type Format struct {
	Comma       rune   // the field separator; ';'
	Sep         string // separates the channels of a path; ">"
	Path        string // the path column; "path"
	Conversions string // the conversions column; "total_conversions"
	Value       string // the conversion value column; "total_conversion_value"
	Nulls       string // the non-converting journeys column; "total_null"
}

func (f Format) withDefaults() Format {
	if f.Comma == 0 {
		f.Comma = ';'
	}
	if f.Sep == "" {
		f.Sep = ">"
	}
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&f.Path, "path")
	def(&f.Conversions, "total_conversions")
	def(&f.Value, "total_conversion_value")
	def(&f.Nulls, "total_null")
	return f
}

// commaRule says which field separators validComma accepts.
const commaRule = "must be a tab or a printable ASCII character other than a quote or space"

// validComma reports whether c can separate fields unambiguously.
func validComma(c rune) bool {
	return c == '\t' || (c > ' ' && c < 0x7f && c != '"')
}

// check reports a format that cannot be read or written unambiguously.
func (f Format) check(fn string) error {
	switch {
	case !validComma(f.Comma):
		return errs.Invalid(fn, "Format.Comma", fmt.Sprintf("%q", f.Comma), commaRule)
	case strings.TrimSpace(f.Sep) == "" || strings.ContainsAny(f.Sep, "\"\r\n") || strings.ContainsRune(f.Sep, f.Comma):
		return errs.Invalid(fn, "Format.Sep", fmt.Sprintf("%q", f.Sep), "must be non-blank and contain no quote, line break or field separator")
	}
	return nil
}

// Read reads journeys in the CSV layout f describes (see Format). The
// path column and the conversions column must be present; the value and
// nulls columns are read when the header has them and are zero otherwise.
// Other columns are ignored. Fields may be quoted as in RFC 4180, but a
// field may not span lines. Channel names are trimmed of blanks; counts
// are whole numbers, optionally written with a zero fraction ("3.0").
//
// Errors wrap kpi.ErrInvalid and give the line number: a missing column, a
// line with too few fields, an empty path, an empty channel name ("a > >
// b"), a count or value that is not a number, negative, or a value on a
// line without conversions, a value out of the bounds Journeys.Add sets.
// Errors of r are returned as they are.
func Read(r io.Reader, f Format) (*Journeys, error) {
	const fn = "attribution.Read"
	f = f.withDefaults()
	if err := f.check(fn); err != nil {
		return nil, err
	}
	rd := &lineReader{br: bufio.NewReaderSize(r, 1<<20)}
	lineErr := func(line int, arg string, value any, reason string) error {
		return errs.Invalid(fn, fmt.Sprintf("line %d %s", line, arg), value, reason)
	}
	comma := byte(f.Comma)
	var fields [][]byte
	var scratch []byte
	line, err := rd.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, lineErr(1, "header", `""`, "no header line")
		}
		return nil, err
	}
	line = bytes.TrimPrefix(line, []byte("\ufeff"))
	fields, scratch, err = split(line, comma, fields, scratch)
	if err != nil {
		return nil, lineErr(1, "header", fmt.Sprintf("%q", line), err.Error())
	}
	col := map[string]int{}
	for i, name := range fields {
		col[string(bytes.TrimSpace(name))] = i
	}
	pathCol, ok1 := col[f.Path]
	convCol, ok2 := col[f.Conversions]
	valCol, hasVal := col[f.Value]
	nullCol, hasNull := col[f.Nulls]
	switch {
	case !ok1:
		return nil, lineErr(1, "header", fmt.Sprintf("%q", line), fmt.Sprintf("no %q column", f.Path))
	case !ok2:
		return nil, lineErr(1, "header", fmt.Sprintf("%q", line), fmt.Sprintf("no %q column", f.Conversions))
	}
	need := max(pathCol, convCol)
	if hasVal {
		need = max(need, valCol)
	}
	if hasNull {
		need = max(need, nullCol)
	}
	sep := []byte(f.Sep)
	js := &Journeys{}
	for n := 2; ; n++ {
		line, err = rd.next()
		if errors.Is(err, io.EOF) {
			return js, nil
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		fields, scratch, err = split(line, comma, fields, scratch)
		if err != nil {
			return nil, lineErr(n, "", fmt.Sprintf("%q", line), err.Error())
		}
		if len(fields) <= need {
			return nil, lineErr(n, "fields", len(fields), fmt.Sprintf("want at least %d", need+1))
		}
		conv, ok := parseCount(fields[convCol])
		if !ok {
			return nil, lineErr(n, f.Conversions, fmt.Sprintf("%q", fields[convCol]), "not a whole number")
		}
		var nulls int64
		if hasNull {
			if nulls, ok = parseCount(fields[nullCol]); !ok {
				return nil, lineErr(n, f.Nulls, fmt.Sprintf("%q", fields[nullCol]), "not a whole number")
			}
		}
		var m int64
		var s uint8
		var big bool
		var v decimal.Decimal
		if hasVal {
			raw := bytes.TrimSpace(fields[valCol])
			if m, s, ok = parseValue(raw); !ok {
				if v, err = decimal.NewFromString(string(raw)); err != nil {
					return nil, lineErr(n, f.Value, fmt.Sprintf("%q", raw), "not a number")
				}
				var fe *fieldErr
				if m, s, big, fe = splitValue(v); fe != nil {
					return nil, lineErr(n, f.Value, fe.value, fe.reason)
				}
			}
		}
		if fe := checkCounts(conv, nulls, js.convSum, js.nullSum, fmt.Sprintf("%q", bytes.TrimSpace(fields[valCol])), m != 0 || big); fe != nil {
			arg := map[string]string{"conversions": f.Conversions, "nulls": f.Nulls, "value": f.Value}[fe.arg]
			return nil, lineErr(n, arg, fe.value, fe.reason)
		}
		path := fields[pathCol]
		start := len(js.ch)
		for {
			name, rest, found := bytes.Cut(path, sep)
			name = bytes.TrimSpace(name)
			if len(name) == 0 {
				js.ch = js.ch[:start]
				if len(bytes.TrimSpace(fields[pathCol])) == 0 {
					return nil, lineErr(n, f.Path, `""`, "empty path")
				}
				return nil, lineErr(n, f.Path, fmt.Sprintf("%q", fields[pathCol]), "empty channel name")
			}
			js.ch = append(room(js.ch), js.internBytes(name))
			if !found {
				break
			}
			path = rest
		}
		js.push(conv, nulls, m, s, big, v)
	}
}

// lineReader returns the lines of a reader without their line ends.
type lineReader struct {
	br   *bufio.Reader
	long []byte
}

func (r *lineReader) next() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		r.long = append(r.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = r.br.ReadSlice('\n')
			r.long = append(r.long, line...)
		}
		line = r.long
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(line) == 0 && err != nil {
		return nil, io.EOF
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), nil
}

// split cuts a line into fields at comma, undoing RFC 4180 quoting.
// Unquoted fields point into line; quoted ones into scratch.
func split(line []byte, comma byte, fields [][]byte, scratch []byte) ([][]byte, []byte, error) {
	fields = fields[:0]
	scratch = scratch[:0]
	if bytes.IndexByte(line, '"') < 0 {
		for {
			i := bytes.IndexByte(line, comma)
			if i < 0 {
				return append(fields, line), scratch, nil
			}
			fields = append(fields, line[:i])
			line = line[i+1:]
		}
	}
	type span struct {
		quoted bool
		a, b   int
	}
	var spans []span
	for {
		if len(line) > 0 && line[0] == '"' {
			a := len(scratch)
			line = line[1:]
			for {
				i := bytes.IndexByte(line, '"')
				if i < 0 {
					return fields, scratch, errors.New("unterminated quoted field")
				}
				scratch = append(scratch, line[:i]...)
				line = line[i+1:]
				if len(line) > 0 && line[0] == '"' {
					scratch = append(scratch, '"')
					line = line[1:]
					continue
				}
				break
			}
			spans = append(spans, span{true, a, len(scratch)})
			if len(line) == 0 {
				break
			}
			if line[0] != comma {
				return fields, scratch, errors.New("text after a closing quote")
			}
			line = line[1:]
			continue
		}
		i := bytes.IndexByte(line, comma)
		if i < 0 {
			i = len(line)
		}
		if bytes.IndexByte(line[:i], '"') >= 0 {
			return fields, scratch, errors.New("quote inside an unquoted field")
		}
		a := len(scratch)
		scratch = append(scratch, line[:i]...)
		spans = append(spans, span{false, a, len(scratch)})
		if i == len(line) {
			break
		}
		line = line[i+1:]
	}
	for _, s := range spans {
		fields = append(fields, scratch[s.a:s.b])
	}
	return fields, scratch, nil
}

// parseCount parses a non-negative whole number, allowing blanks around
// it and a zero fraction such as "3.00".
func parseCount(b []byte) (int64, bool) {
	b = bytes.TrimSpace(b)
	if i := bytes.IndexByte(b, '.'); i >= 0 {
		if i == 0 && len(b) == 1 {
			return 0, false
		}
		for _, c := range b[i+1:] {
			if c != '0' {
				return 0, false
			}
		}
		b = b[:i]
		if len(b) == 0 {
			return 0, true
		}
	}
	if len(b) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// parseValue parses a plain decimal "123.45" with at most 18 digits in
// all into mantissa and scale; anything else is left to decimal.
func parseValue(b []byte) (m int64, scale uint8, ok bool) {
	digits, dot := 0, -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + int64(c-'0')
			digits++
			if dot >= 0 {
				scale++
			}
		case c == '.' && dot < 0:
			dot = i
		default:
			return 0, 0, false
		}
	}
	if digits == 0 || digits > 18 {
		return 0, 0, false
	}
	return m, scale, true
}

// Write writes the journeys of js in the CSV layout f describes, one line
// per journey, with the path's channels joined by " > " (or the Sep of f
// between blanks). Touch times and milestone marks are not written.
//
// Errors wrap kpi.ErrInvalid: a channel name that contains the field
// separator, the path separator, a quote or a line break (it could not be
// read back), naming the journey by index. Errors of w are returned as
// they are.
func Write(w io.Writer, js *Journeys, f Format) error {
	const fn = "attribution.Write"
	f = f.withDefaults()
	if err := f.check(fn); err != nil {
		return err
	}
	for _, name := range js.names {
		if strings.Contains(name, f.Sep) || strings.ContainsRune(name, f.Comma) || strings.ContainsAny(name, "\"\r\n") {
			i := 0
			for i < js.Len() && !js.hasChannel(i, js.index[name]) {
				i++
			}
			return errs.Invalid(fn, fmt.Sprintf("journey %d channel", i), fmt.Sprintf("%q", name), "contains a separator, quote or line break")
		}
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	c := string(f.Comma)
	fmt.Fprintf(bw, "%s%s%s%s%s%s%s\n", f.Path, c, f.Conversions, c, f.Value, c, f.Nulls)
	join := " " + strings.TrimSpace(f.Sep) + " "
	var buf []byte
	for i := range js.Len() {
		buf = buf[:0]
		for k, id := range js.path(i) {
			if k > 0 {
				buf = append(buf, join...)
			}
			buf = append(buf, js.names[id]...)
		}
		buf = append(buf, c...)
		buf = strconv.AppendInt(buf, js.conv[i], 10)
		buf = append(buf, c...)
		buf = js.appendValue(buf, i)
		buf = append(buf, c...)
		buf = strconv.AppendInt(buf, js.nulls[i], 10)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendValue writes journey i's value at its own scale: "300.00" stays
// "300.00".
func (js *Journeys) appendValue(buf []byte, i int) []byte {
	if v, ok := js.valBig[i]; ok {
		return append(buf, v.String()...)
	}
	s := int(js.valS[i])
	start := len(buf)
	buf = strconv.AppendInt(buf, js.valM[i], 10)
	if s == 0 {
		return buf
	}
	for len(buf)-start <= s { // pad to at least one digit before the point
		buf = append(buf[:start], append([]byte{'0'}, buf[start:]...)...)
	}
	dot := len(buf) - s
	buf = append(buf, 0)
	copy(buf[dot+1:], buf[dot:])
	buf[dot] = '.'
	return buf
}

// hasChannel reports whether journey i touches channel id.
func (js *Journeys) hasChannel(i int, id int32) bool {
	for _, c := range js.path(i) {
		if c == id {
			return true
		}
	}
	return false
}
