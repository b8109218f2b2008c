package kpibeam

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/cohort/clv"
	"github.com/kpiflow/kpi/funnel"
)

// TestCodersCoverEveryField guards the coders of the core's types: a
// field added to one of them must be added to its coder too.
func TestCodersCoverEveryField(t *testing.T) {
	tests := []struct {
		name   string
		typ    any
		fields int
	}{
		{"funnel.Event", funnel.Event{}, 4},
		{"funnel.Result", funnel.Result{}, 4},
		{"funnel.StepResult", funnel.StepResult{}, 6},
		{"funnel.Durations", funnel.Durations{}, 6},
		{"attribution.Journey", attribution.Journey{}, 4},
		{"attribution.Touch", attribution.Touch{}, 3},
		{"attribution.Result", attribution.Result{}, 7},
		{"attribution.Credit", attribution.Credit{}, 7},
		{"cohort.Customer", cohort.Customer{}, 3},
		{"cohort.Revenue", cohort.Revenue{}, 3},
		{"cohort.Subscription", cohort.Subscription{}, 4},
		{"clv.Transaction", clv.Transaction{}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.fields, reflect.TypeOf(tc.typ).NumField())
		})
	}
}

// coderCase is a value with its coder, as functions on any.
type coderCase struct {
	name string
	v    any
	enc  func(any) ([]byte, error)
	dec  func([]byte) (any, error)
}

// valueCoders returns a value of every coder of the core's plain values
// and results, with its coder.
func valueCoders(t testing.TB) []coderCase {
	at := time.Date(2026, 3, 2, 9, 0, 0, 123, time.UTC)
	c, err := funnel.NewCounter(funnel.Definition{Steps: []funnel.Match{{Event: "a"}, {Event: "b"}}, Window: time.Hour, Breakdown: []string{"ch"}, Quantiles: []float64{0.25}})
	require.NoError(t, err)
	require.NoError(t, c.Add(funnel.Event{Entity: "x", Name: "a", Time: at, Props: map[string]string{"ch": "ads"}}))
	require.NoError(t, c.Add(funnel.Event{Entity: "x", Name: "b", Time: at.Add(time.Minute)}))
	res, err := c.Result()
	require.NoError(t, err)
	var js attribution.Journeys
	j := attribution.Journey{Touches: []attribution.Touch{{Channel: "a", Time: at, Marks: attribution.Won}, {Channel: "b"}}, Conversions: 2, Value: decimal.RequireFromString("10.50")}
	require.NoError(t, js.Add(j))
	shapley, err := attribution.Shapley{Method: attribution.Ordered}.Attribute(&js)
	require.NoError(t, err)
	markov, err := attribution.Markov{}.Attribute(&js)
	require.NoError(t, err)
	return []coderCase{
		{"event", funnel.Event{Entity: "x", Name: "a", Time: at, Props: map[string]string{"k": "v", "a": ""}},
			func(v any) ([]byte, error) { return encodeEvent(v.(funnel.Event)), nil },
			func(b []byte) (any, error) { return decodeEvent(b) }},
		{"event without time", funnel.Event{Entity: "x"},
			func(v any) ([]byte, error) { return encodeEvent(v.(funnel.Event)), nil },
			func(b []byte) (any, error) { return decodeEvent(b) }},
		{"batch", batch{{Entity: "x", Name: "a", Time: at}, {Entity: "x", Name: "b", Time: at}},
			func(v any) ([]byte, error) { return encodeBatch(v.(batch)), nil },
			func(b []byte) (any, error) { return decodeBatch(b) }},
		{"funnel result", res,
			func(v any) ([]byte, error) { return encodeResult(v.(*funnel.Result)), nil },
			func(b []byte) (any, error) { return decodeResult(b) }},
		{"journey", j,
			func(v any) ([]byte, error) { return encodeJourney(v.(attribution.Journey)), nil },
			func(b []byte) (any, error) { return decodeJourney(b) }},
		{"shapley result", shapley,
			func(v any) ([]byte, error) { return encodeAttribution(v.(*attribution.Result)) },
			func(b []byte) (any, error) { return decodeAttribution(b) }},
		{"customer", cohort.Customer{ID: "acme", Acquired: at, Segment: "ads"},
			func(v any) ([]byte, error) { return encodeCustomer(v.(cohort.Customer)), nil },
			func(b []byte) (any, error) { return decodeCustomer(b) }},
		{"revenue", cohort.Revenue{CustomerID: "acme", At: at, Amount: decimal.RequireFromString("99.95")},
			func(v any) ([]byte, error) { return encodeRevenue(v.(cohort.Revenue)), nil },
			func(b []byte) (any, error) { return decodeRevenue(b) }},
		{"subscription", cohort.Subscription{CustomerID: "acme", Start: at, Amount: decimal.RequireFromString("10")},
			func(v any) ([]byte, error) { return encodeSubscription(v.(cohort.Subscription)), nil },
			func(b []byte) (any, error) { return decodeSubscription(b) }},
		{"customer record", customerRecord(cohort.Customer{ID: "acme", Acquired: at}),
			func(v any) ([]byte, error) { return encodeRecord(v.(record)), nil },
			func(b []byte) (any, error) { return decodeRecord(b) }},
		{"revenue record", revenueRecord(cohort.Revenue{CustomerID: "acme", At: at, Amount: decimal.RequireFromString("1")}),
			func(v any) ([]byte, error) { return encodeRecord(v.(record)), nil },
			func(b []byte) (any, error) { return decodeRecord(b) }},
		{"subscription record", subscriptionRecord(cohort.Subscription{CustomerID: "acme", Start: at, End: at, Amount: decimal.RequireFromString("3")}),
			func(v any) ([]byte, error) { return encodeRecord(v.(record)), nil },
			func(b []byte) (any, error) { return decodeRecord(b) }},
		{"transaction", clv.Transaction{CustomerID: "acme", At: at, Amount: decimal.RequireFromString("12.5")},
			func(v any) ([]byte, error) { return encodeTransaction(v.(clv.Transaction)), nil },
			func(b []byte) (any, error) { return decodeTransaction(b) }},
		{"markov result", markov,
			func(v any) ([]byte, error) { return encodeAttribution(v.(*attribution.Result)) },
			func(b []byte) (any, error) { return decodeAttribution(b) }},
	}
}

