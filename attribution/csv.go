package attribution

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/money"
)

// Format describes a CSV file of paths in ChannelAttribution's layout: a
// header line naming the columns, then one line per path. Its zero value
// reads and writes ChannelAttribution's demo data:
//
//	path;total_conversions;total_conversion_value;total_null
//	eta > iota > alpha > eta;1;0.244;3
//
// Empty fields take the defaults shown with each field. Read cuts a path
// at every Sep, without the blanks at Sep's ends, and trims the channel
// names, so that Sep ">" and " > " read alike. The four column
// names must differ, and none may begin or end with a blank, hold a line
// break or begin with a byte-order mark: Read trims the header's names
// and would otherwise find another column than Write wrote.
type Format struct {
	Comma       rune   // the field separator; ';'
	Sep         string // separates the channels of a path, blanks around it aside; ">"
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
	cols := []struct{ field, name string }{{"Path", f.Path}, {"Conversions", f.Conversions}, {"Value", f.Value}, {"Nulls", f.Nulls}}
	for i, c := range cols {
		if c.name != strings.TrimSpace(c.name) || strings.ContainsAny(c.name, "\r\n") || strings.HasPrefix(c.name, "\ufeff") {
			return errs.Invalid(fn, "Format."+c.field, fmt.Sprintf("%q", c.name), "a column name must not begin or end with a blank, hold a line break or begin with a byte-order mark")
		}
		for _, d := range cols[:i] {
			if d.name == c.name {
				return errs.Invalid(fn, "Format."+c.field, fmt.Sprintf("%q", c.name), "the name of the "+d.field+" column too: the columns must differ")
			}
		}
	}
	return nil
}

// readBuffer is the size of Read's buffer, as crmcsv's: large enough that
// a file is read in few calls, small enough that a read of a few lines
// does not cost a fixed mebibyte (1 << 20 was allocated and zeroed on
// every call).
const readBuffer = 1 << 16

// Read reads journeys in the CSV layout f describes (see Format). The
// path column and the conversions column must be present; the value and
// nulls columns are read when the header has them and are zero otherwise.
// Other columns are ignored. Fields may be quoted as in RFC 4180
// (encoding/csv reads them); blank lines are skipped. Channel names are
// trimmed of blanks; counts are whole numbers, optionally written with a
// zero fraction ("3.0").
//
// Errors wrap kpi.ErrInvalid and give the line number: a missing column, a
// line with too few fields, malformed quoting, an empty path, an empty
// channel name ("a > > b"), a path that is not valid UTF-8, a count or value that is not a number,
// negative, or a value on a line without conversions, a value out of the
// bounds Journeys.Add sets. Errors of r are returned as they are.
func Read(r io.Reader, f Format) (*Journeys, error) {
	const fn = "attribution.Read"
	f = f.withDefaults()
	if err := f.check(fn); err != nil {
		return nil, err
	}
	cr := csv.NewReader(bufio.NewReaderSize(r, readBuffer))
	cr.Comma = f.Comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rd, err := readHeader(fn, cr, f)
	if err != nil {
		return nil, err
	}
	js := &Journeys{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return js, nil
		}
		if err != nil {
			return nil, csvErr(fn, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a line of blanks
		}
		line, _ := cr.FieldPos(0)
		if err := rd.row(js, rec, line); err != nil {
			return nil, err
		}
	}
}

// csvErr turns an error of encoding/csv into one of fn, or returns an
// error of the underlying reader as it is.
func csvErr(fn string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	arg := fmt.Sprintf("line %d", pe.StartLine)
	if pe.StartLine == 1 {
		arg += " header"
	}
	return errs.Invalid(fn, arg, fmt.Sprintf("column %d", pe.Column), pe.Err.Error())
}

// rowReader reads the lines after the header: the columns it found there
// and the format.
type rowReader struct {
	fn                     string
	f                      Format
	sep                    string // f.Sep without its surrounding blanks
	path, conv, val, nulls int    // column indexes; val, nulls −1 when absent
	need                   int    // the fields a line must have
}

