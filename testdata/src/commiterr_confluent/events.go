package commiterr_confluent

import (
	"log"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

// Shape 2: an OffsetsCommitted event used without reading its error.

func pollIgnoresCommitError(c *kafka.Consumer) {
	for {
		switch e := c.Poll(100).(type) {
		case *kafka.Message:
			log.Printf("message on %s", e.TopicPartition)
		case kafka.OffsetsCommitted: // want `this kafka.OffsetsCommitted event is used but its .Error is never read: a failed automatic commit`
			log.Printf("committed %d offsets", len(e.Offsets))
			for _, o := range e.Offsets {
				log.Printf("  %d@%d", o.Partition, o.Offset)
			}
		}
	}
}

// Negative: the event's error is read.
func pollChecksCommitError(c *kafka.Consumer) {
	for ev := range c.Events() {
		switch e := ev.(type) {
		case kafka.OffsetsCommitted:
			if e.Error != nil {
				log.Printf("commit failed: %v", e.Error)
			}
		case kafka.Error:
			log.Printf("error: %v", e)
		}
	}
}

// Negative: the event is printed whole (its String includes the error).
func pollPrintsEvent(c *kafka.Consumer) {
	for {
		switch e := c.Poll(100).(type) {
		case kafka.OffsetsCommitted:
			log.Printf("%v", e)
		}
	}
}
