package commiterr

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/kafkaapi"
)

// loop is a natural loop of a function's SSA control-flow graph.
type loop struct {
	header *ssa.BasicBlock
	body   []bool // indexed by BasicBlock.Index; the header included
	size   int
}

func (l *loop) contains(b *ssa.BasicBlock) bool { return b != nil && l.body[b.Index] }

// exits returns the edges that leave the loop, as (from, to) pairs, in block
// order.
func (l *loop) exits(fn *ssa.Function) [][2]*ssa.BasicBlock {
	var out [][2]*ssa.BasicBlock
	for _, b := range fn.Blocks {
		if !l.contains(b) {
			continue
		}
		for _, s := range b.Succs {
			if !l.contains(s) {
				out = append(out, [2]*ssa.BasicBlock{b, s})
			}
		}
	}
	return out
}

// loopsOf returns the natural loops of fn (one per header, back edges to the
// same header merged), innermost first for nested loops.
func (c *checker) loopsOf(fn *ssa.Function) []*loop {
	if ls, ok := c.loops[fn]; ok {
		return ls
	}
	var ls []*loop
	byHeader := map[*ssa.BasicBlock]*loop{}
	for _, b := range fn.Blocks {
		for _, h := range b.Succs {
			if !h.Dominates(b) {
				continue // not a back edge
			}
			l := byHeader[h]
			if l == nil {
				l = &loop{header: h, body: make([]bool, len(fn.Blocks))}
				l.body[h.Index] = true
				l.size = 1
				byHeader[h] = l
				ls = append(ls, l)
			}
			// Everything that reaches the latch b without passing the header.
			stack := []*ssa.BasicBlock{b}
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if l.body[x.Index] {
					continue
				}
				l.body[x.Index] = true
				l.size++
				stack = append(stack, x.Preds...)
			}
		}
	}
	// Innermost first: a smaller loop nested in a larger one comes before it.
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].size < ls[j-1].size; j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
	if c.loops == nil {
		c.loops = map[*ssa.Function][]*loop{}
	}
	c.loops[fn] = ls
	return ls
}

// loopsContaining returns the loops of fn that contain b, innermost first.
func (c *checker) loopsContaining(fn *ssa.Function, b *ssa.BasicBlock) []*loop {
	var out []*loop
	for _, l := range c.loopsOf(fn) {
		if l.contains(b) {
			out = append(out, l)
		}
	}
	return out
}

// isConsumeLoop reports whether the loop fetches records: it calls a poll
// function, or receives from a channel a poll function returned.
func (c *checker) isConsumeLoop(fn *ssa.Function, l *loop) bool {
	for _, b := range fn.Blocks {
		if !l.contains(b) {
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
