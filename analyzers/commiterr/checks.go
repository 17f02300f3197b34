package commiterr

import "github.com/kafkalint/kafkalint/internal/report"

// The checks commiterr reports, with the text kafkalint -explain and SARIF
// rules show. docs/commiterr.md has the long form with every client.
func init() {
	report.Register(Analyzer,
		report.Check{
			Name:  catDropped,
			Title: "the error of a Kafka offset commit is discarded",
			Doc: `A commit's error result is discarded: a call statement, _ =, _, _ =, a value
never read, or a go/defer of the commit. A commit that fails because the group
rebalanced (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID) then
goes unnoticed.

    cl.CommitRecords(ctx, rs...)               // reported
    if err := cl.CommitRecords(ctx, rs...); err != nil {
        log.Printf("commit: %v", err)          // fine: checked, the loop goes on
    }

Fix: check the error; on rebalance errors drop the revoked partitions' state and
keep polling. Covers franz-go Commit*, GroupTransactSession.End, confluent
Commit*/Store*, kafka-go CommitMessages/CommitOffsets/OffsetCommit, sarama
PartitionOffsetManager.Close (only when Consumer.Return.Errors is set in the
package). Add wrappers with -commiterr.api.`,
		},
		report.Check{
			Name:  catCallback,
			Title: "a commit callback or per-partition commit errors are ignored",
			Doc: `The commit error reaches a callback or a per-partition field that nobody
reads: franz-go CommitOffsets/CommitOffsetsSync with a nil onDone or an onDone
that reads neither its err nor the response (whose partitions carry the
ErrorCode); an AutoCommitCallback that reads neither; confluent
Commit*/Store* partitions whose .Error is never read although other fields are;
kafka-go OffsetCommitResponse partitions likewise; confluent OffsetsCommitted
events whose .Error is never read.

Fix: read err and each partition's error (kerr.ErrorForCode(p.ErrorCode),
tp.Error). Known false negative: a callback we cannot see (a func value from
another package) is not checked.`,
		},
		report.Check{
			Name:  catUndrained,
			Title: "sarama Consumer.Return.Errors is on but Errors() is never read",
			Doc: `Config.Consumer.Return.Errors = true in a package that creates a consumer group
(or a partition offset manager) and never receives from its Errors(). The
consumer group drops commit errors once ChannelBufferSize are queued; the
partition offset manager sends with a blocking send while holding its lock, so
every later commit hangs.

Fix: go func() { for err := range group.Errors() { log it } }(), or leave
Return.Errors false so sarama logs them. Not reported when a library's exported
function returns the group (its caller may drain it).`,
		},
		report.Check{
			Name:  catExits,
			Title: "the consume goroutine returns on a commit error and the error is lost",
			Doc: `A goroutine whose loop commits (or the function that holds the poll loop)
returns on a commit error without returning, sending, storing or classifying
the error. The process stays up, nothing consumes, nothing says so.

    go func() {
        for {
            fs := cl.PollFetches(ctx)
            ...
            if err := cl.CommitUncommittedOffsets(ctx); err != nil {
                log.Print(err)
                return // reported
            }
        }
    }()

Fix: log and keep polling (on rebalance errors drop the revoked partitions'
state), or return the error (errgroup, a channel) so something restarts or
stops the consumer. Silent when the return is decided by another condition
(ctx.Err(), a retry budget), the error is classified (errors.Is), a context is
cancelled, or the function is main or a test.`,
		},
		report.Check{
			Name:  catRetryForever,
			Title: "a Kafka commit is retried until it succeeds",
			Doc: `A loop retries a commit and leaves only when the commit succeeds. After a
rebalance the old generation's commit can never succeed, so the loop spins (or
blocks) forever and the partitions it holds stall.

    for {
        if err := r.CommitMessages(ctx, m); err == nil {
            break
        }
        time.Sleep(time.Second) // reported: no exit on rebalance errors or ctx
    }

Fix: leave the loop on rebalance-class errors (errors.Is) and when the context
is done; a bounded retry count is fine.`,
		},
	)
}
