package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestListCacheRoundTrip: a listing read back from the list cache is the
// listing go list gave, field by field, import graph included.
func TestListCacheRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"go.mod":          "module example.com/rt\n\ngo 1.26\n",
		"lib/lib.go":      "package lib\n\nimport \"sync\"\n\nvar Mu sync.Mutex\n",
		"app/app.go":      "package app\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/rt/lib\"\n)\n\nfunc F() { lib.Mu.Lock(); fmt.Println() }\n",
		"app/app_test.go": "package app\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { F() }\n",
	} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("GOFLAGS", "")
	t.Setenv("GOWORK", "off")
	t.Setenv("KAFKALINT_CACHE", "")
	for _, tests := range []bool{false, true} {
		patterns := []string{"./..."}
		lc := openListCache(tests, patterns)
		if lc == nil {
			t.Fatal("no list cache")
		}
		fresh, err := listPackages(tests, patterns, lc)
		if err != nil || lc.hit {
			t.Fatalf("first listing: err %v, hit %v", err, lc.hit)
		}
		lc2 := openListCache(tests, patterns)
		cached, err := listPackages(tests, patterns, lc2)
		if err != nil || !lc2.hit {
			t.Fatalf("second listing: err %v, hit %v", err, lc2.hit)
		}
		compareListings(t, fresh, cached)
	}
}

func compareListings(t *testing.T, fresh, cached []*packages.Package) {
	t.Helper()
	if len(fresh) != len(cached) {
		t.Fatalf("%d roots, cached %d", len(fresh), len(cached))
	}
	var a, b []*packages.Package
	packages.Visit(fresh, nil, func(p *packages.Package) { a = append(a, p) })
	packages.Visit(cached, nil, func(p *packages.Package) { b = append(b, p) })
	if len(a) != len(b) {
		t.Fatalf("%d packages, cached %d", len(a), len(b))
	}
	for i := range a {
		pa, pb := *a[i], *b[i]
		if len(pa.Imports) != len(pb.Imports) {
			t.Errorf("%s: %d imports, cached %d", pa.ID, len(pa.Imports), len(pb.Imports))
		}
		for path, dep := range pa.Imports {
			if pb.Imports[path] == nil || pb.Imports[path].ID != dep.ID {
				t.Errorf("%s: import %s lost or changed", pa.ID, path)
			}
		}
		pa.Imports, pb.Imports = nil, nil
		va, vb := reflect.ValueOf(pa), reflect.ValueOf(pb)
		for f := 0; f < va.NumField(); f++ {
			fa, fb := va.Field(f), vb.Field(f)
			if !fa.CanInterface() {
				continue
			}
			if fa.Kind() == reflect.Slice && fa.Len() == 0 && fb.Len() == 0 {
				continue
			}
			if !reflect.DeepEqual(fa.Interface(), fb.Interface()) {
				t.Errorf("%s: field %s differs: %#v, cached %#v", pa.ID, va.Type().Field(f).Name, fa.Interface(), fb.Interface())
			}
		}
	}
}
