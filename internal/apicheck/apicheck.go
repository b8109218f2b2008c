// Package apicheck enforces the project's rule on its exported API: every
// exported function, and every exported method of an exported type, of
// every package of a module has
//
//   - a runnable example (ExampleF, ExampleT_M, with an optional _suffix)
//     that has an "Output:" comment and calls that very function or method;
//   - a table-driven test: a call of that very function or method inside
//     the body of a range loop, in a Test or Fuzz function, over a slice,
//     array or map literal of two or more rows (or a variable holding
//     one), where the loop body asserts something: a testify assert or
//     require call, a t.Error*, t.Fatal* or t.Fail* call, or a call of a
//     test helper that does one of those.
//
// Names are resolved with go/types, so a struct field, a method of
// another type with the same name, a method value (x.M without a call) or
// a blank use (_ = pkg.F) does not count. Commands (package main),
// internal packages, examples/ and nested modules are not API and are
// skipped. It is a test helper, not API.
package apicheck

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/types"
	"sort"
	"strings"
)

// Problem is one exported name that breaks the rule.
type Problem struct {
	Package string // import path
	Name    string // "F" or "T.M"
	Missing string // "example" or "table test"
}

func (p Problem) String() string {
	switch p.Missing {
	case "example":
		return fmt.Sprintf("%s: %s has no runnable example (Example%s with an Output comment that calls it)",
			p.Package, p.Name, strings.ReplaceAll(p.Name, ".", "_"))
	default:
		return fmt.Sprintf("%s: %s is not called inside a table-driven test whose loop asserts", p.Package, p.Name)
	}
}

// Report is what Check found.
type Report struct {
	Names    int       // exported functions and methods checked
	Problems []Problem // sorted by package and name
}

// Check applies the rule to every package of the module whose root
// directory is root and whose module path is module. It returns an error
// when the packages cannot be loaded or type-checked.
func Check(root, module string) (*Report, error) {
	l, err := newLoader(root, module)
	if err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(l.dirs))
	for ip := range l.dirs {
		paths = append(paths, ip)
	}
	sort.Strings(paths)
	rep := &Report{}
	for _, ip := range paths {
		df := l.dirs[ip]
		if df.name == "main" || isInternal(module, ip) || len(df.prod) == 0 {
			continue
		}
		api := exported(l.prodPackage(ip))
		if len(l.errs) > 0 {
			return nil, typeErrors(l.errs)
		}
		if len(api) == 0 {
			continue
		}
		s := &scan{pkg: ip, examples: map[string]bool{}, tabled: map[string]bool{},
			tables: map[types.Object]*ast.CompositeLit{}, asserting: map[types.Object]bool{}}
		files := l.testUnits(df)
		if len(l.errs) > 0 {
			return nil, typeErrors(l.errs)
		}
		s.helpers(files)
		for _, cf := range files {
			s.file(cf)
		}
		for _, name := range api {
			rep.Names++
			if !s.examples[name] {
				rep.Problems = append(rep.Problems, Problem{ip, name, "example"})
			}
			if !s.tabled[name] {
				rep.Problems = append(rep.Problems, Problem{ip, name, "table test"})
			}
		}
	}
	return rep, nil
}

func typeErrors(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return fmt.Errorf("apicheck: type errors:\n\t%s", strings.Join(msgs, "\n\t"))
}

// isInternal reports whether ip is internal or under examples/.
func isInternal(module, ip string) bool {
	rel := strings.TrimPrefix(strings.TrimPrefix(ip, module), "/")
	for _, part := range strings.Split(rel, "/") {
		if part == "internal" || part == "examples" {
			return true
		}
	}
	return false
}

