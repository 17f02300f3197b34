// Package kafkaapi is the table of Kafka client APIs that kafkalint's
// commit-error checks know about: which calls commit offsets and where their
// error surfaces (a result, a callback, an errors channel), which calls fetch
// records (so a loop around them is a consume loop), and which config switch
// turns an errors channel on.
//
// The built-in table (default.api) covers franz-go, sarama (IBM and Shopify
// import paths), confluent-kafka-go/v2 and segmentio/kafka-go. Users extend
// it with the same line format for their own wrappers; see Parse and
// docs/commiterr.md.
package kafkaapi

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// Kind says what role a function plays in the table.
type Kind string

const (
	// Commit is a call that commits offsets (or, for sarama's
	// PartitionOffsetManager.Close, flushes them and returns their errors).
	Commit Kind = "commit"
	// CallbackOpt is a call that registers a callback receiving commit errors
	// (franz-go AutoCommitCallback).
	CallbackOpt Kind = "callback"
	// Poll is a call that fetches records; a loop around it is a consume loop.
	Poll Kind = "poll"
	// Errors is a method returning the channel that commit errors are sent on
	// (sarama ConsumerGroup.Errors, PartitionOffsetManager.Errors).
	Errors Kind = "errors"
	// ErrorsSwitch names a config field that, when set to true, makes commit
	// errors go to an Errors channel (sarama Config.Consumer.Return.Errors).
	// Its Name is a type name (pkgpath.Type), not a function.
	ErrorsSwitch Kind = "errors-switch"
	// Event is a struct type delivered as an event that carries the result of
	// an asynchronous commit (confluent kafka.OffsetsCommitted). Its Name is a
	// type name.
	Event Kind = "event"
)

// Where says how a commit error reaches the caller.
type Where string

const (
	// InResult: the function's last result is the commit error.
	InResult Where = "result"
	// InCallback: argument Entry.Arg is a function whose last parameter (of
	// type error) receives the commit error.
	InCallback Where = "callback"
	// InChannel: the call returns nothing; commit errors go to an Errors
	// channel (sarama) or only to the client's logger.
	InChannel Where = "channel"
	// InField: the error is a field of an event struct (Entry.Field).
	InField Where = "field"
)

// Entry is one line of the table.
type Entry struct {
	Kind   Kind
	Client string // short client name used in messages: franz-go, sarama, confluent, kafka-go, or the user's own
	// Name is a types.Func full name as printed by (*types.Func).FullName:
	// "pkg/path.Func", "(pkg/path.Type).Method" or "(*pkg/path.Type).Method".
	// For ErrorsSwitch and Event entries it is a type name "pkg/path.Type".
	Name string

	Error Where // commit, callback, event: where the error surfaces
	Arg   int   // InCallback: index of the callback argument (receiver not counted)

	// Partitions, when >= 0, says where per-partition errors live:
	// for InResult the result index (a slice or response holding
	// fields named Error or ErrorCode), for InCallback the callback's
	// parameter index (the response). -1 when there are none.
	Partitions int

	// WhenReturnErrors: the error result only carries commit errors when
	// the package turns the client's errors switch on (sarama
	// PartitionOffsetManager.Close returns what was sent to Errors()).
	WhenReturnErrors bool

	// Via (Poll only): "result" when the call returns records, "channel"
	// when it returns a channel the records are received from.
	Via string

	// Owners (Errors only): functions that create the value whose Errors()
	// this is. Creating one with the switch on and never receiving from
	// Errors() is the undrained-channel bug.
	Owners []string
	// Blocking (Errors only): the client sends on the channel with a
	// blocking send (the sender hangs when nobody receives).
	Blocking bool

	// Field (ErrorsSwitch: dotted field path, e.g. Consumer.Return.Errors;
	// Event: the error field, e.g. Error).
	Field string

	Line int // line in the source the entry was parsed from (0 for built-ins added in code)
}

// Table is a set of entries, looked up by function (or type) name.
type Table struct {
	entries []*Entry
	byName  map[string][]*Entry
}

// Entries returns the entries in the order they were added.
func (t *Table) Entries() []*Entry { return t.entries }

// Lookup returns the entries for a function or type full name, in table order.
func (t *Table) Lookup(name string) []*Entry {
	if t == nil {
		return nil
	}
	return t.byName[name]
}

