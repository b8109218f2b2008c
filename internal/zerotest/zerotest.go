// Package zerotest checks that no exported method of a package panics or
// returns NaN when called on a zero value with zero arguments. It is a test
// helper, not API.
package zerotest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// Run calls every exported method of each value's type on a fresh zero
// value of that type, with every argument a zero value (nil slices, maps,
// functions and pointers, zero numbers, empty strings, zero times), and
// reports a method that panics or returns NaN anywhere in its results
// (numbers, and fields, elements and values of structs, slices, arrays and
// maps). values are pointers to values of the types, such as
// new(funnel.Counter).
//
// Run also parses the non-test Go files in dir and reports every exported
// type with methods that values leave out, so that a new type cannot skip
// the check.
func Run(t *testing.T, dir string, values ...any) {
	t.Helper()
	check(t, dir, values, func(name string, f func(reporter)) {
		t.Run(name, func(t *testing.T) { f(t) })
	})
}

// reporter is the part of testing.T the checks use, so that the checker's
// own tests can watch it fail.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

func check(t reporter, dir string, values []any, sub func(string, func(reporter))) {
	t.Helper()
	seen := map[string]bool{}
	for _, v := range values {
		pt := reflect.TypeOf(v)
		if pt.Kind() != reflect.Pointer {
			t.Fatalf("zerotest.Run: %T is not a pointer", v)
			return
		}
		name := pt.Elem().Name()
		if i := strings.IndexByte(name, '['); i >= 0 {
			name = name[:i]
		}
		seen[name] = true
		for i := 0; i < pt.NumMethod(); i++ {
			m := pt.Method(i)
			sub(name+"."+m.Name, func(t reporter) { call(t, pt, m) })
		}
	}
	for _, typ := range typesWithMethods(t, dir) {
		if !seen[typ] {
			t.Errorf("zerotest.Run: exported type %s has methods but is not checked", typ)
		}
	}
}

func call(t reporter, pt reflect.Type, m reflect.Method) {
	t.Helper()
	ft := m.Type
	args := []reflect.Value{reflect.New(pt.Elem())}
	n := ft.NumIn()
	if ft.IsVariadic() {
		n-- // no variadic arguments
	}
	for i := 1; i < n; i++ {
		args = append(args, reflect.Zero(ft.In(i)))
	}
	var out []reflect.Value
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("%s.%s on the zero value panics: %v", pt.Elem().Name(), m.Name, r)
			}
		}()
		out = m.Func.Call(args)
	}()
	for i, v := range out {
		if path, ok := hasNaN(v, fmt.Sprintf("result %d", i), 0); ok {
			t.Errorf("%s.%s on the zero value returns NaN at %s", pt.Elem().Name(), m.Name, path)
		}
	}
}

// hasNaN reports whether v holds a NaN, and where.
func hasNaN(v reflect.Value, path string, depth int) (string, bool) {
	if depth > 6 || !v.IsValid() {
		return "", false
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return path, math.IsNaN(v.Float())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", false
		}
		return hasNaN(v.Elem(), path, depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if p, ok := hasNaN(v.Field(i), path+"."+v.Type().Field(i).Name, depth+1); ok {
				return p, true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len() && i < 1000; i++ {
			if p, ok := hasNaN(v.Index(i), fmt.Sprintf("%s[%d]", path, i), depth+1); ok {
				return p, true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if p, ok := hasNaN(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()), depth+1); ok {
				return p, true
			}
		}
	}
	return "", false
}

// typesWithMethods lists the exported types declared in dir's non-test
// files that have at least one exported method.
func typesWithMethods(t reporter, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatalf("zerotest.Run: %v", err)
		return nil
	}
	set := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("zerotest.Run: %v", err)
			return nil
		}
		af, err := parser.ParseFile(fset, f, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("zerotest.Run: %v", err)
			return nil
		}
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || !fd.Name.IsExported() {
				continue
			}
			if name := recvName(fd.Recv.List[0].Type); ast.IsExported(name) {
				set[name] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func recvName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
