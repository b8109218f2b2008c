package attribution

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// recorder keeps the shares a rule-based model gives each converting
// journey's touches, in the order the model weighs them.
type recorder struct {
	journey []int32   // the journey
	off     []int     // its touches' shares are ch/w[off[k]:off[k+1]]
	ch      []int32   // channel id
	w       []float64 // share
}

// add records the shares w of journey i's touches p.
func (rc *recorder) add(i int, p []int32, w []float64) {
	if len(rc.off) == 0 {
		rc.off = append(rc.off, 0)
	}
	rc.journey = append(rc.journey, int32(i))
	rc.ch = append(rc.ch, p...)
	rc.w = append(rc.w, w...)
	rc.off = append(rc.off, len(rc.ch))
}

// ruleReplicates draws the replicates of one of the package's models that
// go through Journeys.rule: it runs the model once on a view of js that
// records each journey's shares, then each replicate rescales them by its
// draws.
func ruleReplicates(m Model, js *Journeys, rows *rows, reps int) (*replicates, error) {
	view := *js
	view.rec = &recorder{}
	if _, err := m.Attribute(&view); err != nil {
		return nil, err
	}
	rc := view.rec
	at := make([]int32, js.Len()) // journey → its row
	for k, i := range rows.order {
		at[i] = int32(k)
	}
	// Each record's row, key, conversions and mean value, in the order
	// of the records, for the replicates to read in sequence.
	keys := make([]uint64, len(rc.journey))
	convs := make([]int64, len(rc.journey))
	means := make([]float64, len(rc.journey))
	for r, i := range rc.journey {
		k := at[i]
		keys[r], convs[r], means[r] = rows.key[k], rows.conv[k], rows.mean[k]
	}
	rank := js.ranks()
	nch := len(js.names)
	d := newReplicates(nch, reps, false)
	ok := make([]bool, reps)
	// A block of replicates goes through the recorded shares at once: the
	// shares are read once per block, not once per replicate.
	type scratch struct {
		conv, val []float64 // [channel·block + replicate in block]
	}
	pool := make([]*scratch, poolSize(blocks(reps)))
	workers(blocks(reps), func(w, blk int) {
		sc := pool[w]
		if sc == nil {
			sc = &scratch{conv: make([]float64, nch*block), val: make([]float64, nch*block)}
			pool[w] = sc
		}
		clear(sc.conv)
		clear(sc.val)
		b0 := blk * block
		nb := min(block, reps-b0)
		var total [block]int64
		var f, v [block]float64
		for r := range rc.journey {
			drawn := false
			for x := range nb {
				cs := draw(keys[r], b0+x, 0, convs[r])
				total[x] += cs
				f[x] = float64(cs)
				v[x] = means[r] * f[x]
				drawn = drawn || cs > 0
			}
			if !drawn {
				continue
			}
			for t := rc.off[r]; t < rc.off[r+1]; t++ {
				base, wt := int(rc.ch[t])*block, rc.w[t]
				conv, val := sc.conv[base:base+block:base+block], sc.val[base:base+block:base+block]
				for x := range nb {
					conv[x] += f[x] * wt
					val[x] += v[x] * wt
				}
			}
		}
		for x := range nb {
			if total[x] == 0 {
				continue
			}
			b := b0 + x
			for id := range nch {
				ch := rank[id]
				d.conv[ch][b] = sc.conv[id*block+x]
				d.share[ch][b] = sc.conv[id*block+x] / float64(total[x])
				d.valu[ch][b] = sc.val[id*block+x]
			}
			ok[b] = true
		}
	})
	d.pack(ok)
	return d, nil
}

// block is the number of replicates the bootstrap draws in one pass over
// the journeys.
const block = 8

// blocks is the number of blocks of reps replicates.
func blocks(reps int) int { return (reps + block - 1) / block }

