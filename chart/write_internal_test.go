package chart

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFamilyWriter feeds documents to the family writer in pieces of
// every size, so that the family is cut at every place: what comes out
// must be bytes.ReplaceAll of the whole (the independent reference).
func TestFamilyWriter(t *testing.T) {
	fam := string(family)
	tests := []struct {
		name string
		doc  string
	}{
		{"none", "<svg><text>font-famil</text></svg>"},
		{"one", "<text style=\"" + fam + "font-size:9px\">a</text>"},
		{"adjacent", fam + fam + "f" + fam},
		{"ends with a prefix", "<svg>" + fam + "x" + fam[:7]},
		{"empty", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := strings.ReplaceAll(tc.doc, fam, string(families))
			for size := 1; size <= len(tc.doc)+1; size++ {
				var out bytes.Buffer
				fw := &familyWriter{w: &out}
				for doc := []byte(tc.doc); len(doc) > 0; {
					k := min(size, len(doc))
					n, err := fw.Write(doc[:k])
					require.NoError(t, err)
					require.Equal(t, k, n)
					doc = doc[k:]
				}
				require.NoError(t, fw.flush())
				assert.Equal(t, want, out.String(), "pieces of %d bytes", size)
			}
		})
	}
}
