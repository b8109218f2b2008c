package kpi_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/kpiflow/kpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kmTimes and kmStatus are twenty follow-ups with ties between
// conversions and censorings, made up for these tests.
var (
	kmTimes  = []float64{1, 2, 2, 3, 3, 3, 5, 5, 7, 8, 8, 10, 12, 12, 15, 15, 20, 20, 25, 30}
	kmStatus = []bool{true, true, false, true, true, false, true, false, false, true, true, false, true, false, true, false, false, true, false, false}
)

func kmObs(times []float64, status []bool) []kpi.Observation {
	out := make([]kpi.Observation, len(times))
	for i := range times {
		out[i] = kpi.Observation{Time: times[i], Converted: status[i]}
	}
	return out
}

// TestKaplanMeier checks the curve against R 4.2.2, survival 3.5-3:
//
//	f <- survfit(Surv(time, status) ~ 1, conf.type = ct, conf.int = level)
//	data.frame(f$time, f$n.risk, f$n.event, f$n.censor, f$surv, f$lower, f$upper)
//
// with time and status as kmTimes and kmStatus; Share is 1 − surv and its
// interval [1 − upper, 1 − lower].
func TestKaplanMeier(t *testing.T) {
	wantTime := []float64{1, 2, 3, 5, 7, 8, 10, 12, 15, 20, 25, 30}
	wantRisk := []int64{20, 19, 17, 14, 12, 11, 9, 8, 6, 4, 2, 1}
	wantEvent := []int64{1, 1, 2, 1, 0, 2, 0, 1, 1, 1, 0, 0}
	wantCens := []int64{0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}
	surv := []float64{0.94999999999999996, 0.89999999999999991, 0.79411764705882337, 0.73739495798319321,
		0.73739495798319321, 0.60332314744079452, 0.60332314744079452, 0.52790775401069523,
		0.43992312834224606, 0.32994234625668456, 0.32994234625668456, 0.32994234625668456}
	tests := []struct {
		name   string
		scale  kpi.Scale
		level  float64
		lo, hi []float64 // of S, as survfit prints them
	}{
		{"log-log 95", kpi.LogLogScale, 0.95,
			[]float64{0.694743193256570191, 0.656030707261566981, 0.539680482480938695, 0.478240968753219420, 0.478240968753219420, 0.336891215608156547, 0.336891215608156547, 0.264868816663151097, 0.185951496191501198, 0.098671829583572873, 0.098671829583572873, 0.098671829583572873},
			[]float64{0.99280222859339717, 0.97401017439577486, 0.91744807714027110, 0.88178491303589202, 0.88178491303589202, 0.79082407148508294, 0.79082407148508294, 0.73551068828289889, 0.66976712091356916, 0.58808071041963605, 0.58808071041963605, 0.58808071041963605}},
		{"log-log 90", kpi.LogLogScale, 0.90,
			[]float64{0.76662302688254991, 0.71368497225045235, 0.59065885456348377, 0.52735726624972346, 0.52735726624972346, 0.38221068966340277, 0.38221068966340277, 0.30697532715486525, 0.22333972770359317, 0.12779418767574313, 0.12779418767574313, 0.12779418767574313},
			[]float64{0.99014892874161131, 0.96762608168632569, 0.90399660154445249, 0.86499760813739413, 0.86499760813739413, 0.76684079647985470, 0.76684079647985470, 0.70782006072114068, 0.63774792664458324, 0.55011503447740095, 0.55011503447740095, 0.55011503447740095}},
		{"log 95", kpi.LogScale, 0.95,
			[]float64{0.85912802773588048, 0.77767420219588457, 0.63293039322164590, 0.56324890637813285, 0.56324890637813285, 0.40949261190152847, 0.40949261190152847, 0.33069025613916375, 0.24412448881095908, 0.14580172497640959, 0.14580172497640959, 0.14580172497640959},
			[]float64{1, 1, 0.99635417120726599, 0.96538371917226928, 0.96538371917226928, 0.88890204525936167, 0.88890204525936167, 0.84274208740924483, 0.79276093845829843, 0.74664378539403131, 0.74664378539403131, 0.74664378539403131}},
		{"plain 95", kpi.PlainScale, 0.95,
			[]float64{0.854483170597278741, 0.768521618913512672, 0.613955249268771874, 0.538739273744938574, 0.538739273744938574, 0.369514859689666464, 0.369514859689666464, 0.280984495293317371, 0.180842848163758507, 0.060488237867721006, 0.060488237867721006, 0.060488237867721006},
			[]float64{1, 1, 0.97428004484887487, 0.93605064222144785, 0.93605064222144785, 0.83713143519192257, 0.83713143519192257, 0.77483101272807309, 0.69900340852073362, 0.59939645464564806, 0.59939645464564806, 0.59939645464564806}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := kpi.KaplanMeier(slices.Values(kmObs(kmTimes, kmStatus)), tc.level, tc.scale)
			require.NoError(t, err)
			assert.Equal(t, int64(20), c.Entities)
			require.Len(t, c.Points, len(wantTime))
			for i, p := range c.Points {
				assert.Equal(t, wantTime[i], p.Time)
				assert.Equal(t, wantRisk[i], p.AtRisk, "at risk at %v", p.Time)
				assert.Equal(t, wantEvent[i], p.Converted)
				assert.Equal(t, wantCens[i], p.Censored)
				assert.InEpsilon(t, 1-surv[i], p.Share, 1e-12, "share at %v", p.Time)
				assert.InDelta(t, 1-tc.hi[i], p.Interval.Lo, 1e-12, "lo at %v", p.Time)
				assert.InDelta(t, 1-tc.lo[i], p.Interval.Hi, 1e-12, "hi at %v", p.Time)
				assert.Equal(t, tc.level, p.Interval.Level)
				assert.Equal(t, "greenwood-"+tc.scale.String(), p.Interval.Method)
			}
		})
	}
}