// TestCodersRoundTrip encodes and decodes values of every coder.
func TestCodersRoundTrip(t *testing.T) {
	for _, tc := range valueCoders(t) {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.enc(tc.v)
			require.NoError(t, err)
			got, err := tc.dec(b)
			require.NoError(t, err)
			assert.Equal(t, tc.v, got)
			again, err := tc.enc(got)
			require.NoError(t, err)
			assert.Equal(t, b, again)
			for n := range len(b) {
				_, err := tc.dec(b[:n])
				assert.Error(t, err, "truncated to %d bytes", n)
			}
		})
	}
}

// accumulatorCoders returns an accumulator of every coder, and the
// results that travel as JSON, with its coder.
func accumulatorCoders(t testing.TB) []coderCase {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	b, err := cohort.NewBuilder(cohort.Month)
	require.NoError(t, err)
	require.NoError(t, b.Add(cohort.Customer{ID: "acme", Acquired: at}))
	require.NoError(t, b.Add(cohort.Revenue{CustomerID: "acme", At: at, Amount: decimal.RequireFromString("99.5")}))
	tab, err := b.Table(at)
	require.NoError(t, err)
	var p clv.Purchases
	require.NoError(t, p.Add(clv.Transaction{CustomerID: "acme", At: at, Amount: decimal.RequireFromString("5")}))
	require.NoError(t, p.Add(clv.Transaction{CustomerID: "acme", At: at.AddDate(0, 0, 9), Amount: decimal.RequireFromString("7.25")}))
	sum, err := p.Summary(at.AddDate(0, 0, 30), at.AddDate(0, 0, 60), 24*time.Hour)
	require.NoError(t, err)
	c, err := attribution.NewChain(2)
	require.NoError(t, err)
	require.NoError(t, c.Add(attribution.Journey{Touches: []attribution.Touch{{Channel: "a"}, {Channel: "b"}}, Conversions: 1}))
	counter, err := funnel.NewCounter(funnel.Definition{Steps: []funnel.Match{{Event: "a"}, {Event: "b"}}, Window: time.Hour})
	require.NoError(t, err)
	require.NoError(t, counter.Add(funnel.Event{Entity: "x", Name: "a", Time: at}))
	var js attribution.Journeys
	require.NoError(t, js.Add(attribution.Journey{Touches: []attribution.Touch{{Channel: "a", Time: at}}, Conversions: 1, Value: decimal.RequireFromString("3.5")}))
	return []coderCase{
		{"counter", counter, func(v any) ([]byte, error) { return encodeCounter(v.(*funnel.Counter)) }, func(d []byte) (any, error) { return decodeCounter(d) }},
		{"journeys", &js, func(v any) ([]byte, error) { return encodeJourneys(v.(*attribution.Journeys)) }, func(d []byte) (any, error) { return decodeJourneys(d) }},
		{"builder", b, func(v any) ([]byte, error) { return encodeBuilder(v.(*cohort.Builder)) }, func(d []byte) (any, error) { return decodeBuilder(d) }},
		{"purchases", &p, func(v any) ([]byte, error) { return encodePurchases(v.(*clv.Purchases)) }, func(d []byte) (any, error) { return decodePurchases(d) }},
		{"chain", c, func(v any) ([]byte, error) { return encodeChain(v.(*attribution.Chain)) }, func(d []byte) (any, error) { return decodeChain(d) }},
		{"table", tab, func(v any) ([]byte, error) { return encodeTable(v.(*cohort.Table)) }, func(d []byte) (any, error) { return decodeTable(d) }},
		{"summary", sum, func(v any) ([]byte, error) { return encodeSummary(v.(clv.Summary)) }, func(d []byte) (any, error) { return decodeSummary(d) }},
	}
}

