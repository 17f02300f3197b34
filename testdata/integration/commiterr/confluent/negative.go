package main

import (
	"fmt"
	"log"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

// consume commits each message and checks the error and every partition's.
func consume(c *kafka.Consumer) error {
	for {
		switch e := c.Poll(100).(type) {
		case *kafka.Message:
			handle(e)
			parts, err := c.CommitMessage(e)
			if err != nil {
				if kerr, ok := err.(kafka.Error); ok {
					switch kerr.Code() {
					case kafka.ErrRebalanceInProgress, kafka.ErrIllegalGeneration, kafka.ErrUnknownMemberID, kafka.ErrAssignmentLost:
						log.Printf("commit lost to a rebalance: %v", err)
						continue
					}
				}
				return fmt.Errorf("commit: %w", err)
			}
			for _, p := range parts {
				if p.Error != nil {
					log.Printf("commit %v: %v", p, p.Error)
				}
			}
		case kafka.OffsetsCommitted:
			if e.Error != nil {
				log.Printf("auto commit: %v", e.Error)
			}
		case kafka.Error:
			log.Printf("consumer error: %v", e)
		}
	}
}

func storeChecked(c *kafka.Consumer, m *kafka.Message) {
	if _, err := c.StoreMessage(m); err != nil {
		log.Printf("store: %v", err)
	}
}
