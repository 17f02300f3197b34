package main

import (
	"log"
	"time"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

func dropped(c *kafka.Consumer, m *kafka.Message) {
	c.Commit()                // expect: commit-error-dropped
	_, _ = c.CommitMessage(m) // expect: commit-error-dropped
	c.StoreMessage(m)         // expect: commit-error-dropped
}

func partitionsIgnored(c *kafka.Consumer) error {
	parts, err := c.Commit() // expect: commit-callback-drops-error
	if err != nil {
		return err
	}
	for _, p := range parts {
		log.Printf("committed %s[%d]@%v", *p.Topic, p.Partition, p.Offset)
	}
	return nil
}

func eventIgnored(c *kafka.Consumer) {
	for {
		switch e := c.Poll(100).(type) {
		case kafka.OffsetsCommitted: // expect: commit-callback-drops-error
			log.Printf("committed %d offsets", len(e.Offsets))
		case *kafka.Message:
			handle(e)
		}
	}
}

func consumeGoroutine(c *kafka.Consumer) {
	go func() {
		for {
			msg, err := c.ReadMessage(time.Second)
			if err != nil {
				continue
			}
			handle(msg)
			if _, err := c.CommitMessage(msg); err != nil {
				log.Printf("commit: %v", err)
				return // expect: consumer-exits-on-commit-error
			}
		}
	}()
}

func retryForever(c *kafka.Consumer) {
	for {
		if _, err := c.Commit(); err == nil { // expect: commit-retried-forever
			break
		}
		time.Sleep(time.Second)
	}
}
