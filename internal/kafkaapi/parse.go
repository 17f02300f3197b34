package kafkaapi

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"
)

// Parse reads a table in the line format:
//
//	# comment (from # to the end of the line)
//	KIND CLIENT NAME [KEY=VALUE ...]
//
// KIND is commit, callback, poll, errors, errors-switch or event. CLIENT is a
// short name used in messages. NAME is a function's full name as
// (*types.Func).FullName prints it — pkg/path.Func, (pkg/path.Type).Method or
// (*pkg/path.Type).Method — or, for errors-switch and event, a type name
// pkg/path.Type. The keys each kind takes:
//
//	commit         error=result|callback:N|channel  [partitions=result:N|param:N]  [when=return-errors]
//	callback       error=callback:N  [partitions=param:N]
//	poll           [via=result|channel]
//	errors         [owners=NAME,NAME...]  [blocking=true|false]
//	errors-switch  field=Field.Path
//	event          error=field:Name
//
// filename is only used in error messages.
func Parse(filename, src string) (*Table, error) {
	t := &Table{}
	for i, line := range strings.Split(src, "\n") {
		lineno := i + 1
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		e, err := parseEntry(fields)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", filename, lineno, err)
		}
		e.Line = lineno
		t.Add(e)
	}
	return t, nil
}

func parseEntry(fields []string) (*Entry, error) {
	if len(fields) < 3 {
		return nil, fmt.Errorf("want KIND CLIENT NAME [KEY=VALUE...], got %d field(s)", len(fields))
	}
	e := &Entry{Kind: Kind(fields[0]), Client: fields[1], Name: fields[2], Partitions: -1}
	if !validClient(e.Client) {
		return nil, fmt.Errorf("bad client name %q (letters, digits, '-', '_', '.', '/')", e.Client)
	}
	opts := map[string]string{}
	var order []string
	for _, f := range fields[3:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("bad option %q: want KEY=VALUE", f)
		}
		if _, dup := opts[k]; dup {
			return nil, fmt.Errorf("option %q given twice", k)
		}
		opts[k] = v
		order = append(order, k)
	}
	allowed := map[Kind][]string{
		Commit:       {"error", "partitions", "when"},
		CallbackOpt:  {"error", "partitions"},
		Poll:         {"via"},
		Errors:       {"owners", "blocking"},
		ErrorsSwitch: {"field"},
		Event:        {"error"},
	}
	keys, known := allowed[e.Kind]
	if !known {
		return nil, fmt.Errorf("unknown kind %q (want commit, callback, poll, errors, errors-switch or event)", e.Kind)
	}
	for _, k := range order {
		if !contains(keys, k) {
			return nil, fmt.Errorf("option %q does not apply to kind %s", k, e.Kind)
		}
	}

	switch e.Kind {
	case ErrorsSwitch, Event:
		if !validTypeName(e.Name) {
			return nil, fmt.Errorf("bad type name %q: want pkg/path.Type", e.Name)
		}
	default:
		if !ValidFuncName(e.Name) {
			return nil, fmt.Errorf("bad function name %q: want pkg/path.Func, (pkg/path.Type).Method or (*pkg/path.Type).Method", e.Name)
		}
	}

	switch e.Kind {
	case Commit, CallbackOpt:
		where, ok := opts["error"]
		if !ok {
			return nil, fmt.Errorf("%s needs error=result, error=callback:N or error=channel", e.Kind)
		}
		switch {
		case where == "result" && e.Kind == Commit:
			e.Error = InResult
		case where == "channel" && e.Kind == Commit:
			e.Error = InChannel
		case strings.HasPrefix(where, "callback:"):
			n, err := parseIndex(strings.TrimPrefix(where, "callback:"))
			if err != nil {
				return nil, fmt.Errorf("error=%s: %v", where, err)
			}
			e.Error, e.Arg = InCallback, n
		default:
			if e.Kind == CallbackOpt {
				return nil, fmt.Errorf("callback needs error=callback:N, got error=%s", where)
			}
			return nil, fmt.Errorf("bad error=%s: want result, callback:N or channel", where)
		}
		if p, ok := opts["partitions"]; ok {
			var prefix string
			switch e.Error {
			case InResult:
				prefix = "result:"
			case InCallback:
				prefix = "param:"
			default:
				return nil, fmt.Errorf("partitions= needs error=result or error=callback:N")
			}
			if !strings.HasPrefix(p, prefix) {
				return nil, fmt.Errorf("bad partitions=%s: want %sN", p, prefix)
			}
			n, err := parseIndex(strings.TrimPrefix(p, prefix))
			if err != nil {
				return nil, fmt.Errorf("partitions=%s: %v", p, err)
			}
			e.Partitions = n
		}
		if w, ok := opts["when"]; ok {
			if w != "return-errors" || e.Error != InResult {
				return nil, fmt.Errorf("bad when=%s: only when=return-errors with error=result", w)
			}
			e.WhenReturnErrors = true
		}
	case Poll:
		e.Via = "result"
		if v, ok := opts["via"]; ok {
			if v != "result" && v != "channel" {
				return nil, fmt.Errorf("bad via=%s: want result or channel", v)
			}
			e.Via = v
		}
	case Errors:
		if o, ok := opts["owners"]; ok {
			for _, name := range strings.Split(o, ",") {
				if !ValidFuncName(name) {
					return nil, fmt.Errorf("bad owner %q: want a function full name", name)
				}
				e.Owners = append(e.Owners, name)
			}
		}
		if b, ok := opts["blocking"]; ok {
			v, err := strconv.ParseBool(b)
			if err != nil || (b != "true" && b != "false") {
				return nil, fmt.Errorf("bad blocking=%s: want true or false", b)
			}
			e.Blocking = v
		}
	case ErrorsSwitch:
		f, ok := opts["field"]
		if !ok {
			return nil, fmt.Errorf("errors-switch needs field=Field.Path")
		}
		for _, part := range strings.Split(f, ".") {
			if !token.IsIdentifier(part) {
				return nil, fmt.Errorf("bad field path %q", f)
			}
		}
		e.Field = f
	case Event:
		where, ok := opts["error"]
		if !ok || !strings.HasPrefix(where, "field:") || !token.IsIdentifier(strings.TrimPrefix(where, "field:")) {
			return nil, fmt.Errorf("event needs error=field:Name")
		}
		e.Error, e.Field = InField, strings.TrimPrefix(where, "field:")
	}
	return e, nil
}