// LookupKind returns the first entry of the given kind for name, or nil.
func (t *Table) LookupKind(name string, kind Kind) *Entry {
	for _, e := range t.Lookup(name) {
		if e.Kind == kind {
			return e
		}
	}
	return nil
}

// OfKind returns all entries of a kind, in table order.
func (t *Table) OfKind(kind Kind) []*Entry {
	var out []*Entry
	for _, e := range t.entries {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// Add appends entries; a later entry for the same name and kind replaces the
// earlier one, so a user table can override a built-in line.
func (t *Table) Add(entries ...*Entry) {
	if t.byName == nil {
		t.byName = make(map[string][]*Entry)
	}
	for _, e := range entries {
		list := t.byName[e.Name]
		replaced := false
		for i, old := range list {
			if old.Kind == e.Kind {
				list[i] = e
				replaced = true
				for j, x := range t.entries {
					if x == old {
						t.entries[j] = e
					}
				}
			}
		}
		if !replaced {
			t.byName[e.Name] = append(list, e)
			t.entries = append(t.entries, e)
		}
	}
}

// Merge returns a new table with the entries of t followed by those of u.
func (t *Table) Merge(u *Table) *Table {
	out := &Table{}
	if t != nil {
		out.Add(t.entries...)
	}
	if u != nil {
		out.Add(u.entries...)
	}
	return out
}

//go:embed default.api
var defaultSource string

var (
	defaultOnce  sync.Once
	defaultTable *Table
)

// Default returns the built-in table. It panics if the embedded table does
// not parse, which a unit test rules out.
func Default() *Table {
	defaultOnce.Do(func() {
		t, err := Parse("default.api", defaultSource)
		if err != nil {
			panic(err)
		}
		defaultTable = t
	})
	return defaultTable
}

// DefaultSource returns the text of the built-in table (for docs and -help).
func DefaultSource() string { return defaultSource }

// ShortName abbreviates a full name when no type information is at hand: the
// package path is replaced by its last element (which is not always the
// package name), so
// "(*github.com/twmb/franz-go/pkg/kgo.Client).CommitRecords" becomes
// "(*kgo.Client).CommitRecords".
func ShortName(full string) string {
	prefix, rest := "", full
	suffix := ""
	if strings.HasPrefix(rest, "(") {
		end := strings.Index(rest, ")")
		if end < 0 {
			return full
		}
		suffix = rest[end:]
		rest = rest[1:end]
		prefix = "("
		if strings.HasPrefix(rest, "*") {
			prefix = "(*"
			rest = rest[1:]
		}
	}
	dot := strings.LastIndex(rest, ".")
	if dot < 0 {
		return full
	}
	pkg, name := rest[:dot], rest[dot+1:]
	pkg = pkg[strings.LastIndex(pkg, "/")+1:]
	return prefix + pkg + "." + name + suffix
}

// String formats the entry as one table line (the inverse of Parse).
func (e *Entry) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s", e.Kind, e.Client, e.Name)
	switch e.Kind {
	case Commit, CallbackOpt:
		switch e.Error {
		case InCallback:
			fmt.Fprintf(&b, " error=callback:%d", e.Arg)
		default:
			fmt.Fprintf(&b, " error=%s", e.Error)
		}
		if e.Partitions >= 0 {
			if e.Error == InCallback {
				fmt.Fprintf(&b, " partitions=param:%d", e.Partitions)
			} else {
				fmt.Fprintf(&b, " partitions=result:%d", e.Partitions)
			}
		}
		if e.WhenReturnErrors {
			b.WriteString(" when=return-errors")
		}
	case Poll:
		fmt.Fprintf(&b, " via=%s", e.Via)
	case Errors:
		if len(e.Owners) > 0 {
			fmt.Fprintf(&b, " owners=%s", strings.Join(e.Owners, ","))
		}
		if e.Blocking {
			b.WriteString(" blocking=true")
		}
	case ErrorsSwitch:
		fmt.Fprintf(&b, " field=%s", e.Field)
	case Event:
		fmt.Fprintf(&b, " error=field:%s", e.Field)
	}
	return b.String()
}

// Format prints a table in the line format Parse reads.
func Format(t *Table) string {
	var b strings.Builder
	for _, e := range t.entries {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.String()
}
