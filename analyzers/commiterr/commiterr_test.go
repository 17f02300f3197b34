package commiterr_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/analyzers/commiterr"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestFranzGo(t *testing.T) {
	analysistest.Run(t, testdata(t), commiterr.Analyzer, "commiterr_franz")
}

func TestSarama(t *testing.T) {
	analysistest.Run(t, testdata(t), commiterr.Analyzer,
		"commiterr_sarama", "commiterr_sarama_drained", "commiterr_sarama_exits", "commiterr_sarama_handoff", "commiterr_sarama_handoff/drain")
}

func TestShopifySarama(t *testing.T) {
	analysistest.Run(t, testdata(t), commiterr.Analyzer, "commiterr_shopify", "commiterr_shopify_drained")
}

func TestConfluent(t *testing.T) {
	analysistest.Run(t, testdata(t), commiterr.Analyzer, "commiterr_confluent")
}

func TestKafkaGo(t *testing.T) {
	analysistest.Run(t, testdata(t), commiterr.Analyzer, "commiterr_kafkago")
}

// TestUserTable runs with -commiterr.api pointing at a table that declares a
// home-grown wrapper; the same shapes are then found through it.
func TestUserTable(t *testing.T) {
	dir := testdata(t)
	api := filepath.Join(dir, "src", "commiterr_usertable", "user.api")
	if err := commiterr.Analyzer.Flags.Set("api", api); err != nil {
		t.Fatal(err)
	}
	defer commiterr.Analyzer.Flags.Set("api", "")
	analysistest.Run(t, dir, commiterr.Analyzer, "commiterr_usertable")
}

// TestDeterministic runs the analyzer twice over every client's package and
// checks that each package's diagnostics come out in the same order with the
// same text. (analysistest may return the packages in any order; within a
// package the order is the analyzer's.)
func TestDeterministic(t *testing.T) {
	pkgs := []string{"commiterr_franz", "commiterr_confluent", "commiterr_kafkago", "commiterr_sarama", "commiterr_sarama_exits"}
	render := func() string {
		byPkg := map[string]string{}
		for _, r := range analysistest.Run(t, testdata(t), commiterr.Analyzer, pkgs...) {
			var b strings.Builder
			for _, d := range r.Diagnostics {
				fmt.Fprintf(&b, "%s %s %s\n", r.Pass.Fset.Position(d.Pos), d.Category, d.Message)
			}
			byPkg[r.Pass.Pkg.Path()] = b.String()
		}
		var out strings.Builder
		for _, p := range pkgs {
			out.WriteString(byPkg[p])
		}
		return out.String()
	}
	first, second := render(), render()
	if first != second {
		t.Errorf("diagnostics differ between runs:\n%s\n---\n%s", first, second)
	}
	if strings.Count(first, "\n") < 40 {
		t.Errorf("expected the test packages' diagnostics, got:\n%s", first)
	}
}
