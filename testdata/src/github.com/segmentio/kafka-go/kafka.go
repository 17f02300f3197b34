// Package kafka is a test stub of github.com/segmentio/kafka-go v0.4.51:
// only the declarations kafkalint's tests use, with the module's exact
// signatures.
package kafka

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// Error represents the different error codes that may be returned by kafka.
type Error int

const (
	IllegalGeneration   Error = 22
	UnknownMemberId     Error = 25
	RebalanceInProgress Error = 27
)

func (e Error) Error() string { return fmt.Sprintf("[%d]", int(e)) }

var ErrGroupClosed = errors.New("consumer group is closed")

var ErrGenerationEnded = errors.New("consumer group generation has ended")

// Logger interface API for log.Logger.
type Logger interface {
	Printf(string, ...interface{})
}

type LoggerFunc func(string, ...interface{})

func (f LoggerFunc) Printf(msg string, args ...interface{}) { f(msg, args...) }

type Header struct {
	Key   string
	Value []byte
}

// Message is a data structure representing kafka messages.
type Message struct {
	Topic         string
	Partition     int
	Offset        int64
	HighWaterMark int64
	Key           []byte
	Value         []byte
	Headers       []Header
	WriterData    interface{}
	Time          time.Time
}

// ReaderConfig is a configuration object used to create new instances of Reader.
type ReaderConfig struct {
	Brokers        []string
	GroupID        string
	GroupTopics    []string
	Topic          string
	Partition      int
	MinBytes       int
	MaxBytes       int
	MaxWait        time.Duration
	CommitInterval time.Duration
	StartOffset    int64
	Logger         Logger
	ErrorLogger    Logger
	MaxAttempts    int
}

// Reader provides a high-level API for consuming messages from kafka.
type Reader struct{ config ReaderConfig }

func NewReader(config ReaderConfig) *Reader { return &Reader{config: config} }

func (r *Reader) Close() error                                              { return nil }
func (r *Reader) ReadMessage(ctx context.Context) (Message, error)          { return Message{}, nil }
func (r *Reader) FetchMessage(ctx context.Context) (Message, error)         { return Message{}, nil }
func (r *Reader) CommitMessages(ctx context.Context, msgs ...Message) error { return nil }

// ConsumerGroupConfig is a configuration object used to create new instances of ConsumerGroup.
type ConsumerGroupConfig struct {
	ID      string
	Brokers []string
	Topics  []string
}

// ConsumerGroup models a Kafka consumer group.
type ConsumerGroup struct{ config ConsumerGroupConfig }

func NewConsumerGroup(config ConsumerGroupConfig) (*ConsumerGroup, error) {
	return &ConsumerGroup{config: config}, nil
}

func (cg *ConsumerGroup) Close() error                                  { return nil }
func (cg *ConsumerGroup) Next(ctx context.Context) (*Generation, error) { return nil, nil }

// PartitionAssignment represents the starting state of a partition that has
// been assigned to a consumer.
type PartitionAssignment struct {
	ID     int
	Offset int64
}

// Generation represents a single consumer group generation.
type Generation struct {
	ID          int32
	GroupID     string
	MemberID    string
	Assignments map[string][]PartitionAssignment
}

func (g *Generation) Start(fn func(ctx context.Context))                   {}
func (g *Generation) CommitOffsets(offsets map[string]map[int]int64) error { return nil }

// RoundTripper is an interface implemented by types that perform one
// round-trip of a Kafka request.
type RoundTripper interface{}

// Client is a high-level API to interract with kafka brokers.
type Client struct {
	Addr      net.Addr
	Timeout   time.Duration
	Transport RoundTripper
}

type OffsetCommit struct {
	Partition int
	Offset    int64
	Metadata  string
}

type OffsetCommitRequest struct {
	Addr         net.Addr
	GroupID      string
	GenerationID int
	MemberID     string
	InstanceID   string
	Topics       map[string][]OffsetCommit
}

type OffsetCommitResponse struct {
	Throttle time.Duration
	Topics   map[string][]OffsetCommitPartition
}

type OffsetCommitPartition struct {
	Partition int
	Error     error
}

func (c *Client) OffsetCommit(ctx context.Context, req *OffsetCommitRequest) (*OffsetCommitResponse, error) {
	return nil, nil
}
