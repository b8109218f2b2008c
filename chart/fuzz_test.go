package chart_test

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/funnel"
)

// FuzzFunnel draws any funnel that funnel.New accepts, with any stage
// name and target: the chart is drawn or refused with ErrInvalid, and
// what is drawn parses as XML.
func FuzzFunnel(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0x2e, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0xf0}, "MQL", 0.4, 0.0)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1}, `<&"x">`, 1.0, 600.0)
	f.Add([]byte{}, "\x00\xff\u2028", -1.0, -3.0)
	f.Fuzz(func(t *testing.T, data []byte, name string, target, width float64) {
		var stages []funnel.Stage
		prev := int64(1) << 62
		for i := 0; i+8 <= len(data) && len(stages) < 12; i += 8 {
			c := int64(binary.LittleEndian.Uint64(data[i:]) & (1<<62 - 1))
			c = min(c, prev)
			prev = c
			stages = append(stages, funnel.Stage{Name: name + string(rune('A'+len(stages))), Count: c})
		}
		if len(stages) < 2 {
			stages = append(stages, funnel.Stage{Name: name + "1", Count: 10}, funnel.Stage{Name: name + "2", Count: 3})
		}
		fn, err := funnel.New(stages...)
		if err != nil {
			return
		}
		var b bytes.Buffer
		err = chart.Funnel(&b, fn, funnel.Targets{stages[1].Name: target}, chart.Options{Width: width, Title: name})
		if err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		_, err = parse(b.Bytes())
		require.NoError(t, err)
	})
}

// FuzzRetention draws cohort tables of any shape and counts, built by
// hand so that they reach the chart unchecked: drawn or refused with
// ErrInvalid, and what is drawn parses as XML.
func FuzzRetention(f *testing.F) {
	f.Add(uint8(4), uint8(4), int64(10), []byte{10, 8, 7, 6})
	f.Add(uint8(1), uint8(0), int64(0), []byte{})
	f.Add(uint8(30), uint8(24), int64(-5), []byte{255, 0, 3})
	f.Fuzz(func(t *testing.T, rows, ages uint8, size int64, active []byte) {
		tab := &cohort.Table{Grain: cohort.Grain(rows % 4)}
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range int(rows % 40) {
			c := cohort.Cohort{Start: start.AddDate(0, i, 0), Size: size}
			for a := range int(ages%30) - i {
				v := int64(1)
				if len(active) > 0 {
					v = int64(active[(i+a)%len(active)])
				}
				c.Cells = append(c.Cells, cohort.Cell{Active: v, Survivors: v, Revenue: decimal.NewFromInt(v)})
			}
			tab.Cohorts = append(tab.Cohorts, c)
		}
		var b bytes.Buffer
		if err := chart.Retention(&b, tab, chart.Options{}); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		_, err := parse(b.Bytes())
		require.NoError(t, err)
	})
}
