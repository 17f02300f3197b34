// Package kafkautil is a home-grown wrapper around a Kafka client, the kind
// users describe to commiterr with -commiterr.api (see ../user.api).
package kafkautil

import "context"

type Record struct{ Offset int64 }

// Source fetches records.
type Source struct{}

func (s *Source) Next(ctx context.Context) ([]Record, error) { return nil, nil }

// Committer commits what was processed.
type Committer struct{}

func (c *Committer) Commit(ctx context.Context, rs []Record) error { return nil }

// CommitAsync commits in the background and reports the result to onDone.
func CommitAsync(ctx context.Context, rs []Record, onDone func(committed int, err error)) {}
