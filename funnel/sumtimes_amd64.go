//go:build !noasm && !gccgo && !safe

package funnel

// sumTimes returns the sum of the times ns as float64s, added in the
// order of gonum's floats.Sum on amd64 (its assembly, for a slice aligned
// to 16 bytes, as a new one of two or more elements is), so that
// stat.Mean over them is reproduced bit for bit: eight running sums,
// sum l taking the elements 16j+l and 16j+8+l in turn; then, for the
// elements left over, the sums folded pairwise as the assembly folds
// its registers between its tails of 8, 4, 2 and 1 elements.
func sumTimes(ns []int64) float64 {
	var s [8]float64
	i, n := 0, len(ns)
	for ; n-i >= 16; i += 16 {
		x := ns[i : i+16 : i+16]
		for l := range 8 {
			s[l] += float64(x[l])
		}
		for l := range 8 {
			s[l] += float64(x[8+l])
		}
	}
	if n-i >= 8 {
		x := ns[i : i+8 : i+8]
		for l := range 8 {
			s[l] += float64(x[l])
		}
		i += 8
	}
	a0, a1 := s[0]+s[6], s[1]+s[7]
	b0, b1 := s[2]+s[4], s[3]+s[5]
	if n-i >= 4 {
		a0 += float64(ns[i])
		a1 += float64(ns[i+1])
		b0 += float64(ns[i+2])
		b1 += float64(ns[i+3])
		i += 4
	}
	a0 += b0
	a1 += b1
	if n-i >= 2 {
		a0 += float64(ns[i])
		a1 += float64(ns[i+1])
		i += 2
	}
	sum := a0 + a1
	if n-i >= 1 {
		sum += float64(ns[i])
	}
	return sum
}
