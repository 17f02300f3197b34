package commiterr_test

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/packages"
)

// The stub packages under testdata/src and the real packages they copy.
var stubPackages = []string{
	"github.com/twmb/franz-go/pkg/kgo",
	"github.com/twmb/franz-go/pkg/kmsg",
	"github.com/twmb/franz-go/pkg/kerr",
	"github.com/IBM/sarama",
	"github.com/Shopify/sarama",
	"github.com/confluentinc/confluent-kafka-go/v2/kafka",
	"github.com/segmentio/kafka-go",
}

// TestStubsMatchModules checks that every exported declaration of the stubs
// is declared the same way in the real module pinned by
// testdata/integration/commiterr: functions and methods with identical
// signatures, struct fields and interface methods present with identical
// types, constants with identical values. The stubs may omit declarations;
// they may not differ. Needs the module proxy (first run) and cgo.
func TestStubsMatchModules(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the real Kafka client modules; skipped with -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	load := func(dir string, env []string) map[string]*types.Package {
		cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes, Dir: dir, Env: append(os.Environ(), env...)}
		pkgs, err := packages.Load(cfg, stubPackages...)
		if err != nil {
			t.Fatalf("loading in %s: %v", dir, err)
		}
		out := map[string]*types.Package{}
		for _, p := range pkgs {
			for _, e := range p.Errors {
				t.Errorf("%s: %v", p.PkgPath, e)
			}
			out[p.PkgPath] = p.Types
		}
		return out
	}
	testdata := filepath.Join(root, "testdata")
	stubs := load(filepath.Join(testdata, "src"), []string{"GOPATH=" + testdata, "GO111MODULE=off", "GOWORK=off"})
	real := load(filepath.Join(testdata, "integration", "commiterr"), []string{"CGO_ENABLED=1", "GOWORK=off", "GOFLAGS=-mod=readonly"})
	if t.Failed() {
		return
	}
	checked := 0
	for _, path := range stubPackages {
		stub, mod := stubs[path], real[path]
		if stub == nil || mod == nil {
			t.Errorf("%s: not loaded (stub %v, module %v)", path, stub != nil, mod != nil)
			continue
		}
		for _, name := range stub.Scope().Names() {
			obj := stub.Scope().Lookup(name)
			if !obj.Exported() {
				continue
			}
			other := mod.Scope().Lookup(name)
			if other == nil {
				t.Errorf("%s.%s: in the stub, not in the module", path, name)
				continue
			}
			for _, diff := range compareObjects(obj, other) {
				t.Errorf("%s.%s: %s", path, name, diff)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("compared only %d declarations", checked)
	}
}

// compareObjects returns how the stub object differs from the real one.
func compareObjects(stub, real types.Object) []string {
	if fmt.Sprintf("%T", stub) != fmt.Sprintf("%T", real) {
		return []string{fmt.Sprintf("stub is a %T, module has a %T", stub, real)}
	}
	switch stub := stub.(type) {
	case *types.Func:
		return sameType("signature", stub.Type(), real.Type())
	case *types.Var:
		return sameType("type", stub.Type(), real.Type())
	case *types.Const:
		diffs := sameType("type", stub.Type(), real.Type())
		if !constant.Compare(stub.Val(), token.EQL, real.(*types.Const).Val()) {
			diffs = append(diffs, fmt.Sprintf("value %s, module %s", stub.Val(), real.(*types.Const).Val()))
		}
		return diffs
	case *types.TypeName:
		return compareNamed(stub.Type(), real.Type())
	}
	return nil
}

// compareNamed checks a named type: its methods, and its underlying struct
// fields or interface methods, must exist in the real type identically.
func compareNamed(stub, real types.Type) []string {
	var diffs []string
	sms, rms := types.NewMethodSet(types.NewPointer(stub)), types.NewMethodSet(types.NewPointer(real))
	for i := 0; i < sms.Len(); i++ {
		m := sms.At(i).Obj()
		if !m.Exported() {
			continue
		}
		rm := rms.Lookup(m.Pkg(), m.Name())
		if rm == nil {
			rm = lookupByName(rms, m.Name())
		}
		if rm == nil {
			diffs = append(diffs, "method "+m.Name()+" not in the module")
			continue
		}
		diffs = append(diffs, sameType("method "+m.Name(), m.Type(), rm.Obj().Type())...)
	}
	switch su := stub.Underlying().(type) {
	case *types.Struct:
		ru, ok := real.Underlying().(*types.Struct)
		if !ok {
			return append(diffs, "stub is a struct, the module's type is not")
		}
		diffs = append(diffs, compareStructs("", su, ru)...)
	case *types.Interface:
		if _, ok := real.Underlying().(*types.Interface); !ok {
			return append(diffs, "stub is an interface, the module's type is not")
		}
	default:
		diffs = append(diffs, sameType("underlying type", stub.Underlying(), real.Underlying())...)
	}
	return diffs
}

func lookupByName(ms *types.MethodSet, name string) *types.Selection {
	for i := 0; i < ms.Len(); i++ {
		if ms.At(i).Obj().Name() == name {
			return ms.At(i)
		}
	}
	return nil
}

// compareStructs checks that every exported field of the stub struct is in
// the real struct with the same type; anonymous struct types (sarama's
// Config.Consumer.Return) are compared field by field.
func compareStructs(prefix string, stub, real *types.Struct) []string {
	var diffs []string
	for i := 0; i < stub.NumFields(); i++ {
		f := stub.Field(i)
		if !f.Exported() {
			continue
		}
		var rf *types.Var
		for j := 0; j < real.NumFields(); j++ {
			if real.Field(j).Name() == f.Name() {
				rf = real.Field(j)
			}
		}
		name := prefix + f.Name()
		if rf == nil {
			diffs = append(diffs, "field "+name+" not in the module")
			continue
		}
		ss, sok := f.Type().(*types.Struct)
		rs, rok := rf.Type().(*types.Struct)
		if sok && rok {
			diffs = append(diffs, compareStructs(name+".", ss, rs)...)
			continue
		}
		diffs = append(diffs, sameType("field "+name, f.Type(), rf.Type())...)
	}
	return diffs
}

// sameType compares two types by their printed form with full package
// paths (the stub and the module are different type universes).
func sameType(what string, stub, real types.Type) []string {
	qual := func(p *types.Package) string { return p.Path() }
	s, r := types.TypeString(stub, qual), types.TypeString(real, qual)
	if s != r {
		return []string{fmt.Sprintf("%s: stub %s, module %s", what, s, r)}
	}
	return nil
}
