// Package commiterr_sarama_exits holds sarama shape 4 cases: a consume
// goroutine that returns on a commit error received from Errors().
package commiterr_sarama_exits

import (
	"context"
	"errors"
	"log"
	"time"

	"github.com/IBM/sarama"
)

func consumePartition(ctx context.Context, om sarama.OffsetManager, pc sarama.PartitionConsumer) {
	pom, err := om.ManagePartition("t", 0)
	if err != nil {
		return
	}
	go func() {
		for {
			select {
			case msg := <-pc.Messages():
				pom.MarkOffset(msg.Offset+1, "")
			case err := <-pom.Errors():
				log.Printf("offset commit failed: %v", err)
				return // want `this consume goroutine returns on a commit error received from \(sarama.PartitionOffsetManager\).Errors\(\) and the error goes nowhere: afterwards nothing consumes or drains \(sarama.PartitionOffsetManager\).Errors\(\) while the process keeps running`
			case <-ctx.Done():
				return
			}
		}
	}()
}

func drainGroupErrors(group sarama.ConsumerGroup, tick <-chan time.Time) {
	go func() {
		for {
			select {
			case err := <-group.Errors():
				log.Println("consumer group error:", err)
				return // want `this consume goroutine returns on a commit error received from \(sarama.ConsumerGroup\).Errors\(\)`
			case <-tick:
				log.Println("consumer alive")
			}
		}
	}()
}

// Negatives.

func consumePartitionContinues(ctx context.Context, pom sarama.PartitionOffsetManager, pc sarama.PartitionConsumer) {
	go func() {
		for {
			select {
			case msg := <-pc.Messages():
				pom.MarkOffset(msg.Offset+1, "")
			case err, ok := <-pom.Errors():
				if !ok {
					return // the channel is closed: the manager is gone
				}
				log.Printf("offset commit failed: %v", err)
			case <-ctx.Done():
				return
			}
		}
	}()
}

func drainGroupErrorsUntilClosed(group sarama.ConsumerGroup, errc chan<- error) {
	go func() {
		for {
			err, ok := <-group.Errors()
			if !ok {
				return
			}
			if errors.Is(err, sarama.ErrRebalanceInProgress) {
				continue
			}
			errc <- err
			return
		}
	}()
}
