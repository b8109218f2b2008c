// Package intern numbers names: the entities and channels that readers of
// CRM exports and accumulators meet millions of times each. It is not
// API.
package intern

import (
	"hash/maphash"
	"slices"
	"unsafe"
)

// Names gives each distinct name a dense id, 0, 1, 2, … in the order the
// names are first seen, and keeps one copy of each name. Looking up a name
// seen before allocates nothing, from a string or from a reader's bytes;
// a new name costs its copy, its string header (16 bytes; the slice of
// them grows by doubling, not by append's 1.25, which copies a large one
// many times over) and, on average, between 16 and 32 bytes of index.
// Short names are copied into shared chunks of arenaChunk bytes, not
// allocated one by one. The zero Names is empty and ready to use; a Names is not safe for
// concurrent use. Ids are int32: a Names holds fewer than 2³¹ names, far
// more than fit in memory with their index.
//
// While every new name sorts after the one before (shorter first, then
// byte by byte: the order of an export sorted by a numeric or fixed-width
// ID), a name after the last one is new without looking it up, and there
// is no index at all. The first name out of that order builds it. The
// index is an open-addressing table with linear probing, at most half
// full, whose slots hold the id and the top 32 bits of the name's hash, so
// that a probe rarely reads a name it does not match.
type Names struct {
	names    []string
	arena    []byte   // the free end of the current chunk of name bytes
	slots    []uint64 // 0 for empty, else hash>>32<<32 | id+1; nil while sorted
	seed     maphash.Seed
	last     int32 // the id of the last name looked up, tried first
	unsorted bool  // a name came out of order: the index is built
}

// after reports whether a sorts after b: shorter first, then byte by byte.
func after[S ~string | ~[]byte](a S, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return string(a) > b
}

// Len returns the number of names.
func (n *Names) Len() int { return len(n.names) }

// Name returns the name of id, which must be below Len.
func (n *Names) Name(id int32) string { return n.names[id] }

// All returns the names by id. The slice is n's: it must not be changed.
func (n *Names) All() []string { return n.names }

// ID returns the id of name, adding it if new, and whether it was added.
func (n *Names) ID(name string) (id int32, added bool) {
	if len(n.names) > 0 && n.names[n.last] == name {
		return n.last, false // exports list an entity's rows together
	}
	if !n.unsorted && (len(n.names) == 0 || after(name, n.names[len(n.names)-1])) {
		return n.push(keep(n, name)), true // do not keep a caller's bytes alive
	}
	n.index()
	h := maphash.String(n.seed, name)
	mask := uint64(len(n.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := n.slots[i]
		if s == 0 {
			return n.add(i, h, keep(n, name)), true // do not keep a caller's bytes alive
		}
		if s>>32 == h>>32 && n.names[uint32(s)-1] == name {
			n.last = int32(uint32(s) - 1)
			return n.last, false
		}
	}
}

// IDBytes is ID for a reader's bytes, which it does not keep.
func (n *Names) IDBytes(name []byte) (id int32, added bool) {
	if len(n.names) > 0 && n.names[n.last] == string(name) {
		return n.last, false
	}
	if !n.unsorted && (len(n.names) == 0 || after(name, n.names[len(n.names)-1])) {
		return n.push(keep(n, name)), true
	}
	n.index()
	h := maphash.Bytes(n.seed, name)
	mask := uint64(len(n.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := n.slots[i]
		if s == 0 {
			return n.add(i, h, keep(n, name)), true
		}
		if s>>32 == h>>32 && n.names[uint32(s)-1] == string(name) {
			n.last = int32(uint32(s) - 1)
			return n.last, false
		}
	}
}

// arenaChunk is the size of the chunks short names are copied into;
// a name of more than arenaChunk/16 bytes is allocated on its own, so
// that at most a sixteenth of a chunk is left unused at its end.
const arenaChunk = 1 << 14

// keep returns a copy of name that shares nothing with the caller's
// bytes. Short names go into the current chunk, which is never written
// again where a name lies, so the string made over its bytes stays
// immutable; the chunk lives as long as any of its names.
func keep[S ~string | ~[]byte](n *Names, name S) string {
	if len(name) == 0 {
		return ""
	}
	if len(name) > arenaChunk/16 {
		return string(name)
	}
	if len(name) > len(n.arena) {
		n.arena = make([]byte, arenaChunk)
	}
	b := n.arena[:len(name):len(name)]
	copy(b, name)
	n.arena = n.arena[len(name):]
	return unsafe.String(&b[0], len(b))
}

// push adds a name that sorts after every other, while there is no index.
func (n *Names) push(name string) int32 {
	n.last = int32(len(n.names))
	n.names = room(n.names)
	n.names = append(n.names, name)
	return n.last
}

// room makes room for one more name, doubling the capacity when full.
func room(s []string) []string {
	if len(s) < cap(s) {
		return s
	}
	return slices.Grow(s, max(len(s), 64))
}

// index builds the index, once: the first name out of order needs it.
func (n *Names) index() {
	if n.unsorted {
		return
	}
	n.unsorted = true
	n.seed = maphash.MakeSeed()
	size := 64
	for size < 2*(len(n.names)+1) {
		size *= 2
	}
	n.slots = make([]uint64, size/2)
	n.grow()
}

// add puts a new name with hash h in the empty slot i and returns its id.
func (n *Names) add(i, h uint64, name string) int32 {
	id := int32(len(n.names))
	n.names = room(n.names)
	n.names = append(n.names, name)
	n.slots[i] = h>>32<<32 | (uint64(id) + 1)
	n.last = id
	if 2*len(n.names) > len(n.slots) {
		n.grow()
	}
	return id
}

// grow doubles the table and puts every name back.
func (n *Names) grow() {
	n.slots = make([]uint64, 2*len(n.slots))
	mask := uint64(len(n.slots) - 1)
	for id, name := range n.names {
		h := maphash.String(n.seed, name)
		i := h & mask
		for n.slots[i] != 0 {
			i = (i + 1) & mask
		}
		n.slots[i] = h>>32<<32 | (uint64(id) + 1)
	}
}
