// Package kmsg is a test stub of github.com/twmb/franz-go/pkg/kmsg v1.15.0:
// only the declarations kafkalint's tests use, with the module's exact
// signatures and field types.
package kmsg

// Tags is kmsg's tagged-field set.
type Tags struct{ keyvals map[uint32][]byte }

type OffsetCommitRequestTopicPartition struct {
	Partition   int32
	Offset      int64
	Metadata    *string
	UnknownTags Tags
}

type OffsetCommitRequestTopic struct {
	Topic       string
	TopicID     [16]byte
	Partitions  []OffsetCommitRequestTopicPartition
	UnknownTags Tags
}

type OffsetCommitRequest struct {
	Version             int16
	Group               string
	Generation          int32
	MemberID            string
	InstanceID          *string
	RetentionTimeMillis int64
	Topics              []OffsetCommitRequestTopic
	UnknownTags         Tags
}

type OffsetCommitResponseTopicPartition struct {
	Partition   int32
	ErrorCode   int16
	UnknownTags Tags
}

type OffsetCommitResponseTopic struct {
	Topic       string
	TopicID     [16]byte
	Partitions  []OffsetCommitResponseTopicPartition
	UnknownTags Tags
}

type OffsetCommitResponse struct {
	Version        int16
	ThrottleMillis int32
	Topics         []OffsetCommitResponseTopic
	UnknownTags    Tags
}
