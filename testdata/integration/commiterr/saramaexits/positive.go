// Command saramaexits consumes a partition and tracks its offset with a
// partition offset manager, draining its errors in the consume loop.
package main

import (
	"context"
	"log"
	"time"

	"github.com/IBM/sarama"
)

func consumeStopsOnCommitError(ctx context.Context, pom sarama.PartitionOffsetManager, pc sarama.PartitionConsumer) {
	go func() {
		for {
			select {
			case msg := <-pc.Messages():
				pom.MarkOffset(msg.Offset+1, "")
			case err := <-pom.Errors():
				log.Printf("offset commit failed: %v", err)
				return // expect: consumer-exits-on-commit-error
			case <-ctx.Done():
				return
			}
		}
	}()
}

func drainStopsOnFirstError(group sarama.ConsumerGroup, tick <-chan time.Time) {
	go func() {
		for {
			select {
			case err := <-group.Errors():
				log.Println("consumer group error:", err)
				return // expect: consumer-exits-on-commit-error
			case <-tick:
			}
		}
	}()
}