// readHeader reads the header line and finds the columns of f in it.
func readHeader(fn string, cr *csv.Reader, f Format) (*rowReader, error) {
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errs.Invalid(fn, "line 1 header", `""`, "no header line")
	}
	if err != nil {
		return nil, csvErr(fn, err)
	}
	col := map[string]int{}
	for i, name := range rec {
		if i == 0 {
			name = strings.TrimPrefix(name, "\ufeff")
		}
		col[strings.TrimSpace(name)] = i
	}
	header := fmt.Sprintf("%q", strings.Join(rec, string(f.Comma)))
	rd := &rowReader{fn: fn, f: f, sep: strings.TrimSpace(f.Sep), val: -1, nulls: -1}
	var ok bool
	if rd.path, ok = col[f.Path]; !ok {
		return nil, errs.Invalid(fn, "line 1 header", header, fmt.Sprintf("no %q column", f.Path))
	}
	if rd.conv, ok = col[f.Conversions]; !ok {
		return nil, errs.Invalid(fn, "line 1 header", header, fmt.Sprintf("no %q column", f.Conversions))
	}
	if i, ok := col[f.Value]; ok {
		rd.val = i
	}
	if i, ok := col[f.Nulls]; ok {
		rd.nulls = i
	}
	rd.need = max(rd.path, rd.conv, rd.val, rd.nulls) + 1
	return rd, nil
}

// lineErr is the error of a field of line n.
func (rd *rowReader) lineErr(n int, arg string, value any, reason string) error {
	return errs.Invalid(rd.fn, fmt.Sprintf("line %d %s", n, arg), value, reason)
}

// row parses the fields of line n and adds the journey to js.
func (rd *rowReader) row(js *Journeys, rec []string, n int) error {
	if len(rec) < rd.need {
		return rd.lineErr(n, "fields", len(rec), fmt.Sprintf("want at least %d", rd.need))
	}
	conv, ok := parseCount(rec[rd.conv])
	if !ok {
		return rd.lineErr(n, rd.f.Conversions, fmt.Sprintf("%q", rec[rd.conv]), "not a whole number")
	}
	var nulls int64
	if rd.nulls >= 0 {
		if nulls, ok = parseCount(rec[rd.nulls]); !ok {
			return rd.lineErr(n, rd.f.Nulls, fmt.Sprintf("%q", rec[rd.nulls]), "not a whole number")
		}
	}
	var m int64
	var s uint8
	var big bool
	var v decimal.Decimal
	if rd.val >= 0 {
		raw := strings.TrimSpace(rec[rd.val])
		if m, s, ok = parseValue(raw); !ok {
			if len(raw) > money.MaxText {
				return rd.lineErr(n, rd.f.Value, strconv.Quote(raw[:money.MaxText])+"…", fmt.Sprintf("a value of %d bytes: more than %d", len(raw), money.MaxText))
			}
			var err error
			if v, err = decimal.NewFromString(raw); err != nil {
				return rd.lineErr(n, rd.f.Value, fmt.Sprintf("%q", raw), "not a number")
			}
			var fe *fieldErr
			if m, s, big, fe = splitValue(v); fe != nil {
				return rd.lineErr(n, rd.f.Value, fe.value, fe.reason)
			}
		}
	}
	if fe := checkCounts(conv, nulls, js.convSum, js.nullSum, m != 0 || big); fe != nil {
		arg := map[string]string{"conversions": rd.f.Conversions, "nulls": rd.f.Nulls, "value": rd.f.Value}[fe.arg]
		if fe.arg == "value" {
			fe.value = fmt.Sprintf("%q", strings.TrimSpace(rec[rd.val]))
		}
		return rd.lineErr(n, arg, fe.value, fe.reason)
	}
	if !utf8.ValidString(rec[rd.path]) { // a channel JSON would write as another name
		return rd.lineErr(n, rd.f.Path, fmt.Sprintf("%q", rec[rd.path]), "not valid UTF-8")
	}
	if err := rd.addPath(js, rec[rd.path], n); err != nil {
		return err
	}
	js.push(conv, nulls, m, s, big, v)
	return nil
}

// trim is strings.TrimSpace with a fast path for the spaces around a
// path separator.
func trim(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[0] > ' ' && s[0] < 0x7f && s[len(s)-1] > ' ' && s[len(s)-1] < 0x7f {
		return s
	}
	return strings.TrimSpace(s)
}

