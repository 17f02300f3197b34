package commiterr_confluent

import (
	"log"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

// Shape 2: per-partition .Error never read although the partitions are used.

func partitionsUsedErrorIgnored(c *kafka.Consumer) error {
	parts, err := c.Commit() // want `the partitions returned by \(\*kafka.Consumer\).Commit are used but their .Error is never read: a partition whose commit failed`
	if err != nil {
		return err
	}
	for _, p := range parts {
		log.Printf("committed %s[%d]@%d", *p.Topic, p.Partition, p.Offset)
	}
	return nil
}

func partitionsIndexedErrorIgnored(c *kafka.Consumer, offsets []kafka.TopicPartition) (kafka.Offset, error) {
	parts, err := c.CommitOffsets(offsets) // want `the partitions returned by \(\*kafka.Consumer\).CommitOffsets are used but their .Error is never read`
	if err != nil || len(parts) == 0 {
		return 0, err
	}
	return parts[0].Offset, nil
}

// Negatives.

func partitionsErrorRead(c *kafka.Consumer) error {
	parts, err := c.Commit()
	if err != nil {
		return err
	}
	for _, p := range parts {
		if p.Error != nil {
			log.Printf("commit %s[%d]: %v", *p.Topic, p.Partition, p.Error)
			continue
		}
		log.Printf("committed %s[%d]@%d", *p.Topic, p.Partition, p.Offset)
	}
	return nil
}

func partitionsNotUsed(c *kafka.Consumer, m *kafka.Message) error {
	_, err := c.CommitMessage(m)
	return err
}

func partitionsHandedOn(c *kafka.Consumer) ([]kafka.TopicPartition, error) {
	return c.Commit() // the caller reads them
}

func partitionsPrinted(c *kafka.Consumer) {
	parts, err := c.Commit()
	if err != nil {
		return
	}
	log.Printf("committed: %v", parts) // TopicPartition.String prints the error
}
