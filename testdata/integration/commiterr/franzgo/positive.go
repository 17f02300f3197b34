package main

import (
	"context"
	"log"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func dropped(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) {
	cl.CommitRecords(ctx, rs...)         // expect: commit-error-dropped
	_ = cl.CommitUncommittedOffsets(ctx) // expect: commit-error-dropped
	defer cl.CommitMarkedOffsets(ctx)    // expect: commit-error-dropped
}

func droppedTxn(ctx context.Context, s *kgo.GroupTransactSession) bool {
	committed, _ := s.End(ctx, kgo.TryCommit) // expect: commit-error-dropped
	return committed
}

func callbacks(ctx context.Context, cl *kgo.Client) (*kgo.Client, error) {
	cl.CommitOffsets(ctx, cl.UncommittedOffsets(), nil)                                                                                       // expect: commit-callback-drops-error
	cl.CommitOffsetsSync(ctx, cl.MarkedOffsets(), func(_ *kgo.Client, req *kmsg.OffsetCommitRequest, _ *kmsg.OffsetCommitResponse, _ error) { // expect: commit-callback-drops-error
		log.Printf("committed for %s", req.Group)
	})
	return kgo.NewClient(
		kgo.ConsumerGroup("g"),
		kgo.AutoCommitCallback(func(*kgo.Client, *kmsg.OffsetCommitRequest, *kmsg.OffsetCommitResponse, error) {}), // expect: commit-callback-drops-error
	)
}

func consumeGoroutine(ctx context.Context, cl *kgo.Client) {
	go func() {
		for {
			fetches := cl.PollFetches(ctx)
			if fetches.IsClientClosed() {
				return
			}
			process(fetches.Records())
			if err := cl.CommitUncommittedOffsets(ctx); err != nil {
				log.Printf("commit failed: %v", err)
				return // expect: consumer-exits-on-commit-error
			}
		}
	}()
}

func retryForever(ctx context.Context, cl *kgo.Client, rs []*kgo.Record) {
	for {
		if err := cl.CommitRecords(ctx, rs...); err == nil { // expect: commit-retried-forever
			return
		}
		time.Sleep(time.Second)
	}
}
