// Package commiterr_confluent holds confluent-kafka-go/v2 cases.
//
// Shape 3 does not apply: confluent has no errors channel to drain (commit
// results arrive as OffsetsCommitted events from Poll, checked in events.go).
package commiterr_confluent

import (
	"log"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

// Shape 1.

func dropStatement(c *kafka.Consumer) {
	c.Commit() // want `error from \(\*kafka.Consumer\).Commit is discarded \(the call's result is not used\): a commit that fails in a rebalance \(ErrRebalanceInProgress, ErrIllegalGeneration, ErrUnknownMemberID, ErrAssignmentLost\) goes unnoticed`
}

func dropBlankPair(c *kafka.Consumer, m *kafka.Message) {
	_, _ = c.CommitMessage(m) // want `error from \(\*kafka.Consumer\).CommitMessage is assigned to _`
}

func dropKeepPartitions(c *kafka.Consumer, offsets []kafka.TopicPartition) []kafka.TopicPartition {
	parts, _ := c.CommitOffsets(offsets) // want `error from \(\*kafka.Consumer\).CommitOffsets is assigned to _`
	return parts
}

func dropStore(c *kafka.Consumer, m *kafka.Message) {
	c.StoreMessage(m) // want `error from \(\*kafka.Consumer\).StoreMessage is discarded \(the call's result is not used\): an offset store that fails \(kafka.ErrState once a rebalance revoked the partition\) goes unnoticed`
}

func dropDeferred(c *kafka.Consumer) {
	defer c.Commit() // want `error from \(\*kafka.Consumer\).Commit is discarded by the defer statement`
}

// Negatives.

func checkedCommit(c *kafka.Consumer, m *kafka.Message) error {
	_, err := c.CommitMessage(m)
	return err
}

func checkedStoreLogged(c *kafka.Consumer, offsets []kafka.TopicPartition) {
	if _, err := c.StoreOffsets(offsets); err != nil {
		log.Printf("store offsets: %v", err)
	}
}

func checkedClassified(c *kafka.Consumer) bool {
	_, err := c.Commit()
	if kerr, ok := err.(kafka.Error); ok && kerr.Code() == kafka.ErrRebalanceInProgress {
		return false
	}
	return err == nil
}
