package commiterr

import "strings"

// The words of the messages: what each client calls its rebalance-class
// errors and how to recognise them.

// rebalanceErrors names the client's rebalance-class commit errors.
func rebalanceErrors(client string) string {
	switch client {
	case "sarama":
		return "ErrRebalanceInProgress, ErrIllegalGeneration, ErrUnknownMemberId"
	case "confluent":
		return "ErrRebalanceInProgress, ErrIllegalGeneration, ErrUnknownMemberID, ErrAssignmentLost"
	case "kafka-go":
		return "RebalanceInProgress, IllegalGeneration, UnknownMemberId"
	}
	return "REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID"
}

// classifyHint shows how to test for a rebalance-class error.
func classifyHint(client string) string {
	switch client {
	case "franz-go":
		return "errors.Is(err, kerr.IllegalGeneration) and the other kerr rebalance errors"
	case "sarama":
		return "errors.Is(err, sarama.ErrIllegalGeneration) and the other sarama rebalance errors"
	case "confluent":
		return "err.(kafka.Error).Code() == kafka.ErrIllegalGeneration and the other rebalance codes"
	case "kafka-go":
		return "errors.Is(err, kafka.IllegalGeneration) and the other kafka-go rebalance errors"
	}
	return "errors.Is against the rebalance errors"
}

// droppedAdvice says what a dropped commit error loses and what to do.
func droppedAdvice(call *apiCall) string {
	e := call.entry
	name := call.callee.Name()
	switch {
	case e.WhenReturnErrors:
		return "with Consumer.Return.Errors on, it carries the commit errors still queued on Errors(), which are lost; check it"
	case strings.HasPrefix(name, "Store"):
		return "an offset store that fails (kafka.ErrState once a rebalance revoked the partition) goes unnoticed; check it and each returned partition's .Error"
	case e.Client == "franz-go" && name == "End":
		return "a transaction whose offset commit failed in a rebalance (" + rebalanceErrors(e.Client) + ") goes unnoticed; check err (and committed), and on rebalance errors drop the revoked partitions' state and keep polling"
	}
	return "a commit that fails in a rebalance (" + rebalanceErrors(e.Client) + ") goes unnoticed; check it, and on rebalance errors drop the revoked partitions' state and keep polling"
}