// TestKaplanMeierMature shows that without censoring the curve's share at
// any time is the plain rate, to the last bit: 7 of 10 converted.
func TestKaplanMeierMature(t *testing.T) {
	tests := []struct {
		name  string
		times []float64
		at    float64
		want  kpi.Rate
	}{
		{"7 of 10", []float64{1, 1, 2, 3, 5, 8, 13}, 14, must(kpi.NewRate(7, 10))},
		{"3 of 7 by day 2", []float64{0.5, 1, 2, 3, 3, 4}, 2, must(kpi.NewRate(3, 7))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var obs []kpi.Observation
			for _, x := range tc.times {
				obs = append(obs, kpi.Observation{Time: x, Converted: true})
			}
			for int64(len(obs)) < tc.want.Trials() {
				obs = append(obs, kpi.Observation{Time: 30})
			}
			c, err := kpi.KaplanMeier(slices.Values(obs), 0.95, kpi.LogLogScale)
			require.NoError(t, err)
			share, _ := c.At(tc.at)
			v, _ := tc.want.Value()
			assert.Equal(t, v, share)
		})
	}
}

// TestCurveMedian checks Median against R's quantile(survfit(...), 0.5)
// (R 4.2.2, survival 3.5-3): 15 for kmTimes; 3 where the curve stays at
// exactly 0.5 from time 2 to the last time 4; 4 where it crosses.
func TestCurveMedian(t *testing.T) {
	tests := []struct {
		name   string
		obs    []kpi.Observation
		want   float64
		wantOK bool
	}{
		{"crosses at 15", kmObs(kmTimes, kmStatus), 15, true},
		{"flat at one half", kmObs([]float64{1, 2, 3, 4}, []bool{true, true, false, false}), 3, true},
		{"flat then drops", kmObs([]float64{1, 2, 3, 4}, []bool{true, true, false, true}), 3, true},
		{"crosses at 4", kmObs([]float64{1, 2, 3, 4, 5, 6}, []bool{true, false, true, true, true, false}), 4, true},
		{"never", kmObs([]float64{1, 2, 3}, []bool{true, false, false}), 0, false},
		// Issue 13's probe: the midpoint of a flat stretch from 1.7e308 to
		// MaxFloat64 overflowed to +Inf as (a + b)/2. The exact midpoint,
		// (1.7e308 + 1.7976931348623157e308)/2 in rationals (Python's
		// fractions), rounds to 1.7488465674311577e308.
		{"flat at one half near MaxFloat64", kmObs([]float64{1, 1.7e308, math.MaxFloat64}, []bool{false, true, false}), 1.7488465674311577e308, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := kpi.KaplanMeier(slices.Values(tc.obs), 0.95, kpi.LogLogScale)
			require.NoError(t, err)
			got, ok := c.Median()
			assert.Equal(t, tc.wantOK, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestCurveAt reads the step function between and before its points.
func TestCurveAt(t *testing.T) {
	c, err := kpi.KaplanMeier(slices.Values(kmObs(kmTimes, kmStatus)), 0.95, kpi.LogLogScale)
	require.NoError(t, err)
	tests := []struct {
		name string
		at   float64
		want float64
	}{
		{"before the first", 0.5, 0},
		{"at the first", 1, 1 - 0.94999999999999996},
		{"between", 4, 1 - 0.79411764705882337},
		{"after the last", 100, 1 - 0.32994234625668456},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, iv := c.At(tc.at)
			assert.InDelta(t, tc.want, got, 1e-15)
			assert.LessOrEqual(t, iv.Lo, got)
			assert.GreaterOrEqual(t, iv.Hi, got)
		})
	}
	// Issue 13's probe: NaN matched every point in the binary search and
	// read an arbitrary one; it is NaN now.
	got, iv := c.At(math.NaN())
	assert.True(t, math.IsNaN(got) && math.IsNaN(iv.Lo) && math.IsNaN(iv.Hi))
	assert.Equal(t, 0.95, iv.Level)
	var zero kpi.Curve
	got, iv = zero.At(3)
	assert.Equal(t, 0.0, got)
	assert.Equal(t, 0.0, iv.Hi)
}

// TestKaplanMeierAllConverted: when everyone at risk converts, S = 0 and
// Greenwood's variance is infinite (survfit reports NA); the interval
// keeps the lower end before and reaches 1.
func TestKaplanMeierAllConverted(t *testing.T) {
	tests := []struct {
		name string
		obs  []kpi.Observation
	}{
		{"two", kmObs([]float64{1, 2}, []bool{true, true})},
		{"censored first", kmObs([]float64{1, 2, 3}, []bool{false, true, true})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := kpi.KaplanMeier(slices.Values(tc.obs), 0.95, kpi.LogLogScale)
			require.NoError(t, err)
			last := c.Points[len(c.Points)-1]
			prev := c.Points[len(c.Points)-2]
			assert.Equal(t, 1.0, last.Share)
			assert.Equal(t, 1.0, last.Interval.Hi)
			assert.Equal(t, prev.Interval.Lo, last.Interval.Lo)
		})
	}
}

// TestKaplanMeierFlatAfterCensoring: where nobody converts the share does
// not move, not even by an ulp. Found by the fuzz campaign (the seed is in
// testdata/fuzz/FuzzKaplanMeier): with 1 of 5 converted at t = 12 and one
// censored there, the next point (two censored at t = 22) came out as
// 1 − 0.8 = 0.19999999999999996, below the 1/5 = 0.2 before it. By hand:
// S stays 4/5 until t = 30, where 1 of the 1 left at risk converts, S = 0.
func TestKaplanMeierFlatAfterCensoring(t *testing.T) {
	obs := []kpi.Observation{{Time: 22}, {Time: 30, Converted: true}, {Time: 22}, {Time: 12, Converted: true}, {Time: 12}}
	tests := []struct {
		name  string
		scale kpi.Scale
	}{
		{"log-log", kpi.LogLogScale},
		{"log", kpi.LogScale},
		{"plain", kpi.PlainScale},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := kpi.KaplanMeier(slices.Values(obs), 0.95, tc.scale)
			require.NoError(t, err)
			require.Len(t, c.Points, 3)
			assert.Equal(t, 0.2, c.Points[0].Share)
			assert.Equal(t, 0.2, c.Points[1].Share)
			assert.Equal(t, c.Points[0].Interval, c.Points[1].Interval)
			assert.Equal(t, 1.0, c.Points[2].Share)
		})
	}
}

