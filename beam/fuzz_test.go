package kpibeam

import (
	"bytes"
	"testing"
)

// FuzzCoders feeds arbitrary bytes to every coder's decoder: none
// panics, and what one decodes it encodes again, to bytes that decode
// and encode to the same bytes (the encoding of a decoded value is
// stable; byte comparison, since a result may hold NaN). The seeds are
// the encodings of TestCodersRoundTrip's and
// TestAccumulatorCodersRoundTrip's values, and their halves.
func FuzzCoders(f *testing.F) {
	coders := append(valueCoders(f), accumulatorCoders(f)...)
	for i, c := range coders {
		b, err := c.enc(c.v)
		if err != nil {
			f.Fatal(c.name, err)
		}
		f.Add(uint8(i), b)
		f.Add(uint8(i), b[:len(b)/2])
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		c := coders[int(which)%len(coders)]
		v, err := c.dec(data)
		if err != nil {
			return
		}
		b, err := c.enc(v)
		if err != nil {
			t.Fatalf("%s: decoded %x but cannot encode it: %v", c.name, data, err)
		}
		w, err := c.dec(b)
		if err != nil {
			t.Fatalf("%s: cannot decode its own encoding %x: %v", c.name, b, err)
		}
		again, err := c.enc(w)
		if err != nil || !bytes.Equal(b, again) {
			t.Fatalf("%s: encoding not stable: %x then %x (%v)", c.name, b, again, err)
		}
	})
}
