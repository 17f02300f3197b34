// Command saramapos turns Consumer.Return.Errors on and never drains the
// errors channels.
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
	for msg := range claim.Messages() {
		sess.MarkMessage(msg, "")
		sess.Commit()
	}
	return nil
}

func main() {
	cfg := sarama.NewConfig()
	cfg.Version = sarama.V2_1_0_0
	cfg.Consumer.Offsets.AutoCommit.Enable = false
	cfg.Consumer.Return.Errors = true // expect: errors-channel-not-drained,errors-channel-not-drained
	client, err := sarama.NewClient([]string{"localhost:9092"}, cfg)
	if err != nil {
		log.Fatal(err)
	}
	group, err := sarama.NewConsumerGroupFromClient("g", client)
	if err != nil {
		log.Fatal(err)
	}
	defer group.Close()
	go managePartition(client)
	ctx := context.Background()
	for ctx.Err() == nil {
		if err := group.Consume(ctx, []string{"t"}, handler{}); err != nil {
			log.Fatal(err)
		}
	}
}

func managePartition(client sarama.Client) {
	om, err := sarama.NewOffsetManagerFromClient("g", client)
	if err != nil {
		return
	}
	defer om.Close()
	pom, err := om.ManagePartition("t", 0)
	if err != nil {
		return
	}
	defer pom.Close() // expect: commit-error-dropped
	pom.MarkOffset(42, "")
	om.Commit()
}