func TestKaplanMeierErrors(t *testing.T) {
	tests := []struct {
		name  string
		obs   []kpi.Observation
		level float64
		scale kpi.Scale
		class error
		text  string
	}{
		{"no observations", nil, 0.95, kpi.LogLogScale, kpi.ErrUndefined, "no observations"},
		{"negative time", kmObs([]float64{1, -2}, []bool{true, true}), 0.95, kpi.LogLogScale, kpi.ErrInvalid, "observation 1 time -2"},
		{"NaN time", kmObs([]float64{math.NaN()}, []bool{false}), 0.95, kpi.LogLogScale, kpi.ErrInvalid, "observation 0 time NaN"},
		{"infinite time", kmObs([]float64{math.Inf(1)}, []bool{true}), 0.95, kpi.LogLogScale, kpi.ErrInvalid, "+Inf"},
		{"level 1", kmObs([]float64{1}, []bool{true}), 1, kpi.LogLogScale, kpi.ErrInvalid, "level 1"},
		{"level NaN", kmObs([]float64{1}, []bool{true}), math.NaN(), kpi.LogLogScale, kpi.ErrInvalid, "level NaN"},
		{"unknown scale", kmObs([]float64{1}, []bool{true}), 0.95, kpi.Scale(9), kpi.ErrInvalid, "Scale(9)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kpi.KaplanMeier(slices.Values(tc.obs), tc.level, tc.scale)
			require.ErrorIs(t, err, tc.class)
			assert.Contains(t, err.Error(), tc.text)
			assert.Contains(t, err.Error(), "kpi.KaplanMeier")
		})
	}
	_, err := kpi.KaplanMeier(nil, 0.95, kpi.LogLogScale)
	require.ErrorIs(t, err, kpi.ErrUndefined)
}

