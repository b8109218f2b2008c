package cohort

// maxLogParam bounds the logarithm of a fitted parameter: an estimate
// beyond 10^±5 means the likelihood is still rising, or flat, towards the
// edge of the parameter space and there is no finite maximum to report.
// (For the sBG, α and β both beyond 10⁵ mean customers who all churn
// alike: a geometric model, which the sBG reaches only in the limit.)
const maxLogParam = 11.5

// likelihood is a log-likelihood over parameters that must be positive,
// with its gradient. It is the shape every model of the package fits
// through fitPositive.
type likelihood interface {
	// logLik returns the log-likelihood at p and, when grad is not nil,
	// stores its gradient with respect to p in grad.
	logLik(p, grad []float64) float64
}

func finiteAll(x []float64) bool {
	for _, v := range x {
		if !finite(v) {
			return false
		}
	}
	return true
}
