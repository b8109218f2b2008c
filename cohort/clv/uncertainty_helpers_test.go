package clv_test

import "github.com/kpiflow/kpi/cohort/clv"

// cdnowProcess are the published CDNOW estimates (Fader, Hardie and Lee 2005)
// with Gamma–Gamma values, the process the simulated data come from.
var cdnowProcess = bgParams{r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, p: 6.25, q: 3.74, gamma: 15.44}

// cdnowSim is CDNOW-sized simulated data: 2,357 customers drawn with seed
// 2357 from the BG/NBD and Gamma–Gamma models at the CDNOW estimates,
// acquired over 13 weeks and observed to week 39 on a calendar of days.
func cdnowSim() []clv.RFM { return simulate(cdnowProcess, 2357, weeks(), 0, 1.0/7, 2357) }
