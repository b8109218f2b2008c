package attribution

import (
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// smallPoisson is the largest mean whose distribution function poisson
// tables.
const smallPoisson = 31

// poissonCDF[n] holds the distribution function of Poisson(n) at 0, 1, …
// up to where it reaches 1 in float64, from gonum's distuv.Poisson.
var poissonCDF = sync.OnceValue(func() [][]float64 {
	t := make([][]float64, smallPoisson+1)
	for n := 1; n <= smallPoisson; n++ {
		p := distuv.Poisson{Lambda: float64(n)}
		for k := 0; ; k++ {
			c := p.CDF(float64(k))
			t[n] = append(t[n], c)
			if c >= 1 || k > 20*n+40 {
				break
			}
		}
		t[n][len(t[n])-1] = 1
	}
	return t
})

// poisson returns a draw of Poisson(n), n > 0, from the random bits u:
// by inversion of the tabled distribution function for small n, else by
// distuv.Poisson.Rand with u seeding its source.
func poisson(n int64, u uint64) int64 {
	if n <= smallPoisson {
		x := float64(u>>11) * 0x1p-53
		cdf := poissonCDF()[n]
		for k, c := range cdf {
			if x < c {
				return int64(k)
			}
		}
		return int64(len(cdf) - 1)
	}
	src := splitmix(u)
	return int64(distuv.Poisson{Lambda: float64(n), Src: &src}.Rand())
}

// splitmix is a rand.Source: splitmix64, seeded by its value.
type splitmix uint64

func (s *splitmix) Uint64() uint64 {
	*s += 0x9e3779b97f4a7c15
	return mix(uint64(*s))
}
