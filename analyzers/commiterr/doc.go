// Package commiterr reports Kafka offset-commit errors that are dropped or
// handled in a way that leaves a consumer alive but stuck.
//
// A manual commit that fails because the group rebalanced
// (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, a fenced or
// stale member) is routine. Dropping that error, or reacting to it badly, is
// how consumers stop consuming while the process stays up. The analyzer knows
// where each client reports commit errors (the table in internal/kafkaapi,
// extensible with -commiterr.api=FILE) and reports five shapes, each with
// its own Diagnostic.Category:
//
//   - commit-error-dropped: the error result of a commit is discarded — a
//     call statement, `_ =`, `_, _ =`, a value never read, a `go` or `defer`
//     of the commit.
//   - commit-callback-drops-error: the error reaches a callback that drops
//     it — franz-go CommitOffsets/CommitOffsetsSync with a nil onDone or one
//     that reads neither its error nor the response's partition codes, an
//     AutoCommitCallback that ignores both; or per-partition errors that are
//     never read although the partitions are used (confluent .Error on the
//     returned []TopicPartition, kafka-go OffsetCommitResponse, confluent
//     OffsetsCommitted events).
//   - errors-channel-not-drained: sarama Config.Consumer.Return.Errors is set
//     to true, the package creates a consumer group (or partition offset
//     manager), and nothing in the package receives from its Errors().
//   - consumer-exits-on-commit-error: a consume goroutine (or the function
//     holding the consume loop) returns on a commit error without passing the
//     error on, while the process keeps running.
//   - commit-retried-forever: a commit is retried in a loop whose only way
//     out is success; after a rebalance it never succeeds.
//
// It stays silent when the error is returned, classified (errors.Is,
// errors.As, kerr.IsRetriable, a comparison, a helper that receives it),
// logged or counted and the loop goes on, sent on a channel, or stored.
//
// See docs/commiterr.md for every shape per client with the right handling.
package commiterr

const doc = `report Kafka commit errors that are dropped or mishandled

commiterr knows where franz-go, sarama (IBM and Shopify paths),
confluent-kafka-go/v2 and segmentio/kafka-go report offset-commit errors
(a result, an onDone/AutoCommitCallback callback, per-partition error fields,
an Errors() channel) and reports:

  commit-error-dropped            the commit's error is discarded or never read
  commit-callback-drops-error     a commit callback or per-partition errors are ignored
  errors-channel-not-drained      sarama Consumer.Return.Errors=true, Errors() never read
  consumer-exits-on-commit-error  the consume goroutine returns on a commit error, losing it
  commit-retried-forever          a commit is retried until it succeeds, with no way out

The API table can be extended for wrappers with -commiterr.api=FILE
(format in docs/commiterr.md).`
