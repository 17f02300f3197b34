// Command consume reads a topic with franz-go as a member of a consumer group
// and commits what it has processed. It is kafkalint's example for the
// commiterr analyzer: one commit error is dropped (marked BUG), and the
// commit in the poll loop beside it is handled the right way.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

func main() {
	brokers := flag.String("brokers", "localhost:9092", "seed broker")
	group := flag.String("group", "example", "consumer group")
	topic := flag.String("topic", "events", "topic to consume")
	flag.Parse()

	cl, err := kgo.NewClient(
		kgo.SeedBrokers(*brokers),
		kgo.ConsumerGroup(*group),
		kgo.ConsumeTopics(*topic),
		kgo.DisableAutoCommit(),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	for ctx.Err() == nil {
		fetches := cl.PollFetches(ctx)
		if fetches.IsClientClosed() {
			return
		}
		fetches.EachError(func(topic string, partition int32, err error) {
			log.Printf("fetch %s/%d: %v", topic, partition, err)
		})
		records := fetches.Records()
		for _, r := range records {
			fmt.Printf("%s/%d@%d: %s\n", r.Topic, r.Partition, r.Offset, r.Value)
		}
		if err := commit(ctx, cl, records); err != nil {
			log.Print(err)
			break
		}
	}

	// BUG (commiterr, commit error dropped): the last commit's error is
	// thrown away. If it fails (the group rebalanced during shutdown, the
	// coordinator moved), the records after the last successful commit are
	// processed again by the next owner of their partitions, and nothing in
	// the logs says why. Check it as commit does.
	cl.CommitUncommittedOffsets(context.Background()) // kafkalint reports here
	cl.Close()
}

// commit commits records after they were processed. Correct: a commit lost to
// a rebalance is expected (the partitions have a new owner, who will read the
// records again) and only logged; any other failure is returned to the loop.
func commit(ctx context.Context, cl *kgo.Client, records []*kgo.Record) error {
	err := cl.CommitRecords(ctx, records...)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, kerr.RebalanceInProgress), errors.Is(err, kerr.IllegalGeneration), errors.Is(err, kerr.UnknownMemberID):
		log.Printf("commit lost to a rebalance, the records will be redelivered: %v", err)
		return nil
	default:
		return fmt.Errorf("commit: %w", err)
	}
}
