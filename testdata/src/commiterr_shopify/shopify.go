// Package commiterr_shopify holds the cases for sarama's legacy import path
// github.com/Shopify/sarama (same API as github.com/IBM/sarama).
package commiterr_shopify

import (
	"context"
	"log"

	"github.com/Shopify/sarama"
)

// Shape 3.
func newGroup(brokers []string) (sarama.ConsumerGroup, error) {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true // want `Consumer.Return.Errors is set to true but nothing in this package receives from \(sarama.ConsumerGroup\).Errors\(\)`
	return sarama.NewConsumerGroup(brokers, "g", cfg)
}

// Shape 1 (the switch is on in this package).
func closeManager(pom sarama.PartitionOffsetManager) {
	pom.Close() // want `error from \(sarama.PartitionOffsetManager\).Close is discarded`
}

func closeManagerChecked(pom sarama.PartitionOffsetManager) error {
	return pom.Close()
}

// Shape 4.
func consume(ctx context.Context, pom sarama.PartitionOffsetManager, pc sarama.PartitionConsumer) {
	go func() {
		for {
			select {
			case msg := <-pc.Messages():
				pom.MarkOffset(msg.Offset+1, "")
			case err := <-pom.Errors():
				log.Print(err)
				return // want `this consume goroutine returns on a commit error received from \(sarama.PartitionOffsetManager\).Errors\(\)`
			}
		}
	}()
}

func consumeContinues(ctx context.Context, pom sarama.PartitionOffsetManager, pc sarama.PartitionConsumer) {
	go func() {
		for {
			select {
			case msg := <-pc.Messages():
				pom.MarkOffset(msg.Offset+1, "")
			case err := <-pom.Errors():
				log.Print(err)
			case <-ctx.Done():
				return
			}
		}
	}()
}
