package funnel_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kpiflow/kpi/funnel"
)

// The tables' intervals are Wilson's at 95 %, R's prop.test(x, n, correct =
// FALSE)$conf.int: 96 of 240 gives [0.34010, 0.46307]; 0 of 10 gives
// [0, 0.27753]; 3 of 3 gives [0.43849, 1].
func TestFunnel_String(t *testing.T) {
	tests := []struct {
		name string
		f    *funnel.Funnel
		want string
	}{
		{"two stages", counts(t, three[:2], 240, 96), "" +
			"stage  count     step  95% Wilson CI     cumulative  drop-off\n" +
			"Lead     240\n" +
			"MQL       96   40.00%  [34.01%, 46.31%]      40.00%  144 (60.00%)\n"},
		{"runs dry", counts(t, three, 10, 0, 0), "" +
			"stage  count     step  95% Wilson CI     cumulative  drop-off\n" +
			"Lead      10\n" +
			"MQL        0    0.00%  [ 0.00%, 27.75%]       0.00%  10 (100.00%)\n" +
			"SQL        0        -  -                      0.00%  -\n"},
		{"long names, all through", counts(t, []string{"Sales accepted lead", "Won"}, 3, 3), "" +
			"stage                count     step  95% Wilson CI     cumulative  drop-off\n" +
			"Sales accepted lead      3\n" +
			"Won                      3  100.00%  [43.85%, 100.00%]     100.00%  0 (0.00%)\n"},
		{"empty", counts(t, three[:2], 0, 0), "" +
			"stage  count     step  95% Wilson CI     cumulative  drop-off\n" +
			"Lead       0\n" +
			"MQL        0        -  -                          -  -\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.f.String())
		})
	}
}

// failWriter accepts n bytes and then fails.
type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestFunnel_WriteTo(t *testing.T) {
	f := counts(t, three, 240, 96, 40)
	table := f.String()
	tests := []struct {
		name  string
		limit int
		n     int64
		err   string
	}{
		{"all written", 1 << 20, int64(len(table)), ""},
		{"writer fails", 10, 10, "disk full"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := &failWriter{n: tc.limit}
			n, err := f.WriteTo(w)
			assert.Equal(t, tc.n, n)
			if tc.err == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tc.err)
			}
		})
	}
	var b strings.Builder
	_, _ = f.WriteTo(&b)
	assert.Equal(t, table, b.String())
}
