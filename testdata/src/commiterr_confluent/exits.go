package commiterr_confluent

import (
	"context"
	"log"
	"time"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

// Shape 4.

func consumeGoroutine(ctx context.Context, c *kafka.Consumer) {
	go func() {
		for ctx.Err() == nil {
			msg, err := c.ReadMessage(time.Second)
			if err != nil {
				continue
			}
			handle(msg)
			if _, err := c.CommitMessage(msg); err != nil {
				log.Printf("commit failed: %v", err)
				return // want `this consume goroutine returns on a commit error from \(\*kafka.Consumer\).CommitMessage without passing the error on`
			}
		}
	}()
}

// Negative: logged, and the loop goes on.
func consumeGoroutineContinues(ctx context.Context, c *kafka.Consumer) {
	go func() {
		for ctx.Err() == nil {
			msg, err := c.ReadMessage(time.Second)
			if err != nil {
				continue
			}
			handle(msg)
			if _, err := c.CommitMessage(msg); err != nil {
				log.Printf("commit failed: %v", err)
			}
		}
	}()
}

// Negative: the loop's function returns the error.
func consumeLoop(c *kafka.Consumer) error {
	for {
		ev := c.Poll(100)
		msg, ok := ev.(*kafka.Message)
		if !ok {
			continue
		}
		handle(msg)
		if _, err := c.CommitMessage(msg); err != nil {
			return err
		}
	}
}

func handle(*kafka.Message) {}
