package attribution

import (
	"cmp"
	"slices"
	"strings"
)

// ranks returns each channel id's rank among the channel names sorted.
func (js *Journeys) ranks() []int32 {
	order := make([]int32, len(js.names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(js.names[a], js.names[b]) })
	rank := make([]int32, len(order))
	for r, id := range order {
		rank[id] = int32(r)
	}
	return rank
}

// canonical returns the indexes of the journeys sorted by what they hold:
// their channels by name, then conversions, nulls, value, touch times and
// marks. Models that add floats up journey by journey go in this order, so
// that their results are the same bit for bit whatever order the journeys
// were added in: journeys that compare equal give the same terms. The
// order is kept until a journey is added.
func (js *Journeys) canonical() []int32 {
	if len(js.canon) == js.Len() {
		return js.canon
	}
	rank := js.ranks()
	order := make([]int32, js.Len())
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		pa, pb := js.path(int(a)), js.path(int(b))
		for k := range min(len(pa), len(pb)) {
			if c := cmp.Compare(rank[pa[k]], rank[pb[k]]); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(len(pa), len(pb)),
			cmp.Compare(js.conv[a], js.conv[b]), cmp.Compare(js.nulls[a], js.nulls[b]),
			cmp.Compare(js.value(int(a)), js.value(int(b))), js.compareTouches(int(a), int(b)))
	})
	js.canon = order
	return order
}

// compareTouches orders two journeys with the same channels by their
// touch times, then marks.
func (js *Journeys) compareTouches(a, b int) int {
	if js.times != nil {
		if c := slices.Compare(js.times[js.off[a]:js.off[a+1]], js.times[js.off[b]:js.off[b+1]]); c != 0 {
			return c
		}
	}
	if js.marks != nil {
		return slices.Compare(js.marks[js.off[a]:js.off[a+1]], js.marks[js.off[b]:js.off[b+1]])
	}
	return 0
}

// firstError returns the error weigh gives for the first converting
// journey, in the order they were added, that it fails on: the error a
// caller sees does not depend on the canonical order.
func (js *Journeys) firstError(weigh weigher) error {
	var w []float64
	for i := range js.Len() {
		if js.conv[i] == 0 {
			continue
		}
		p := js.path(i)
		w = slices.Grow(w[:0], len(p))[:len(p)]
		if err := weigh(i, p, w); err != nil {
			return err
		}
	}
	return nil
}
