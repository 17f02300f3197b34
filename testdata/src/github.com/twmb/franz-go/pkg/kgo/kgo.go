// Package kgo is a test stub of github.com/twmb/franz-go/pkg/kgo v1.22.2:
// only the declarations kafkalint's tests use, with the module's exact
// signatures. The integration module under testdata/integration/commiterr
// checks the same programs against the real module.
package kgo

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

type cfg struct{}

// Opt is an option to configure a client.
type Opt interface {
	apply(*cfg)
}

// ConsumerOpt is a consumer specific option to configure a client.
type ConsumerOpt interface {
	Opt
	consumerOpt()
}

// GroupOpt is a consumer group specific option to configure a client.
type GroupOpt interface {
	Opt
	groupOpt()
}

type (
	clientOpt   struct{ fn func(*cfg) }
	consumerOpt struct{ fn func(*cfg) }
	groupOpt    struct{ fn func(*cfg) }
)

func (opt clientOpt) apply(cfg *cfg)   { opt.fn(cfg) }
func (opt consumerOpt) apply(cfg *cfg) { opt.fn(cfg) }
func (opt groupOpt) apply(cfg *cfg)    { opt.fn(cfg) }
func (consumerOpt) consumerOpt()       {}
func (groupOpt) groupOpt()             {}

func SeedBrokers(seeds ...string) Opt            { return clientOpt{} }
func ConsumeTopics(topics ...string) ConsumerOpt { return consumerOpt{} }
func ConsumerGroup(group string) GroupOpt        { return groupOpt{} }
func DisableAutoCommit() GroupOpt                { return groupOpt{} }
func AutoCommitMarks() GroupOpt                  { return groupOpt{} }
func BlockRebalanceOnPoll() GroupOpt             { return groupOpt{} }

// AutoCommitCallback sets the callback to use if autocommitting is enabled.
func AutoCommitCallback(fn func(*Client, *kmsg.OffsetCommitRequest, *kmsg.OffsetCommitResponse, error)) GroupOpt {
	return groupOpt{}
}

func OnPartitionsRevoked(onRevoked func(context.Context, *Client, map[string][]int32)) GroupOpt {
	return groupOpt{}
}

func OnPartitionsLost(onLost func(context.Context, *Client, map[string][]int32)) GroupOpt {
	return groupOpt{}
}

// Client issues requests and handles responses to a Kafka cluster.
type Client struct{ cfg cfg }

func NewClient(opts ...Opt) (*Client, error) { return &Client{}, nil }

func (cl *Client) Close()                                  {}
func (cl *Client) PollFetches(ctx context.Context) Fetches { return nil }
func (cl *Client) PollRecords(ctx context.Context, maxPollRecords int) Fetches {
	return nil
}
func (cl *Client) AllowRebalance()                                        {}
func (cl *Client) MarkCommitRecords(rs ...*Record)                        {}
func (cl *Client) UncommittedOffsets() map[string]map[int32]EpochOffset   { return nil }
func (cl *Client) MarkedOffsets() map[string]map[int32]EpochOffset        { return nil }
func (cl *Client) CommitRecords(ctx context.Context, rs ...*Record) error { return nil }
func (cl *Client) CommitUncommittedOffsets(ctx context.Context) error     { return nil }
func (cl *Client) CommitMarkedOffsets(ctx context.Context) error          { return nil }

func (cl *Client) CommitOffsetsSync(
	ctx context.Context,
	uncommitted map[string]map[int32]EpochOffset,
	onDone func(*Client, *kmsg.OffsetCommitRequest, *kmsg.OffsetCommitResponse, error),
) {
}

func (cl *Client) CommitOffsets(
	ctx context.Context,
	uncommitted map[string]map[int32]EpochOffset,
	onDone func(*Client, *kmsg.OffsetCommitRequest, *kmsg.OffsetCommitResponse, error),
) {
}

// EpochOffset combines a record offset with the leader epoch the broker was at
// when the record was written.
type EpochOffset struct {
	Epoch  int32
	Offset int64
}

type RecordHeader struct {
	Key   string
	Value []byte
}

type RecordAttrs struct{ attrs uint8 }

type Record struct {
	Key           []byte
	Value         []byte
	Headers       []RecordHeader
	Timestamp     time.Time
	Topic         string
	Partition     int32
	Attrs         RecordAttrs
	ProducerEpoch int16
	ProducerID    int64
	LeaderEpoch   int32
	Offset        int64
	Context       context.Context
}

type FetchPartition struct {
	Partition        int32
	Err              error
	HighWatermark    int64
	LastStableOffset int64
	LogStartOffset   int64
	Records          []*Record
}

type FetchTopic struct {
	Topic      string
	TopicID    [16]byte
	Partitions []FetchPartition
}

type FetchTopicPartition struct {
	Topic string
	FetchPartition
}

type Fetch struct {
	Topics []FetchTopic
}

type Fetches []Fetch

type FetchError struct {
	Topic     string
	Partition int32
	Err       error
}

func (fs Fetches) Errors() []FetchError                       { return nil }
func (fs Fetches) IsClientClosed() bool                       { return false }
func (fs Fetches) Err0() error                                { return nil }
func (fs Fetches) Err() error                                 { return nil }
func (fs Fetches) EachError(fn func(string, int32, error))    {}
func (fs Fetches) EachPartition(fn func(FetchTopicPartition)) {}
func (fs Fetches) EachRecord(fn func(*Record))                {}
func (fs Fetches) Records() []*Record                         { return nil }
func (fs Fetches) NumRecords() (n int)                        { return 0 }
func (fs Fetches) Empty() bool                                { return true }

// TransactionEndTry is simply a named bool.
type TransactionEndTry bool

const (
	TryAbort  TransactionEndTry = false
	TryCommit TransactionEndTry = true
)

// GroupTransactSession abstracts away the proper way to begin and end a
// transaction when consuming in a group, modifying records, and producing.
type GroupTransactSession struct{ cl *Client }

func NewGroupTransactSession(opts ...Opt) (*GroupTransactSession, error) {
	return &GroupTransactSession{}, nil
}

func (s *GroupTransactSession) Client() *Client                         { return s.cl }
func (s *GroupTransactSession) Close()                                  {}
func (s *GroupTransactSession) PollFetches(ctx context.Context) Fetches { return nil }
func (s *GroupTransactSession) PollRecords(ctx context.Context, maxPollRecords int) Fetches {
	return nil
}
func (s *GroupTransactSession) Begin() error { return nil }
func (s *GroupTransactSession) End(ctx context.Context, commit TransactionEndTry) (committed bool, err error) {
	return false, nil
}
