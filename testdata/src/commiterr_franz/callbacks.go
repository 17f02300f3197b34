package commiterr_franz

import (
	"context"
	"log"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Shape 2: the error dropped by a callback.

func nilOnDone(ctx context.Context, cl *kgo.Client) {
	cl.CommitOffsets(ctx, cl.UncommittedOffsets(), nil) // want `\(\*kgo.Client\).CommitOffsets is called with a nil onDone: the commit's error and its per-partition error codes are dropped`
}

func nilOnDoneSync(ctx context.Context, cl *kgo.Client) {
	cl.CommitOffsetsSync(ctx, cl.MarkedOffsets(), nil) // want `\(\*kgo.Client\).CommitOffsetsSync is called with a nil onDone`
}

func ignoringOnDone(ctx context.Context, cl *kgo.Client) {
	cl.CommitOffsets(ctx, cl.UncommittedOffsets(), func(*kgo.Client, *kmsg.OffsetCommitRequest, *kmsg.OffsetCommitResponse, error) { // want `the onDone passed to \(\*kgo.Client\).CommitOffsets reads neither its error nor the response's per-partition error codes`
		log.Print("committed")
	})
}

func ignoringNamedOnDone(ctx context.Context, cl *kgo.Client) {
	cl.CommitOffsetsSync(ctx, cl.UncommittedOffsets(), onDoneIgnoring) // want `the onDone passed to \(\*kgo.Client\).CommitOffsetsSync reads neither`
}

func onDoneIgnoring(cl *kgo.Client, req *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
	log.Printf("commit of group %s done", req.Group)
}

func ignoringAutoCommitCallback() (*kgo.Client, error) {
	return kgo.NewClient(
		kgo.ConsumerGroup("g"),
		kgo.AutoCommitCallback(func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, _ *kmsg.OffsetCommitResponse, _ error) {}), // want `the fn passed to kgo.AutoCommitCallback reads neither its error nor the response's per-partition error codes: the autocommit's error is dropped`
	)
}

type committer struct{ cl *kgo.Client }

func (c *committer) onCommit(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, _ *kmsg.OffsetCommitResponse, _ error) {
}

func (c *committer) commitAsyncMethodValue(ctx context.Context) {
	c.cl.CommitOffsets(ctx, c.cl.UncommittedOffsets(), c.onCommit) // want `the onDone passed to \(\*kgo.Client\).CommitOffsets reads neither`
}

// Negatives: the callback reads the error, or the partition codes, or is not visible.

func readsErr(ctx context.Context, cl *kgo.Client) {
	cl.CommitOffsets(ctx, cl.UncommittedOffsets(), func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, _ *kmsg.OffsetCommitResponse, err error) {
		if err != nil {
			log.Printf("commit: %v", err)
		}
	})
}

func readsPartitionCodes(ctx context.Context, cl *kgo.Client) {
	cl.CommitOffsetsSync(ctx, cl.UncommittedOffsets(), func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, _ error) {
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
					log.Printf("commit %s/%d: %v", t.Topic, p.Partition, err)
				}
			}
		}
	})
}

func (c *committer) onCommitChecked(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, _ *kmsg.OffsetCommitResponse, err error) {
	if err != nil {
		log.Print(err)
	}
}

func (c *committer) commitAsyncCheckedMethod(ctx context.Context) {
	c.cl.CommitOffsets(ctx, c.cl.UncommittedOffsets(), c.onCommitChecked)
}

func unknownCallback(ctx context.Context, cl *kgo.Client, onDone func(*kgo.Client, *kmsg.OffsetCommitRequest, *kmsg.OffsetCommitResponse, error)) {
	cl.CommitOffsets(ctx, cl.UncommittedOffsets(), onDone)
}

func checkedAutoCommitCallback() (*kgo.Client, error) {
	return kgo.NewClient(
		kgo.ConsumerGroup("g"),
		kgo.AutoCommitCallback(func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, _ *kmsg.OffsetCommitResponse, err error) {
			if err != nil {
				log.Printf("autocommit: %v", err)
			}
		}),
	)
}
