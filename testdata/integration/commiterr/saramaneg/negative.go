// Command saramaneg turns Consumer.Return.Errors on and drains the consumer
// group's errors: nothing to report.
package main

import (
	"context"
	"log"

	"github.com/IBM/sarama"
)

type handler struct{}

func (handler) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (handler) Cleanup(sarama.ConsumerGroupSession) error { return nil }
func (handler) ConsumeClaim(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	for {
		select {
		case msg, ok := <-claim.Messages():
			if !ok {
				return nil
			}
			sess.MarkMessage(msg, "")
		case <-sess.Context().Done():
			return nil
		}
	}
}

func main() {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	group, err := sarama.NewConsumerGroup([]string{"localhost:9092"}, "g", cfg)
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		for err := range group.Errors() {
			log.Printf("consumer group: %v", err)
		}
	}()
	ctx := context.Background()
	for ctx.Err() == nil {
		if err := group.Consume(ctx, []string{"t"}, handler{}); err != nil {
			log.Fatal(err)
		}
	}
}
