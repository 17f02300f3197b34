// Package commiterr reports Kafka offset-commit errors that are dropped or
// handled in a way that leaves a consumer alive but stuck.
//
// A manual commit that fails because the group rebalanced
// (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, a fenced or
// stale member) is routine. Dropping that error, or reacting to it badly, is
// how consumers stop consuming while the process stays up. The analyzer knows
// where each client reports commit errors (the table in internal/kafkaapi,
// extensible with -commiterr.api=FILE) and reports five shapes, each a
// check with its own Diagnostic.Category, documented once in the checks
// registered from checks.go (kafkalint -explain <check>, and the sections
// of docs/commiterr.md generated from them).
package commiterr

const doc = `report Kafka commit errors that are dropped or mishandled

commiterr knows where franz-go, sarama (IBM and Shopify paths),
confluent-kafka-go/v2 and segmentio/kafka-go report offset-commit errors
(a result, an onDone/AutoCommitCallback callback, per-partition error fields,
an Errors() channel) and reports those errors dropped, ignored in
callbacks and per-partition fields, left in an undrained errors channel,
lost by a consume goroutine that returns on them, or retried forever.

The API table can be extended for wrappers with -commiterr.api=FILE
(format in docs/commiterr.md).`
