// Package commiterr_shopify_drained drains the consumer group's errors and
// never turns the switch on for a partition offset manager: nothing to report.
package commiterr_shopify_drained

import (
	"log"

	"github.com/Shopify/sarama"
)

func newGroup(brokers []string) (sarama.ConsumerGroup, error) {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	group, err := sarama.NewConsumerGroup(brokers, "g", cfg)
	if err != nil {
		return nil, err
	}
	go func() {
		for err := range group.Errors() {
			log.Printf("consumer group: %v", err)
		}
	}()
	return group, nil
}
