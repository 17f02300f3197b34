package main

import (
	"context"
	"log"
	"time"

	"github.com/segmentio/kafka-go"
)

func dropped(ctx context.Context, r *kafka.Reader, m kafka.Message, gen *kafka.Generation) {
	r.CommitMessages(ctx, m)                                                // expect: commit-error-dropped
	_ = gen.CommitOffsets(map[string]map[int]int64{"t": {0: m.Offset + 1}}) // expect: commit-error-dropped
}

func offsetCommitIgnored(ctx context.Context, c *kafka.Client, req *kafka.OffsetCommitRequest) error {
	resp, err := c.OffsetCommit(ctx, req) // expect: commit-callback-drops-error
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

type worker struct{ r *kafka.Reader }

func (w *worker) run(ctx context.Context) {
	for {
		m, err := w.r.FetchMessage(ctx)
		if err != nil {
			return
		}
		if err := w.r.CommitMessages(ctx, m); err != nil {
			log.Printf("commit: %v", err)
			return // expect: consumer-exits-on-commit-error
		}
	}
}

func retryForever(ctx context.Context, r *kafka.Reader, m kafka.Message) {
	for {
		err := r.CommitMessages(ctx, m) // expect: commit-retried-forever
		if err == nil {
			return
		}
		time.Sleep(time.Second)
	}
}
