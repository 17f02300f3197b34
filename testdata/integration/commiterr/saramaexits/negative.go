package main

import (
	"context"
	"errors"
	"log"

	"github.com/IBM/sarama"
)

func main() {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	client, err := sarama.NewClient([]string{"localhost:9092"}, cfg)
	if err != nil {
		log.Fatal(err)
	}
	consumer, err := sarama.NewConsumerFromClient(client)
	if err != nil {
		log.Fatal(err)
	}
	om, err := sarama.NewOffsetManagerFromClient("g", client)
	if err != nil {
		log.Fatal(err)
	}
	pom, err := om.ManagePartition("t", 0)
	if err != nil {
		log.Fatal(err)
	}
	next, _ := pom.NextOffset()
	pc, err := consumer.ConsumePartition("t", 0, next)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	consumeKeepsGoing(ctx, pom, pc)
	consumeStopsOnCommitError(ctx, pom, pc)
	select {}
}

func consumeKeepsGoing(ctx context.Context, pom sarama.PartitionOffsetManager, pc sarama.PartitionConsumer) {
	go func() {
		for {
			select {
			case msg := <-pc.Messages():
				pom.MarkOffset(msg.Offset+1, "")
			case err, ok := <-pom.Errors():
				if !ok {
					return
				}
				if errors.Is(err, sarama.ErrRebalanceInProgress) || errors.Is(err, sarama.ErrIllegalGeneration) {
					log.Printf("commit lost to a rebalance: %v", err)
					continue
				}
				log.Printf("offset commit failed: %v", err)
			case <-ctx.Done():
				if err := pom.Close(); err != nil {
					log.Printf("final offset commit: %v", err)
				}
				return
			}
		}
	}()
}
