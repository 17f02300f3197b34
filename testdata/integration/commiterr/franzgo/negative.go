package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// consumeChecked polls, processes, commits; rebalance errors keep polling,
// other commit errors go to the caller.
func consumeChecked(ctx context.Context, cl *kgo.Client) error {
	for {
		fetches := cl.PollFetches(ctx)
		if fetches.IsClientClosed() {
			return nil
		}
		fetches.EachError(func(t string, p int32, err error) {
			log.Printf("fetch %s/%d: %v", t, p, err)
		})
		process(fetches.Records())
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			if errors.Is(err, kerr.RebalanceInProgress) || errors.Is(err, kerr.IllegalGeneration) || errors.Is(err, kerr.UnknownMemberID) {
				log.Printf("commit lost to a rebalance: %v", err)
				continue
			}
			return fmt.Errorf("commit: %w", err)
		}
	}
}

func commitAsyncChecked(ctx context.Context, cl *kgo.Client) {
	cl.CommitOffsets(ctx, cl.UncommittedOffsets(), func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
		if err != nil {
			log.Printf("commit: %v", err)
			return
		}
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
					log.Printf("commit %s/%d: %v", t.Topic, p.Partition, err)
				}
			}
		}
	})
}

func retryBounded(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) error {
	var err error
	for range 3 {
		if err = cl.CommitRecords(ctx, rs...); err == nil || !kerr.IsRetriable(err) {
			return err
		}
	}
	return err
}

func txnEnd(ctx context.Context, s *kgo.GroupTransactSession) error {
	committed, err := s.End(ctx, kgo.TryCommit)
	if err != nil {
		return err
	}
	if !committed {
		log.Print("transaction aborted")
	}
	return nil
}
