package fix_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/kpiflow/kpi/internal/apicheck/testdata/full"
	"github.com/kpiflow/kpi/internal/apicheck/testdata/full/sub"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMap(t *testing.T) {
	tests := []struct {
		name string
		in   []int
	}{{"one", []int{1}}, {"two", []int{1, 2}}}
	for _, tc := range tests {
		got := fix.Map[int](tc.in, fix.Twice)
		assert.Len(t, got, len(tc.in))
		assert.Equal(t, sub.First, fix.Twice(1)/2)
	}
}

func TestKey(t *testing.T) {
	key := fix.Pair[string, int].Key
	for _, p := range []fix.Alias{{K: "a"}, {K: "b"}} {
		assert.Equal(t, p.K, fix.Pair[string, int].Key(p))
		assert.Equal(t, p.K, key(p))
	}
}

func TestJSON(t *testing.T) {
	for _, d := range []fix.Doc{{N: 1}, {N: 2}} {
		b, err := json.Marshal(d)
		require.NoError(t, err)
		var back fix.Doc
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, d, back)
	}
}

func ExampleMap() {
	fmt.Println(fix.Map([]int{1, 2}, fix.Twice))
	// Output: [2 4]
}

func ExamplePair_Key() {
	fmt.Println(fix.Pair[string, int]{K: "k"}.Key())
	// Output: k
}

func ExampleDoc_MarshalJSON() {
	b, _ := json.Marshal(map[string][]fix.Doc{"docs": {{N: 3}}})
	fmt.Println(string(b))
	// Output: {"docs":[{"n":3}]}
}

func ExampleDoc_UnmarshalJSON() {
	var d fix.Doc
	_ = json.Unmarshal([]byte(`{"n":4}`), &d)
	fmt.Println(d.N)
	// Output: 4
}
