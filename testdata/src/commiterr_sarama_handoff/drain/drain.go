// Package drain is a shared helper that receives from a consumer group's
// Errors() on behalf of its callers.
package drain

import (
	"log"

	"github.com/IBM/sarama"
)

func Errors(g sarama.ConsumerGroup) {
	go func() {
		for err := range g.Errors() {
			log.Printf("consumer group: %v", err)
		}
	}()
}
