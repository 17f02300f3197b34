// Package sarama is a test stub of github.com/Shopify/sarama v1.38.1 (the same
// declarations exist in github.com/IBM/sarama v1.61.1): only what
// kafkalint's tests use, with the module's exact signatures.
package sarama

import (
	"context"
	"fmt"
	"time"
)

// Config is used to pass multiple configuration options to Sarama's constructors.
type Config struct {
	ClientID          string
	ChannelBufferSize int
	Version           KafkaVersion
	Consumer          struct {
		Group struct {
			Session struct {
				Timeout time.Duration
			}
			Rebalance struct {
				Timeout time.Duration
			}
			InstanceId string
		}
		Return struct {
			Errors bool
		}
		Offsets struct {
			CommitInterval time.Duration
			AutoCommit     struct {
				Enable   bool
				Interval time.Duration
			}
			Initial   int64
			Retention time.Duration
			Retry     struct {
				Max int
			}
		}
	}
	Producer struct {
		Return struct {
			Successes bool
			Errors    bool
		}
	}
}

func NewConfig() *Config { return &Config{} }

type KafkaVersion struct{ version [4]uint }

var V2_1_0_0 = KafkaVersion{}

const (
	OffsetNewest int64 = -1
	OffsetOldest int64 = -2
)

// KError is the type of error that can be returned directly by the Kafka broker.
type KError int16

const (
	ErrNoError             KError = 0
	ErrIllegalGeneration   KError = 22
	ErrUnknownMemberId     KError = 25
	ErrRebalanceInProgress KError = 27
	ErrFencedInstancedId   KError = 82
)

func (err KError) Error() string { return fmt.Sprintf("kafka server: %d", int16(err)) }

// ConsumerError is what is provided to the user when an error occurs.
type ConsumerError struct {
	Topic     string
	Partition int32
	Err       error
}

func (ce ConsumerError) Error() string {
	return fmt.Sprintf("kafka: error while consuming %s/%d: %s", ce.Topic, ce.Partition, ce.Err)
}

func (ce ConsumerError) Unwrap() error { return ce.Err }

// ConsumerErrors is a type that wraps a batch of errors and implements the Error interface.
type ConsumerErrors []*ConsumerError

func (ce ConsumerErrors) Error() string {
	return fmt.Sprintf("kafka: %d errors while consuming", len(ce))
}

// ConsumerMessage encapsulates a Kafka message returned by the consumer.
type ConsumerMessage struct {
	Timestamp  time.Time
	Key, Value []byte
	Topic      string
	Partition  int32
	Offset     int64
}

// Client is a generic Kafka client.
type Client interface {
	Config() *Config
	Close() error
	Closed() bool
}

func NewClient(addrs []string, conf *Config) (Client, error) { return nil, nil }

// Consumer manages PartitionConsumers which process Kafka messages from brokers.
type Consumer interface {
	Topics() ([]string, error)
	Partitions(topic string) ([]int32, error)
	ConsumePartition(topic string, partition int32, offset int64) (PartitionConsumer, error)
	HighWaterMarks() map[string]map[int32]int64
	Close() error
	Pause(topicPartitions map[string][]int32)
	Resume(topicPartitions map[string][]int32)
	PauseAll()
	ResumeAll()
}

func NewConsumer(addrs []string, config *Config) (Consumer, error) { return nil, nil }
func NewConsumerFromClient(client Client) (Consumer, error)        { return nil, nil }

// PartitionConsumer processes Kafka messages from a given topic and partition.
type PartitionConsumer interface {
	AsyncClose()
	Close() error
	Messages() <-chan *ConsumerMessage
	Errors() <-chan *ConsumerError
	HighWaterMarkOffset() int64
	Pause()
	Resume()
	IsPaused() bool
}

// OffsetManager uses Kafka to store and fetch consumed partition offsets.
type OffsetManager interface {
	ManagePartition(topic string, partition int32) (PartitionOffsetManager, error)
	Close() error
	Commit()
}

func NewOffsetManagerFromClient(group string, client Client) (OffsetManager, error) {
	return nil, nil
}

// PartitionOffsetManager uses Kafka to store and fetch consumed partition offsets.
type PartitionOffsetManager interface {
	NextOffset() (int64, string)
	MarkOffset(offset int64, metadata string)
	ResetOffset(offset int64, metadata string)
	Errors() <-chan *ConsumerError
	AsyncClose()
	Close() error
}

// ConsumerGroup is responsible for dividing up processing of topics and partitions
// over a collection of processes (the members of the consumer group).
type ConsumerGroup interface {
	Consume(ctx context.Context, topics []string, handler ConsumerGroupHandler) error
	Errors() <-chan error
	Close() error
	Pause(partitions map[string][]int32)
	Resume(partitions map[string][]int32)
	PauseAll()
	ResumeAll()
}

func NewConsumerGroup(addrs []string, groupID string, config *Config) (ConsumerGroup, error) {
	return nil, nil
}

func NewConsumerGroupFromClient(groupID string, client Client) (ConsumerGroup, error) {
	return nil, nil
}

// ConsumerGroupSession represents a consumer group member session.
type ConsumerGroupSession interface {
	Claims() map[string][]int32
	MemberID() string
	GenerationID() int32
	MarkOffset(topic string, partition int32, offset int64, metadata string)
	Commit()
	ResetOffset(topic string, partition int32, offset int64, metadata string)
	MarkMessage(msg *ConsumerMessage, metadata string)
	Context() context.Context
}

// ConsumerGroupHandler instances are used to handle individual topic/partition claims.
type ConsumerGroupHandler interface {
	Setup(ConsumerGroupSession) error
	Cleanup(ConsumerGroupSession) error
	ConsumeClaim(ConsumerGroupSession, ConsumerGroupClaim) error
}

// ConsumerGroupClaim processes Kafka messages from a given topic and partition within a consumer group.
type ConsumerGroupClaim interface {
	Topic() string
	Partition() int32
	InitialOffset() int64
	HighWaterMarkOffset() int64
	Messages() <-chan *ConsumerMessage
}
