package report

import (
	"errors"
	"strings"
)

// IgnoreDirective is the comment prefix of a suppression.
const IgnoreDirective = "//kafkalint:ignore"

// An Ignore is a parsed suppression comment:
//
//	//kafkalint:ignore lock-cycle,double-lock the pool is only locked at startup
type Ignore struct {
	Checks []string // check names or analyzer names, as written
	Reason string   // why the report is wrong or accepted; never empty in a valid Ignore
}

// Names reports whether the suppression names check.
func (ig Ignore) Names(check string) bool {
	for _, c := range ig.Checks {
		if c == check {
			return true
		}
	}
	return false
}

// String formats ig as the comment it was parsed from, normalized.
func (ig Ignore) String() string {
	return IgnoreDirective + " " + strings.Join(ig.Checks, ",") + " " + ig.Reason
}

// Errors ParseIgnore returns for a comment that is a suppression but is not
// well formed. Such a comment suppresses nothing.
var (
	ErrIgnoreNoChecks = errors.New("kafkalint:ignore needs the checks to ignore and a reason: //kafkalint:ignore <check>[,<check>] <reason>")
	ErrIgnoreNoReason = errors.New("kafkalint:ignore needs a reason after the check names: //kafkalint:ignore <check>[,<check>] <reason>")
	ErrIgnoreEmpty    = errors.New("kafkalint:ignore has an empty check name in its list (check names are separated by commas, without spaces)")
	ErrIgnoreSpaced   = errors.New("write the suppression as //kafkalint:ignore, without a space after //, or it is an ordinary comment")
)

// ParseIgnore parses one comment's text, as go/ast gives it (with the
// leading "//"). It returns ok=false for a comment that is not a
// suppression at all. For a suppression that is malformed it returns ok=true
// and a non-nil error; the Ignore is then only good for error messages.
//
// The grammar is the directive, blanks, a comma-separated list of check
// names (no blanks inside the list), blanks, and a reason that runs to the
// end of the comment.
func ParseIgnore(text string) (ig Ignore, ok bool, err error) {
	rest, found := strings.CutPrefix(text, IgnoreDirective)
	if !found {
		// "// kafkalint:ignore ..." looks like a suppression to a reader but
		// is not a Go directive; say so rather than silently ignoring it.
		if spaced, ok := strings.CutPrefix(text, "//"); ok {
			spaced = strings.TrimLeft(spaced, " \t")
			if hasDirectivePrefix(spaced, IgnoreDirective[2:]) {
				return Ignore{}, true, ErrIgnoreSpaced
			}
		}
		return Ignore{}, false, nil
	}
	if rest != "" && !isBlank(rest[0]) {
		return Ignore{}, false, nil // e.g. //kafkalint:ignored — another word
	}
	rest = strings.TrimLeft(rest, " \t")
	list, reason := rest, ""
	if i := strings.IndexAny(rest, " \t"); i >= 0 {
		list, reason = rest[:i], strings.TrimSpace(rest[i+1:])
	}
	if list == "" {
		return Ignore{}, true, ErrIgnoreNoChecks
	}
	ig.Checks = strings.Split(list, ",")
	for _, c := range ig.Checks {
		if c == "" {
			return ig, true, ErrIgnoreEmpty
		}
	}
	ig.Reason = reason
	if reason == "" {
		return ig, true, ErrIgnoreNoReason
	}
	return ig, true, nil
}

// hasDirectivePrefix reports whether s starts with word followed by a blank
// or the end of s.
func hasDirectivePrefix(s, word string) bool {
	rest, ok := strings.CutPrefix(s, word)
	return ok && (rest == "" || isBlank(rest[0]))
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' }
