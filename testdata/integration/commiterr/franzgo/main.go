// Command franzgo is a franz-go consumer with commit-error handling done
// right (negative.go) and wrong (positive.go).
package main

import (
	"context"
	"log"

	"github.com/twmb/franz-go/pkg/kgo"
)

func main() {
	cl, err := kgo.NewClient(
		kgo.SeedBrokers("localhost:9092"),
		kgo.ConsumerGroup("g"),
		kgo.ConsumeTopics("t"),
		kgo.DisableAutoCommit(),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	consumeGoroutine(ctx, cl)
	if err := consumeChecked(ctx, cl); err != nil {
		log.Fatal(err)
	}
}

func process([]*kgo.Record) {}