// anyReplicates draws the replicates of any model by building each
// replicate's journeys and attributing them, one replicate after another.
func anyReplicates(m Model, js *Journeys, rows *rows, reps int) (*replicates, error) {
	names := slices.Clone(js.names)
	slices.Sort(names)
	d := newReplicates(len(names), reps, false)
	ok := make([]bool, reps)
	var touches []Touch
	for b := range reps {
		var rep Journeys
		for k, i32 := range rows.order {
			i := int(i32)
			cs := draw(rows.key[k], b, 0, js.conv[i])
			ns := draw(rows.key[k], b, 1, js.nulls[i])
			if cs+ns == 0 {
				continue
			}
			touches = js.touches(i, touches[:0])
			j := Journey{Touches: touches, Conversions: cs, Nulls: ns}
			if cs > 0 {
				j.Value = js.decimalValue(i).Mul(decimal.NewFromInt(cs)).DivRound(decimal.NewFromInt(js.conv[i]), js.places)
			}
			if err := rep.Add(j); err != nil {
				return nil, err
			}
		}
		if rep.convSum == 0 {
			continue
		}
		r, err := m.Attribute(&rep)
		if errors.Is(err, kpi.ErrUndefined) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := checkResult("attribution.Bootstrap.Attribute", fmt.Sprintf("Model's result in replicate %d", b), r, names, false); err != nil {
			return nil, err
		}
		for _, c := range r.Credits {
			ch, _ := slices.BinarySearch(names, c.Channel)
			d.conv[ch][b] = c.Conversions
			// The replicate's own conversions, not the model's Conversions,
			// which a model of the caller's may leave 0.
			d.share[ch][b] = c.Conversions / float64(rep.convSum)
			d.valu[ch][b] = c.Value.InexactFloat64()
		}
		ok[b] = true
	}
	d.pack(ok)
	return d, nil
}

// checkResult checks a result of a Model against the contract of Result
// that the bootstrap relies on to index its replicates by channel: not
// nil, credits sorted by channel name, one each, every channel one of
// names (sorted), and all of them when all is set; conversions finite and
// not negative, values not negative and within the bound on money. A
// model of the caller's may break it; the models of this package do not.
func checkResult(fn, what string, r *Result, names []string, all bool) error {
	if r == nil {
		return errs.Invalid(fn, what, nil, "nil Result without an error")
	}
	if all && len(r.Credits) != len(names) {
		return errs.Invalid(fn, what+" credits", len(r.Credits), fmt.Sprintf("not one per channel of the journeys (%d)", len(names)))
	}
	// Text is made only for an error: this runs for every credit of
	// every replicate.
	channel := func(k int) string { return fmt.Sprintf("%s credits[%d] channel", what, k) }
	for k, c := range r.Credits {
		if _, found := slices.BinarySearch(names, c.Channel); !found {
			return errs.Invalid(fn, channel(k), fmt.Sprintf("%q", c.Channel), "not a channel of the journeys")
		}
		if k > 0 && c.Channel <= r.Credits[k-1].Channel {
			return errs.Invalid(fn, channel(k), fmt.Sprintf("%q", c.Channel), "not after the channel before it: credits are sorted by channel name, one each")
		}
		if field, v, why := c.fault(true); field != "" {
			return errs.Invalid(fn, fmt.Sprintf("%s credits[%d] %s", what, k, field), v, why)
		}
	}
	return nil
}

// touches appends journey i's touches to dst.
func (js *Journeys) touches(i int, dst []Touch) []Touch {
	for k, id := range js.path(i) {
		t := Touch{Channel: js.names[id]}
		x := js.off[i] + k
		if js.times != nil && js.times[x] != noTime {
			t.Time = time.Unix(0, js.times[x]).UTC()
		}
		if js.marks != nil {
			t.Marks = js.marks[x]
		}
		dst = append(dst, t)
	}
	return dst
}

// decimalValue returns journey i's value exactly.
func (js *Journeys) decimalValue(i int) decimal.Decimal {
	if v, ok := js.valBig[i]; ok {
		return v
	}
	return decimal.New(js.valM[i], -int32(js.valS[i]))
}
