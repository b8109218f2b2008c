package attribution

import (
	"fmt"
	"math/bits"

	"github.com/kpiflow/kpi/internal/errs"
)

// ShapleyMethod selects how Shapley computes the Shapley value.
type ShapleyMethod int

// The Shapley methods.
const (
	// Simplified is the closed form of Zhao et al. (2018): with
	// R(S) the conversions of journeys whose set of channels is exactly S,
	//
	//	φ_c = Σ_{S ∋ c} R(S) / |S|
	Simplified ShapleyMethod = iota

	// Ordered is the ordered Shapley value of Zhao et al. (2018): the
	// channels of a journey are ordered by their first touch and
	// the credit R(S)/|S| of a channel is also recorded by its position in
	// that order, in Credit.Positions. The channel totals equal those of
	// Simplified. A channel's Positions reach its furthest position in a
	// converting journey, so a journey of d distinct channels asks for
	// d(d+1)/2 of them; more than MaxPositions in all is an error.
	Ordered

	// Exact computes the Shapley value from its definition, summing over
	// all 2ⁿ subsets of the n channels,
	//
	//	φ_c = Σ_{S ⊆ N∖{c}} |S|!(n−|S|−1)!/n! · (v(S ∪ {c}) − v(S))
	//
	// with the characteristic function v(S) = Σ_{T ⊆ S} R(T), the
	// conversions of journeys whose channels all lie in S. It allows at
	// most MaxExactChannels channels and costs n·2ⁿ steps. Zhao et al.
	// prove that it equals Simplified; Exact computes it independently,
	// so the two agree up to float rounding.
	Exact
)

// MaxExactChannels is the most channels the Exact Shapley method accepts.
const MaxExactChannels = 20

// MaxPositions is the most entries the Ordered Shapley method's credits
// hold in their Positions, all channels together: 2²² (32 MB of float64),
// a converting journey of 2 895 distinct channels. One of 20 000 channels
// asked for 2·10⁸ entries, 6.5 GB and 14 s, from an input of 200 KB.
const MaxPositions = 1 << 22

// Shapley is the Shapley-value model of Zhao, Mahboobi and Bagheri
// (2018), "Shapley Value Methods for Attribution Modeling in Online
// Advertising", arXiv:1804.05327, computed by Method. The value of a
// journey is spread the same way as its conversions.
type Shapley struct {
	Method ShapleyMethod
}

// Attribute returns the Shapley credits.
//
// Errors wrap kpi.ErrInvalid: an unknown Method; for Exact, more than
// MaxExactChannels channels; for Ordered, more than MaxPositions positions.
func (m Shapley) Attribute(js *Journeys) (*Result, error) {
	if js == nil {
		return nil, errs.Invalid("attribution.Shapley.Attribute", "js", js, "nil Journeys")
	}
	const fn = "attribution.Shapley.Attribute"
	switch m.Method {
	case Simplified:
		r, err := Linear{Distinct: true}.Attribute(js)
		if err == nil {
			r.Model = "shapley"
		}
		return r, err
	case Ordered:
		return js.orderedShapley(fn)
	case Exact:
		return js.exactShapley(fn)
	}
	return nil, errs.Invalid(fn, "Method", int(m.Method), "unknown method")
}

// orderedShapley credits R(S)/|S| to each channel at its position. A
// first pass finds how many positions each channel reaches, so that the
// positions are counted against MaxPositions before they are allocated.
func (js *Journeys) orderedShapley(fn string) (*Result, error) {
	nc := len(js.names)
	seen := make([]int, nc)
	width := make([]int, nc) // the positions of each channel
	total := 0
	for _, i32 := range js.canonical() {
		i := int(i32)
		if js.conv[i] == 0 {
			continue
		}
		k := 0
		for _, id := range js.path(i) {
			if seen[id] != i+1 {
				seen[id] = i + 1
				if k++; k > width[id] {
					total += k - width[id]
					width[id] = k
				}
			}
		}
		if total > MaxPositions {
			return nil, errs.Invalid(fn, "positions", total, fmt.Sprintf("more than MaxPositions (%d) by journey %d: a converting journey of d distinct channels takes d(d+1)/2", MaxPositions, i))
		}
	}
	conv := make([]float64, nc)
	val := make([]float64, nc)
	pos := make([][]float64, nc)
	all := make([]float64, total)
	for id, w := range width {
		if w > 0 { // a channel of no converting journey keeps nil Positions
			pos[id], all = all[:w:w], all[w:]
		}
	}
	clear(seen)
	var order []int32
	for _, i32 := range js.canonical() {
		i := int(i32)
		c := js.conv[i]
		if c == 0 {
			continue
		}
		order = order[:0]
		for _, id := range js.path(i) {
			if seen[id] != i+1 {
				seen[id] = i + 1
				order = append(order, id)
			}
		}
		share := float64(c) / float64(len(order))
		vshare := js.value(i) / float64(len(order))
		for k, id := range order {
			conv[id] += share
			val[id] += vshare
			pos[id][k] += share
		}
	}
	return newResult(fn, "shapley (ordered)", js.names, conv, val, js.convSum, js.Value(), js.places,
		func(id int, c *Credit) { c.Positions = pos[id] })
}

// exactShapley sums over all subsets of channels.
func (js *Journeys) exactShapley(fn string) (*Result, error) {
	n := len(js.names)
	if n > MaxExactChannels {
		return nil, errs.Invalid(fn, "channels", n, fmt.Sprintf("exact Shapley allows at most %d", MaxExactChannels))
	}
	size := 1 << n
	// v and vv start as R(S) for conversions and value, then become the
	// characteristic function by summing over subsets.
	// The channels are numbered by name and the journeys taken in
	// canonical order, so the sums do not depend on the journeys' order.
	rank := js.ranks()
	v := make([]float64, size)
	vv := make([]float64, size)
	for _, i32 := range js.canonical() {
		i := int(i32)
		if js.conv[i] == 0 {
			continue
		}
		set := 0
		for _, id := range js.path(i) {
			set |= 1 << rank[id]
		}
		v[set] += float64(js.conv[i])
		vv[set] += js.value(i)
	}
	for b := range n {
		bit := 1 << b
		for s := range size {
			if s&bit != 0 {
				v[s] += v[s^bit]
				vv[s] += vv[s^bit]
			}
		}
	}
	// weight[k] = k!(n−k−1)!/n!, by the recurrence weight[k+1] =
	// weight[k]·(k+1)/(n−k−1).
	weight := make([]float64, max(n, 1))
	if n > 0 {
		weight[0] = 1 / float64(n)
	}
	for k := 0; k+1 < n; k++ {
		weight[k+1] = weight[k] * float64(k+1) / float64(n-k-1)
	}
	conv := make([]float64, n)
	val := make([]float64, n)
	for c := range n {
		bit := 1 << c
		for s := range size {
			if s&bit != 0 {
				continue
			}
			w := weight[popcount(s)]
			conv[c] += w * (v[s|bit] - v[s])
			val[c] += w * (vv[s|bit] - vv[s])
		}
		conv[c] = max(0, conv[c])
		val[c] = max(0, val[c])
	}
	byID := make([]float64, n)
	valByID := make([]float64, n)
	for id, r := range rank {
		byID[id], valByID[id] = conv[r], val[r]
	}
	return js.result(fn, "shapley (exact)", byID, valByID)
}

func popcount(s int) int { return bits.OnesCount(uint(s)) }
