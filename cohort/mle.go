package cohort

// maxLogParam bounds the logarithm of a fitted parameter: an estimate
// beyond e^±25 means the likelihood is still rising towards the edge of
// the parameter space, and there is no finite maximum.
const maxLogParam = 25

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
