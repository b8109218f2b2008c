package funnel

import "slices"

// radixMin is the length from which sortTimes sorts by radix; shorter
// slices are sorted by comparison, whose setup costs less.
const radixMin = 512

// sortTimes sorts ns ascending, in place. Long slices are sorted by a
// least-significant-digit radix sort on bytes, which counts every byte
// position's digits in one pass and skips the positions where all the
// times share their digit (the high bytes of times shorter than years),
// so that a slice of n times costs a few passes of n moves instead of
// n·log₂ n comparisons; it uses a scratch slice of n times, freed on
// return.
func sortTimes(ns []int64) {
	if len(ns) < radixMin {
		slices.Sort(ns)
		return
	}
	var counts [8][256]int
	for _, v := range ns {
		u := uint64(v) ^ 1<<63 // the sign bit flipped: negatives first
		for b := range 8 {
			counts[b][byte(u>>(8*b))]++
		}
	}
	src, dst := ns, make([]int64, len(ns))
	for b := range 8 {
		c := &counts[b]
		if c[byte((uint64(ns[0])^1<<63)>>(8*b))] == len(ns) {
			continue // every time has the same digit here
		}
		at := 0
		for i, k := range c {
			c[i] = at
			at += k
		}
		shift := 8 * uint(b)
		for _, v := range src {
			d := byte((uint64(v) ^ 1<<63) >> shift)
			dst[c[d]] = v
			c[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &ns[0] {
		copy(ns, src)
	}
}