// parseIndex reads a small non-negative decimal index.
func parseIndex(s string) (int, error) {
	if s == "" || len(s) > 3 {
		return 0, fmt.Errorf("want an index 0-255")
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("want an index 0-255")
		}
	}
	n, _ := strconv.Atoi(s)
	if n > 255 || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("want an index 0-255")
	}
	return n, nil
}

// ValidFuncName reports whether s has the shape of a types.Func full name.
func ValidFuncName(s string) bool {
	if strings.HasPrefix(s, "(") {
		end := strings.Index(s, ").")
		if end < 0 {
			return false
		}
		recv := strings.TrimPrefix(s[1:end], "*")
		return validTypeName(recv) && token.IsIdentifier(s[end+2:])
	}
	return validTypeName(s)
}

// validTypeName reports whether s is pkg/path.Name.
func validTypeName(s string) bool {
	dot := strings.LastIndex(s, ".")
	if dot <= 0 {
		return false
	}
	return validPkgPath(s[:dot]) && token.IsIdentifier(s[dot+1:])
}

func validPkgPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.Contains(p, "//") {
		return false
	}
	for _, r := range p {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-._~/+", r):
		default:
			return false
		}
	}
	return true
}

func validClient(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-_./", r):
		default:
			return false
		}
	}
	return s != ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
