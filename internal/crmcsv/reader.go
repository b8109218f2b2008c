// Package crmcsv is the machinery the CRM readers of kpi's packages share:
// columns found by header name, rows streamed through encoding/csv, times
// and amounts parsed as CRMs export them, and the bookkeeping of the
// kpi.Health report, where every row read is either used or rejected. It
// is not API.
package crmcsv

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// Role is a column a reader looks for: Name for messages ("entity",
// "time"), Column the user's header name ("" for the defaults), Defaults
// the header names tried in order when Column is empty, and whether the
// reader cannot work without it.
type Role struct {
	Name     string
	Column   string
	Defaults []string
	Required bool
}

// Reader reads the rows of a CSV export with a header, one at a time, as
// encoding/csv reads them (RFC 4180, quoted fields over several lines,
// CRLF line ends; see scanner) but without allocating per row.
// Health is the report it keeps: Next counts every row read and rejects
// the rows CSV cannot parse, whose field count differs from the header's
// or whose mapped fields are not UTF-8; the caller counts every row Next
// returns as used (Use) or rejected (Reject).
type Reader struct {
	Health kpi.Health

	fn       string
	sc       *scanner
	cols     []int    // per role: index in the record, or −1
	names    []string // per role: the header name found
	width    int
	line     int64
	unmapped map[string]int64
	order    []string
	err      error
}

// Open reads the header of the CSV in r, separated by comma (0 for ','),
// and finds the roles' columns. A UTF-8 byte-order mark is skipped; a
// UTF-16 one is an error, as are a missing required column, a column the
// user named that the header lacks, a header name that appears twice
// where a role would read it, and two roles read from one column. Errors
// name fn and wrap kpi.ErrInvalid.
func Open(fn string, r io.Reader, comma rune, roles []Role) (*Reader, error) {
	if r == nil {
		return nil, errs.Invalid(fn, "r", nil, "nil reader")
	}
	if comma == 0 {
		comma = ','
	}
	if comma == '"' || comma == '\r' || comma == '\n' || comma == utf8.RuneError || !utf8.ValidRune(comma) {
		return nil, errs.Invalid(fn, "comma", fmt.Sprintf("%q", comma), "not a valid separator")
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if b, _ := br.Peek(3); len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		_, _ = br.Discard(3)
	} else if len(b) >= 2 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF) {
		return nil, errs.Invalid(fn, "encoding", "UTF-16", "only UTF-8 is read; export as UTF-8")
	}
	sc := newScanner(br, comma)
	err := sc.next()
	switch {
	case errors.Is(err, io.EOF):
		return nil, errs.Invalid(fn, "header", "none", "empty input")
	case err != nil:
		return nil, errs.Invalid(fn, "header", fmt.Sprintf("line %d", max(sc.start, 1)), err.Error())
	}
	header := make([]string, sc.fields())
	for i := range header {
		header[i] = string(sc.at(i))
	}
	rd := &Reader{fn: fn, sc: sc, width: len(header), line: sc.start}
	if err := rd.mapHeader(header, roles); err != nil {
		return nil, err
	}
	return rd, nil
}

// mapHeader finds each role's column in the header.
func (rd *Reader) mapHeader(header []string, roles []Role) error {
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = strings.ToLower(strings.TrimSpace(h))
	}
	rd.cols = make([]int, len(roles))
	rd.names = make([]string, len(roles))
	for k, role := range roles {
		rd.cols[k] = -1
		wanted := role.Defaults
		if role.Column != "" {
			wanted = []string{role.Column}
		}
		for _, w := range wanted {
			i := slices.Index(norm, strings.ToLower(strings.TrimSpace(w)))
			if i < 0 {
				continue
			}
			if j := slices.Index(norm[i+1:], norm[i]); j >= 0 {
				return errs.Invalid(rd.fn, "header", fmt.Sprintf("%q", header[i]),
					fmt.Sprintf("appears twice (columns %d and %d); the %s column is ambiguous", i+1, i+j+2, role.Name))
			}
			rd.cols[k], rd.names[k] = i, strings.TrimSpace(header[i])
			break
		}
		switch {
		case rd.cols[k] < 0 && role.Column != "":
			return errs.Invalid(rd.fn, role.Name+" column", fmt.Sprintf("%q", role.Column), "not in the header")
		case rd.cols[k] < 0 && role.Required:
			return errs.Invalid(rd.fn, role.Name+" column", "missing", fmt.Sprintf("the header has none of %q", role.Defaults))
		case rd.cols[k] < 0:
			continue
		}
		for j := range k {
			if rd.cols[j] == rd.cols[k] {
				return errs.Invalid(rd.fn, role.Name+" column", fmt.Sprintf("%q", rd.names[k]),
					fmt.Sprintf("mapped twice: also the %s column", roles[j].Name))
			}
		}
	}
	return nil
}

// Has says whether the role's column is in the header.
func (rd *Reader) Has(role int) bool { return rd.cols[role] >= 0 }

// Column returns the header name of the role's column, or "".
func (rd *Reader) Column(role int) string { return rd.names[role] }

