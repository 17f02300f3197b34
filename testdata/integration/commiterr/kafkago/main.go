// Command kafkago is a segmentio/kafka-go consumer.
package main

import (
	"context"
	"log"

	"github.com/segmentio/kafka-go"
)

func main() {
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: []string{"localhost:9092"},
		GroupID: "g",
		Topic:   "t",
	})
	defer r.Close()
	if err := consume(context.Background(), r); err != nil {
		log.Fatal(err)
	}
}
