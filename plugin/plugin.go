// Package plugin is kafkalint's golangci-lint v2 module plugin. It registers
// one linter, "kafkalint", that runs every analyzer of suite.Analyzers()
// with full type information, so golangci-lint users get the same checks,
// suppressions and analyzer flags as go vet and the kafkalint CLI.
//
// golangci-lint compiles module plugins into its own binary: build it with
// the nested module plugin/gcl (no network beyond the Go module proxy) or
// with golangci-lint custom and a .custom-gcl.yml; see docs/golangci-lint.md.
//
// # Settings
//
// The linter's settings are the analyzers' flags, grouped by analyzer name,
// exactly as golangci-lint spells settings for its own go/analysis linters:
//
//	linters:
//	  settings:
//	    custom:
//	      kafkalint:
//	        type: module
//	        settings:
//	          lockorder:
//	            check-ignores: true
//
// Any flag an analyzer declares is a setting, so new analyzers and flags
// need no change here. An unknown analyzer, an unknown flag or a value the
// flag rejects is an error that stops golangci-lint before it analyzes
// anything.
//
// Analyzer flags are process-wide state (each *analysis.Analyzer is a
// package variable). New applies the settings to them when golangci-lint
// builds its linters, which happens once per run and before any package is
// analyzed, so every package sees the same settings.
package plugin

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/suite"
)

// Name is the linter's name: the key under linters.settings.custom in
// .golangci.yml, the name to enable, and what golangci-lint prints after
// each finding, e.g. "(kafkalint)".
const Name = "kafkalint"

func init() {
	register.Plugin(Name, New)
}

// Settings are the plugin's settings: for each analyzer name, its flags by
// name. A value is a JSON (YAML) scalar, given to the flag as text, or a
// list of scalars, each given to the flag in turn (for flags that may be
// repeated).
type Settings map[string]map[string]json.RawMessage

// linterPlugin is the register.LinterPlugin golangci-lint builds.
type linterPlugin struct {
	analyzers []*analysis.Analyzer
}

// New decodes and applies the settings golangci-lint passes (the
// linters.settings.custom.kafkalint.settings value of .golangci.yml, or
// nil) and returns the plugin.
func New(raw any) (register.LinterPlugin, error) {
	analyzers := suite.Analyzers()
	if err := apply(raw, analyzers); err != nil {
		return nil, fmt.Errorf("kafkalint settings: %w", err)
	}
	return &linterPlugin{analyzers: analyzers}, nil
}

// BuildAnalyzers returns every kafkalint analyzer. golangci-lint runs the
// analyzers they require (the shared lock model) itself.
func (p *linterPlugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return p.analyzers, nil
}

// GetLoadMode asks for type information: the lock model is built on SSA and
// on facts about dependencies.
func (p *linterPlugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}

// apply decodes raw into Settings and sets each named analyzer flag. It
// checks every name before it sets anything, so a typo leaves no flag
// half-applied.
func apply(raw any, analyzers []*analysis.Analyzer) error {
	if raw == nil {
		return nil
	}
	settings, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return err
	}
	byName := make(map[string]*analysis.Analyzer, len(analyzers))
	for _, a := range analyzers {
		byName[a.Name] = a
	}

	type assignment struct {
		a     *analysis.Analyzer
		flag  string
		value string
	}
	var todo []assignment
	for _, name := range sortedKeys(settings) {
		a, ok := byName[name]
		if !ok {
			return fmt.Errorf("unknown analyzer %q (analyzers: %s)", name, strings.Join(sortedKeys(byName), ", "))
		}
		flags := settings[name]
		for _, fname := range sortedKeys(flags) {
			if a.Flags.Lookup(fname) == nil {
				return fmt.Errorf("analyzer %s has no setting %q (%s)", name, fname, flagList(a))
			}
			values, err := flagValues(flags[fname])
			if err != nil {
				return fmt.Errorf("%s.%s: %w", name, fname, err)
			}
			for _, v := range values {
				todo = append(todo, assignment{a, fname, v})
			}
		}
	}
	for _, t := range todo {
		if err := t.a.Flags.Set(t.flag, t.value); err != nil {
			return fmt.Errorf("%s.%s: invalid value %q: %w", t.a.Name, t.flag, t.value, err)
		}
	}
	return nil
}

// flagValues turns one setting into the texts to pass to flag.Value.Set:
// a string as is, a boolean or number as written, a list element by
// element.
func flagValues(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
		return nil, fmt.Errorf("no value")
	case raw[0] == '{':
		return nil, fmt.Errorf("want a string, a boolean, a number or a list of them, not a map")
	case raw[0] == '[':
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, err
		}
		var out []string
		for _, elem := range list {
			if e := bytes.TrimSpace(elem); len(e) > 0 && (e[0] == '[' || e[0] == '{') {
				return nil, fmt.Errorf("a list may hold only strings, booleans and numbers")
			}
			v, err := flagValues(elem)
			if err != nil {
				return nil, err
			}
			out = append(out, v...)
		}
		return out, nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []string{s}, nil
	default: // true, false or a number: its JSON text is what a flag parses
		return []string{string(raw)}, nil
	}
}

func flagList(a *analysis.Analyzer) string {
	var names []string
	a.Flags.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) == 0 {
		return "it has no settings"
	}
	return "settings: " + strings.Join(names, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