// addPath cuts a path into channels and appends their ids to js.ch, or
// appends none and returns the error of line n.
func (rd *rowReader) addPath(js *Journeys, path string, n int) error {
	start := len(js.ch)
	rest := path
	for {
		name, tail, found := strings.Cut(rest, rd.sep)
		name = trim(name)
		if len(name) == 0 {
			js.ch = js.ch[:start]
			if len(strings.TrimSpace(path)) == 0 {
				return rd.lineErr(n, rd.f.Path, `""`, "empty path")
			}
			return rd.lineErr(n, rd.f.Path, fmt.Sprintf("%q", path), "empty channel name")
		}
		js.ch = append(room(js.ch), js.internField(name))
		if !found {
			return nil
		}
		rest = tail
	}
}

// parseCount parses a non-negative whole number, allowing blanks around
// it and a zero fraction such as "3.00".
func parseCount(b string) (int64, bool) {
	b = strings.TrimSpace(b)
	if i := strings.IndexByte(b, '.'); i >= 0 {
		if i == 0 && len(b) == 1 {
			return 0, false
		}
		for _, c := range []byte(b[i+1:]) {
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
	for _, c := range []byte(b) {
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
func parseValue(b string) (m int64, scale uint8, ok bool) {
	digits, dot := 0, -1
	for i, c := range []byte(b) {
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
// per journey, with the path's channels joined by " > " (or the Sep of f,
// without its own end blanks, between single blanks), through
// encoding/csv: a field that holds the field
// separator, a quote or a line break is quoted, so that Read reads back
// what Write wrote. Touch times and milestone marks are not written.
//
// Errors wrap kpi.ErrInvalid and name the journey by index: nil js, or a
// channel name that Read could not give back: one that contains the path
// separator or a CR LF (encoding/csv reads it as LF), begins or ends
// with a blank, or ends in the start of a separator with inner blanks
// that Read would find first (Sep "x x" and channel "ax"). Errors
// of w are returned as they are.
func Write(w io.Writer, js *Journeys, f Format) error {
	const fn = "attribution.Write"
	f = f.withDefaults()
	if err := f.check(fn); err != nil {
		return err
	}
	if js == nil {
		return errs.Invalid(fn, "js", js, "nil Journeys")
	}
	if err := js.checkNames(fn, strings.TrimSpace(f.Sep)); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = f.Comma
	if err := cw.Write([]string{f.Path, f.Conversions, f.Value, f.Nulls}); err != nil {
		return err
	}
	join := " " + strings.TrimSpace(f.Sep) + " "
	var buf []byte
	rec := make([]string, 4)
	for i := range js.Len() {
		buf = buf[:0]
		for k, id := range js.path(i) {
			if k > 0 {
				buf = append(buf, join...)
			}
			buf = append(buf, js.names[id]...)
		}
		rec[0] = string(buf)
		rec[1] = strconv.FormatInt(js.conv[i], 10)
		rec[2] = string(js.appendValue(nil, i))
		rec[3] = strconv.FormatInt(js.nulls[i], 10)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// checkNames reports the first channel name that Read could not give
// back from a path written with separator sep.
func (js *Journeys) checkNames(fn, sep string) error {
	for _, name := range js.names {
		if why := unjoinable(name, sep); why != "" {
			i := 0
			for i < js.Len() && !js.hasChannel(i, js.index[name]) {
				i++
			}
			return errs.Invalid(fn, fmt.Sprintf("journey %d channel", i), fmt.Sprintf("%q", name), why)
		}
	}
	return nil
}

// unjoinable says why Read would not give back name from a path that
// Write joined as name + " " + sep + " " + …, sep having no blank at its
// ends, or returns "". Read gives name back when name holds no sep and no
// CR LF, has no blank at its ends, and the first sep in name + " " + sep
// is the one Write put there. The last test refuses a name whose tail
// starts a sep that has an inner blank and overlaps itself: with sep
// "x x", name "ax" is written "ax x x b", and Read would cut it after
// "a". Read resumes after each sep it cuts, so checking each name
// against the sep after it covers every path.
func unjoinable(name, sep string) string {
	switch {
	case strings.Contains(name, sep) || strings.Contains(name, "\r\n") || strings.TrimSpace(name) != name:
		return "contains the path separator or a CR LF, or begins or ends with a blank"
	case strings.Index(name+" "+sep, sep) != len(name)+1:
		return fmt.Sprintf("ends in the start of the path separator %q, where Read would cut it", sep)
	}
	return ""
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
