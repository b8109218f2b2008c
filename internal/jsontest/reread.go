package jsontest

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/kpiflow/kpi"
)

// Reread holds, for a fuzz target, what every decoder of the library
// promises: data decoded into a new T (through its UnmarshalJSON when *T
// has one, else json.Unmarshal) is either refused with an error wrapping
// kpi.ErrInvalid whose text is under 1 KiB (when *T has no UnmarshalJSON,
// json.Unmarshal's own *json.SyntaxError or *json.UnmarshalTypeError,
// such as an object for a slice, aside), or read into
// a value that marshals to JSON which, read back into a fresh T, marshals
// to the same bytes. It returns the value read, or nil when data was
// refused.
func Reread[T any](t testing.TB, data []byte) *T {
	t.Helper()
	v := new(T)
	if err := decode(data, v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		own := !isUnmarshaler(v) && (errors.As(err, &se) || errors.As(err, &te))
		if !errors.Is(err, kpi.ErrInvalid) && !own {
			t.Fatalf("decoding %.80q into %T: %v, want an error wrapping kpi.ErrInvalid", data, v, err)
			return nil
		}
		if len(err.Error()) >= 1024 {
			t.Fatalf("decoding %.80q into %T: error text of %d bytes, want under 1024", data, v, len(err.Error()))
		}
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T read from %.80q does not marshal: %v", v, data, err)
		return nil
	}
	back := new(T)
	if err := decode(b, back); err != nil {
		t.Fatalf("%T does not read back its own JSON %.200s: %v", v, b, err)
		return nil
	}
	b2, err := json.Marshal(back)
	if err != nil {
		t.Fatalf("%T read back does not marshal: %v", back, err)
		return nil
	}
	if string(b) != string(b2) {
		t.Fatalf("%T changes when read back:\n%.300s\n%.300s", v, b, b2)
		return nil
	}
	return v
}

func isUnmarshaler(v any) bool {
	_, ok := v.(json.Unmarshaler)
	return ok
}

func decode(data []byte, v any) error {
	if u, ok := v.(json.Unmarshaler); ok {
		return u.UnmarshalJSON(data)
	}
	return json.Unmarshal(data, v)
}
