package commiterr_franz

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Shape 4: the consume goroutine ends on a commit error.

func goroutineReturns(ctx context.Context, cl *kgo.Client) {
	go func() {
		for {
			fetches := cl.PollFetches(ctx)
			if fetches.IsClientClosed() {
				return
			}
			process(fetches.Records())
			if err := cl.CommitUncommittedOffsets(ctx); err != nil {
				log.Printf("commit failed: %v", err)
				return // want `this consume goroutine returns on a commit error from \(\*kgo.Client\).CommitUncommittedOffsets without passing the error on: the process keeps running but this loop no longer consumes or commits`
			}
		}
	}()
}

type partitionConsumer struct {
	cl   *kgo.Client
	recs chan []*kgo.Record
	quit chan struct{}
}

// consume runs as a goroutine per partition; it reads records from a channel.
func (pc *partitionConsumer) consume(ctx context.Context) {
	for {
		select {
		case <-pc.quit:
			return
		case recs := <-pc.recs:
			process(recs)
			err := pc.cl.CommitRecords(ctx, recs...)
			if err != nil {
				fmt.Printf("commit of %d records failed: %v\n", len(recs), err)
				return // want `this consume goroutine returns on a commit error from \(\*kgo.Client\).CommitRecords`
			}
		}
	}
}

func startPartitionConsumer(ctx context.Context, pc *partitionConsumer) {
	go pc.consume(ctx)
}

// run holds the consume loop; it returns nothing, so its caller cannot know it stopped.
func run(ctx context.Context, cl *kgo.Client) {
	for {
		fetches := cl.PollFetches(ctx)
		process(fetches.Records())
		if err := cl.CommitUncommittedOffsets(ctx); err != nil { // want `run, which holds the consume loop, returns on a commit error from \(\*kgo.Client\).CommitUncommittedOffsets without passing the error on`
			log.Println("commit:", err)
			break
		}
	}
	cl.Close()
}

// runErr returns an error, but not the commit's.
func runErr(ctx context.Context, cl *kgo.Client) error {
	for {
		fetches := cl.PollFetches(ctx)
		process(fetches.Records())
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			return nil // want `runErr, which holds the consume loop, returns on a commit error`
		}
	}
}

// Negatives.

// The goroutine logs and keeps polling.
func goroutineContinues(ctx context.Context, cl *kgo.Client) {
	go func() {
		for {
			fetches := cl.PollFetches(ctx)
			if fetches.IsClientClosed() {
				return
			}
			if err := cl.CommitUncommittedOffsets(ctx); err != nil {
				log.Printf("commit failed: %v", err)
				continue
			}
		}
	}()
}

// The error is counted and the loop goes on.
func goroutineCounts(ctx context.Context, cl *kgo.Client, failures *int) {
	go func() {
		for {
			fetches := cl.PollFetches(ctx)
			if fetches.IsClientClosed() {
				return
			}
			if err := cl.CommitUncommittedOffsets(ctx); err != nil {
				*failures++
			}
		}
	}()
}

// The error is returned to the caller (errgroup style).
func loopReturnsError(ctx context.Context, cl *kgo.Client) error {
	for {
		fetches := cl.PollFetches(ctx)
		process(fetches.Records())
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
	}
}

// The error is classified: rebalance errors keep polling, others return.
func loopClassifies(ctx context.Context, cl *kgo.Client) {
	for {
		fetches := cl.PollFetches(ctx)
		process(fetches.Records())
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			if errors.Is(err, kerr.RebalanceInProgress) || errors.Is(err, kerr.IllegalGeneration) {
				continue
			}
			return
		}
	}
}

// The return is decided by the context: shutting down.
func goroutineStopsOnShutdown(ctx context.Context, cl *kgo.Client) {
	go func() {
		for {
			fetches := cl.PollFetches(ctx)
			if err := cl.CommitUncommittedOffsets(ctx); err != nil {
				if ctx.Err() != nil {
					return
				}
				log.Print(err)
			}
			_ = fetches
		}
	}()
}

// The error is sent to someone who will act on it.
func goroutineReportsError(ctx context.Context, cl *kgo.Client, errc chan<- error) {
	go func() {
		for {
			cl.PollFetches(ctx)
			if err := cl.CommitUncommittedOffsets(ctx); err != nil {
				errc <- err
				return
			}
		}
	}()
}

// The goroutine cancels the process on a commit error.
func goroutineCancels(ctx context.Context, cancel context.CancelFunc, cl *kgo.Client) {
	go func() {
		for {
			cl.PollFetches(ctx)
			if err := cl.CommitUncommittedOffsets(ctx); err != nil {
				log.Print(err)
				cancel()
				return
			}
		}
	}()
}

// Exiting the process is fine.
func goroutineFatal(ctx context.Context, cl *kgo.Client) {
	go func() {
		for {
			cl.PollFetches(ctx)
			if err := cl.CommitUncommittedOffsets(ctx); err != nil {
				log.Fatalf("commit: %v", err)
			}
		}
	}()
}

// A one-shot goroutine (no loop) that commits and ends is not a consumer.
func oneShotCommit(ctx context.Context, cl *kgo.Client) {
	go func() {
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			log.Print(err)
			return
		}
		log.Print("committed")
	}()
}

func process([]*kgo.Record) {}
