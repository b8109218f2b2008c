// Package strict checks the object keys of a JSON document against the
// Go type it was decoded into, for what encoding/json lets pass even with
// DisallowUnknownFields: a key that matches a field only when case is
// ignored ("Conversions" for "conversions"), and a key given twice in one
// object, of which the last silently wins (folded to the same field, or
// repeated in a map). The library's strict decoders run it after a
// successful decode. It is not API.
package strict

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Keys returns reason "" when every object of data, a JSON document that
// decoded into a value of type t, has each key once and each key of a
// struct spelled as its field; otherwise the key path of the object
// (such as "credits[2]", "" for the document), the first key at fault and
// the reason. Values whose type
// has its own UnmarshalJSON or UnmarshalText are not looked into: their
// decoders answer for them. Under an interface or a map the keys are
// free, but none may repeat. It reads data once, in time linear in its
// length.
func Keys(data []byte, t reflect.Type) (path, key, reason string) {
	c := checker{data: data}
	c.value(t)
	return c.path, c.key, c.reason
}

// checker walks a document. The path to the value it is in is kept as a
// stack of keys and indexes, made into a string only for an error, so that
// the walk allocates only for objects of more than 64 fields and for the
// keys of maps.
type checker struct {
	data              []byte
	off               int
	stack             []step
	path, key, reason string
}

// step is one key (index < 0) or array index of a path.
type step struct {
	key   []byte
	index int
}

// fail records the fault of key in the object at the top of the stack.
func (c *checker) fail(key []byte, reason string) {
	var b strings.Builder
	for _, s := range c.stack {
		if s.index >= 0 {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.Write(s.key)
	}
	c.path, c.key, c.reason = b.String(), string(key), reason
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

var opaques sync.Map // reflect.Type → bool

// opaque reports whether values of type t decode themselves. reflect's
// Implements is slow, so the answer is kept by type.
func opaque(t reflect.Type) bool {
	if v, ok := opaques.Load(t); ok {
		return v.(bool)
	}
	o := t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) ||
		t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType)
	opaques.Store(t, o)
	return o
}

func (c *checker) space() {
	for c.off < len(c.data) {
		switch c.data[c.off] {
		case ' ', '\t', '\n', '\r':
			c.off++
		default:
			return
		}
	}
}

// value checks the value at c.off, of type t (nil: any type, keys free),
// and moves past it. It stops at the first fault.
func (c *checker) value(t reflect.Type) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && opaque(t) {
		c.skip() // its own decoder checks it
		return
	}
	c.space()
	if c.off >= len(c.data) {
		return
	}
	switch c.data[c.off] {
	case '{':
		c.object(t)
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		c.off++
		for i := 0; c.reason == ""; i++ {
			c.space()
			if c.off < len(c.data) && c.data[c.off] == ']' {
				c.off++
				return
			}
			c.stack = append(c.stack, step{index: i})
			c.value(elem)
			c.stack = c.stack[:len(c.stack)-1]
			c.space()
			if c.off < len(c.data) && c.data[c.off] == ',' {
				c.off++
			}
		}
	default:
		c.skip()
	}
}

// object checks the object at c.off.
func (c *checker) object(t reflect.Type) {
	var fields *structInfo
	var elem reflect.Type
	switch {
	case t != nil && t.Kind() == reflect.Struct:
		fields = infoOf(t)
	case t != nil && t.Kind() == reflect.Map:
		elem = t.Elem()
	}
	var seen uint64 // the fields seen, when there are at most 64
	var seenField []bool
	if fields != nil && len(fields.names) > 64 {
		seenField = make([]bool, len(fields.names))
	}
	var seenKeys map[string]struct{}
	c.off++
	for c.reason == "" {
		c.space()
		if c.off >= len(c.data) || c.data[c.off] == '}' {
			c.off++
			return
		}
		key := c.readKey()
		c.space()
		c.off++ // ':'
		var vt reflect.Type
		if fields != nil {
			i, exact := fields.find(key)
			switch {
			case i < 0: // unknown: the decoder refused it already, or ignores it
				c.skip()
				c.space()
				if c.off < len(c.data) && c.data[c.off] == ',' {
					c.off++
				}
				continue
			case !exact:
				c.fail(key, "key differs in case from "+strconv.Quote(fields.names[i]))
				return
			case seenField == nil && seen&(1<<i) != 0, seenField != nil && seenField[i]:
				c.fail(key, "repeated key")
				return
			default:
				if seenField == nil {
					seen |= 1 << i
				} else {
					seenField[i] = true
				}
				vt = fields.types[i]
			}
		} else {
			if seenKeys == nil {
				seenKeys = map[string]struct{}{}
			}
			if _, dup := seenKeys[string(key)]; dup {
				c.fail(key, "repeated key")
				return
			}
			seenKeys[string(key)] = struct{}{}
			vt = elem
		}
		c.stack = append(c.stack, step{key: key, index: -1})
		c.value(vt)
		c.stack = c.stack[:len(c.stack)-1]
		c.space()
		if c.off < len(c.data) && c.data[c.off] == ',' {
			c.off++
		}
	}
}

// readKey reads the string at c.off, unescaped: a slice of the data
// unless it has escapes.
func (c *checker) readKey() []byte {
	start := c.off
	c.skipString()
	raw := c.data[start:min(c.off, len(c.data))]
	if bytes.IndexByte(raw, '\\') < 0 && len(raw) >= 2 {
		return raw[1 : len(raw)-1]
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return raw
	}
	return []byte(s)
}

// skipString moves past the string at c.off.
func (c *checker) skipString() {
	c.off++ // '"'
	for c.off < len(c.data) {
		switch c.data[c.off] {
		case '\\':
			c.off += 2
		case '"':
			c.off++
			return
		default:
			c.off++
		}
	}
}

// skip moves past the value at c.off whatever it is.
func (c *checker) skip() {
	c.space()
	if c.off >= len(c.data) {
		return
	}
	switch c.data[c.off] {
	case '"':
		c.skipString()
	case '{', '[':
		depth := 0
		for c.off < len(c.data) {
			switch c.data[c.off] {
			case '"':
				c.skipString()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					c.off++
					return
				}
			}
			c.off++
		}
	default: // a number, true, false or null
		for c.off < len(c.data) {
			switch c.data[c.off] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			c.off++
		}
	}
}

// structInfo is a struct's keys as encoding/json reads them.
type structInfo struct {
	names []string
	types []reflect.Type
	index map[string]int
}

// find returns the field key matches, exactly or when case is ignored
// (as encoding/json matches, bytes.EqualFold), and whether exactly; −1
// for none.
func (s *structInfo) find(key []byte) (int, bool) {
	if i, ok := s.index[string(key)]; ok {
		return i, true
	}
	for i, n := range s.names {
		if bytes.EqualFold([]byte(n), key) {
			return i, false
		}
	}
	return -1, false
}

var infos sync.Map // reflect.Type → *structInfo

func infoOf(t reflect.Type) *structInfo {
	if v, ok := infos.Load(t); ok {
		return v.(*structInfo)
	}
	s := &structInfo{index: map[string]int{}}
	addFields(t, s)
	infos.Store(t, s)
	return s
}

// addFields adds t's fields by their keys, with those of untagged
// embedded structs at t's level.
func addFields(t reflect.Type, s *structInfo) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addFields(ft, s)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := s.index[name]; dup {
			continue
		}
		s.index[name] = len(s.names)
		s.names = append(s.names, name)
		s.types = append(s.types, f.Type)
	}
}