// TestAccumulatorCodersRoundTrip encodes and decodes the accumulators
// and the results that travel as JSON: what decodes encodes to the same
// bytes, and no truncation decodes.
func TestAccumulatorCodersRoundTrip(t *testing.T) {
	for _, tc := range accumulatorCoders(t) {
		t.Run(tc.name, func(t *testing.T) {
			data, err := tc.enc(tc.v)
			require.NoError(t, err)
			got, err := tc.dec(data)
			require.NoError(t, err)
			again, err := tc.enc(got)
			require.NoError(t, err)
			assert.Equal(t, data, again)
			for n := range len(data) {
				_, err := tc.dec(data[:n])
				assert.Error(t, err, "truncated to %d bytes", n)
			}
		})
	}
}

// TestCoderErrors checks the coders' errors on data they cannot take.
func TestCoderErrors(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"bootstrap intervals", func() error {
			_, err := encodeAttribution(&attribution.Result{Credits: []attribution.Credit{{Channel: "a", Interval: &attribution.CreditInterval{}}}})
			return err
		}, `kpibeam: a Bootstrap's credit intervals (channel "a") cannot be encoded`},
		{"counter", func() error { _, err := decodeCounter([]byte("kpF\x01")); return err }, "funnel.Counter.UnmarshalBinary"},
		{"journeys", func() error { _, err := decodeJourneys([]byte("kpJ\x01")); return err }, "attribution.Journeys.UnmarshalBinary"},
		{"nested breakdown", func() error {
			inner := funnel.Result{Breakdown: []funnel.Result{}}
			_, err := decodeResult(encodeResult(&funnel.Result{Breakdown: []funnel.Result{inner}}))
			return err
		}, "a breakdown inside a breakdown"},
		{"rate", func() error {
			_, err := decodeResult([]byte("kpr\x03\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
			return err
		}, "kpibeam: decoding a funnel result: byte"},
		{"result version 1", func() error {
			_, err := decodeResult([]byte("kpr\x01\x00\x01\x00\x00\x00\x00\x00\x00"))
			return err
		}, "version 1: a result of one breakdown property"},
		{"result version 2", func() error {
			_, err := decodeResult([]byte("kpr\x02\x00\x01\x00\x00\x00\x00\x00\x00"))
			return err
		}, "version 2: a result without its steps' time quantiles"},
		{"decimal", func() error {
			_, err := decodeJourney([]byte("kpj\x01\x00\x00\x00\x01x\x00"))
			return err
		}, "decimal xe0 out of range"},
		{"record kind", func() error { _, err := decodeRecord([]byte("kpR\x01x")); return err }, `record kind 'x'`},
		{"time", func() error { _, err := decodeCustomer([]byte("kpc\x01\x01a\x01x\x00")); return err }, "Time.UnmarshalBinary"},
		{"builder", func() error { _, err := decodeBuilder([]byte("kpC\x01")); return err }, "cohort.Builder.UnmarshalBinary"},
		{"purchases", func() error { _, err := decodePurchases([]byte("kpP\x01")); return err }, "clv.Purchases.UnmarshalBinary"},
		{"chain", func() error { _, err := decodeChain([]byte("kpM\x01")); return err }, "attribution.Chain.UnmarshalBinary"},
		{"table", func() error { _, err := decodeTable([]byte("{")); return err }, "kpibeam: decoding a cohort table"},
		{"summary", func() error { _, err := decodeSummary([]byte("[")); return err }, "kpibeam: decoding an RFM summary"},
		{"empty record", func() error {
			rec, err := decodeRecord(encodeRecord(record{}))
			if err == nil && rec.value() == nil {
				return errors.New("no record")
			}
			return err
		}, "no record"},
		{"key", func() error { _, err := splitKey("9:ab"); return err }, `kpibeam: malformed key "9:ab"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
