package crmcsv

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"math/bits"
	"unicode/utf8"
)

// scanner splits a CSV input into records the way encoding/csv reads it
// with a variable number of fields, no comment character, no trimming and
// strict quotes: records end at a line feed, a carriage return before it
// is dropped (also inside quoted fields), blank lines are skipped, a
// quoted field may hold separators, doubled quotes and line breaks, and a
// quote inside an unquoted field or after a closing quote is an error,
// whose record is dropped up to the end of the line where it was found.
//
// It differs from encoding/csv in cost only: a record without a quote is
// split where it lies in the bufio buffer, and a quoted one is unquoted
// into a buffer kept from record to record, so reading allocates nothing
// per record. The fields of a record are valid until the next call of
// next.
type scanner struct {
	br    *bufio.Reader
	comma []byte // the separator, UTF-8 encoded
	long  []byte // a line longer than br's buffer, put together
	buf   []byte // the unquoted fields of a record with a quote
	rec   []byte // the bytes the fields of the current record point into
	ends  []int  // field i is rec[ends[2i]:ends[2i+1]]
	ascii bool   // the current record has only ASCII bytes
	lines int64  // lines read so far
	start int64  // the line the current record starts on
}

func newScanner(br *bufio.Reader, comma rune) *scanner {
	return &scanner{br: br, comma: utf8.AppendRune(nil, comma)}
}

// line reads the next line, with a CRLF ending turned into LF and a
// carriage return just before the end of the input left out. It returns
// io.EOF only when nothing was left to read.
func (s *scanner) line() ([]byte, error) {
	l, err := s.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		s.long = append(s.long[:0], l...)
		for errors.Is(err, bufio.ErrBufferFull) {
			l, err = s.br.ReadSlice('\n')
			s.long = append(s.long, l...)
		}
		l = s.long
	}
	if len(l) == 0 {
		return nil, err
	}
	s.lines++
	n := len(l)
	switch {
	case errors.Is(err, io.EOF):
		err = nil
		if l[n-1] == '\r' {
			l = l[:n-1]
		}
	case n >= 2 && l[n-2] == '\r' && l[n-1] == '\n':
		l[n-2] = '\n'
		l = l[:n-1]
	}
	return l, err
}

// next reads the next record. It returns io.EOF at the end of the input,
// a *csv.ParseError (ErrQuote or ErrBareQuote) for a record it drops, and
// any other error of the underlying reader.
func (s *scanner) next() error {
	if len(s.comma) == 1 && s.buffered() {
		return nil
	}
	var l []byte
	for {
		var err error
		if l, err = s.line(); err != nil {
			return err
		}
		if len(l) > 1 || len(l) == 1 && l[0] != '\n' {
			break
		}
	}
	s.start = s.lines
	s.ends = s.ends[:0]
	body := l[:len(l)-newline(l)]
	switch {
	case len(s.comma) == 1:
		if s.splitByte(body) {
			s.rec = l
			return nil
		}
		s.ends = s.ends[:0] // a quote: start again
	case bytes.IndexByte(l, '"') < 0:
		s.rec, s.ascii = l, ascii(l)
		s.split(body)
		return nil
	}
	if err := s.quoted(l); err != nil {
		return err
	}
	s.ascii = ascii(s.rec)
	return nil
}

// buffered reads the next record, when it is a whole line without a
// quote already in br's buffer, and reports whether it did. It skips the
// blank lines before it. It leaves anything else, and a line its search
// does not reach, to next's reading line by line.
func (s *scanner) buffered() bool {
	for {
		b, _ := s.br.Peek(s.br.Buffered())
		end, ok := s.splitLine(b)
		if !ok {
			return false
		}
		s.lines++
		if end == 0 || end == 1 && b[0] == '\r' {
			_, _ = s.br.Discard(end + 1) // a blank line
			continue
		}
		s.start, s.rec = s.lines, b[:end+1]
		_, _ = s.br.Discard(end + 1)
		return true
	}
}

// splitLine is splitByte for the first line of b, found in the same pass
// as its separators: the same test finds the line feed, and the fields
// of the line end before it (and before a carriage return just before
// it). It returns the line feed's position and true, or false when b has
// no line feed, or a quote comes before it.
func (s *scanner) splitLine(b []byte) (int, bool) {
	const low7, ones, tops = 0x7f7f7f7f7f7f7f7f, 0x0101010101010101, 0x8080808080808080
	zeros := func(m uint64) uint64 { return ^(((m & low7) + low7) | m | low7) }
	c := s.comma[0]
	pattern, quotes, lfs := uint64(c)*ones, uint64('"')*ones, uint64('\n')*ones
	s.ends = s.ends[:0]
	from, i, end := 0, 0, -1
	var high uint64
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		q, cm := zeros(w^quotes), zeros(w^pattern)
		if lf := zeros(w ^ lfs); lf != 0 {
			below := lf&-lf - 1 // the bytes before the first line feed, and its low bits
			if q&below != 0 {
				return 0, false
			}
			high |= w & below
			cm &= below
			end = i + bits.TrailingZeros64(lf)>>3
		} else if q != 0 {
			return 0, false
		} else {
			high |= w
		}
		for ; cm != 0; cm &= cm - 1 {
			j := i + bits.TrailingZeros64(cm)>>3
			s.ends = append(s.ends, from, j)
			from = j + 1
		}
		if end >= 0 {
			break
		}
	}
	for ; end < 0 && i < len(b); i++ {
		switch b[i] {
		case c:
			s.ends = append(s.ends, from, i)
			from = i + 1
		case '"':
			return 0, false
		case '\n':
			end = i
		}
		high |= uint64(b[i])
	}
	if end < 0 {
		return 0, false
	}
	last := end
	if end > 0 && b[end-1] == '\r' {
		last--
	}
	s.ends = append(s.ends, from, last)
	s.ascii = high&tops == 0
	return end, true
}

