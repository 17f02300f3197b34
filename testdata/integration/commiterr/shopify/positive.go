// Command shopify uses sarama's legacy import path.
package main

import (
	"context"
	"log"

	"github.com/Shopify/sarama"
)

type handler struct{}

func (handler) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (handler) Cleanup(sarama.ConsumerGroupSession) error { return nil }
func (handler) ConsumeClaim(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	for msg := range claim.Messages() {
		sess.MarkMessage(msg, "")
	}
	return nil
}

func main() {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true // expect: errors-channel-not-drained
	group, err := sarama.NewConsumerGroup([]string{"localhost:9092"}, "g", cfg)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for ctx.Err() == nil {
		if err := group.Consume(ctx, []string{"t"}, handler{}); err != nil {
			log.Fatal(err)
		}
	}
}

func closeManager(pom sarama.PartitionOffsetManager) {
	pom.Close() // expect: commit-error-dropped
}

func consume(pom sarama.PartitionOffsetManager, pc sarama.PartitionConsumer) {
	go func() {
		for {
			select {
			case msg := <-pc.Messages():
				pom.MarkOffset(msg.Offset+1, "")
			case err := <-pom.Errors():
				log.Print(err)
				return // expect: consumer-exits-on-commit-error
			}
		}
	}()
}
