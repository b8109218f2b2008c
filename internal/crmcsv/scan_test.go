package crmcsv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// record is what one read gives: the fields and start line of a record,
// or the parse error that dropped one.
type record struct {
	Fields []string
	Line   int
	Err    string
}

// withCSV reads in with encoding/csv as the scanner is meant to: a
// variable number of fields, strict quotes, no trimming or comments.
func withCSV(t *testing.T, in string, comma rune) []record {
	t.Helper()
	cr := csv.NewReader(strings.NewReader(in))
	cr.Comma, cr.FieldsPerRecord = comma, -1
	var out []record
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			var pe *csv.ParseError
			require.ErrorAs(t, err, &pe)
			out = append(out, record{Line: pe.StartLine, Err: pe.Error()})
			continue
		}
		line, _ := cr.FieldPos(0)
		out = append(out, record{Fields: rec, Line: line})
	}
}

// withScanner reads in with the scanner over a bufio buffer of size.
func withScanner(t *testing.T, in string, comma rune, size int) []record {
	t.Helper()
	s := newScanner(bufio.NewReaderSize(strings.NewReader(in), size), comma)
	var out []record
	for {
		err := s.next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			var pe *csv.ParseError
			require.ErrorAs(t, err, &pe)
			out = append(out, record{Line: pe.StartLine, Err: pe.Error()})
			continue
		}
		rec := make([]string, s.fields())
		for i := range rec {
			rec[i] = string(s.at(i))
		}
		out = append(out, record{Fields: rec, Line: int(s.start)})
	}
}

// TestScanner checks the scanner against encoding/csv (the standard
// library's reader is the reference): the same records, start lines and
// errors, with positions, for each input and separator, over a large and
// a minimal bufio buffer (which puts long lines together).
func TestScanner(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		comma rune
	}{
		{"plain", "a,b,c\n1,2,3\n", ','},
		{"no final line end", "a,b\n1,2", ','},
		{"CRLF", "a,b\r\n1,2\r\n", ','},
		{"CR at the end", "a,b\r", ','},
		{"lone CR inside", "a,b\rc\n", ','},
		{"blank lines", "\n\na,b\n\n\r\n1,2\n\n", ','},
		{"empty fields", ",,\n,\n", ','},
		{"quoted", "\"a,b\",\"c\"\"d\",e\n", ','},
		{"quoted over lines", "x,\"one\r\ntwo\nthree\",y\nz,w\n", ','},
		{"quoted then empty", "\"a\",\n", ','},
		{"quoted at EOF", "\"a\"", ','},
		{"bare quote", "a,b\"c\nd,e\n", ','},
		{"extraneous quote", "\"a\"b,c\nd,e\n", ','},
		{"unterminated", "a,\"b\nc\n", ','},
		{"unterminated on one line", "\"abc", ','},
		{"quote after a quoted line", "\"a\nb\"x\nc,d\n", ','},
		{"semicolon", "a;\"b;c\";d\n", ';'},
		{"tab", "a\tb\n\"c\td\"\te\n", '\t'},
		{"multi-byte separator", "a§b§\"c§d\"\n§\n", '§'},
		{"separators in words", ",,,,,,,,,,a,bb,ccc,dddd,eeeee,ffffff,ggggggg,hhhhhhhh,\xac\x2c\x2d\xad,+,-\n\x00,\x01\x2c\x7f,\xff,,\x80\n", ','},
		{"long line", strings.Repeat("x", 100) + ",\"" + strings.Repeat("y", 70) + "\"\n1,2\n", ','},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := withCSV(t, tc.in, tc.comma)
			assert.Equal(t, want, withScanner(t, tc.in, tc.comma, 1<<16))
			assert.Equal(t, want, withScanner(t, tc.in, tc.comma, 16))
		})
	}
}

// FuzzScanner checks the scanner against encoding/csv on any input, of at
// most 512 bytes: more reach nothing new, and slow Go's minimiser, which
// is quadratic in the input's length.
func FuzzScanner(f *testing.F) {
	f.Add("a,b\r\n\"c\r\nd\",\"e\"\"f\"\n\ng\"h,i\n\"j\"k\n\"l", uint8(0))
	f.Add("x;\"y;z\"\r\r\n;\"", uint8(1))
	f.Add("\"§\"§§\n", uint8(3))
	f.Fuzz(func(t *testing.T, in string, sep uint8) {
		in = in[:min(len(in), 512)]
		comma := []rune{',', ';', '\t', '§'}[sep%4]
		want := withCSV(t, in, comma)
		assert.Equal(t, want, withScanner(t, in, comma, 1<<16))
		assert.Equal(t, want, withScanner(t, in, comma, 16))
	})
}