// Next reads the next row and reports whether there is one to use. Rows
// that cannot be used at all are rejected here and skipped. It returns
// false at the end of the input or at a read error, which Err returns.
func (rd *Reader) Next() bool {
	for {
		if err := rd.sc.next(); err != nil {
			var pe *csv.ParseError
			switch {
			case errors.Is(err, io.EOF):
				return false
			case errors.As(err, &pe):
				rd.Health.Read++
				rd.line = int64(pe.StartLine)
				rd.reject("", "", pe.Err.Error())
				continue
			}
			rd.err = errs.Invalid(rd.fn, "input", fmt.Sprintf("after line %d", rd.line), err.Error())
			return false
		}
		rd.Health.Read++
		rd.line = rd.sc.start
		if n := rd.sc.fields(); n != rd.width {
			rd.reject("", "", fmt.Sprintf("row has %d fields, the header %d", n, rd.width))
			continue
		}
		if k := rd.badUTF8(); k >= 0 {
			rd.Reject(k, "not UTF-8")
			continue
		}
		return true
	}
}

// badUTF8 returns the first role whose field is not valid UTF-8, or −1.
func (rd *Reader) badUTF8() int {
	if rd.sc.ascii {
		return -1 // the common case, checked once for the whole row
	}
	for k, i := range rd.cols {
		if i >= 0 && !utf8.Valid(rd.sc.at(i)) {
			return k
		}
	}
	return -1
}

// ascii reports whether b has only ASCII bytes, eight at a time.
func ascii(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Err returns the error that stopped Next early, or nil at the end of the
// input.
func (rd *Reader) Err() error { return rd.err }

// Line returns the line where the current row starts.
func (rd *Reader) Line() int64 { return rd.line }

// Field returns the role's field of the current row, without surrounding
// blanks, as a new string; "" when the header has no such column.
func (rd *Reader) Field(role int) string {
	return string(rd.Bytes(role))
}

// Bytes returns the role's field of the current row, without surrounding
// blanks; nil when the header has no such column. The bytes are the
// reader's: valid until the next call of Next, and not to be changed.
func (rd *Reader) Bytes(role int) []byte {
	i := rd.cols[role]
	if i < 0 {
		return nil
	}
	b := rd.sc.at(i)
	if len(b) == 0 || b[0] > ' ' && b[0] < utf8.RuneSelf && b[len(b)-1] > ' ' && b[len(b)-1] < utf8.RuneSelf {
		return b // nothing to trim: the common case
	}
	return bytes.TrimSpace(b)
}

// Fields sets dst[role] to Bytes(role) for every role, in one call for a
// reader that reads them all; dst must have a place for every role.
func (rd *Reader) Fields(dst [][]byte) {
	sc := rd.sc
	for k, i := range rd.cols {
		if i < 0 {
			dst[k] = nil
			continue
		}
		b := sc.rec[sc.ends[2*i]:sc.ends[2*i+1]]
		if len(b) > 0 && (b[0] <= ' ' || b[0] >= utf8.RuneSelf || b[len(b)-1] <= ' ' || b[len(b)-1] >= utf8.RuneSelf) {
			b = bytes.TrimSpace(b)
		}
		dst[k] = b
	}
}

// Use counts the current row as used.
func (rd *Reader) Use() { rd.Health.Used++ }

// Reject counts the current row as rejected for reason, at the role's
// column; role −1 rejects the row as a whole.
func (rd *Reader) Reject(role int, reason string) {
	if role < 0 {
		rd.reject("", "", reason)
		return
	}
	rd.reject(rd.names[role], rd.Field(role), reason)
}

// RejectAt counts a row used earlier, at line, as rejected after all: a
// reader that decides about rows only at the end (a conversion with no
// touch in its window) turns a used row into a rejected one.
func (rd *Reader) RejectAt(line int64, role int, text, reason string) {
	rd.Health.Used--
	rd.line = line
	rd.reject(rd.names[role], text, reason)
}

func (rd *Reader) reject(column, text, reason string) {
	h := &rd.Health
	h.Rejected++
	if len(h.Rejections) < kpi.MaxRejections {
		h.Rejections = append(h.Rejections, kpi.Rejection{Line: rd.line, Column: column, Text: Cut(text, 64), Reason: reason})
	}
}

// Unmapped counts a used row whose value no stage or rule recognised.
func (rd *Reader) Unmapped(v string) {
	rd.Health.UnmappedRows++
	if len(v) > 64 {
		v = Cut(v, 64)
	}
	if n, ok := rd.unmapped[v]; ok {
		rd.unmapped[v] = n + 1
		return
	}
	if len(rd.order) >= kpi.MaxUnmapped {
		return
	}
	if rd.unmapped == nil {
		rd.unmapped = map[string]int64{}
	}
	v = strings.Clone(v)
	rd.unmapped[v] = 1
	rd.order = append(rd.order, v)
}

// Finish returns the report, with the unmapped values most frequent first.
func (rd *Reader) Finish() *kpi.Health {
	h := rd.Health
	h.Unmapped = make([]kpi.Unmapped, 0, len(rd.order))
	for _, v := range rd.order {
		h.Unmapped = append(h.Unmapped, kpi.Unmapped{Value: v, Rows: rd.unmapped[v]})
	}
	slices.SortStableFunc(h.Unmapped, func(a, b kpi.Unmapped) int { return int(min(max(b.Rows-a.Rows, -1), 1)) })
	return &h
}

// Cut returns s cut to at most n bytes, at a rune boundary, with "…" when
// it was cut.
func Cut(s string, n int) string {
	if len(s) <= n {
		return strings.Clone(s)
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return strings.Clone(s[:i]) + "…"
}