// exported lists the package's exported functions ("F") and the exported
// methods declared on its exported types ("T.M"), sorted.
func exported(pkg *types.Package) []string {
	if pkg == nil {
		return nil
	}
	var out []string
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.Func:
			if obj.Exported() {
				out = append(out, name)
			}
		case *types.TypeName:
			named, ok := obj.Type().(*types.Named)
			if !ok || !obj.Exported() || obj.IsAlias() {
				continue
			}
			if _, isIface := named.Underlying().(*types.Interface); isIface {
				continue
			}
			for i := 0; i < named.NumMethods(); i++ {
				if m := named.Method(i); m.Exported() {
					out = append(out, name+"."+m.Name())
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// key names a function or method the way exported does, with its package
// path in front, or returns "" for anything else.
func key(obj types.Object) string {
	fn, ok := obj.(*types.Func)
	if !ok || fn.Pkg() == nil {
		return ""
	}
	fn = fn.Origin()
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return fn.Pkg().Path() + "." + fn.Name()
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return ""
	}
	return fn.Pkg().Path() + "." + named.Obj().Name() + "." + fn.Name()
}

// scan collects, for one package's test files, the names with a runnable
// example and the names called in an asserting table loop.
type scan struct {
	pkg       string          // import path of the package under test
	examples  map[string]bool // "F" or "T.M"
	tabled    map[string]bool
	tables    map[types.Object]*ast.CompositeLit // variables holding a table literal
	asserting map[types.Object]bool              // test helpers that assert
}

// calls returns the keys of the functions and methods called in n,
// closures included: called by name, or called for their arguments by
// package fmt (String, Error, GoString, Format) or encoding/json
// (MarshalJSON, MarshalText, UnmarshalJSON, UnmarshalText), which invoke
// them through an interface.
func calls(n ast.Node, info *types.Info) []string {
	var out []string
	ast.Inspect(n, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		obj := callee(call, info)
		if obj == nil {
			return true
		}
		if k := key(obj); k != "" {
			out = append(out, k)
		}
		for _, m := range implicit(obj) {
			for _, arg := range call.Args {
				out = append(out, methodKeys(info.TypeOf(arg), m)...)
			}
		}
		return true
	})
	return out
}

// implicit lists the methods that the standard-library function fn calls
// on its arguments through an interface.
func implicit(fn types.Object) []string {
	if fn.Pkg() == nil {
		return nil
	}
	switch fn.Pkg().Path() {
	case "fmt":
		return []string{"String", "Error", "GoString", "Format"}
	case "encoding/json":
		switch fn.Name() {
		case "Marshal", "MarshalIndent", "Encode":
			return []string{"MarshalJSON", "MarshalText"}
		case "Unmarshal", "Decode":
			return []string{"UnmarshalJSON", "UnmarshalText"}
		}
	}
	return nil
}

// methodKeys returns the key of method name of type t, or, when t has no
// such method, of the types inside it that do (the elements of slices,
// arrays and maps, map keys, exported struct fields), as fmt and
// encoding/json look for them.
func methodKeys(t types.Type, name string) []string {
	return reach(nil, t, name, 0, map[types.Type]bool{})
}

func reach(out []string, t types.Type, name string, depth int, seen map[types.Type]bool) []string {
	if t == nil || depth > 4 || seen[t] {
		return out
	}
	seen[t] = true
	for _, c := range []types.Type{t, types.NewPointer(t)} {
		if obj, _, _ := types.LookupFieldOrMethod(c, true, nil, name); obj != nil {
			if _, ok := obj.(*types.Func); ok {
				return append(out, key(obj))
			}
		}
	}
	var inner []types.Type
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		inner = []types.Type{u.Elem()}
	case *types.Slice:
		inner = []types.Type{u.Elem()}
	case *types.Array:
		inner = []types.Type{u.Elem()}
	case *types.Map:
		inner = []types.Type{u.Key(), u.Elem()}
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if f := u.Field(i); f.Exported() || f.Embedded() {
				inner = append(inner, f.Type())
			}
		}
	}
	for _, it := range inner {
		out = reach(out, it, name, depth+1, seen)
	}
	return out
}

// callee returns the object a call calls by name (a function, a method, a
// method expression), or nil for calls of values and conversions.
func callee(call *ast.CallExpr, info *types.Info) types.Object {
	fun := ast.Unparen(call.Fun)
	for {
		switch x := fun.(type) {
		case *ast.IndexExpr:
			fun = x.X
			continue
		case *ast.IndexListExpr:
			fun = x.X
			continue
		}
		break
	}
	switch x := fun.(type) {
	case *ast.Ident:
		return info.Uses[x]
	case *ast.SelectorExpr:
		return info.Uses[x.Sel]
	}
	return nil
}

// file records the examples and table-test calls of one test file.
func (s *scan) file(cf checkedFile) {
	for _, ex := range doc.Examples(cf.file) {
		if ex.Output == "" && !ex.EmptyOutput {
			continue // compiled but never run
		}
		want := ex.Name // "F", "T" or "T_M"; the suffix is already split off
		if i := strings.Index(want, "_"); i > 0 {
			want = want[:i] + "." + want[i+1:]
		}
		for _, k := range calls(ex.Code, cf.info) {
			if k == s.pkg+"."+want {
				s.examples[want] = true
			}
		}
	}
	for _, decl := range cf.file.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Body == nil || fd.Recv != nil ||
			!(strings.HasPrefix(fd.Name.Name, "Test") || strings.HasPrefix(fd.Name.Name, "Fuzz")) {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			rs, ok := n.(*ast.RangeStmt)
			if !ok || !s.isTable(rs.X, cf.info) || !s.asserts(rs.Body, cf.info) {
				return true
			}
			keys := append(calls(rs.Body, cf.info), s.dispatched(rs, cf.info)...)
			keys = append(keys, rowFuncCalls(s.table(rs.X, cf.info), cf.info)...)
			for _, k := range keys {
				if name, ok := strings.CutPrefix(k, s.pkg+"."); ok {
					s.tabled[name] = true
				}
			}
			return true
		})
	}
}

