// Command confluent is a confluent-kafka-go/v2 consumer (cgo).
package main

import (
	"log"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

func main() {
	c, err := kafka.NewConsumer(&kafka.ConfigMap{
		"bootstrap.servers":  "localhost:9092",
		"group.id":           "g",
		"enable.auto.commit": false,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := c.SubscribeTopics([]string{"t"}, nil); err != nil {
		log.Fatal(err)
	}
	if err := consume(c); err != nil {
		log.Fatal(err)
	}
}

func handle(*kafka.Message) {}
