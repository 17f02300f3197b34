// Package commiterr_franz holds the franz-go cases of the commiterr analyzer.
package commiterr_franz

import (
	"context"
	"errors"
	"log"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Shape 1: the commit's error discarded.

func dropStatement(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) {
	cl.CommitRecords(ctx, rs...) // want `error from \(\*kgo.Client\).CommitRecords is discarded \(the call's result is not used\): a commit that fails in a rebalance \(REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID\) goes unnoticed; check it, and on rebalance errors drop the revoked partitions' state and keep polling`
}

func dropBlank(ctx context.Context, cl *kgo.Client) {
	_ = cl.CommitUncommittedOffsets(ctx) // want `error from \(\*kgo.Client\).CommitUncommittedOffsets is assigned to _`
}

func dropNeverRead(ctx context.Context, cl *kgo.Client) error {
	err := cl.CommitMarkedOffsets(ctx) // want `error from \(\*kgo.Client\).CommitMarkedOffsets is assigned to err but never read`
	err = errors.New("overwritten")
	return err
}

func dropDeferred(ctx context.Context, cl *kgo.Client) {
	defer cl.CommitUncommittedOffsets(ctx) // want `error from \(\*kgo.Client\).CommitUncommittedOffsets is discarded by the defer statement`
}

func dropGo(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) {
	go cl.CommitRecords(ctx, rs...) // want `error from \(\*kgo.Client\).CommitRecords is discarded by the go statement`
}

func dropTxnEnd(ctx context.Context, s *kgo.GroupTransactSession) {
	committed, _ := s.End(ctx, kgo.TryCommit) // want `error from \(\*kgo.GroupTransactSession\).End is assigned to _: a transaction whose offset commit failed`
	_ = committed
}

// Negatives: the error is returned, classified, logged, or checked in a deferred closure.

func checkedReturned(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) error {
	return cl.CommitRecords(ctx, rs...)
}

func checkedClassified(ctx context.Context, cl *kgo.Client) bool {
	err := cl.CommitUncommittedOffsets(ctx)
	return errors.Is(err, kerr.RebalanceInProgress) || kerr.IsRetriable(err)
}

func checkedLogged(ctx context.Context, cl *kgo.Client) {
	if err := cl.CommitMarkedOffsets(ctx); err != nil {
		log.Printf("commit failed: %v", err)
	}
}

func checkedInDeferredClosure(ctx context.Context, cl *kgo.Client) {
	defer func() {
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			log.Printf("final commit: %v", err)
		}
	}()
}

func checkedTxnEnd(ctx context.Context, s *kgo.GroupTransactSession) (bool, error) {
	return s.End(ctx, kgo.TryCommit)
}

func checkedCapturedVariable(ctx context.Context, cl *kgo.Client) (err error) {
	func() {
		err = cl.CommitUncommittedOffsets(ctx) // stored where the caller reads it
	}()
	return
}

// Suppressed with a reason: no report.
func droppedOnPurpose(ctx context.Context, cl *kgo.Client) {
	//kafkalint:ignore commit-error-dropped best-effort commit on shutdown; the next owner re-reads from the last commit
	cl.CommitUncommittedOffsets(ctx)
}
