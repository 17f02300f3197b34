// Package commiterr_sarama_drained turns the errors switch on and drains
// every Errors() channel it creates: nothing to report.
package commiterr_sarama_drained

import (
	"context"
	"errors"
	"log"

	"github.com/IBM/sarama"
)

func consume(ctx context.Context, brokers []string, h sarama.ConsumerGroupHandler) error {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	group, err := sarama.NewConsumerGroup(brokers, "g", cfg)
	if err != nil {
		return err
	}
	go func() {
		for err := range group.Errors() {
			if errors.Is(err, sarama.ErrRebalanceInProgress) {
				continue
			}
			log.Printf("consumer group: %v", err)
		}
	}()
	for ctx.Err() == nil {
		if err := group.Consume(ctx, []string{"t"}, h); err != nil {
			return err
		}
	}
	return group.Close()
}

func manage(om sarama.OffsetManager, pc sarama.PartitionConsumer) error {
	pom, err := om.ManagePartition("t", 0)
	if err != nil {
		return err
	}
	go func() {
		for err := range pom.Errors() {
			log.Printf("offset commit: %v", err)
		}
	}()
	for msg := range pc.Messages() {
		pom.MarkOffset(msg.Offset+1, "")
	}
	return pom.Close()
}

// A library that hands the group to its caller: the caller may drain it.
func NewGroup(brokers []string) (sarama.ConsumerGroup, error) {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	return sarama.NewConsumerGroup(brokers, "g2", cfg)
}
