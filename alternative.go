package kpi

import (
	"math"
	"strconv"
)

// Alternative is the direction of a test's alternative hypothesis: what
// the test is looking for evidence of. For a comparison it is about rate
// B against rate A (the variant against the control, this month against
// last); for a rate against a target, about the rate against the target.
// The zero Alternative is TwoSided.
type Alternative int

// The alternatives, with R's names for them in the alternative argument of
// prop.test, fisher.test and binom.test.
const (
	// TwoSided looks for a difference either way ("two.sided").
	TwoSided Alternative = iota
	// Less looks for B below A, or the rate below its target ("less").
	Less
	// Greater looks for B above A, or the rate above its target
	// ("greater").
	Greater

	numAlternatives
)

var alternativeNames = [...]string{TwoSided: "TwoSided", Less: "Less", Greater: "Greater"}

// String returns the alternative's name, such as "Greater", or
// "Alternative(9)" for a value that is not one of the constants.
func (a Alternative) String() string {
	if a >= 0 && a < numAlternatives {
		return alternativeNames[a]
	}
	return "Alternative(" + strconv.Itoa(int(a)) + ")"
}

func checkAlternative(fn string, a Alternative) error {
	if a < 0 || a >= numAlternatives {
		return invalid(fn, "alternative", a, "unknown alternative")
	}
	return nil
}

// P returns the p-value of the test for the given alternative: Less,
// Greater or TwoSided.
//
// Errors: an alternative that is not one of the constants returns an
// error wrapping ErrInvalid.
func (t BinomialTest) P(alt Alternative) (float64, error) {
	switch alt {
	case TwoSided:
		return t.TwoSided, nil
	case Less:
		return t.Less, nil
	case Greater:
		return t.Greater, nil
	}
	return 0, checkAlternative("kpi.BinomialTest.P", alt)
}

// Sided returns the comparison with its p-values for the given
// alternative about B against A: Greater asks whether B's rate is above
// A's, Less whether it is below. Z, the statistics and ProbBBetter do not
// change; ZP, ChiSquareP, YatesP and FisherP become
//
//	Greater: ZP = ChiSquareP = 1 − Φ(Z),   YatesP = 1 − Φ(sign(Z)·√Yates),
//	         FisherP = P(X ≥ xB)
//	Less:    ZP = ChiSquareP = Φ(Z),       YatesP = Φ(sign(Z)·√Yates),
//	         FisherP = P(X ≤ xB)
//
// with X hypergeometric: the successes of B in a table with the observed
// margins. They equal R's prop.test(c(xB, xA), c(nB, nA), alternative =
// alt, correct = FALSE / TRUE) and fisher.test(matrix(c(xB, nB − xB, xA,
// nA − xA), 2, byrow = TRUE), alternative = alt). TwoSided gives back the
// two-sided values of Compare.
//
// Special case: when both rates are 0 or both are 1 nothing tells the
// samples apart and every p-value is 1 (R reports NaN for prop.test and 1
// for fisher.test).
//
// Errors: an alternative that is not one of the constants returns an
// error wrapping ErrInvalid; so does a Comparison that Compare did not
// make (zero trials in a rate).
func (c Comparison) Sided(alt Alternative) (Comparison, error) {
	const fn = "kpi.Comparison.Sided"
	if err := checkAlternative(fn, alt); err != nil {
		return Comparison{}, err
	}
	if c.A.trials == 0 || c.B.trials == 0 {
		return Comparison{}, invalid(fn, "Comparison", "zero trials", "use kpi.Compare")
	}
	out, err := Compare(c.A, c.B)
	if err != nil {
		return Comparison{}, err
	}
	out.Alternative = alt
	s := c.A.successes + c.B.successes
	if alt == TwoSided || s == 0 || s == c.A.trials+c.B.trials {
		return out, nil
	}
	yz := math.Copysign(math.Sqrt(out.Yates), out.Z)
	xb, fb, xa, fa := c.B.successes, c.B.trials-c.B.successes, c.A.successes, c.A.trials-c.A.successes
	if alt == Greater {
		out.ZP = normalSurvival(out.Z)
		out.YatesP = normalSurvival(yz)
		out.FisherP = fisherOneSided(xb, fb, xa, fa, true)
	} else {
		out.ZP = normalSurvival(-out.Z)
		out.YatesP = normalSurvival(-yz)
		out.FisherP = fisherOneSided(xb, fb, xa, fa, false)
	}
	out.ChiSquareP = out.ZP
	return out, nil
}

// normalSurvival returns 1 − Φ(z) without cancellation.
func normalSurvival(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// fisherOneSided returns P(X ≥ a) (upper) or P(X ≤ a) for X the first
// cell of a 2×2 table with the margins of [[a, b], [c, d]], hypergeometric.
// Like fisherTwoSided it takes the terms relative to the mode and sums
// outward with the ratio of neighbours, so the cost grows like √N.
func fisherOneSided(a, b, c, d int64, upper bool) float64 {
	m := float64(a + b)
	k := float64(a + c)
	n := float64(a + b + c + d)
	lo := math.Max(0, m+k-n)
	hi := math.Min(m, k)
	up := func(x float64) float64 { return (k - x) * (m - x) / ((x + 1) * (n - k - m + x + 1)) }
	mode := math.Max(lo, math.Min(hi, math.Floor((m+1)*(k+1)/(n+2))))
	x := float64(a)
	inTail := func(i float64) bool { return (upper && i >= x) || (!upper && i <= x) }

	total, tail := 1.0, 0.0
	if inTail(mode) {
		tail = 1
	}
	for _, dir := range [2]float64{1, -1} {
		tailSide := (dir > 0) == upper
		r := 1.0
	walk:
		for i := mode; ; i += dir {
			if dir > 0 {
				if i >= hi {
					break
				}
				r *= up(i)
			} else {
				if i <= lo {
					break
				}
				r /= up(i - 1)
			}
			if r < tiny {
				break
			}
			total += r
			j := i + dir // the cell whose term r is
			if inTail(j) {
				tail += r
			}
			// On the tail's side, go on to the observed cell and then
			// until a term no longer changes the tail; on the other side,
			// until it no longer changes the total.
			switch {
			case tailSide && !inTail(j):
			case tailSide:
				if r < negligible*tail {
					break walk
				}
			case r < negligible*total:
				break walk
			}
		}
	}
	return math.Min(1, tail/total)
}

// MarshalText returns the alternative's name, such as "Greater", so that
// an Alternative reads in JSON as a string. A value that is not one of
// the constants is an error wrapping ErrInvalid.
func (a Alternative) MarshalText() ([]byte, error) {
	if err := checkAlternative("kpi.Alternative.MarshalText", a); err != nil {
		return nil, err
	}
	return []byte(alternativeNames[a]), nil
}

// UnmarshalText reads an alternative's name as MarshalText writes it.
// Any other text is an error wrapping ErrInvalid.
func (a *Alternative) UnmarshalText(text []byte) error {
	for i, name := range alternativeNames {
		if string(text) == name {
			*a = Alternative(i)
			return nil
		}
	}
	return invalid("kpi.Alternative.UnmarshalText", "alternative", strconv.Quote(string(text)), "unknown alternative")
}