// helpers finds, across the package's test files, the variables that hold
// a table literal and the test helpers that assert (directly or through
// other such helpers).
func (s *scan) helpers(files []checkedFile) {
	for _, cf := range files {
		ast.Inspect(cf.file, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.ValueSpec:
				for i, v := range x.Values {
					if i < len(x.Names) && isTableLit(v, cf.info) {
						if obj := cf.info.Defs[x.Names[i]]; obj != nil {
							s.tables[obj] = ast.Unparen(v).(*ast.CompositeLit)
						}
					}
				}
			case *ast.AssignStmt:
				if len(x.Lhs) != len(x.Rhs) {
					return true
				}
				for i, v := range x.Rhs {
					id, ok := x.Lhs[i].(*ast.Ident)
					if !ok || !isTableLit(v, cf.info) {
						continue
					}
					if obj := cf.info.ObjectOf(id); obj != nil {
						s.tables[obj] = ast.Unparen(v).(*ast.CompositeLit)
					}
				}
			}
			return true
		})
	}
	for changed := true; changed; {
		changed = false
		for _, cf := range files {
			for _, decl := range cf.file.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				obj := cf.info.Defs[fd.Name]
				if obj == nil || s.asserting[obj] || !s.asserts(fd.Body, cf.info) {
					continue
				}
				s.asserting[obj] = true
				changed = true
			}
		}
	}
}

// isTable reports whether e, the operand of a range loop, is a table: a
// slice, array or map literal of at least two rows, or a variable that was
// given one.
func (s *scan) isTable(e ast.Expr, info *types.Info) bool {
	return s.table(e, info) != nil
}

// table returns the table literal a range loop ranges over, or nil.
func (s *scan) table(e ast.Expr, info *types.Info) *ast.CompositeLit {
	e = ast.Unparen(e)
	if id, ok := e.(*ast.Ident); ok {
		return s.tables[info.Uses[id]]
	}
	if isTableLit(e, info) {
		return e.(*ast.CompositeLit)
	}
	return nil
}

// rowFuncCalls returns the keys of the calls inside the function literals
// of a table's rows, which the loop runs (rows of the form
// {"name", func() error { _, err := pkg.F(x); return err }}). Calls in
// the rows' plain values run before the loop and do not count.
func rowFuncCalls(table *ast.CompositeLit, info *types.Info) []string {
	var out []string
	ast.Inspect(table, func(n ast.Node) bool {
		if fl, ok := n.(*ast.FuncLit); ok {
			out = append(out, calls(fl.Body, info)...)
			return false
		}
		return true
	})
	return out
}

// dispatched returns the keys of the methods that calls of interface
// methods in the loop body reach at run time on the values of the table:
// a loop over models calling m.Attribute(j) calls Attribute of each
// model type in the table.
func (s *scan) dispatched(rs *ast.RangeStmt, info *types.Info) []string {
	var ifaceCalls []*types.Func
	ast.Inspect(rs.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn, ok := callee(call, info).(*types.Func)
		if !ok {
			return true
		}
		if sig, _ := fn.Type().(*types.Signature); sig != nil && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
			ifaceCalls = append(ifaceCalls, fn)
		}
		return true
	})
	if len(ifaceCalls) == 0 {
		return nil
	}
	var rowTypes []types.Type
	ast.Inspect(s.table(rs.X, info), func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok {
			if t := info.TypeOf(e); t != nil && !types.IsInterface(t) {
				rowTypes = append(rowTypes, t)
			}
		}
		return true
	})
	var out []string
	for _, fn := range ifaceCalls {
		iface := fn.Type().(*types.Signature).Recv().Type().Underlying().(*types.Interface)
		for _, t := range rowTypes {
			if types.Implements(t, iface) || types.Implements(types.NewPointer(t), iface) {
				out = append(out, methodKeys(t, fn.Name())...)
			}
		}
	}
	return out
}

func isTableLit(e ast.Expr, info *types.Info) bool {
	cl, ok := ast.Unparen(e).(*ast.CompositeLit)
	if !ok || len(cl.Elts) < 2 {
		return false
	}
	tv, ok := info.Types[cl]
	if !ok || tv.Type == nil {
		return false
	}
	switch tv.Type.Underlying().(type) {
	case *types.Slice, *types.Array, *types.Map:
		return true
	}
	return false
}

// assertFuncs are the methods of testing.T, B, F and TB that report a
// failure.
var assertFuncs = map[string]bool{
	"Error": true, "Errorf": true, "Fatal": true, "Fatalf": true, "Fail": true, "FailNow": true,
}

// asserts reports whether n (closures included) calls testify's assert or
// require, a failing method of package testing, or an asserting helper.
func (s *scan) asserts(n ast.Node, info *types.Info) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		obj := callee(call, info)
		if obj == nil || obj.Pkg() == nil {
			return true
		}
		switch obj.Pkg().Path() {
		case "github.com/stretchr/testify/assert", "github.com/stretchr/testify/require":
			found = true
		case "testing":
			found = assertFuncs[obj.Name()]
		default:
			found = s.asserting[obj]
		}
		return !found
	})
	return found
}
