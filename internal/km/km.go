// Package km is the Kaplan–Meier engine behind kpi.KaplanMeier and the
// funnel package's conversion curves. It is not API.
//
// An observation is packed into one uint64 key by Key: its time, an
// integer below 2⁶³ in any order-keeping code (a duration in a fixed unit,
// or the IEEE bits of a float64 ≥ 0), shifted left once, with the low bit
// set for a censoring. Sort orders the keys without a comparison closure
// or an allocation per item, and Walk reads the sorted keys in one pass,
// giving at each distinct time the number at risk, the events and
// censorings, the product-limit estimate and Greenwood's interval. Ties
// between an event and a censoring at the same time are resolved as R's
// survfit does: the censored entity is still at risk at that time.
package km

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// Scale is the scale of the pointwise intervals, as R's survfit
// conf.type.
type Scale uint8

// The interval scales, in the order of kpi.Scale.
const (
	LogLog Scale = iota // conf.type = "log-log"
	Log                 // conf.type = "log", capped at 1
	Plain               // conf.type = "plain", clamped to [0, 1]
)

// The critical values of the usual levels, computed once, from the exact
// constant α/2: (1 − 0.95)/2 is 0.025 here, and an ulp above it when
// computed from the float64 0.95.
var (
	z90 = -mathext.NormalQuantile((1 - 0.90) / 2)
	z95 = -mathext.NormalQuantile((1 - 0.95) / 2)
	z99 = -mathext.NormalQuantile((1 - 0.99) / 2)
)

// Z returns the critical value Φ⁻¹(1 − α/2) for α = 1 − level, as every
// interval of kpi uses it: for the levels 0.90, 0.95 and 0.99 the value
// from the exact α (the normal quantile is most of the cost of a Wilson
// interval, and so computed once), for any other level from 1 − level
// in float64.
func Z(level float64) float64 {
	switch level {
	case 0.95:
		return z95
	case 0.90:
		return z90
	case 0.99:
		return z99
	}
	return -mathext.NormalQuantile((1 - level) / 2)
}

// Key packs the time t, below 2⁶³, and whether the observation is an
// event (else a censoring) into a sort key: t<<1 | 1 for a censoring,
// t<<1 for an event, so that at equal times events sort first.
func Key(t uint64, event bool) uint64 {
	k := t << 1
	if !event {
		k |= 1
	}
	return k
}

// radixMin is the length from which Sort sorts by radix; shorter slices
// are sorted by comparison, whose setup costs less.
const radixMin = 256

// The radix sort's digits: 11 bits, so that a key of 64 bits takes six
// passes, each of whose 2048 counters and write positions stay in cache.
const (
	digitBits = 11
	digits    = (64 + digitBits - 1) / digitBits
	digitMask = 1<<digitBits - 1
)

