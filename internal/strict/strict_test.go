package strict_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kpiflow/kpi/internal/strict"
)

type inner struct {
	Value float64 `json:"value"`
	Note  string  `json:"note,omitempty"`
}

type embedded struct {
	Level float64 `json:"level"`
}

type doc struct {
	embedded
	Name    string            `json:"name"`
	Items   []inner           `json:"items"`
	ByName  map[string]inner  `json:"byName"`
	Any     any               `json:"any"`
	Ptr     *inner            `json:"ptr"`
	At      time.Time         `json:"at"` // decodes itself
	Raw     json.RawMessage   `json:"raw"`
	Grid    [2][]inner        `json:"grid"`
	Skipped string            `json:"-"`
	Plain   int               // no tag: the key is "Plain"
	Tags    map[string]string `json:"tags"`
}

func TestKeys(t *testing.T) {
	tests := []struct {
		name              string
		data              string
		path, key, reason string
	}{
		{"empty object", `{}`, "", "", ""},
		{"every kind of value", `{"name":"a","items":[{"value":1},{"value":2,"note":"x"}],"byName":{"a":{"value":1},"A":{"value":2}},
			"any":{"x":[1,{"y":null}],"X":true},"ptr":{"value":3},"at":"2024-01-01T00:00:00Z","raw":{"v":1,"v":2},
			"grid":[[{"value":1}],[]],"Plain":7,"level":0.5,"tags":{"k":"v"}}`, "", "", ""},
		{"strings with escapes and brackets", `{"name":"a\"}],{\\","items":[{"note":"[{\"x\":1}]","value":1e-3}]}`, "", "", ""},
		{"escaped key", `{"n\u0061me":"a"}`, "", "", ""},
		{"case of a field", `{"Name":"a"}`, "", "Name", `key differs in case from "name"`},
		{"case of an embedded field", `{"LEVEL":1}`, "", "LEVEL", `key differs in case from "level"`},
		{"case of an untagged field", `{"plain":1}`, "", "plain", `key differs in case from "Plain"`},
		{"Kelvin sign folds to k", "{\"tags\":{},\"\u212aeep\":1}", "", "", ""},
		{"repeated key", `{"name":"a","name":"b"}`, "", "name", "repeated key"},
		{"repeated in case", `{"name":"a","Name":"b"}`, "", "Name", `key differs in case from "name"`},
		{"repeated in an array element", `{"items":[{"value":1},{"value":1,"value":2}]}`, "items[1]", "value", "repeated key"},
		{"case in a map's value", `{"byName":{"a":{"Value":1}}}`, "byName.a", "Value", `key differs in case from "value"`},
		{"repeated map key", `{"byName":{"a":{},"a":{}}}`, "byName", "a", "repeated key"},
		{"map keys that differ in case are distinct", `{"tags":{"a":"1","A":"2"}}`, "", "", ""},
		{"repeated under any", `{"any":[{"x":1,"x":2}]}`, "any[0]", "x", "repeated key"},
		{"pointer", `{"ptr":{"value":1,"value":1}}`, "ptr", "value", "repeated key"},
		{"nested arrays", `{"grid":[[],[{"Value":1}]]}`, "grid[1][0]", "Value", `key differs in case from "value"`},
		{"a self-decoding value is not looked into", `{"raw":{"a":1,"a":2},"at":"2024-01-01T00:00:00Z"}`, "", "", ""},
		{"a key unknown to the type is left to the decoder", `{"other":{"a":1,"a":2}}`, "", "", ""},
		{"whitespace everywhere", " {\n\t\"items\" : [ { \"value\" : 1 } , { \"value\" : 2 , \"value\" : 3 } ] } ", "items[1]", "value", "repeated key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			// encoding/json must take the document, or the row tests nothing.
			if err := json.Unmarshal([]byte(tc.data), &d); err != nil && !strings.Contains(tc.name, "unknown") {
				t.Fatalf("json.Unmarshal: %v", err)
			}
			path, key, reason := strict.Keys([]byte(tc.data), reflect.TypeOf(&d))
			assert.Equal(t, []string{tc.path, tc.key, tc.reason}, []string{path, key, reason})
		})
	}
}

// TestKeysTypes: the type leads, not the document, for scalars and the
// top level.
func TestKeysTypes(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		t      reflect.Type
		reason string
	}{
		{"a map at the top", `{"a":1,"a":2}`, reflect.TypeFor[map[string]int](), "repeated key"},
		{"a slice of maps", `[{"a":1},{"b":1,"b":1}]`, reflect.TypeFor[[]map[string]int](), "repeated key"},
		{"a scalar", `12.5`, reflect.TypeFor[float64](), ""},
		{"a string", `"{\"a\":1,\"a\":1}"`, reflect.TypeFor[string](), ""},
		{"any", `{"a":{"b":1,"b":1}}`, reflect.TypeFor[any](), "repeated key"},
		{"a self-decoding top", `{"a":1,"a":1}`, reflect.TypeFor[*json.RawMessage](), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, reason := strict.Keys([]byte(tc.data), tc.t)
			assert.Equal(t, tc.reason, reason)
		})
	}
}

// FuzzKeys: on any document encoding/json decodes into doc, Keys does not
// panic, reads within the data, and its verdict agrees with a slow
// reference: decoding into doc and into the generic form and comparing
// key counts object by object is not possible in general, so the check is
// the two properties that are: a document that re-encodes from the
// decoded value (keys spelled and counted as encoding/json writes them)
// passes, and doubling the document's first key inside its first object
// fails.
func FuzzKeys(f *testing.F) {
	f.Add(`{"name":"a","items":[{"value":1}],"byName":{"a":{"value":1}}}`)
	f.Add(`{"any":{"x":[1,{"y":null}]},"raw":{"v":1,"v":2}}`)
	f.Add(`{"Name":"a"}`)
	f.Add(`{"items":[{"value":1,"value":2}]}`)
	f.Add(`{"tags":{"a":"1","A":"2"},"grid":[[{"value":1}],[]]}`)
	f.Fuzz(func(t *testing.T, data string) {
		var d doc
		if json.Unmarshal([]byte(data), &d) != nil {
			return
		}
		_, _, _ = strict.Keys([]byte(data), reflect.TypeOf(&d))
		again, err := json.Marshal(&d)
		if err != nil {
			return
		}
		if _, key, reason := strict.Keys(again, reflect.TypeOf(&d)); reason != "" {
			t.Fatalf("re-encoded %s: %q: %s", again, key, reason)
		}
		// "name" given twice at the top.
		twice := append([]byte(`{"name":"x",`), again[1:]...)
		if _, key, reason := strict.Keys(twice, reflect.TypeOf(&d)); reason != "repeated key" || key != "name" {
			t.Fatalf("%s: %q %q, want name given twice", twice, key, reason)
		}
	})
}
