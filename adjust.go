package kpi

import (
	"math"
	"slices"
	"strconv"
)

// Adjustment is a way to adjust the p-values of a family of tests for
// their number, so that reading them together keeps the error rate that
// one test at a time would have: five funnel steps, twenty segments,
// twelve channels compared at once. The zero Adjustment is Holm, the
// default of R's p.adjust.
//
// Holm, Hochberg, Hommel and Bonferroni control the family-wise error rate
// (the chance of any false "significant" in the family); BenjaminiHochberg
// and BenjaminiYekutieli control the false discovery rate (the expected
// share of false ones among those reported significant), which is the
// weaker promise and finds more.
type Adjustment int

// The adjustments, equal to R's p.adjust(p, method). In the formulas p₍ᵢ₎
// is the i-th smallest of the n p-values, and each adjusted value is capped
// at 1.
const (
	// Holm is Holm's (1979) step-down method, valid under any dependence
	// between the tests and uniformly better than Bonferroni:
	//
	//	p̃₍ᵢ₎ = max_{j ≤ i} (n − j + 1)·p₍ⱼ₎
	Holm Adjustment = iota

	// Bonferroni multiplies each p-value by the number of tests: p̃ = n·p.
	Bonferroni

	// Hochberg is Hochberg's (1988) step-up method, valid when the tests
	// are independent or positively dependent:
	//
	//	p̃₍ᵢ₎ = min_{j ≥ i} (n − j + 1)·p₍ⱼ₎
	Hochberg

	// Hommel is Hommel's (1988) method, more powerful than Hochberg under
	// the same conditions, computed exactly by R's algorithm, which takes
	// time proportional to n².
	Hommel

	// BenjaminiHochberg is Benjamini and Hochberg's (1995) step-up method
	// for the false discovery rate (R's "BH" or "fdr"), valid for
	// independent or positively dependent tests:
	//
	//	p̃₍ᵢ₎ = min_{j ≥ i} n/j·p₍ⱼ₎
	BenjaminiHochberg

	// BenjaminiYekutieli is Benjamini and Yekutieli's (2001) method for
	// the false discovery rate under any dependence (R's "BY"):
	//
	//	p̃₍ᵢ₎ = min_{j ≥ i} q·n/j·p₍ⱼ₎,   q = Σ_{k=1}^{n} 1/k
	BenjaminiYekutieli

	numAdjustments
)

var adjustmentNames = [...]string{
	Holm:               "Holm",
	Bonferroni:         "Bonferroni",
	Hochberg:           "Hochberg",
	Hommel:             "Hommel",
	BenjaminiHochberg:  "BenjaminiHochberg",
	BenjaminiYekutieli: "BenjaminiYekutieli",
}

// String returns the adjustment's name, such as "Holm", or
// "Adjustment(9)" for a value that is not one of the constants.
func (a Adjustment) String() string {
	if a >= 0 && a < numAdjustments {
		return adjustmentNames[a]
	}
	return "Adjustment(" + strconv.Itoa(int(a)) + ")"
}

// Adjust returns the p-values p adjusted for their number by the given
// method, in the order of p; p itself is not changed. The family is the
// whole of p: pass every test that was read, not only the small ones.
// The results equal R's p.adjust(p, method) (R 4.2.2).
//
// Every adjusted value lies in [p, 1] for the family-wise methods and in
// [0, 1] for all; the adjusted values are ordered as the raw ones are.
//
// Special cases: an empty p returns an empty slice; a single p-value is
// returned as it is; Hommel on two p-values is Hochberg, as in R.
//
// Errors: a p-value that is NaN or outside [0, 1], or a method that is
// not one of the constants, return an error wrapping ErrInvalid.
func Adjust(p []float64, method Adjustment) ([]float64, error) {
	const fn = "kpi.Adjust"
	if method < 0 || method >= numAdjustments {
		return nil, invalid(fn, "method", method, "unknown adjustment")
	}
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return nil, invalid(fn, "p["+strconv.Itoa(i)+"]", v, "a p-value must lie in [0, 1]")
		}
	}
	n := len(p)
	out := make([]float64, n)
	if n <= 1 {
		copy(out, p)
		return out, nil
	}
	if method == Bonferroni {
		for i, v := range p {
			out[i] = math.Min(1, float64(n)*v)
		}
		return out, nil
	}
	if method == Hommel && n == 2 {
		method = Hochberg
	}
	// order[k] is the index in p of the k-th smallest p-value, ties in
	// the order given (as R's order does).
	order := orderByP(p)
	fn64 := float64(n)
	switch method {
	case Holm:
		run := 0.0
		for k, i := range order {
			run = max(run, (fn64-float64(k))*p[i])
			out[i] = min(1, run)
		}
	case Hochberg, BenjaminiHochberg, BenjaminiYekutieli:
		q := 1.0
		if method == BenjaminiYekutieli {
			q = 0
			for k := n; k >= 1; k-- {
				q += 1 / float64(k)
			}
		}
		run := math.Inf(1)
		for k := n - 1; k >= 0; k-- {
			i := order[k]
			f := fn64 - float64(k) // Hochberg: n − j + 1 with j = k + 1
			if method != Hochberg {
				f = q * fn64 / float64(k+1)
			}
			run = min(run, f*p[i])
			out[i] = min(1, run)
		}
	case Hommel:
		hommel(p, order, out)
	}
	return out, nil
}

