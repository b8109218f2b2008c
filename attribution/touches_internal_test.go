package attribution

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// viaAdd rebuilds js journey by journey through Journeys.Add, the
// reference for what ReadTouches writes straight into its Journeys.
func viaAdd(t *testing.T, js *Journeys) *Journeys {
	t.Helper()
	ref := &Journeys{}
	for i := range js.Len() {
		j := Journey{Touches: js.touches(i, nil), Conversions: js.conv[i], Value: js.decimalValue(i), Nulls: js.nulls[i]}
		require.NoError(t, ref.Add(j))
	}
	return ref
}

// sameAsAdd checks that ReadTouches' journeys of in encode as the same
// journeys added one by one do.
func sameAsAdd(t *testing.T, in string, c TouchLog) {
	t.Helper()
	js, h, err := ReadTouches(strings.NewReader(in), c)
	if err != nil {
		return
	}
	assert.Equal(t, h.Read, h.Used+h.Rejected)
	got, err := js.MarshalBinary()
	require.NoError(t, err)
	want, err := viaAdd(t, js).MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// TestReadTouchesAsAdd checks ReadTouches' journeys against Journeys.Add
// on logs with channels, UTM values, values read by either parser, and
// conversions with and without touches.
func TestReadTouchesAsAdd(t *testing.T) {
	tests := []struct {
		name string
		in   string
		c    TouchLog
	}{
		{"UTM", "id,utm_source,utm_medium,time,conversion,value\n" +
			"a,google,cpc,2025-01-01,,\n" +
			"a,hubspot,email,2025-01-02,1,1250.00\n" +
			"b,(direct),(none),2025-01-02,,\n" +
			"a,google,cpc,2025-01-03,,\n" +
			"c,x,y,2025-01-01,1,123456789012345678901234.5\n" +
			"c,,,2025-02-01,yes,0.000\n", TouchLog{}},
		{"channels", "id,channel,time,conversion,value\n" +
			"1,ads,1735689600,,\n1,ads,1735689600,,\n1,,1735689700,1,+.5\n2,web,1735689600,1,\n", TouchLog{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sameAsAdd(t, tc.in, tc.c)
		})
	}
}

// TestReadTouchesBlocks reads logs of several blocks of rows, with
// entities across the blocks' ends, in order and out of it, and checks
// them against Journeys.Add and against each other: the same journeys
// whatever the order of the rows.
func TestReadTouchesBlocks(t *testing.T) {
	var grouped, shuffled strings.Builder
	const head = "id,channel,time,conversion,value\n"
	grouped.WriteString(head)
	shuffled.WriteString(head)
	const entities, each = 1500, 7 // 10 500 rows: two blocks and a half
	for e := range entities {
		for k := range each {
			conv, value := "", ""
			if k == each-1 && e%3 == 0 {
				conv, value = "1", fmt.Sprintf("%d.%02d", e, k)
			}
			fmt.Fprintf(&grouped, "e%d,ch%d,%d,%s,%s\n", e, (e+k)%5, 1735689600+86400*k, conv, value)
		}
	}
	for k := range each {
		for e := range entities {
			conv, value := "", ""
			if k == each-1 && e%3 == 0 {
				conv, value = "1", fmt.Sprintf("%d.%02d", e, k)
			}
			fmt.Fprintf(&shuffled, "e%d,ch%d,%d,%s,%s\n", e, (e+k)%5, 1735689600+86400*k, conv, value)
		}
	}
	tests := []struct {
		name, in string
	}{{"grouped", grouped.String()}, {"by time", shuffled.String()}}
	var encoded [][]byte
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sameAsAdd(t, tc.in, TouchLog{})
			js, h, err := ReadTouches(strings.NewReader(tc.in), TouchLog{})
			require.NoError(t, err)
			assert.Equal(t, int64(entities*each), h.Used)
			assert.Equal(t, int64(entities/3), js.Conversions())
			b, err := js.MarshalBinary()
			require.NoError(t, err)
			encoded = append(encoded, b)
		})
	}
	require.Len(t, encoded, 2)
	assert.Equal(t, encoded[0], encoded[1], "the same journeys in both orders")
}

// FuzzReadTouchesAsAdd checks ReadTouches against Journeys.Add on any log.
func FuzzReadTouchesAsAdd(f *testing.F) {
	f.Add("id,utm_source,utm_medium,time,conversion,value\na,google,cpc,2025-01-01,,\na,x,email,2025-01-02,1,9.90\n")
	f.Add("id,channel,time,conversion,value\n1,a,1735689600000,1,9.99\n1,,2025-01-01,1,1e3\n")
	f.Fuzz(func(t *testing.T, in string) {
		sameAsAdd(t, in, TouchLog{})
	})
}
