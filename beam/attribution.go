package kpibeam

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/kpiflow/kpi/attribution"
)

func init() {
	register.Combiner2[*attribution.Journeys, attribution.Journey](&journeysFn{})
	register.DoFn1x2[*attribution.Journeys, *attribution.Result, error](&attributeFn{})
	register.DoFn2x3[string, *attribution.Journeys, string, *attribution.Result, error](&attributeKeyFn{})
}

// Journeys merges journeys, a PCollection of attribution.Journey, into a
// PCollection holding one *attribution.Journeys: partial accumulators
// are built per bundle, shipped encoded and merged. Every model gives the
// merged journeys the result it gives the same journeys added to one
// attribution.Journeys in memory. A journey that Journeys.Add rejects
// fails the pipeline with Add's error.
func Journeys(s beam.Scope, journeys beam.PCollection) beam.PCollection {
	s = s.Scope("kpibeam.Journeys")
	return beam.Combine(s, &journeysFn{}, journeys)
}

// JourneysPerKey is Journeys for each key: journeys is a PCollection of
// KV<string, attribution.Journey>, the result a PCollection of
// KV<string, *attribution.Journeys>.
func JourneysPerKey(s beam.Scope, journeys beam.PCollection) beam.PCollection {
	s = s.Scope("kpibeam.JourneysPerKey")
	return beam.CombinePerKey(s, &journeysFn{}, journeys)
}

// journeysFn is the CombineFn of Journeys.
type journeysFn struct{}

func (*journeysFn) CreateAccumulator() *attribution.Journeys { return &attribution.Journeys{} }

func (*journeysFn) AddInput(js *attribution.Journeys, j attribution.Journey) (*attribution.Journeys, error) {
	return js, js.Add(j)
}

func (*journeysFn) MergeAccumulators(a, b *attribution.Journeys) (*attribution.Journeys, error) {
	return a, a.Merge(b)
}

// models are the library's models that a pipeline can carry, by type.
var models = map[string]reflect.Type{}

func init() {
	for _, m := range []attribution.Model{
		attribution.First{}, attribution.Last{}, attribution.LastNonDirect{}, attribution.Linear{},
		attribution.Position{}, attribution.WShaped{}, attribution.FullPath{}, attribution.TimeDecay{},
		attribution.Custom{}, attribution.Markov{}, attribution.Shapley{},
	} {
		models[reflect.TypeOf(m).String()] = reflect.TypeOf(m)
	}
}

// modelSpec is a model as a DoFn carries it: its type and its JSON.
type modelSpec struct {
	Type   string
	Config []byte
}

func newSpec(m attribution.Model) (modelSpec, error) {
	if m == nil {
		return modelSpec{}, fmt.Errorf("kpibeam.Attribute: nil model")
	}
	name := reflect.TypeOf(m).String()
	if _, ok := models[name]; !ok {
		return modelSpec{}, fmt.Errorf("kpibeam.Attribute: model %s: not one of the library's rule, Markov or Shapley models", name)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return modelSpec{}, fmt.Errorf("kpibeam.Attribute: model %s: %w", name, err)
	}
	spec := modelSpec{Type: name, Config: b}
	back, err := spec.model()
	if err != nil || !reflect.DeepEqual(back, m) {
		return modelSpec{}, fmt.Errorf("kpibeam.Attribute: model %s %+v does not survive its JSON", name, m)
	}
	return spec, nil
}

func (s modelSpec) model() (attribution.Model, error) {
	t, ok := models[s.Type]
	if !ok {
		return nil, fmt.Errorf("kpibeam: unknown model type %q", s.Type)
	}
	v := reflect.New(t)
	if err := json.Unmarshal(s.Config, v.Interface()); err != nil {
		return nil, fmt.Errorf("kpibeam: model %s: %w", s.Type, err)
	}
	return v.Elem().Interface().(attribution.Model), nil
}