// orderByP returns the indices of p in the order of their values, ties
// in the order given. For a few values it sorts (value, index) pairs; for
// more, it is a stable least-significant-digit radix sort on the values'
// bits, a byte at a time, skipping the bytes all values share: the bits
// of non-negative floats order as the floats do (−0 is taken as 0). Its
// time grows linearly: 10 000 p-values take 8 passes at most.
func orderByP(p []float64) []int32 {
	n := len(p)
	order := make([]int32, n)
	if n < 256 {
		byP := make([]ranked, n)
		for i, v := range p {
			byP[i] = ranked{v, int32(i)}
		}
		slices.SortFunc(byP, func(a, b ranked) int {
			switch {
			case a.p < b.p:
				return -1
			case a.p > b.p:
				return 1
			}
			return int(a.i - b.i)
		})
		for k, r := range byP {
			order[k] = r.i
		}
		return order
	}
	tmp := make([]int32, n)
	var count [8][256]int32
	for i, v := range p {
		k := pKey(v)
		order[i] = int32(i)
		for b := range 8 {
			count[b][byte(k>>(8*b))]++
		}
	}
	from, to := order, tmp
	first := pKey(p[0])
	for b := range 8 {
		c := &count[b]
		shift := 8 * uint(b)
		if c[byte(first>>shift)] == int32(n) {
			continue // every value has this byte
		}
		var sum int32
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for _, i := range from {
			d := byte(pKey(p[i]) >> shift)
			to[c[d]] = i
			c[d]++
		}
		from, to = to, from
	}
	if &from[0] != &order[0] {
		copy(order, from)
	}
	return order
}

// pKey returns the bits of a p-value, which order as the values do; −0
// is taken as 0.
func pKey(v float64) uint64 {
	if v == 0 {
		return 0
	}
	return math.Float64bits(v)
}

// ranked is a p-value with its index in the caller's slice.
type ranked struct {
	p float64
	i int32
}

// hommel writes Hommel's adjusted p-values into out, following R's
// p.adjust: with s the sorted p-values (0-based here) and, for each m from
// n − 1 down to 2,
//
//	q₁ = min_{k > n−m} m·s[k]/(k − (n − m) + 1)
//	q[k] = min(m·s[k], q₁) for k ≤ n − m, and q[n − m] for the rest
//	pa = max(pa, q)
//
// starting from pa = q = min_k n·s[k]/(k + 1); the result is max(pa, s).
func hommel(p []float64, order []int32, out []float64) {
	n := len(order)
	s := make([]float64, n)
	for k, i := range order {
		s[k] = p[i]
	}
	start := math.Inf(1)
	for k, v := range s {
		start = math.Min(start, float64(n)*v/float64(k+1))
	}
	q := make([]float64, n)
	pa := make([]float64, n)
	for k := range q {
		q[k], pa[k] = start, start
	}
	for m := n - 1; m >= 2; m-- {
		fm := float64(m)
		cut := n - m // the last index of the first block
		q1 := math.Inf(1)
		for k := cut + 1; k < n; k++ {
			q1 = math.Min(q1, fm*s[k]/float64(k-cut+1))
		}
		for k := 0; k <= cut; k++ {
			q[k] = math.Min(fm*s[k], q1)
		}
		for k := cut + 1; k < n; k++ {
			q[k] = q[cut]
		}
		for k := range pa {
			pa[k] = math.Max(pa[k], q[k])
		}
	}
	for k, i := range order {
		out[i] = math.Max(pa[k], s[k])
	}
}

// MarshalText returns the adjustment's name, such as "Holm", so that an
// Adjustment reads in JSON as a string. A value that is not one of the
// constants is an error wrapping ErrInvalid.
func (a Adjustment) MarshalText() ([]byte, error) {
	if a < 0 || a >= numAdjustments {
		return nil, invalid("kpi.Adjustment.MarshalText", "adjustment", int(a), "unknown adjustment")
	}
	return []byte(adjustmentNames[a]), nil
}

// UnmarshalText reads an adjustment's name as MarshalText writes it. Any
// other text is an error wrapping ErrInvalid.
func (a *Adjustment) UnmarshalText(text []byte) error {
	for i, name := range adjustmentNames {
		if string(text) == name {
			*a = Adjustment(i)
			return nil
		}
	}
	return invalid("kpi.Adjustment.UnmarshalText", "adjustment", strconv.Quote(string(text)), "unknown adjustment")
}