func TestScaleString(t *testing.T) {
	tests := []struct {
		s    kpi.Scale
		want string
	}{
		{kpi.LogLogScale, "log-log"},
		{kpi.LogScale, "log"},
		{kpi.PlainScale, "plain"},
		{kpi.Scale(7), "Scale(7)"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.s.String())
	}
}

// FuzzKaplanMeier checks, on any observations, that shares never fall,
// lie in [0, 1] inside their intervals, that the risk sets add up and
// that the input order does not matter.
func FuzzKaplanMeier(f *testing.F) {
	f.Add([]byte{1, 2, 2, 3, 3, 3, 5}, uint8(0b1011011), uint8(0))
	f.Add([]byte{0, 0, 0}, uint8(7), uint8(1))
	f.Add([]byte{9}, uint8(0), uint8(2))
	f.Fuzz(func(t *testing.T, times []byte, status uint8, scale uint8) {
		obs := make([]kpi.Observation, len(times))
		for i, b := range times {
			obs[i] = kpi.Observation{Time: float64(b) / 4, Converted: status>>(i%8)&1 == 1}
		}
		c, err := kpi.KaplanMeier(slices.Values(obs), 0.95, kpi.Scale(scale%3))
		if len(obs) == 0 {
			require.ErrorIs(t, err, kpi.ErrUndefined)
			return
		}
		require.NoError(t, err)
		prev, seen := 0.0, int64(0)
		for _, p := range c.Points {
			assert.GreaterOrEqual(t, p.Share, prev)
			assert.LessOrEqual(t, p.Share, 1.0)
			assert.LessOrEqual(t, p.Interval.Lo, p.Share+1e-12)
			assert.GreaterOrEqual(t, p.Interval.Hi, p.Share-1e-12)
			assert.Equal(t, c.Entities-seen, p.AtRisk)
			seen += p.Converted + p.Censored
			prev = p.Share
		}
		assert.Equal(t, c.Entities, seen)
		rev := slices.Clone(obs)
		slices.Reverse(rev)
		c2, err := kpi.KaplanMeier(slices.Values(rev), 0.95, kpi.Scale(scale%3))
		require.NoError(t, err)
		assert.Equal(t, c.Points, c2.Points)
	})
}

func BenchmarkKaplanMeier(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	obs := make([]kpi.Observation, 1_000_000)
	for i := range obs {
		obs[i] = kpi.Observation{Time: math.Floor(rng.ExpFloat64() * 30 * 86400), Converted: rng.IntN(3) > 0}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kpi.KaplanMeier(slices.Values(obs), 0.95, kpi.LogLogScale); err != nil {
			b.Fatal(err)
		}
	}
}

