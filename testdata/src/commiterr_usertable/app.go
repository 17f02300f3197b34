// Package commiterr_usertable uses a wrapper declared in user.api.
package commiterr_usertable

import (
	"context"
	"log"

	"commiterr_usertable/kafkautil"
)

func dropped(ctx context.Context, c *kafkautil.Committer, rs []kafkautil.Record) {
	c.Commit(ctx, rs) // want `error from \(\*kafkautil.Committer\).Commit is discarded`
}

func callbackIgnores(ctx context.Context, rs []kafkautil.Record) {
	kafkautil.CommitAsync(ctx, rs, func(n int, _ error) { log.Print(n) }) // want `the onDone passed to kafkautil.CommitAsync reads neither its error`
}

func consumer(ctx context.Context, src *kafkautil.Source, c *kafkautil.Committer) {
	go func() {
		for {
			rs, err := src.Next(ctx)
			if err != nil {
				continue
			}
			if err := c.Commit(ctx, rs); err != nil {
				log.Print(err)
				return // want `this consume goroutine returns on a commit error from \(\*kafkautil.Committer\).Commit`
			}
		}
	}()
}

func retried(ctx context.Context, c *kafkautil.Committer, rs []kafkautil.Record) {
	for c.Commit(ctx, rs) != nil { // want `\(\*kafkautil.Committer\).Commit is retried until it succeeds.*errors.Is against the rebalance errors`
	}
}

// Negatives.

func checked(ctx context.Context, c *kafkautil.Committer, rs []kafkautil.Record) error {
	return c.Commit(ctx, rs)
}

func callbackChecks(ctx context.Context, rs []kafkautil.Record) {
	kafkautil.CommitAsync(ctx, rs, func(n int, err error) {
		if err != nil {
			log.Printf("commit of %d records: %v", n, err)
		}
	})
}
