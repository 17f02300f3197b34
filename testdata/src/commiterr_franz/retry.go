package commiterr_franz

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Shape 5: a commit retried in a loop until it succeeds.

func retryForever(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) {
	for {
		err := cl.CommitRecords(ctx, rs...) // want `\(\*kgo.Client\).CommitRecords is retried until it succeeds, with no way out of the loop: after a rebalance the old generation's commit can never succeed`
		if err == nil {
			break
		}
		time.Sleep(time.Second)
	}
}

func retryWhileErr(ctx context.Context, cl *kgo.Client) {
	err := errors.New("not yet")
	for err != nil {
		err = cl.CommitUncommittedOffsets(ctx) // want `\(\*kgo.Client\).CommitUncommittedOffsets is retried until it succeeds`
	}
}

func retryReturnOnSuccess(ctx context.Context, cl *kgo.Client) error {
	for {
		if err := cl.CommitMarkedOffsets(ctx); err == nil { // want `\(\*kgo.Client\).CommitMarkedOffsets is retried until it succeeds`
			return nil
		}
	}
}

// Negatives.

func retryBounded(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) error {
	var err error
	for i := 0; i < 3; i++ {
		if err = cl.CommitRecords(ctx, rs...); err == nil {
			return nil
		}
	}
	return err
}

func retryUntilRebalance(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) error {
	for {
		err := cl.CommitRecords(ctx, rs...)
		if err == nil {
			return nil
		}
		if errors.Is(err, kerr.RebalanceInProgress) || errors.Is(err, kerr.IllegalGeneration) || errors.Is(err, kerr.UnknownMemberID) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func retryUntilNotRetriable(ctx context.Context, cl *kgo.Client) error {
	for {
		err := cl.CommitUncommittedOffsets(ctx)
		if err == nil || !kerr.IsRetriable(err) {
			return err
		}
	}
}

func retryUntilContextDone(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) error {
	for {
		if err := cl.CommitRecords(ctx, rs...); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// The consume loop itself commits each batch; it polls again on failure.
func consumeLoopNotRetry(ctx context.Context, cl *kgo.Client) {
	for {
		fetches := cl.PollFetches(ctx)
		if fetches.IsClientClosed() {
			return
		}
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			continue
		}
	}
}

// A per-partition consumer (franz-go's goroutine_per_partition_consuming
// example): each batch is committed once, the failure logged, and the select
// loop goes on. The nil side of the check is the loop header: not a retry.
func (pc *partitionConsumer) consumeLogging(ctx context.Context) {
	for {
		select {
		case <-pc.quit:
			return
		case recs := <-pc.recs:
			err := pc.cl.CommitRecords(ctx, recs...)
			if err != nil {
				println("commit failed:", err.Error())
			}
		}
	}
}

// Each iteration commits the next record from the channel: the commit's
// arguments change, so this is not the same commit retried.
func commitEachFromChannel(ctx context.Context, cl *kgo.Client, ch <-chan *kgo.Record) {
	for {
		r := <-ch
		if err := cl.CommitRecords(ctx, r); err == nil {
			return
		}
	}
}

// The same records, retried: reported.
func retrySameRecords(ctx context.Context, cl *kgo.Client, r *kgo.Record) {
	for {
		if err := cl.CommitRecords(ctx, r); err == nil { // want `\(\*kgo.Client\).CommitRecords is retried until it succeeds`
			return
		}
	}
}

// die ends the process; the shared SSA builder does not know it, the
// analyzer works it out.
func die(format string, args ...any) {
	println(format, args)
	os.Exit(1)
}

func fatal(format string, args ...any) { die(format, args...) }

// Negative: on a rebalance error the loop ends the process (through two
// helpers), so the commit is not retried forever.
func retryOrDie(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) {
	for {
		err := cl.CommitRecords(ctx, rs...)
		if err == nil {
			return
		}
		if errors.Is(err, kerr.IllegalGeneration) {
			fatal("commit lost to a rebalance: %v", err)
		}
		time.Sleep(time.Second)
	}
}
