// Package commiterr_sarama_handoff turns the errors switch on and hands the
// group to another package's helper that drains it: nothing to report here.
package commiterr_sarama_handoff

import (
	"github.com/IBM/sarama"

	"commiterr_sarama_handoff/drain"
)

func start(brokers []string) (sarama.ConsumerGroup, error) {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	group, err := sarama.NewConsumerGroup(brokers, "g", cfg)
	if err != nil {
		return nil, err
	}
	drain.Errors(group)
	return group, nil
}
