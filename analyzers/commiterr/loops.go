package commiterr

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/kafkaapi"
)

// loopsContaining returns the loops of fn that contain b, innermost first
// (fn's loops are computed once).
func (c *checker) loopsContaining(fn *ssa.Function, b *ssa.BasicBlock) []*callindex.Loop {
	ls, ok := c.loops[fn]
	if !ok {
		ls = callindex.Loops(fn)
		if c.loops == nil {
			c.loops = map[*ssa.Function][]*callindex.Loop{}
		}
		c.loops[fn] = ls
	}
	var out []*callindex.Loop
	for _, l := range ls {
		if l.Contains(b) {
			out = append(out, l)
		}
	}
	return out
}

// isConsumeLoop reports whether the loop fetches records: it calls a poll
// function, or receives from a channel a poll function returned.
func (c *checker) isConsumeLoop(fn *ssa.Function, l *callindex.Loop) bool {
	for _, b := range fn.Blocks {
		if !l.Contains(b) {
			continue
		}
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case ssa.CallInstruction:
				if e := c.entryOf(instr.Common(), kafkaapi.Poll); e != nil {
					return true
				}
			case *ssa.UnOp:
				if instr.Op == token.ARROW && c.isPollChannel(instr.X) {
					return true
				}
			case *ssa.Select:
				for _, st := range instr.States {
					if st.Dir == types.RecvOnly && c.isPollChannel(st.Chan) {
						return true
					}
				}
			}
		}
	}
	return false
}

// isPollChannel reports whether ch is the result of a poll function that
// returns a channel (sarama claim.Messages(), confluent Events()).
func (c *checker) isPollChannel(ch ssa.Value) bool {
	return c.isChannelFrom(ch, kafkaapi.Poll, map[ssa.Value]bool{})
}

// isChannelFrom reports whether ch was returned by a call of a table
// function of the given kind, directly or through φ-nodes and conversions.
func (c *checker) isChannelFrom(ch ssa.Value, kind kafkaapi.Kind, seen map[ssa.Value]bool) bool {
	if seen[ch] {
		return false
	}
	seen[ch] = true
	switch v := ch.(type) {
	case *ssa.Call:
		e := c.entryOf(&v.Call, kind)
		return e != nil && (kind != kafkaapi.Poll || e.Via == "channel")
	case *ssa.Phi:
		for _, x := range v.Edges {
			if c.isChannelFrom(x, kind, seen) {
				return true
			}
		}
	case *ssa.ChangeType:
		return c.isChannelFrom(v.X, kind, seen)
	}
	return false
}

// entryOf returns the table entry of the given kind for the call's callee.
func (c *checker) entryOf(common *ssa.CallCommon, kind kafkaapi.Kind) *kafkaapi.Entry {
	callee := calleeOf(common)
	if callee == nil {
		return nil
	}
	return c.table.LookupKind(callee.FullName(), kind)
}
