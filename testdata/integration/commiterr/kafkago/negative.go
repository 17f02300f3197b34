package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/segmentio/kafka-go"
)

func consume(ctx context.Context, r *kafka.Reader) error {
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			return err
		}
		if err := r.CommitMessages(ctx, m); err != nil {
			if errors.Is(err, kafka.RebalanceInProgress) || errors.Is(err, kafka.IllegalGeneration) {
				log.Printf("commit lost to a rebalance: %v", err)
				continue
			}
			return fmt.Errorf("commit: %w", err)
		}
	}
}

func offsetCommitChecked(ctx context.Context, c *kafka.Client, req *kafka.OffsetCommitRequest) error {
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
