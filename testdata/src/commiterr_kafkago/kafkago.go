// Package commiterr_kafkago holds segmentio/kafka-go cases.
//
// Shape 3 does not apply: kafka-go has no errors channel (with
// CommitInterval > 0 commit failures go to ReaderConfig.ErrorLogger).
package commiterr_kafkago

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/segmentio/kafka-go"
)

// Shape 1.

func dropStatement(ctx context.Context, r *kafka.Reader, m kafka.Message) {
	r.CommitMessages(ctx, m) // want `error from \(\*kafka.Reader\).CommitMessages is discarded \(the call's result is not used\): a commit that fails in a rebalance \(RebalanceInProgress, IllegalGeneration, UnknownMemberId\) goes unnoticed`
}

func dropGeneration(gen *kafka.Generation, offsets map[string]map[int]int64) {
	_ = gen.CommitOffsets(offsets) // want `error from \(\*kafka.Generation\).CommitOffsets is assigned to _`
}

func dropOffsetCommit(ctx context.Context, c *kafka.Client, req *kafka.OffsetCommitRequest) *kafka.OffsetCommitResponse {
	resp, _ := c.OffsetCommit(ctx, req) // want `error from \(\*kafka.Client\).OffsetCommit is assigned to _`
	return resp
}

func dropDeferred(ctx context.Context, r *kafka.Reader, m kafka.Message) {
	defer r.CommitMessages(ctx, m) // want `error from \(\*kafka.Reader\).CommitMessages is discarded by the defer statement`
}

// Negatives.

func checkedCommit(ctx context.Context, r *kafka.Reader, m kafka.Message) error {
	if err := r.CommitMessages(ctx, m); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func checkedGeneration(gen *kafka.Generation, offsets map[string]map[int]int64) {
	if err := gen.CommitOffsets(offsets); errors.Is(err, kafka.RebalanceInProgress) {
		log.Print("rebalancing")
	}
}

// Shape 2: per-partition errors of the low-level OffsetCommit.

func offsetCommitPartitionsIgnored(ctx context.Context, c *kafka.Client, req *kafka.OffsetCommitRequest) error {
	resp, err := c.OffsetCommit(ctx, req) // want `the partitions returned by \(\*kafka.Client\).OffsetCommit are used but their .Error is never read`
	if err != nil {
		return err
	}
	for topic, parts := range resp.Topics {
		for _, p := range parts {
			log.Printf("committed %s[%d]", topic, p.Partition)
		}
	}
	return nil
}

func offsetCommitPartitionsChecked(ctx context.Context, c *kafka.Client, req *kafka.OffsetCommitRequest) error {
	resp, err := c.OffsetCommit(ctx, req)
	if err != nil {
		return err
	}
	for topic, parts := range resp.Topics {
		for _, p := range parts {
			if p.Error != nil {
				return fmt.Errorf("commit %s[%d]: %w", topic, p.Partition, p.Error)
			}
		}
	}
	return nil
}

func offsetCommitThrottleOnly(ctx context.Context, c *kafka.Client, req *kafka.OffsetCommitRequest) (time.Duration, error) {
	resp, err := c.OffsetCommit(ctx, req) // the partitions are not used at all
	if err != nil {
		return 0, err
	}
	return resp.Throttle, nil
}

// Shape 4.

type worker struct {
	r *kafka.Reader
}

func (w *worker) run(ctx context.Context) {
	for {
		m, err := w.r.FetchMessage(ctx)
		if err != nil {
			return
		}
		if err := w.r.CommitMessages(ctx, m); err != nil {
			log.Printf("commit offset %d: %v", m.Offset, err)
			return // want `worker.run, which holds the consume loop, returns on a commit error from \(\*kafka.Reader\).CommitMessages without passing the error on`
		}
	}
}

func (w *worker) runContinues(ctx context.Context) {
	for {
		m, err := w.r.FetchMessage(ctx)
		if err != nil {
			return
		}
		if err := w.r.CommitMessages(ctx, m); err != nil {
			log.Printf("commit offset %d: %v", m.Offset, err)
		}
	}
}

func (w *worker) runReturns(ctx context.Context) error {
	for {
		m, err := w.r.FetchMessage(ctx)
		if err != nil {
			return err
		}
		if err := w.r.CommitMessages(ctx, m); err != nil {
			return err
		}
	}
}

// Shape 5.

func commitRetried(ctx context.Context, r *kafka.Reader, m kafka.Message) {
	for {
		err := r.CommitMessages(ctx, m) // want `\(\*kafka.Reader\).CommitMessages is retried until it succeeds, with no way out of the loop.*errors.Is\(err, kafka.IllegalGeneration\)`
		if err != nil {
			log.Printf("commit failed, retrying: %v", err)
			time.Sleep(time.Second)
			continue
		}
		break
	}
}

func commitRetriedUntilGenerationEnds(ctx context.Context, r *kafka.Reader, m kafka.Message) error {
	for {
		err := r.CommitMessages(ctx, m)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, kafka.RebalanceInProgress), errors.Is(err, kafka.IllegalGeneration), errors.Is(err, kafka.ErrGenerationEnded):
			return err
		case ctx.Err() != nil:
			return ctx.Err()
		}
		time.Sleep(time.Second)
	}
}
