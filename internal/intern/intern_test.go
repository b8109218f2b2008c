package intern

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNames looks names up in a given order and checks each id against
// the order of first appearance, counted by hand.
func TestNames(t *testing.T) {
	tests := []struct {
		name  string
		in    []string
		ids   []int32
		added []bool
		all   []string
	}{
		{"empty", nil, nil, nil, nil},
		{"repeats together", []string{"a", "a", "b", "b"}, []int32{0, 0, 1, 1}, []bool{true, false, true, false}, []string{"a", "b"}},
		{"repeats apart", []string{"x", "y", "x", "", "y", ""}, []int32{0, 1, 0, 2, 1, 2}, []bool{true, true, false, true, false, false}, []string{"x", "y", ""}},
		{"sorted, then not", []string{"9", "10", "11", "10", "2", "12"}, []int32{0, 1, 2, 1, 3, 4}, []bool{true, true, true, false, true, true}, []string{"9", "10", "11", "2", "12"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s, b Names
			for i, name := range tc.in {
				id, added := s.ID(name)
				assert.Equal(t, tc.ids[i], id, "ID(%q)", name)
				assert.Equal(t, tc.added[i], added, "ID(%q)", name)
				id, added = b.IDBytes([]byte(name))
				assert.Equal(t, tc.ids[i], id, "IDBytes(%q)", name)
				assert.Equal(t, tc.added[i], added, "IDBytes(%q)", name)
			}
			assert.Equal(t, len(tc.all), s.Len())
			assert.Equal(t, tc.all, s.All())
			for id, name := range tc.all {
				assert.Equal(t, name, s.Name(int32(id)))
			}
		})
	}
}

// TestNamesGrow adds enough names to grow the table many times, sorted
// (no index until the end) or with lookups of old names in between (the
// index from the second name on), and finds every name again.
func TestNamesGrow(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		lookups  bool
		unsorted bool // once all are added
	}{
		{"sorted", 100_000, false, false},
		{"sorted, then looked up", 31, true, true},
		{"grown", 100_000, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n Names
			for i := range tc.n {
				id, added := n.ID("c" + strconv.Itoa(i)) // c9 < c10: shorter first
				require.True(t, added)
				require.Equal(t, int32(i), id)
				if tc.lookups {
					old, added := n.IDBytes([]byte("c" + strconv.Itoa(i/2)))
					require.False(t, added)
					require.Equal(t, int32(i/2), old)
				}
			}
			assert.Equal(t, tc.n, n.Len())
			assert.Equal(t, tc.unsorted, n.unsorted)
			for i := range tc.n {
				id, added := n.ID("c" + strconv.Itoa(i))
				assert.False(t, added)
				assert.Equal(t, int32(i), id)
			}
			assert.True(t, n.unsorted || tc.n == 1)
			assert.LessOrEqual(t, 2*n.Len(), len(n.slots), "at most half full")
		})
	}
}

// TestNamesNoAlloc checks that looking up known names allocates nothing.
func TestNamesNoAlloc(t *testing.T) {
	var n Names
	names := [][]byte{[]byte("alpha"), []byte("beta"), []byte("gamma")}
	for _, b := range names {
		n.IDBytes(b)
	}
	tests := []struct {
		name string
		f    func()
	}{
		{"bytes", func() {
			for _, b := range names {
				n.IDBytes(b)
			}
		}},
		{"string", func() {
			for _, s := range []string{"alpha", "beta", "gamma"} {
				n.ID(s)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Zero(t, testing.AllocsPerRun(100, tc.f))
		})
	}
}

// FuzzNames checks the table against a Go map on any list of names.
func FuzzNames(f *testing.F) {
	f.Add("a,b,a,,c,b")
	f.Fuzz(func(t *testing.T, in string) {
		var n Names
		ref := map[string]int32{}
		start := 0
		for i := 0; i <= len(in); i++ {
			if i < len(in) && in[i] != ',' {
				continue
			}
			name := in[start:i]
			start = i + 1
			want, known := ref[name]
			if !known {
				want = int32(len(ref))
				ref[name] = want
			}
			id, added := n.IDBytes([]byte(name))
			assert.Equal(t, want, id)
			assert.Equal(t, !known, added)
		}
		assert.Equal(t, len(ref), n.Len())
	})
}

// TestNamesKeep adds names from a buffer that is overwritten afterwards,
// short ones (copied into shared chunks, enough of them to fill several)
// and long ones (allocated on their own), and checks that every name kept
// is the one added and that no two share bytes by mistake.
func TestNamesKeep(t *testing.T) {
	long := string(make([]byte, arenaChunk/16+1))
	tests := []struct {
		name  string
		names []string
	}{
		{"short, over several chunks", func() []string {
			var s []string
			for i := range 3 * arenaChunk / 6 {
				s = append(s, strconv.Itoa(100000+i))
			}
			return s
		}()},
		{"long and empty between short", []string{"a", long, "", "b" + long, "c"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n Names
			buf := make([]byte, 0, 2*arenaChunk)
			for _, name := range tc.names {
				buf = append(buf[:0], name...)
				_, added := n.IDBytes(buf)
				require.True(t, added)
				for i := range buf {
					buf[i] = '#' // the caller reuses its bytes
				}
			}
			assert.Equal(t, tc.names, n.All())
		})
	}
}
