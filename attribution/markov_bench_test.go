package attribution_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/kpiflow/kpi/attribution"
)

// wideJourneys returns 20 journeys per channel over channels channels,
// each of 1 to 5 touches drawn at random.
func wideJourneys(tb testing.TB, channels int) *attribution.Journeys {
	rng := rand.New(rand.NewPCG(3, uint64(channels)))
	var js attribution.Journeys
	for range 20 * channels {
		touches := make([]attribution.Touch, 1+rng.IntN(5))
		for k := range touches {
			touches[k].Channel = fmt.Sprintf("c%04d", rng.IntN(channels))
		}
		j := attribution.Journey{Touches: touches, Nulls: rng.Int64N(5)}
		if rng.IntN(4) == 0 {
			j.Conversions = 1
		}
		if err := js.Add(j); err != nil {
			tb.Fatal(err)
		}
	}
	return &js
}

// BenchmarkMarkovChannels runs the order-1 Markov model on journeys over
// 100 and 1,000 (MaxChannels) channels: one solve per channel, so the cost
// grows with the square of the channels.
func BenchmarkMarkovChannels(b *testing.B) {
	for _, n := range []int{100, attribution.MaxChannels} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			js := wideJourneys(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := (attribution.Markov{}).Attribute(js); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMarkovOrders runs the Markov model of order 2 and 3 on
// journeys over 40, 160 and 640 channels (20 journeys per channel, so
// the states and transitions grow with the channels too): a removal
// solve per channel, each over the part of the chain upstream of the
// channel's states.
func BenchmarkMarkovOrders(b *testing.B) {
	for _, order := range []int{2, 3} {
		for _, n := range []int{40, 160, 640} {
			b.Run(fmt.Sprintf("order=%d/channels=%d", order, n), func(b *testing.B) {
				js := wideJourneys(b, n)
				defer reportCPU(b, cpuTime())
				b.ReportAllocs()
				for b.Loop() {
					if _, err := (attribution.Markov{Order: order}).Attribute(js); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
