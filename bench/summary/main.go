// Command summary turns the -json output of kafkalint (the go/analysis
// checker's tree: package → analyzer → diagnostics or {"error": ...}) into
// text a person reads, and counts reports per check for realcode.sh. A check
// is a diagnostic's category (kafkalint's check names, e.g. lock-cycle), or
// the analyzer's name when the category is empty.
//
// Usage:
//
//	summary -text out.json            # go vet-like text, with related positions
//	summary -table name=out.json...   # one row per target, one column per check
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
)

// diagnostic is the part of driverutil.JSONDiagnostic this command reads.
type diagnostic struct {
	Posn     string `json:"posn"`
	Message  string `json:"message"`
	Category string `json:"category"`
	Related  []struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	} `json:"related"`
}

// result is what one analyzer reported on one package.
type result struct {
	Pkg, Check string
	Diags      []diagnostic
	Err        string
}

func main() {
	text := flag.String("text", "", "print the reports in this JSON file as text")
	table := flag.Bool("table", false, "print a table of reports per check for name=file.json arguments")
	flag.Parse()
	switch {
	case *text != "":
		results, err := read(*text)
		if err != nil {
			fatal(err)
		}
		printText(results)
	case *table:
		if err := printTable(flag.Args()); err != nil {
			fatal(err)
		}
	default:
		flag.Usage()
		os.Exit(2)
	}
}

// read parses one kafkalint -json output. The driver may print several JSON
// trees (one per invocation) or none when it failed before analysis.
func read(path string) ([]result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var results []result
	dec := json.NewDecoder(f)
	for dec.More() {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err != nil {
			return nil, fmt.Errorf("%s: not kafkalint -json output: %v", path, err)
		}
		for pkg, byCheck := range tree {
			for check, raw := range byCheck {
				r := result{Pkg: pkg, Check: check}
				if err := json.Unmarshal(raw, &r.Diags); err != nil {
					var e struct {
						Error string `json:"error"`
					}
					if err := json.Unmarshal(raw, &e); err != nil {
						return nil, fmt.Errorf("%s: %s/%s: %v", path, pkg, check, err)
					}
					r.Err = e.Error
				}
				results = append(results, r)
			}
		}
	}
	sort.Slice(results, func(i, j int) bool {
		if results[i].Pkg != results[j].Pkg {
			return results[i].Pkg < results[j].Pkg
		}
		return results[i].Check < results[j].Check
	})
	// A file compiled into a package and its test variant ("p" and
	// "p [p.test]") is reported under both IDs in the JSON tree; count each
	// diagnostic once, as the text output does.
	seen := map[string]bool{}
	for i := range results {
		var keep []diagnostic
		for _, d := range results[i].Diags {
			k := results[i].Check + "\x00" + d.Posn + "\x00" + d.Message
			if !seen[k] {
				seen[k] = true
				keep = append(keep, d)
			}
		}
		results[i].Diags = keep
	}
	return results, nil
}

func printText(results []result) {
	for _, r := range results {
		if r.Err != "" {
			fmt.Printf("%s: %s: error: %s\n", r.Pkg, r.Check, r.Err)
			continue
		}
		for _, d := range r.Diags {
			fmt.Printf("%s: %s [%s]\n", d.Posn, d.Message, check(r.Check, d))
			for _, rel := range d.Related {
				fmt.Printf("\t%s: %s\n", rel.Posn, rel.Message)
			}
		}
	}
}

func printTable(args []string) error {
	type row struct {
		name   string
		counts map[string]int
		errs   int
	}
	var rows []row
	checks := map[string]bool{}
	for _, arg := range args {
		name, path, ok := strings.Cut(arg, "=")
		if !ok {
			return fmt.Errorf("want name=file.json, got %q", arg)
		}
		results, err := read(path)
		if err != nil {
			return err
		}
		rw := row{name: name, counts: map[string]int{}}
		for _, r := range results {
			for _, d := range r.Diags {
				c := check(r.Check, d)
				checks[c] = true
				rw.counts[c]++
			}
			if r.Err != "" {
				rw.errs++
			}
		}
		rows = append(rows, rw)
	}
	names := make([]string, 0, len(checks))
	for c := range checks {
		names = append(names, c)
	}
	slices.Sort(names)

	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "target\t%s\tanalyzer errors\t\n", strings.Join(names, "\t"))
	for _, rw := range rows {
		fmt.Fprintf(w, "%s\t", rw.name)
		for _, c := range names {
			fmt.Fprintf(w, "%d\t", rw.counts[c])
		}
		fmt.Fprintf(w, "%d\t\n", rw.errs)
	}
	return w.Flush()
}

// check names the check that reported d: its category, else the analyzer.
func check(analyzer string, d diagnostic) string {
	if d.Category != "" {
		return d.Category
	}
	return analyzer
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "summary:", err)
	os.Exit(1)
}
