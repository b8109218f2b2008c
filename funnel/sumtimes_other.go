//go:build !amd64 || noasm || gccgo || safe

package funnel

// sumTimes returns the sum of the times ns as float64s, added one after
// the other as gonum's floats.Sum adds them without its amd64 assembly,
// so that stat.Mean over them is reproduced bit for bit.
func sumTimes(ns []int64) float64 {
	var sum float64
	for _, v := range ns {
		sum += float64(v)
	}
	return sum
}