// Attribute runs model m on each *attribution.Journeys of journeys (the
// output of Journeys) and returns a PCollection of *attribution.Result.
// The Markov models build their chain from the merged journeys'
// transition counts, so their results equal the in-memory ones.
//
// Errors, at construction: a nil model, or one that is not among the
// library's rule, Markov and Shapley models (a Bootstrap's intervals do
// not travel). A model's error on the data fails the pipeline.
func Attribute(s beam.Scope, m attribution.Model, journeys beam.PCollection) (beam.PCollection, error) {
	spec, err := newSpec(m)
	if err != nil {
		return beam.PCollection{}, err
	}
	return beam.ParDo(s.Scope("kpibeam.Attribute"), &attributeFn{Model: spec}, journeys), nil
}

// AttributePerKey is Attribute over KV<string, *attribution.Journeys>
// (the output of JourneysPerKey), giving KV<string, *attribution.Result>.
func AttributePerKey(s beam.Scope, m attribution.Model, journeys beam.PCollection) (beam.PCollection, error) {
	spec, err := newSpec(m)
	if err != nil {
		return beam.PCollection{}, err
	}
	return beam.ParDo(s.Scope("kpibeam.AttributePerKey"), &attributeKeyFn{Model: spec}, journeys), nil
}

type attributeFn struct {
	Model modelSpec
	m     attribution.Model
}

func (f *attributeFn) Setup() error {
	var err error
	f.m, err = f.Model.model()
	return err
}

func (f *attributeFn) ProcessElement(js *attribution.Journeys) (*attribution.Result, error) {
	return f.m.Attribute(js)
}

type attributeKeyFn struct {
	Model modelSpec
	m     attribution.Model
}

func (f *attributeKeyFn) Setup() error {
	var err error
	f.m, err = f.Model.model()
	return err
}

func (f *attributeKeyFn) ProcessElement(key string, js *attribution.Journeys) (string, *attribution.Result, error) {
	r, err := f.m.Attribute(js)
	return key, r, err
}

func init() {
	register.Combiner3[*attribution.Chain, attribution.Journey, *attribution.Result](&chainFn{})
}

// Markov counts journeys, a PCollection of attribution.Journey, into the
// transition counts of model m's chain and returns a PCollection holding
// one *attribution.Result: m's credits. Unlike Journeys followed by
// Attribute, what is shipped and merged is per-bundle attribution.Chains,
// encoded, whose size grows with the chain's states and transitions, not
// with the journeys; the result equals m.Attribute on the same journeys
// in memory, to the bit and the cent.
//
// Errors, at construction: those of Markov.Chain for m's Order and Rules.
// A journey that Chain.Add refuses fails the pipeline with Add's error.
func Markov(s beam.Scope, m attribution.Markov, journeys beam.PCollection) (beam.PCollection, error) {
	fn, err := newChainFn(m)
	if err != nil {
		return beam.PCollection{}, err
	}
	return beam.Combine(s.Scope("kpibeam.Markov"), fn, journeys), nil
}

// MarkovPerKey is Markov for each key: journeys is a PCollection of
// KV<string, attribution.Journey>, the result a PCollection of
// KV<string, *attribution.Result>.
func MarkovPerKey(s beam.Scope, m attribution.Markov, journeys beam.PCollection) (beam.PCollection, error) {
	fn, err := newChainFn(m)
	if err != nil {
		return beam.PCollection{}, err
	}
	return beam.CombinePerKey(s.Scope("kpibeam.MarkovPerKey"), fn, journeys), nil
}

// chainFn is the CombineFn of Markov.
type chainFn struct {
	// Empty is the encoding of an empty Chain: its order and rules.
	Empty []byte
}

func newChainFn(m attribution.Markov) (*chainFn, error) {
	c, err := m.Chain(&attribution.Journeys{})
	if err != nil {
		return nil, err
	}
	b, err := c.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return &chainFn{Empty: b}, nil
}

func (f *chainFn) CreateAccumulator() (*attribution.Chain, error) { return decodeChain(f.Empty) }

func (f *chainFn) AddInput(c *attribution.Chain, j attribution.Journey) (*attribution.Chain, error) {
	return c, c.Add(j)
}

func (f *chainFn) MergeAccumulators(a, b *attribution.Chain) (*attribution.Chain, error) {
	return a, a.Merge(b)
}

func (f *chainFn) ExtractOutput(c *attribution.Chain) (*attribution.Result, error) { return c.Result() }
