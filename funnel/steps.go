package funnel

import (
	"fmt"
	"math/bits"

	"github.com/kpiflow/kpi/internal/errs"
)

// required returns an error naming the first optional step, for the
// read-outs that follow every chain step by step (Curves, Series), which
// need every step required.
func (p *compiled) required(fn string) error {
	if p.opt == 0 {
		return nil
	}
	k := bits.TrailingZeros16(p.opt)
	return errs.Invalid(fn, fmt.Sprintf("steps[%d] optional", k), true,
		"conversion curves follow every chain through every step: they need every step required")
}
