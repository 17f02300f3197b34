// Package kafka is a test stub of
// github.com/confluentinc/confluent-kafka-go/v2/kafka v2.11.1: only the
// declarations kafkalint's tests use, with the module's exact signatures.
// (The real package needs cgo; the error codes here are librdkafka's values.)
package kafka

import (
	"fmt"
	"time"
)

type ConfigValue interface{}

type ConfigMap map[string]ConfigValue

type Offset int64

type TimestampType int

type Header struct {
	Key   string
	Value []byte
}

// ErrorCode is the integer representation of local and broker error codes.
type ErrorCode int

func (c ErrorCode) String() string { return fmt.Sprintf("%d", int(c)) }

const (
	ErrState               ErrorCode = -172
	ErrAssignmentLost      ErrorCode = -142
	ErrIllegalGeneration   ErrorCode = 22
	ErrUnknownMemberID     ErrorCode = 25
	ErrRebalanceInProgress ErrorCode = 27
	ErrFencedInstanceID    ErrorCode = 82
	ErrStaleMemberEpoch    ErrorCode = 113
)

// Error provides a Kafka-specific error container.
type Error struct {
	code ErrorCode
	str  string
}

func NewError(code ErrorCode, str string, fatal bool) (err Error) { return Error{code: code, str: str} }
func (e Error) Error() string                                     { return e.str }
func (e Error) String() string                                    { return e.str }
func (e Error) Code() ErrorCode                                   { return e.code }
func (e Error) IsFatal() bool                                     { return false }
func (e Error) IsRetriable() bool                                 { return false }

// TopicPartition is a generic placeholder for a Topic+Partition and optionally Offset.
type TopicPartition struct {
	Topic       *string
	Partition   int32
	Offset      Offset
	Metadata    *string
	Error       error
	LeaderEpoch *int32
}

func (p TopicPartition) String() string { return fmt.Sprint(p.Partition) }

// Message represents a Kafka message.
type Message struct {
	TopicPartition TopicPartition
	Value          []byte
	Key            []byte
	Timestamp      time.Time
	TimestampType  TimestampType
	Opaque         interface{}
	Headers        []Header
	LeaderEpoch    *int32
}

func (m *Message) String() string { return "" }

// Event generic interface.
type Event interface {
	String() string
}

type AssignedPartitions struct {
	Partitions []TopicPartition
}

func (e AssignedPartitions) String() string { return "" }

type RevokedPartitions struct {
	Partitions []TopicPartition
}

func (e RevokedPartitions) String() string { return "" }

// OffsetsCommitted reports committed offsets.
type OffsetsCommitted struct {
	Error   error
	Offsets []TopicPartition
}

func (o OffsetsCommitted) String() string {
	return fmt.Sprintf("OffsetsCommitted (%v, %v)", o.Error, o.Offsets)
}

// RebalanceCb provides a per-Subscribe*() rebalance event callback.
type RebalanceCb func(*Consumer, Event) error

// Consumer implements a High-level Apache Kafka Consumer instance.
type Consumer struct{ events chan Event }

func NewConsumer(conf *ConfigMap) (*Consumer, error) { return &Consumer{}, nil }

func (c *Consumer) Subscribe(topic string, rebalanceCb RebalanceCb) error { return nil }
func (c *Consumer) SubscribeTopics(topics []string, rebalanceCb RebalanceCb) (err error) {
	return nil
}
func (c *Consumer) Assign(partitions []TopicPartition) (err error)            { return nil }
func (c *Consumer) IncrementalAssign(partitions []TopicPartition) (err error) { return nil }
func (c *Consumer) AssignmentLost() bool                                      { return false }
func (c *Consumer) Commit() ([]TopicPartition, error)                         { return nil, nil }
func (c *Consumer) CommitMessage(m *Message) ([]TopicPartition, error)        { return nil, nil }
func (c *Consumer) CommitOffsets(offsets []TopicPartition) ([]TopicPartition, error) {
	return nil, nil
}
func (c *Consumer) StoreOffsets(offsets []TopicPartition) (storedOffsets []TopicPartition, err error) {
	return nil, nil
}
func (c *Consumer) StoreMessage(m *Message) (storedOffsets []TopicPartition, err error) {
	return nil, nil
}
func (c *Consumer) Poll(timeoutMs int) (event Event)                     { return nil }
func (c *Consumer) Events() chan Event                                   { return c.events }
func (c *Consumer) ReadMessage(timeout time.Duration) (*Message, error)  { return nil, nil }
func (c *Consumer) Close() (err error)                                   { return nil }
func (c *Consumer) Assignment() (partitions []TopicPartition, err error) { return nil, nil }
