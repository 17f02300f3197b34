// Package commiterr_sarama holds sarama (github.com/IBM/sarama) cases: the
// errors switch is on and nothing in the package receives from Errors().
//
// Shapes 2 and 5 do not apply to sarama: Commit() returns nothing and takes
// no callback; its errors only reach the Errors() channels (shapes 3 and 4).
package commiterr_sarama

import (
	"context"
	"log"

	"github.com/IBM/sarama"
)

// Shape 3: Return.Errors on, Errors() of the group and of the partition
// offset manager never received from.

func newConfig() *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Consumer.Offsets.AutoCommit.Enable = false
	cfg.Consumer.Return.Errors = true // want `Consumer.Return.Errors is set to true but nothing in this package receives from \(sarama.ConsumerGroup\).Errors\(\): once the channel's buffer \(Config.ChannelBufferSize\) is full, further commit errors are silently dropped` `Consumer.Return.Errors is set to true but nothing in this package receives from \(sarama.PartitionOffsetManager\).Errors\(\): the offset manager sends each commit error with a blocking send while holding its lock, so once the buffer \(Config.ChannelBufferSize\) is full every later commit hangs`
	cfg.Producer.Return.Errors = true // a producer switch: not a commit errors channel
	return cfg
}

type handler struct{}

func (handler) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (handler) Cleanup(sarama.ConsumerGroupSession) error { return nil }
func (handler) ConsumeClaim(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	for msg := range claim.Messages() {
		sess.MarkMessage(msg, "")
		sess.Commit()
	}
	return nil
}

func consumeGroup(ctx context.Context, brokers []string) error {
	group, err := sarama.NewConsumerGroup(brokers, "g", newConfig())
	if err != nil {
		return err
	}
	defer group.Close()
	for ctx.Err() == nil {
		if err := group.Consume(ctx, []string{"t"}, handler{}); err != nil {
			return err
		}
	}
	return nil
}

// Shape 1 for sarama: PartitionOffsetManager.Close returns the commit errors
// still queued on Errors() (only when Return.Errors is on, as here).

func managePartition(client sarama.Client, pc sarama.PartitionConsumer) error {
	om, err := sarama.NewOffsetManagerFromClient("g", client)
	if err != nil {
		return err
	}
	defer om.Close()
	pom, err := om.ManagePartition("t", 0)
	if err != nil {
		return err
	}
	defer pom.Close() // want `error from \(sarama.PartitionOffsetManager\).Close is discarded by the defer statement: with Consumer.Return.Errors on, it carries the commit errors still queued on Errors\(\), which are lost`
	for msg := range pc.Messages() {
		pom.MarkOffset(msg.Offset+1, "")
	}
	return nil
}

func managePartitionChecked(om sarama.OffsetManager) {
	pom, err := om.ManagePartition("t", 1)
	if err != nil {
		return
	}
	if err := pom.Close(); err != nil {
		log.Printf("final offset commit: %v", err)
	}
}