// newline is 1 when l ends in a line feed, else 0.
func newline(l []byte) int {
	if len(l) > 0 && l[len(l)-1] == '\n' {
		return 1
	}
	return 0
}

// index returns the position of the first separator in b, or −1.
func (s *scanner) index(b []byte) int {
	if len(s.comma) == 1 {
		return bytes.IndexByte(b, s.comma[0])
	}
	return bytes.Index(b, s.comma)
}

// split records the fields of b, a record with no quote (s.rec's body),
// whose separator has more than one byte.
func (s *scanner) split(b []byte) {
	off := 0
	for {
		i := s.index(b)
		if i < 0 {
			s.ends = append(s.ends, off, off+len(b))
			return
		}
		s.ends = append(s.ends, off, off+i)
		b = b[i+len(s.comma):]
		off += i + len(s.comma)
	}
}

// splitByte is split for a one-byte separator c, in the same pass
// looking for quotes and bytes that are not ASCII: it reports false, with
// the fields it found so far, at the first quote, and otherwise sets
// s.ascii. Fields are short, so rather than call bytes.IndexByte for each
// it looks at eight bytes at a time: with m the word xor c in every byte,
// a byte of m is zero exactly where the word holds c, and
//
//	^(((m & 0x7f…7f) + 0x7f…7f) | m | 0x7f…7f)
//
// sets the top bit of exactly those bytes (the sum sets a byte's top bit
// when its low seven bits are not all zero, and cannot carry across
// bytes), whose positions are the trailing zeros. The same with the quote
// finds quotes, and the words or-ed together hold a top bit set where a
// byte is not ASCII.
func (s *scanner) splitByte(b []byte) bool {
	const low7, ones = 0x7f7f7f7f7f7f7f7f, 0x0101010101010101
	c, from, i := s.comma[0], 0, 0
	pattern, quotes := uint64(c)*ones, uint64('"')*ones
	var high uint64
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if q := w ^ quotes; ^(((q & low7) + low7) | q | low7) != 0 {
			return false
		}
		high |= w
		m := w ^ pattern
		for z := ^(((m & low7) + low7) | m | low7); z != 0; z &= z - 1 {
			j := i + bits.TrailingZeros64(z)>>3
			s.ends = append(s.ends, from, j)
			from = j + 1
		}
	}
	for ; i < len(b); i++ {
		switch b[i] {
		case c:
			s.ends = append(s.ends, from, i)
			from = i + 1
		case '"':
			return false
		}
		high |= uint64(b[i])
	}
	s.ends = append(s.ends, from, len(b))
	s.ascii = high&0x8080808080808080 == 0
	return true
}

// quoted reads a record that has a quote in its first line l, unquoting
// its fields into s.buf.
func (s *scanner) quoted(l []byte) error {
	s.buf = s.buf[:0]
	col := 1 // the byte column in the current line, from 1, for errors
	for {
		if len(l) == 0 || l[0] != '"' {
			f := l
			i := s.index(l)
			if i >= 0 {
				f = l[:i]
			} else {
				f = l[:len(l)-newline(l)]
			}
			if j := bytes.IndexByte(f, '"'); j >= 0 {
				return s.parseError(col+j, csv.ErrBareQuote)
			}
			s.ends = append(s.ends, len(s.buf), len(s.buf)+len(f))
			s.buf = append(s.buf, f...)
			if i < 0 {
				s.rec = s.buf
				return nil
			}
			l = l[i+len(s.comma):]
			col += i + len(s.comma)
			continue
		}
		var err error
		var end bool
		if l, col, end, err = s.field(l[1:], col+1); err != nil {
			return err
		}
		if end {
			s.rec = s.buf
			return nil
		}
	}
}

// field unquotes a quoted field whose opening quote ends before l, at
// column col, reading more lines while the field goes on. It returns what
// follows the field's separator and whether the record ended with it.
func (s *scanner) field(l []byte, col int) (rest []byte, at int, end bool, err error) {
	from := len(s.buf)
	line := s.lines
	for {
		i := bytes.IndexByte(l, '"')
		if i < 0 {
			if len(l) == 0 {
				// The input ended inside the quotes.
				e := &csv.ParseError{StartLine: int(s.start), Line: int(line), Column: col, Err: csv.ErrQuote}
				return nil, 0, false, e
			}
			s.buf = append(s.buf, l...)
			col += len(l)
			next, err := s.line()
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, 0, false, err
			}
			if len(next) > 0 {
				line, col = s.lines, 1
			}
			l = next
			continue
		}
		s.buf = append(s.buf, l[:i]...)
		l, col = l[i+1:], col+i+1
		switch {
		case len(l) > 0 && l[0] == '"':
			s.buf = append(s.buf, '"')
			l, col = l[1:], col+1
		case bytes.HasPrefix(l, s.comma):
			s.ends = append(s.ends, from, len(s.buf))
			return l[len(s.comma):], col + len(s.comma), false, nil
		case len(l) == newline(l):
			s.ends = append(s.ends, from, len(s.buf))
			return nil, col, true, nil
		default:
			return nil, 0, false, s.parseError(col-1, csv.ErrQuote)
		}
	}
}

func (s *scanner) parseError(col int, err error) error {
	return &csv.ParseError{StartLine: int(s.start), Line: int(s.lines), Column: col, Err: err}
}

// fields returns the number of fields of the current record.
func (s *scanner) fields() int { return len(s.ends) / 2 }

// at returns field i of the current record.
func (s *scanner) at(i int) []byte { return s.rec[s.ends[2*i]:s.ends[2*i+1]] }
