package kpi

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// PowerTwo returns the power of the design's comparison of two rates,
// rate B (the variant, this quarter) against rate A (the control, last
// quarter), when their true rates are pa and pb and na and nb trials are
// seen. See Normal and Arcsine for the formulas; with na = nb they equal
// R's power.prop.test(n, pa, pb, ...)$power and pwr.2p.test(h, n,
// ...)$power, and with na ≠ nb pwr.2p2n.test's.
//
// Errors, wrapping ErrInvalid: Alpha outside (0, 1); an unknown
// Alternative; the Exact sizing, which is for one rate; pa or pb outside
// (0, 1); na or nb below 1.
func (d Design) PowerTwo(pa, pb float64, na, nb int64) (float64, error) {
	const fn = "kpi.Design.PowerTwo"
	if err := d.checkTwo(fn, pa, pb, false); err != nil {
		return 0, err
	}
	if na < 1 || na > MaxTrials {
		return 0, invalid(fn, "na", na, "must lie in [1, MaxTrials]")
	}
	if nb < 1 || nb > MaxTrials {
		return 0, invalid(fn, "nb", nb, "must lie in [1, MaxTrials]")
	}
	return d.powerTwo(pa, pb, float64(na), float64(nb)), nil
}

func (d Design) checkTwo(fn string, pa, pb float64, forSize bool) error {
	if err := d.check(fn, forSize); err != nil {
		return err
	}
	if d.Sizing == Exact {
		return invalid(fn, "Sizing", d.Sizing, "the exact sizing is for one rate against a target")
	}
	if err := checkRate(fn, "pa", pa); err != nil {
		return err
	}
	return checkRate(fn, "pb", pb)
}

func (d Design) powerTwo(pa, pb, na, nb float64) float64 {
	if d.Sizing == Arcsine {
		return d.arcsinePower(d.effect(arcsineH(pb, pa)), na*nb/(na+nb))
	}
	pool := (na*pa + nb*pb) / (na + nb)
	e := d.effect(pb - pa)
	null := d.zAlpha() * math.Sqrt(pool*(1-pool)*(1/na+1/nb))
	return normalSurvival((null - e) / math.Sqrt(pa*(1-pa)/na+pb*(1-pb)/nb))
}

// SizeTwo returns the numbers of trials the design's comparison of two
// rates needs to reach Power when their true rates are pa and pb, with
// group B ratio times as large as group A (1 for equal groups). With
// k = ratio and p̄ = (pa + k·pb)/(1 + k), the real-valued size of group A is
//
//	Normal:  √N = (z_α·√(p̄q̄(1 + 1/k)) + z_β·√(pa·qa + pb·qb/k)) / |pb − pa|
//	Arcsine: N·k/(1 + k) = ((z_α + z_β)/|h|)²   (one-sided; two-sided solved numerically)
//
// and Size.A = ⌈N⌉, Size.B = ⌈k·N⌉. For k = 1, N is R's
// power.prop.test(p1 = pa, p2 = pb, power = Power, sig.level = Alpha)$n
// and pwr.2p.test(h, power = Power, sig.level = Alpha)$n.
//
// Errors, wrapping ErrInvalid: those of PowerTwo; Power outside (0, 1),
// not above Alpha or above MaxPower; ratio not positive and finite; an effect of 0, or one
// the other way from a one-sided alternative, for which no size is
// enough; a size beyond MaxTrials.
func (d Design) SizeTwo(pa, pb, ratio float64) (Size, error) {
	const fn = "kpi.Design.SizeTwo"
	if err := d.checkTwo(fn, pa, pb, true); err != nil {
		return Size{}, err
	}
	if !(ratio > 0) || math.IsInf(ratio, 1) {
		return Size{}, invalid(fn, "ratio", ratio, "must be positive and finite")
	}
	e := d.effect(pb - pa)
	if !(e > 0) {
		return Size{}, invalid(fn, "pb", pb, "no number of trials detects this effect: it is 0 or the other way from "+d.Alternative.String())
	}
	k := ratio
	zb := mathext.NormalQuantile(d.Power)
	var n float64
	if d.Sizing == Arcsine {
		h := d.effect(arcsineH(pb, pa))
		nh := (d.zAlpha() + zb) / h
		nh *= nh
		if d.Alternative == TwoSided {
			nh = bisect(func(m float64) float64 { return d.arcsinePower(h, m) - d.Power }, 0, nh)
		}
		n = nh * (1 + k) / k
	} else {
		pool := (pa + k*pb) / (1 + k)
		s := math.Max(0, (d.zAlpha()*math.Sqrt(pool*(1-pool)*(1+1/k))+zb*math.Sqrt(pa*(1-pa)+pb*(1-pb)/k))/e)
		n = s * s
	}
	if !(n <= maxSize) || !(k*n <= maxSize) {
		return Size{}, invalid(fn, "pb", pb, "needs more than MaxTrials trials")
	}
	return Size{A: max(1, int64(math.Ceil(n))), B: max(1, int64(math.Ceil(k*n))), N: n}, nil
}

// DetectableTwo returns the rate of group B that the design's comparison
// detects with probability Power when group A's rate is pa and the groups
// have na and nb trials: the minimum detectable effect is pb − pa. For
// Greater and TwoSided it is the rate above pa, for Less the rate below.
// As for DetectableOne, the power at the rate returned is at least Power
// and the search has the same ends.
// "What lift can we detect with 400 leads a month against last month's
// 400?" is DetectableTwo(pa, 400, 400).
//
// Errors: those of PowerTwo and of Power as in SizeTwo (ErrInvalid); when
// no rate short of 0 or 1 reaches Power, an error wrapping ErrUndefined.
func (d Design) DetectableTwo(pa float64, na, nb int64) (float64, error) {
	const fn = "kpi.Design.DetectableTwo"
	if err := d.checkTwo(fn, pa, 0.5, true); err != nil {
		return 0, err
	}
	if na < 1 || na > MaxTrials {
		return 0, invalid(fn, "na", na, "must lie in [1, MaxTrials]")
	}
	if nb < 1 || nb > MaxTrials {
		return 0, invalid(fn, "nb", nb, "must lie in [1, MaxTrials]")
	}
	f := func(pb float64) float64 { return d.powerTwo(pa, pb, float64(na), float64(nb)) - d.Power }
	lo, hi := detectRange(pa)
	if d.Alternative == Less {
		if f(lo) < 0 {
			return 0, undefined(fn, "na", na, "no rate above 0 reaches the power")
		}
		return bisectDown(f, lo, pa), nil
	}
	if f(hi) < 0 {
		return 0, undefined(fn, "na", na, "no rate below 1 reaches the power")
	}
	return bisect(f, pa, hi), nil
}
