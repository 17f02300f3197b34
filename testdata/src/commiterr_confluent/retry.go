package commiterr_confluent

import (
	"context"
	"log"
	"time"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

// Shape 5.

func commitUntilDone(c *kafka.Consumer) {
	for {
		if _, err := c.Commit(); err == nil { // want `\(\*kafka.Consumer\).Commit is retried until it succeeds, with no way out of the loop.*err.\(kafka.Error\).Code\(\) == kafka.ErrIllegalGeneration`
			return
		}
		time.Sleep(time.Second)
	}
}

// Negative: gives up on rebalance-class errors.
func commitUntilRebalance(c *kafka.Consumer) error {
	for {
		_, err := c.Commit()
		if err == nil {
			return nil
		}
		if kerr, ok := err.(kafka.Error); ok {
			switch kerr.Code() {
			case kafka.ErrRebalanceInProgress, kafka.ErrIllegalGeneration, kafka.ErrUnknownMemberID, kafka.ErrAssignmentLost:
				return err
			}
		}
		time.Sleep(time.Second)
	}
}

// Negative: gives up when the context is done.
func commitUntilCancelled(ctx context.Context, c *kafka.Consumer) {
	for ctx.Err() == nil {
		if _, err := c.Commit(); err == nil {
			return
		}
	}
}

// Negative: each iteration commits another message (found in
// confluent-kafka-go's integration_test.go); the nil side of the check goes
// straight back to the loop header.
func commitEach(c *kafka.Consumer, msgs []*kafka.Message, mode int) {
	switch mode {
	case 1:
		for _, message := range msgs {
			_, commitErr := c.CommitMessage(message)
			if commitErr != nil {
				log.Printf("Cannot commit message. Error: %s\n", commitErr)
			}
		}
	case 2:
		if _, err := c.Commit(); err != nil {
			log.Print(err)
		}
	}
}
