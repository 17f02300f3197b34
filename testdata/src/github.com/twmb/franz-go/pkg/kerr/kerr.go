// Package kerr is a test stub of github.com/twmb/franz-go/pkg/kerr v1.22.2:
// only the declarations kafkalint's tests use, with the module's exact
// signatures.
package kerr

import (
	"errors"
	"fmt"
)

// Error is a Kafka error.
type Error struct {
	Message     string
	Code        int16
	Retriable   bool
	Description string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Message, e.Description)
}

// ErrorForCode returns the error corresponding to the given error code.
func ErrorForCode(code int16) error {
	for _, e := range all {
		if e.Code == code {
			return e
		}
	}
	if code == 0 {
		return nil
	}
	return UnknownServerError
}

// TypedErrorForCode returns the kerr.Error corresponding to the given error code.
func TypedErrorForCode(code int16) *Error {
	err := ErrorForCode(code)
	if err == nil {
		return nil
	}
	return err.(*Error)
}

// IsRetriable returns whether a Kafka error is considered retriable.
func IsRetriable(err error) bool {
	var kerr *Error
	return errors.As(err, &kerr) && kerr.Retriable
}

var (
	UnknownServerError      = &Error{"UNKNOWN_SERVER_ERROR", -1, false, "The server experienced an unexpected error when processing the request."}
	IllegalGeneration       = &Error{"ILLEGAL_GENERATION", 22, false, "Specified group generation id is not valid."}
	UnknownMemberID         = &Error{"UNKNOWN_MEMBER_ID", 25, false, "The coordinator is not aware of this member."}
	RebalanceInProgress     = &Error{"REBALANCE_IN_PROGRESS", 27, false, "The group is rebalancing, so a rejoin is needed."}
	FencedInstanceID        = &Error{"FENCED_INSTANCE_ID", 82, false, "The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id."}
	StaleMemberEpoch        = &Error{"STALE_MEMBER_EPOCH", 113, false, "The member epoch is stale. The member must retry after receiving its updated member epoch via the ConsumerGroupHeartbeat API."}
	CoordinatorNotAvailable = &Error{"COORDINATOR_NOT_AVAILABLE", 15, true, "The coordinator is not available."}
)

var all = []*Error{UnknownServerError, IllegalGeneration, UnknownMemberID, RebalanceInProgress, FencedInstanceID, StaleMemberEpoch, CoordinatorNotAvailable}