// Sort sorts keys ascending, in place, and returns the scratch space it
// used, for the next call. From radixMin keys on it sorts by a
// least-significant-digit radix sort on digits of 11 bits: one pass
// counts the digits of every position, and a position where all the keys
// share their digit is skipped, so that n keys cost at most six passes
// of n moves instead of n·log₂ n comparisons. scratch is used when it can
// hold len(keys) keys, else a new one is made.
func Sort(keys, scratch []uint64) []uint64 {
	if len(keys) < radixMin {
		slices.Sort(keys)
		return scratch
	}
	if cap(scratch) < len(keys) {
		scratch = make([]uint64, len(keys))
	}
	scratch = scratch[:len(keys)]
	var counts [digits][1 << digitBits]uint32
	for _, k := range keys {
		for b := range digits {
			counts[b][(k>>(digitBits*b))&digitMask]++
		}
	}
	src, dst := keys, scratch
	n := uint32(len(keys))
	for b := range digits {
		c := &counts[b]
		shift := digitBits * uint(b)
		if c[(keys[0]>>shift)&digitMask] == n {
			continue // every key has the same digit here
		}
		var at uint32
		for i, m := range c {
			c[i] = at
			at += m
		}
		for _, k := range src {
			d := (k >> shift) & digitMask
			dst[c[d]] = k
			c[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
	return scratch
}

// Distinct returns the number of distinct times among the sorted keys:
// the number of points Walk gives.
func Distinct(keys []uint64) int {
	n := 0
	for i := 0; i < len(keys); {
		t := keys[i] >> 1
		for i < len(keys) && keys[i]>>1 == t {
			i++
		}
		n++
	}
	return n
}

// Point is the estimate at one distinct time.
type Point struct {
	Time     uint64 // the time, as packed by Key
	AtRisk   int64  // observations with a time ≥ Time
	Events   int64  // events at Time
	Censored int64  // censorings at Time
	Share    float64
	Lo, Hi   float64 // the pointwise interval of Share
}

// Walk calls emit with the point of each distinct time of the sorted
// keys, in order. With n keys and, at the i-th distinct time tᵢ, dᵢ
// events of the nᵢ at risk,
//
//	S(t) = ∏_{tᵢ ≤ t} (1 − dᵢ/nᵢ),   Share(t) = 1 − S(t)
//	σ²(t) = Σ_{tᵢ ≤ t, dᵢ < nᵢ} dᵢ / (nᵢ (nᵢ − dᵢ))
//
// except that while no key has been censored Share is Σdᵢ/n, exactly
// the plain share. The interval is Bounds's with the critical value z,
// and:
//
//	before the first event: Share 0, interval [0, 0]
//	at a time without events: the point before's Share and interval
//	S = 0: Share 1, the interval from the point before's Lo to 1
func Walk(keys []uint64, z float64, scale Scale, emit func(Point)) {
	n := int64(len(keys))
	atRisk := n
	var cum int64
	anyCensored := false
	s, g := 1.0, 0.0
	var last Point
	for i := 0; i < len(keys); {
		t := keys[i] >> 1
		j := i
		for j < len(keys) && keys[j] == t<<1 {
			j++
		}
		d := int64(j - i)
		for j < len(keys) && keys[j] == t<<1|1 {
			j++
		}
		c := int64(j) - int64(i) - d
		p := Point{Time: t, AtRisk: atRisk, Events: d, Censored: c}
		if d > 0 {
			cum += d
			if anyCensored {
				s *= float64(atRisk-d) / float64(atRisk)
			} else {
				s = float64(n-cum) / float64(n)
			}
			if d < atRisk {
				g += float64(d) / (float64(atRisk) * float64(atRisk-d))
			}
		}
		switch {
		case d == 0 && i > 0:
			// S and σ are unchanged. Repeating the point before keeps
			// the curve flat: after censoring began, 1 − S is no longer
			// the plain share and may round an ulp below it.
			p.Share, p.Lo, p.Hi = last.Share, last.Lo, last.Hi
		case !anyCensored:
			p.Share = float64(cum) / float64(n) // the plain share, exactly
		default:
			p.Share = 1 - s
		}
		if d > 0 || i == 0 {
			switch {
			case s == 1:
				p.Lo, p.Hi = 0, 0 // nobody has converted yet
			case s == 0:
				p.Lo, p.Hi = last.Lo, 1
			default:
				p.Lo, p.Hi = Bounds(s, g, z, scale)
			}
		}
		emit(p)
		last = p
		atRisk -= d + c
		if c > 0 {
			anyCensored = true
		}
		i = j
	}
}

// Bounds returns the interval of the share 1 − s, for a survival s in
// (0, 1) with Greenwood's sum g (the variance of log S), at the critical
// value z: one minus the interval of S, ends swapped, with σ = √g,
//
//	LogLog: S^exp(±z σ / log S)
//	Log:    S·exp(±z σ), capped at 1
//	Plain:  S ± z σ S, clamped to [0, 1]
func Bounds(s, g, z float64, scale Scale) (lo, hi float64) {
	sigma := math.Sqrt(g)
	var slo, shi float64 // of S
	switch scale {
	case LogLog:
		ls := math.Log(s)
		slo = pow(s, ls, math.Exp(-z*sigma/ls))
		shi = pow(s, ls, math.Exp(z*sigma/ls))
	case Log:
		slo = s * math.Exp(-z*sigma)
		shi = math.Min(1, s*math.Exp(z*sigma))
	default:
		slo = math.Max(0, s-z*sigma*s)
		shi = math.Min(1, s+z*sigma*s)
	}
	return 1 - shi, 1 - slo
}

// pow returns math.Pow(x, y), bit for bit, for x in (0, 1) with
// lx = math.Log(x): it is math.Pow's algorithm (Go's math/pow.go) for
// these arguments, x^y = exp(yf·log x)·x^yi with yi the integer part of y
// (rounded up when the fraction yf is above one half, yf then negative)
// and x^yi by repeated squaring of x's mantissa, but with log x computed
// once for the two ends of an interval instead of once for each. A y
// that is not below 2⁵² (so also +Inf and NaN) is left to math.Pow, as
// are 1 and 0.5, its special cases.
func pow(x, lx, y float64) float64 {
	if !(y < 1<<52) || y == 1 || y == 0.5 {
		return math.Pow(x, y)
	}
	yi, yf := math.Modf(y)
	a1, ae := 1.0, 0
	if yf != 0 {
		if yf > 0.5 {
			yf--
			yi++
		}
		a1 = math.Exp(yf * lx)
	}
	x1, xe := math.Frexp(x)
	for i := int64(yi); i != 0; i >>= 1 {
		if xe < -1<<12 || 1<<12 < xe {
			// The exponent is past any float64's: Ldexp gives 0.
			ae += xe
			break
		}
		if i&1 == 1 {
			a1 *= x1
			ae += xe
		}
		x1 *= x1
		xe <<= 1
		if x1 < .5 {
			x1 += x1
			xe--
		}
	}
	return math.Ldexp(a1, ae)
}