// A conversion curve for entities still inside their window: the two
// censored at day 3 and 4 are not counted as failures.
func ExampleKaplanMeier() {
	obs := []kpi.Observation{
		{Time: 1, Converted: true}, {Time: 2, Converted: true}, {Time: 3},
		{Time: 4}, {Time: 5, Converted: true}, {Time: 9},
	}
	c, _ := kpi.KaplanMeier(slices.Values(obs), 0.95, kpi.LogLogScale)
	for _, p := range c.Points {
		fmt.Printf("day %v: at risk %d, converted %.3f %v\n", p.Time, p.AtRisk, p.Share, p.Interval)
	}
	// Output:
	// day 1: at risk 6, converted 0.167 [0.02529, 0.7269] 95% greenwood-log-log
	// day 2: at risk 5, converted 0.333 [0.09557, 0.8054] 95% greenwood-log-log
	// day 3: at risk 4, converted 0.333 [0.09557, 0.8054] 95% greenwood-log-log
	// day 4: at risk 3, converted 0.333 [0.09557, 0.8054] 95% greenwood-log-log
	// day 5: at risk 2, converted 0.667 [0.2452, 0.9863] 95% greenwood-log-log
	// day 9: at risk 1, converted 0.667 [0.2452, 0.9863] 95% greenwood-log-log
}

// The share converted by day 4, between the curve's points.
func ExampleCurve_At() {
	obs := []kpi.Observation{{Time: 1, Converted: true}, {Time: 3, Converted: true}, {Time: 7}, {Time: 8}}
	c, _ := kpi.KaplanMeier(slices.Values(obs), 0.95, kpi.LogLogScale)
	share, iv := c.At(4)
	fmt.Printf("%.2f %v\n", share, iv)
	// Output: 0.50 [0.1551, 0.9422] 95% greenwood-log-log
}

// The median time to convert, where the share reaches one half.
func ExampleCurve_Median() {
	obs := kmObs(kmTimes, kmStatus)
	c, _ := kpi.KaplanMeier(slices.Values(obs), 0.95, kpi.LogLogScale)
	fmt.Println(c.Median())
	// Output: 15 true
}

// Scales print under R's survfit names.
func ExampleScale_String() {
	fmt.Println(kpi.LogLogScale.String(), kpi.LogScale, kpi.PlainScale)
	// Output: log-log log plain
}

// TestCurveJSON: a curve round-trips through JSON, its scale by name.
func TestCurveJSON(t *testing.T) {
	tests := []struct {
		name  string
		scale kpi.Scale
		key   string
	}{
		{"log-log", kpi.LogLogScale, `"scale":"log-log"`},
		{"plain", kpi.PlainScale, `"scale":"plain"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := kpi.KaplanMeier(slices.Values(kmObs(kmTimes, kmStatus)), 0.95, tc.scale)
			require.NoError(t, err)
			b, err := json.Marshal(c)
			require.NoError(t, err)
			assert.Contains(t, string(b), tc.key)
			assert.Contains(t, string(b), `"atRisk":20`)
			var back kpi.Curve
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, *c, back)
		})
	}
}

func TestScaleText(t *testing.T) {
	tests := []struct {
		text  string
		want  kpi.Scale
		fails bool
	}{
		{"log-log", kpi.LogLogScale, false},
		{"log", kpi.LogScale, false},
		{"plain", kpi.PlainScale, false},
		{"loglog", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			var s kpi.Scale
			err := s.UnmarshalText([]byte(tc.text))
			if tc.fails {
				require.ErrorIs(t, err, kpi.ErrInvalid)
				assert.Contains(t, err.Error(), `"loglog"`)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, s)
			b, err := s.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.text, string(b))
		})
	}
	_, err := kpi.Scale(5).MarshalText()
	require.ErrorIs(t, err, kpi.ErrInvalid)
}

// A scale is written by its survfit name.
func ExampleScale_MarshalText() {
	b, _ := kpi.LogScale.MarshalText()
	fmt.Println(string(b))
	// Output: log
}

// A scale is read back from its name.
func ExampleScale_UnmarshalText() {
	var s kpi.Scale
	fmt.Println(s.UnmarshalText([]byte("plain")), s)
	// Output: <nil> plain
}
